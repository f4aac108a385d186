// The sync protocol as the server speaks it (README "Offline use and sync"; server side in
// src/service/sync.h): pull pages of changes, push mutations, each answered on its own.
import type { AnyRecord } from '../api/types';

export const SYNC_ENTITIES = [
  'pipelines', 'products', 'accounts', 'contacts', 'leads', 'deals', 'orders', 'tasks', 'activities',
] as const;
export type SyncEntity = (typeof SYNC_ENTITIES)[number];
// Besides the records: the people and teams pickers offer.
export type ReplicaEntity = SyncEntity | 'users' | 'teams';

export function isSyncEntity(e: string): e is SyncEntity {
  return (SYNC_ENTITIES as readonly string[]).includes(e);
}

export interface Change {
  op: 'upsert' | 'delete' | 'gone';
  entity: ReplicaEntity;
  id: string;
  version?: number;
  record?: AnyRecord;
}

export interface PullAnswer {
  changes: Change[];
  cursor: string;
  has_more: boolean;
  snapshot: boolean;
  lag: number;
}

export type MutationOp = 'create' | 'update' | 'delete' | 'restore' | 'convert';

export interface Mutation {
  id: string; // the device's own id for it: a replay under the same id is answered, not applied again
  entity: SyncEntity;
  op: MutationOp;
  record_id: string;
  base_version?: number;
  fields?: Record<string, unknown>;
  base?: Record<string, unknown>;
}

export interface FieldConflict {
  field: string;
  base: unknown;
  client: unknown;
  server: unknown;
}

export interface MutationResult {
  id: string;
  entity: SyncEntity;
  record_id: string;
  status: 'applied' | 'merged' | 'conflict' | 'rejected';
  version?: number;
  record?: AnyRecord;
  related?: Record<string, AnyRecord | null>;
  reason?: 'changed' | 'deleted';
  conflicts?: FieldConflict[];
  server?: AnyRecord | null;
  code?: string;
  message?: string;
  errors?: { field: string; code: string; message?: string }[];
  replay?: boolean;
}

export interface PushAnswer {
  results: MutationResult[];
}

// The device's copy of the user's working set, in IndexedDB (Dexie), one database per user:
//  - records: each record twice over: `server`, as the server last sent it, and `record`, what
//    the screens show: the server's state with the changes still waiting in the outbox applied
//    (rebased whenever either side moves). A record created on the device has no `server` yet.
//  - outbox: mutations made on the device, in the order they were made, until the server
//    answers them. It survives closing the tab and restarting the phone.
//  - problems: what the server refused or found in conflict, until the user deals with it.
//  - meta: the device id, the pull cursor, the last successful sync.
import Dexie, { type Table } from 'dexie';
import type { AnyRecord } from '../api/types';
import type { Mutation, MutationResult, ReplicaEntity } from './protocol';

export interface StoredRecord {
  entity: ReplicaEntity;
  id: string;
  record: AnyRecord | null; // null: deleted on the device, the deletion waiting in the outbox
  server: AnyRecord | null; // null: not on the server yet (created on the device)
  terms: string[]; // search terms of `record` (lib/searchTerms.ts, the server's folding rules)
}

export interface OutboxEntry {
  seq?: number;
  key: string; // `${entity}/${record_id}`: which record it changes
  mutation: Mutation;
  label: string; // what to call it in the sync panel ("Call logged: 首次拜访")
  queuedAt: string;
  attempts: number;
}

export interface ProblemEntry {
  id: string; // the mutation id
  mutation: Mutation;
  result: MutationResult;
  label: string;
  at: string;
}

export interface MetaEntry {
  key: string;
  value: unknown;
}

export class ReplicaDb extends Dexie {
  records!: Table<StoredRecord, [string, string]>;
  outbox!: Table<OutboxEntry, number>;
  problems!: Table<ProblemEntry, string>;
  meta!: Table<MetaEntry, string>;

  constructor(name: string) {
    super(name);
    this.version(1).stores({
      records: '[entity+id], entity',
      outbox: '++seq, key',
      problems: 'id, at',
      meta: 'key',
    });
  }
}

export const replicaName = (userId: string) => `keel-replica-${userId}`;

export const recordKey = (entity: string, id: string) => `${entity}/${id}`;

export async function getMeta<T>(db: ReplicaDb, key: string): Promise<T | undefined> {
  return (await db.meta.get(key))?.value as T | undefined;
}

export async function setMeta(db: ReplicaDb, key: string, value: unknown): Promise<void> {
  await db.meta.put({ key, value });
}

// What the signed-in app knows about the connection and the device's sync (provided by
// OfflineQueueProvider in OfflineQueue.tsx), in a module of its own so that screens shown before
// sign-in (which read it where present) do not load the sync code.
import { createContext, useContext } from 'react';
import type { ConnectivityState } from '../lib/connectivity';
import type { SyncEngine, SyncState } from '../sync/engine';

export interface QueuedWrite {
  key: string; // the Idempotency-Key of the request when it goes to the server at once
  method: 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  version?: number;
  label: string; // what the sync panel calls it if it has to wait
}

export interface OfflineState {
  connection: ConnectivityState;
  reachable: boolean;
  pending: number;
  sync: SyncState;
  engine: SyncEngine;
  // Syncs now ("Sync now"): sends what waits and pulls what changed.
  flush(announce?: boolean): Promise<void>;
  // Probes the server now and, if it answers, syncs ("Retry now").
  retryNow(): void;
  // Sends now; without a connection, keeps the write on the device. Returns whether it waits.
  submit<T>(write: QueuedWrite): Promise<{ queued: true } | { queued: false; result: T }>;
}

export const OfflineContext = createContext<OfflineState | null>(null);

export function useOfflineQueue(): OfflineState {
  const v = useContext(OfflineContext);
  if (!v) throw new Error('useOfflineQueue outside OfflineQueueProvider');
  return v;
}

// The sync state where there is one (signed in), else null.
export function useSyncState(): SyncState | null {
  return useContext(OfflineContext)?.sync ?? null;
}

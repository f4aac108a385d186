// The sync engine of one signed-in user on this device: writes made here go to the replica at
// once and to the outbox; a sync sends the outbox in order (push), then brings the replica up to
// date (pull), and says how it went. It never claims success it did not have: the state names
// the last successful sync, what waits, what the server refused, and why the last attempt failed.
import { ApiError, NetworkError } from '../api/errors';
import type { AnyRecord } from '../api/types';
import type { Change, Mutation, MutationResult, PullAnswer, PushAnswer, ReplicaEntity } from './protocol';
import { rebase } from './rebase';
import { getMeta, recordKey, setMeta, type OutboxEntry, type ProblemEntry, type ReplicaDb, type StoredRecord } from './replica';

export interface Transport {
  pull(params: Record<string, string>): Promise<PullAnswer>;
  push(body: { device: string; device_name: string; mutations: Mutation[] }): Promise<PushAnswer>;
}

export interface SyncFailure {
  code: string; // a server problem code, or "network" when the server did not answer
  at: string;
}

export interface SyncState {
  running: boolean;
  ready: boolean; // a first snapshot has completed on this device: the replica can answer
  lastSyncAt: string | null; // the last sync that pushed and pulled to the end
  lastError: SyncFailure | null; // why the last attempt failed (cleared by a success)
  pending: number; // mutations waiting in the outbox
  problems: number; // refused or conflicting mutations waiting for the user
  lag: number; // change-log entries the device has not caught up with, as of the last pull
}

// What a sync did: how many of the device's changes the server answered (applied, merged,
// refused or in conflict), so screens know whether what they show may have changed.
export interface SyncOutcome {
  answered: number;
}

export interface EngineOptions {
  db: ReplicaDb;
  userId: string;
  transport: Transport;
  termsOf(entity: ReplicaEntity, record: AnyRecord): string[];
  deviceName: string;
  // The server revoked this device: the replica has been wiped; the app signs out.
  onRevoked?(): void;
  now?(): string;
}

const PUSH_BATCH = 100;
const PULL_LIMIT = 500;
const MAX_PULL_PAGES = 10_000;

// Answers for a batch refused as a whole: each mutation named in the errors (mutations[3].op)
// refused with its errors, every mutation if none is named.
function refusedBatch(batch: OutboxEntry[], e: ApiError): MutationResult[] {
  const named = new Map<number, { field: string; code: string }[]>();
  for (const fe of e.fieldErrors) {
    const m = /^mutations\[(\d+)\]\.?(.*)$/.exec(fe.field);
    if (!m) continue;
    const i = Number(m[1]);
    named.set(i, [...(named.get(i) ?? []), { field: m[2] ?? '', code: fe.code }]);
  }
  return batch.flatMap((b, i) => (named.size && !named.has(i) ? [] : [{
    id: b.mutation.id, entity: b.mutation.entity, record_id: b.mutation.record_id, status: 'rejected' as const,
    code: e.code, errors: named.get(i) ?? e.fieldErrors,
  }]));
}

function randomId(): string {
  return globalThis.crypto.randomUUID();
}

export class SyncEngine {
  private current: SyncState = { running: false, ready: false, lastSyncAt: null, lastError: null, pending: 0, problems: 0, lag: 0 };
  private listeners = new Set<(s: SyncState) => void>();
  private running: Promise<SyncOutcome> | null = null;
  private answered = 0; // mutations answered by the server during the running sync
  private again = false;
  private deviceId = '';
  private readonly now: () => string;
  private initialized: Promise<void> | null = null;
  private pendingKeys = new Set<string>(); // records with changes in the outbox, for hasPending

  constructor(private readonly o: EngineOptions) {
    this.now = o.now ?? (() => new Date().toISOString());
  }

  get db(): ReplicaDb {
    return this.o.db;
  }

  // Reads what the device holds (the device id, the counts, the last sync): once; every later
  // call waits for that one.
  init(): Promise<void> {
    return (this.initialized ??= this.load());
  }

  private async load(): Promise<void> {
    this.deviceId = (await getMeta<string>(this.db, 'device')) ?? '';
    if (!this.deviceId) {
      this.deviceId = randomId();
      await setMeta(this.db, 'device', this.deviceId);
    }
    this.set({
      ready: (await getMeta<boolean>(this.db, 'ready')) ?? false,
      lastSyncAt: (await getMeta<string>(this.db, 'lastSyncAt')) ?? null,
      lastError: (await getMeta<SyncFailure>(this.db, 'lastError')) ?? null,
    });
    await this.recount();
  }

  device(): string {
    return this.deviceId;
  }

  // Whether the record has changes waiting in the outbox (then the device, not the server, has
  // its latest state: a record just created here may not be on the server yet).
  hasPending(entity: string, id: string): boolean {
    return this.pendingKeys.has(recordKey(entity, id));
  }

  state(): SyncState {
    return this.current;
  }

  subscribe(listener: (s: SyncState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // --- the device's own writes ----------------------------------------------------------------

  // Queues a mutation and applies it to the replica; returns the record as the device now has it.
  async enqueue(mutation: Mutation, label: string): Promise<AnyRecord | null> {
    const key = recordKey(mutation.entity, mutation.record_id);
    let out: AnyRecord | null = null;
    await this.db.transaction('rw', this.db.records, this.db.outbox, async () => {
      await this.db.outbox.add({ key, mutation, label, queuedAt: this.now(), attempts: 0 });
      this.pendingKeys.add(key);
      out = await this.rebaseKey(mutation.entity, mutation.record_id);
    });
    await this.recount();
    return out;
  }

  // A record the server answered outside sync (a write made online): the replica takes it.
  async observe(entity: ReplicaEntity, record: AnyRecord): Promise<void> {
    await this.db.transaction('rw', this.db.records, this.db.outbox, () => this.storeServer(entity, record.id, record));
  }

  async get(entity: ReplicaEntity, id: string): Promise<StoredRecord | undefined> {
    return this.db.records.get([entity, id]);
  }

  async all(entity: ReplicaEntity): Promise<StoredRecord[]> {
    return this.db.records.where('entity').equals(entity).toArray();
  }

  async outbox(): Promise<OutboxEntry[]> {
    return this.db.outbox.orderBy('seq').toArray();
  }

  async pendingFor(entity: string, id: string): Promise<OutboxEntry[]> {
    return this.db.outbox.where('key').equals(recordKey(entity, id)).sortBy('seq');
  }

  async problems(): Promise<ProblemEntry[]> {
    return this.db.problems.orderBy('at').reverse().toArray();
  }

  async discard(problemId: string): Promise<void> {
    await this.db.problems.delete(problemId);
    await this.recount();
  }

  // The user's answer to a problem: a new mutation (made now, on the server's current version).
  async resolve(problemId: string, mutation: Mutation, label: string): Promise<void> {
    await this.db.problems.delete(problemId);
    await this.enqueue(mutation, label);
  }

  // Drops the replica's records (not the outbox, which is the user's unsent work): the session
  // ended or the server forgot this device; the next sync downloads them again.
  async clearRecords(): Promise<void> {
    await this.db.transaction('rw', this.db.records, this.db.meta, async () => {
      // Records made on the device and not yet sent stay: they exist nowhere else.
      await this.db.records.filter((r) => r.server !== null).delete();
      await this.db.meta.bulkDelete(['cursor', 'ready']);
    });
    this.set({ ready: false });
  }

  // Everything this user kept on the device, outbox included (sign-out with "wipe", revocation).
  async wipe(): Promise<void> {
    await this.db.delete();
    this.set({ ready: false, pending: 0, problems: 0, lastSyncAt: null });
  }

  // --- syncing --------------------------------------------------------------------------------

  // Pushes, then pulls to the end. One at a time: a call while one runs makes it go round once
  // more (a write queued meanwhile is sent in the same go).
  sync(): Promise<SyncOutcome> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      this.set({ running: true });
      this.answered = 0;
      try {
        do {
          this.again = false;
          await this.pushAll();
          await this.pullAll();
        } while (this.again);
        const at = this.now();
        await setMeta(this.db, 'lastSyncAt', at);
        await this.db.meta.delete('lastError');
        this.set({ lastSyncAt: at, lastError: null });
      } catch (e) {
        const failure: SyncFailure = { code: e instanceof ApiError ? e.code : e instanceof NetworkError ? 'network' : 'internal_error', at: this.now() };
        if (e instanceof ApiError && e.code === 'device_revoked') {
          await this.wipe();
          this.o.onRevoked?.();
          return { answered: this.answered };
        }
        await setMeta(this.db, 'lastError', failure).catch(() => undefined);
        this.set({ lastError: failure });
        if (!(e instanceof NetworkError) && !(e instanceof ApiError)) console.error('sync failed', e);
      } finally {
        this.running = null;
        this.set({ running: false });
        await this.recount();
      }
      return { answered: this.answered };
    })();
    return this.running;
  }

  private async pushAll(): Promise<void> {
    for (;;) {
      const batch = await this.db.outbox.orderBy('seq').limit(PUSH_BATCH).toArray();
      if (batch.length === 0) return;
      await this.db.outbox.bulkPut(batch.map((b) => ({ ...b, attempts: b.attempts + 1 })));
      let answer: PushAnswer;
      try {
        answer = await this.o.transport.push({
          device: this.deviceId,
          device_name: this.o.deviceName,
          mutations: batch.map((b) => b.mutation),
        });
      } catch (e) {
        // The batch itself was refused (a mutation this version of the app built wrongly): the
        // mutations it names become problems, so the rest are not held up behind them forever.
        if (!(e instanceof ApiError) || e.status !== 422) throw e;
        answer = { results: refusedBatch(batch, e) };
      }
      await this.applyResults(batch, answer.results);
    }
  }

  private async applyResults(batch: OutboxEntry[], results: MutationResult[]): Promise<void> {
    const byId = new Map(results.map((r) => [r.id, r]));
    await this.db.transaction('rw', this.db.records, this.db.outbox, this.db.problems, async () => {
      for (const entry of batch) {
        const r = byId.get(entry.mutation.id);
        if (!r) continue; // not answered: sent again next time, under the same id
        await this.db.outbox.delete(entry.seq!);
        this.answered++;
        const m = entry.mutation;
        if (r.status === 'applied' || r.status === 'merged') {
          if (r.record) await this.storeServer(m.entity, m.record_id, r.record);
          for (const [entity, rec] of Object.entries(r.related ?? {}))
            if (rec) await this.storeServer(entity as ReplicaEntity, rec.id, rec);
          continue;
        }
        await this.db.problems.put({ id: m.id, mutation: m, result: r, label: entry.label, at: this.now() });
        if (r.status === 'conflict' && r.server) await this.storeServer(m.entity, m.record_id, r.server);
        else await this.rebaseKey(m.entity, m.record_id);
      }
    });
  }

  private async pullAll(): Promise<void> {
    for (let page = 0; page < MAX_PULL_PAGES; page++) {
      const cursor = await getMeta<string>(this.db, 'cursor');
      let answer: PullAnswer;
      try {
        answer = await this.o.transport.pull({
          device: this.deviceId, name: this.o.deviceName, limit: String(PULL_LIMIT), ...(cursor ? { cursor } : {}),
        });
      } catch (e) {
        if (e instanceof ApiError && (e.code === 'cursor_expired' || e.code === 'cursor_not_yours' || e.code === 'invalid_cursor')) {
          // The server forgot what this device holds: start over from a fresh copy.
          await this.clearRecords();
          continue;
        }
        if (e instanceof ApiError && e.code === 'device_not_yours') {
          this.deviceId = randomId();
          await setMeta(this.db, 'device', this.deviceId);
          await this.clearRecords();
          continue;
        }
        throw e;
      }
      await this.applyChanges(answer.changes);
      await setMeta(this.db, 'cursor', answer.cursor);
      this.set({ lag: answer.lag });
      if (!answer.snapshot && !this.current.ready) {
        await setMeta(this.db, 'ready', true);
        this.set({ ready: true });
      }
      if (!answer.has_more) return;
    }
  }

  private async applyChanges(changes: Change[]): Promise<void> {
    if (changes.length === 0) return;
    await this.db.transaction('rw', this.db.records, this.db.outbox, async () => {
      for (const c of changes) {
        if (c.op === 'upsert' && c.record) {
          await this.storeServer(c.entity, c.id, c.record);
        } else if (c.op !== 'upsert') {
          await this.storeServer(c.entity, c.id, null);
        }
      }
    });
  }

  // Sets the server's copy of a record (unless the device holds a newer one: answers can
  // arrive out of order) and rebases the device's view on it; null: gone from the server.
  private async storeServer(entity: ReplicaEntity, id: string, server: AnyRecord | null): Promise<void> {
    const held = await this.db.records.get([entity, id]);
    if (server && held?.server && held.server.version > server.version) return;
    await this.writeView(entity, id, server);
  }

  // The device's view of the record again, over the server's copy it holds.
  private async rebaseKey(entity: ReplicaEntity, id: string): Promise<AnyRecord | null> {
    const held = await this.db.records.get([entity, id]);
    return this.writeView(entity, id, held?.server ?? null);
  }

  private async writeView(entity: ReplicaEntity, id: string, server: AnyRecord | null): Promise<AnyRecord | null> {
    const record = rebase(server, await this.pendingFor(entity, id), this.o.userId);
    if (!record && !server) await this.db.records.delete([entity, id]);
    else await this.db.records.put({ entity, id, server, record, terms: record ? this.o.termsOf(entity, record) : [] });
    return record;
  }

  private async recount(): Promise<void> {
    try {
      const [keys, problems] = await Promise.all([this.db.outbox.orderBy('key').uniqueKeys(), this.db.problems.count()]);
      this.pendingKeys = new Set(keys.map(String));
      this.set({ pending: await this.db.outbox.count(), problems });
    } catch {
      /* the database was deleted (wipe): the counts were reset there */
    }
  }

  private set(patch: Partial<SyncState>): void {
    this.current = { ...this.current, ...patch };
    this.listeners.forEach((l) => l(this.current));
  }
}

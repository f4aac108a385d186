import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, NetworkError } from '../api/errors';
import type { AnyRecord } from '../api/types';
import { SyncEngine, type Transport } from './engine';
import type { Mutation, MutationResult, PullAnswer } from './protocol';
import { ReplicaDb } from './replica';

let n = 0;
const engines: SyncEngine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.db.delete();
});

const rec = (id: string, version: number, extra: Record<string, unknown> = {}): AnyRecord => ({
  id, version, owner_id: 'u1', created_at: '2026-12-01T00:00:00.000Z', created_by: 'u1', updated_at: '2026-12-01T00:00:00.000Z',
  updated_by: 'u1', deleted_at: null, deleted_by: null, custom: {}, ...extra,
} as AnyRecord);

// A transport scripted per call: each pull or push takes the next answer (or throws it).
function scripted(pulls: (PullAnswer | Error)[], pushes: ((ms: Mutation[]) => MutationResult[] | Error)[]) {
  const seen = { pulls: [] as Record<string, string>[], pushes: [] as Mutation[][] };
  const t: Transport = {
    async pull(p) {
      seen.pulls.push(p);
      const a = pulls.shift() ?? { changes: [], cursor: p.cursor ?? 'c', has_more: false, snapshot: false, lag: 0 };
      if (a instanceof Error) throw a;
      return a;
    },
    async push(b) {
      seen.pushes.push(b.mutations);
      const f = pushes.shift();
      if (!f) throw new Error('unexpected push');
      const r = f(b.mutations);
      if (r instanceof Error) throw r;
      return { results: r };
    },
  };
  return { t, seen };
}

async function engine(t: Transport, extra: Partial<ConstructorParameters<typeof SyncEngine>[0]> = {}) {
  const e = new SyncEngine({
    db: new ReplicaDb(`test-${++n}-${Date.now()}`), userId: 'u1', transport: t, deviceName: 'test',
    termsOf: (_e, r) => (typeof r.name === 'string' ? [r.name.toLowerCase()] : []), ...extra,
  });
  engines.push(e);
  await e.init();
  return e;
}

const applied = (m: Mutation, r: AnyRecord): MutationResult => ({ id: m.id, entity: m.entity, record_id: m.record_id, status: 'applied', version: r.version, record: r });

describe('the sync engine', () => {
  it('shows a write at once, keeps it until the server answers, and sends it again under the same id', async () => {
    const { t, seen } = scripted([], [
      () => new NetworkError(),
      (ms) => [applied(ms[0]!, rec('c1', 1, { first_name: '明', last_name: '王', name: '王明' }))],
    ]);
    const e = await engine(t);
    const local = await e.enqueue({ id: 'm1', entity: 'contacts', op: 'create', record_id: 'c1', fields: { first_name: '明', last_name: '王' } }, 'New · 王明');
    expect(local?.name).toBe('王明');
    expect(local?.version).toBe(0);
    expect(e.state().pending).toBe(1);

    await e.sync();
    expect(e.state().lastError?.code).toBe('network');
    expect(e.state().lastSyncAt).toBeNull();
    expect(e.state().pending).toBe(1);

    await e.sync();
    expect(seen.pushes.map((b) => b.map((m) => m.id))).toEqual([['m1'], ['m1']]);
    expect(e.state().pending).toBe(0);
    expect(e.state().lastError).toBeNull();
    expect(e.state().lastSyncAt).not.toBeNull();
    const held = await e.get('contacts', 'c1');
    expect(held?.server?.version).toBe(1);
    expect(held?.terms).toEqual(['王明']);
  });

  it('rebases waiting changes over what the server sends, and applies deletes and gones', async () => {
    const { t } = scripted([
      { changes: [{ op: 'upsert', entity: 'contacts', id: 'a', version: 1, record: rec('a', 1, { title: 'x', tags: null }) },
        { op: 'upsert', entity: 'contacts', id: 'b', version: 1, record: rec('b', 1) }], cursor: 's1', has_more: true, snapshot: true, lag: 0 },
      { changes: [], cursor: 'c1', has_more: false, snapshot: false, lag: 0 },
    ], []);
    const e = await engine(t);
    await e.sync();
    expect(e.state().ready).toBe(true);
    const { t: t2 } = scripted([
      { changes: [{ op: 'upsert', entity: 'contacts', id: 'a', version: 2, record: rec('a', 2, { title: 'server', tags: null }) },
        { op: 'gone', entity: 'contacts', id: 'b' }], cursor: 'c2', has_more: false, snapshot: false, lag: 0 },
    ], [() => new NetworkError()]);
    (e as unknown as { o: { transport: Transport } }).o.transport = t2;
    await e.enqueue({ id: 'm2', entity: 'contacts', op: 'update', record_id: 'a', base_version: 1, fields: { tags: ['vip'] }, base: { tags: null } }, 'Change');
    await e.sync(); // the push fails; nothing pulled
    expect((await e.get('contacts', 'a'))?.record?.tags).toEqual(['vip']);
    (e as unknown as { o: { transport: Transport } }).o.transport = { ...t2, push: async () => { throw new NetworkError(); } };
    // Pull alone (the push keeps failing): the server's version under the waiting change.
    await (e as unknown as { pullAll(): Promise<void> }).pullAll();
    const a = await e.get('contacts', 'a');
    expect(a?.server?.title).toBe('server');
    expect(a?.record?.title).toBe('server');
    expect(a?.record?.tags).toEqual(['vip']);
    expect(await e.get('contacts', 'b')).toBeUndefined();
  });

  it('turns conflicts and refusals into problems and shows the server\'s state again', async () => {
    const server = rec('a', 3, { title: 'theirs' });
    const { t } = scripted([], [(ms) => [
      { id: ms[0]!.id, entity: 'contacts', record_id: 'a', status: 'conflict', reason: 'changed', server,
        conflicts: [{ field: 'title', base: 'old', client: 'mine', server: 'theirs' }] },
      { id: ms[1]!.id, entity: 'contacts', record_id: 'n', status: 'rejected', code: 'validation_failed', errors: [{ field: 'emails[0]', code: 'invalid_format' }] },
    ]]);
    const e = await engine(t);
    await e.observe('contacts', rec('a', 2, { title: 'old' }));
    await e.enqueue({ id: 'm1', entity: 'contacts', op: 'update', record_id: 'a', base_version: 2, fields: { title: 'mine' }, base: { title: 'old' } }, 'a');
    await e.enqueue({ id: 'm2', entity: 'contacts', op: 'create', record_id: 'n', fields: { emails: ['bad'] } }, 'n');
    expect((await e.get('contacts', 'a'))?.record?.title).toBe('mine');
    await e.sync();
    expect(e.state().problems).toBe(2);
    expect(e.state().pending).toBe(0);
    expect((await e.get('contacts', 'a'))?.record?.title).toBe('theirs');
    expect(await e.get('contacts', 'n')).toBeUndefined();
    const problems = await e.problems();
    expect(problems.map((p) => p.result.status).sort()).toEqual(['conflict', 'rejected']);
    await e.resolve('m1', { id: 'm3', entity: 'contacts', op: 'update', record_id: 'a', base_version: 3, fields: { title: 'mine' }, base: { title: 'theirs' } }, 'a');
    expect(e.state().problems).toBe(1);
    expect((await e.get('contacts', 'a'))?.record?.title).toBe('mine');
  });

  it('starts over from a fresh copy when the server forgot the device, keeping what was made on it', async () => {
    const { t, seen } = scripted([
      new ApiError({ status: 410, code: 'cursor_expired' }),
      { changes: [{ op: 'upsert', entity: 'contacts', id: 'x', version: 4, record: rec('x', 4) }], cursor: 'c', has_more: false, snapshot: false, lag: 0 },
    ], [() => new NetworkError()]);
    const e = await engine(t);
    await e.db.meta.put({ key: 'cursor', value: 'old' });
    await e.observe('contacts', rec('stale', 1));
    await e.enqueue({ id: 'm', entity: 'contacts', op: 'create', record_id: 'mine', fields: { first_name: 'a' } }, 'n');
    (e as unknown as { o: { transport: Transport } }).o.transport = { ...t, push: async () => { throw new NetworkError(); } };
    await (e as unknown as { pullAll(): Promise<void> }).pullAll();
    expect(seen.pulls.map((p) => p.cursor ?? null)).toEqual(['old', null]);
    expect(await e.get('contacts', 'stale')).toBeUndefined();
    expect((await e.get('contacts', 'mine'))?.record).toBeTruthy();
    expect((await e.get('contacts', 'x'))?.record).toBeTruthy();
  });

  it('wipes everything when the device was revoked', async () => {
    let revoked = false;
    const { t } = scripted([new ApiError({ status: 401, code: 'device_revoked' })], []);
    const e = await engine(t, { onRevoked: () => { revoked = true; } });
    await e.observe('contacts', rec('a', 1));
    await e.sync();
    expect(revoked).toBe(true);
    expect(await new ReplicaDb(e.db.name).records.count()).toBe(0);
  });
});

// The REST API answered on the device (api/client.ts asks it when the server cannot be reached,
// and for writes while earlier ones still wait, so they stay in order): lists, search, records,
// the board's totals, users and teams from the replica; creates, changes, deletes, restores and
// lead conversions into the outbox, applied to the replica at once. Anything else it does not
// answer: reads of it fail with "not available offline", writes with the network error.
import type { LocalAnswerer, RequestOptions } from '../api/client';
import { ApiError, OfflineUnavailableError } from '../api/errors';
import type { AnyRecord, ListPage } from '../api/types';
import type { SyncEngine } from './engine';
import { runListQuery, type LocalQueryContext, type LocalRow } from './localQuery';
import { isSyncEntity, type Mutation, type MutationOp, type ReplicaEntity, type SyncEntity } from './protocol';
import { applyMutation } from './rebase';

export interface LocalApiDeps {
  engine: SyncEngine;
  userId(): string;
  context(entity: ReplicaEntity): Omit<LocalQueryContext, 'teamOf'>;
  // What the sync panel calls a queued change.
  labelOf(entity: SyncEntity, op: MutationOp, record: AnyRecord | null): string;
  newId(): string;
}

const PREFIX = '/api/v1/';

interface Route {
  entity: string;
  id?: string;
  action?: string;
}

function route(path: string): Route | null {
  if (!path.startsWith(PREFIX)) return null;
  const [entity, id, action, ...rest] = path.slice(PREFIX.length).split('/');
  if (!entity || rest.length) return null;
  return { entity, id, action };
}

function queryOf(opts: RequestOptions): Record<string, string> {
  const q = opts.query;
  if (!q) return {};
  if (q instanceof URLSearchParams) return Object.fromEntries(q.entries());
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') out[k] = String(v);
  return out;
}

function notFound(): ApiError {
  return new ApiError({ status: 404, code: 'not_found' });
}

// Σ amount × probability / 100 over exact integers, rounded once, halves away from zero (as the
// server's weighted totals).
function weighted(sumTimesPercent: bigint): number {
  const neg = sumTimesPercent < 0n;
  const abs = neg ? -sumTimesPercent : sumTimesPercent;
  const q = (abs * 2n + 100n) / 200n;
  return Number(neg ? -q : q);
}

export function createLocalApi(d: LocalApiDeps): LocalAnswerer {
  const e = d.engine;

  async function rows(entity: ReplicaEntity): Promise<LocalRow[]> {
    return (await e.all(entity)).filter((r) => r.record).map((r) => ({ record: r.record!, terms: r.terms }));
  }

  async function teamOf(): Promise<(id: string) => string | null> {
    const users = await e.all('users');
    const m = new Map(users.map((u) => [u.id, (u.record?.team_id as string | null | undefined) ?? null]));
    return (id) => m.get(id) ?? null;
  }

  function requireReady(): void {
    if (!e.state().ready) throw new OfflineUnavailableError();
  }

  async function list(entity: ReplicaEntity, query: Record<string, string>): Promise<ListPage<AnyRecord>> {
    requireReady();
    return runListQuery(await rows(entity), query, { ...d.context(entity), teamOf: await teamOf() });
  }

  async function summary(pipelineId: string, query: Record<string, string>) {
    requireReady();
    const pipeline = (await e.get('pipelines', pipelineId))?.record;
    if (!pipeline) throw notFound();
    const { data } = await list('deals', { ...query, pipeline_id: pipelineId, limit: '500000' });
    const stages = (pipeline.stages as { id: string }[] | undefined) ?? [];
    return {
      data: stages.map((s) => {
        const inStage = data.filter((x) => x.stage_id === s.id);
        const byCurrency = new Map<string, { amount: bigint; weighted: bigint }>();
        for (const deal of inStage) {
          if (typeof deal.amount_minor !== 'number' || typeof deal.currency !== 'string') continue;
          const t = byCurrency.get(deal.currency) ?? { amount: 0n, weighted: 0n };
          t.amount += BigInt(deal.amount_minor);
          t.weighted += BigInt(deal.amount_minor) * BigInt(typeof deal.probability === 'number' ? deal.probability : 0);
          byCurrency.set(deal.currency, t);
        }
        return {
          stage_id: s.id,
          count: inStage.length,
          totals: [...byCurrency.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, t]) => ({
            currency, amount_minor: Number(t.amount), weighted_minor: weighted(t.weighted),
          })),
        };
      }),
    };
  }

  async function search(query: Record<string, string>) {
    requireReady();
    const out: Record<string, ListPage<AnyRecord>> = {};
    for (const entity of ['accounts', 'contacts', 'leads', 'deals'] as const)
      out[entity] = await list(entity, { q: query.q ?? '', limit: query.limit ?? '10' });
    return out;
  }

  async function read(r: Route, query: Record<string, string>): Promise<unknown> {
    if (r.entity === 'users' || r.entity === 'teams') {
      if (r.id) throw new OfflineUnavailableError();
      requireReady();
      return { data: (await rows(r.entity)).map((x) => x.record) };
    }
    if (r.entity === 'search' && !r.id) return search(query);
    if (!isSyncEntity(r.entity)) throw new OfflineUnavailableError();
    if (!r.id) return list(r.entity, query);
    if (r.entity === 'pipelines' && r.action === 'summary') return summary(r.id, query);
    if (r.action) throw new OfflineUnavailableError(); // history, stage history: the server's
    const held = await e.get(r.entity, r.id);
    if (!held?.record) {
      if (e.state().ready) throw notFound();
      throw new OfflineUnavailableError();
    }
    if (held.record.deleted_at) throw notFound();
    return held.record;
  }

  async function write(method: string, r: Route, opts: RequestOptions): Promise<unknown> {
    const entity = r.entity as SyncEntity;
    const body = (opts.body ?? {}) as Record<string, unknown>;
    const held = r.id ? await e.get(entity, r.id) : undefined;
    const baseVersion = Math.max(1, opts.version ?? held?.server?.version ?? 1);
    let m: Mutation;
    if (method === 'POST' && !r.id) {
      const id = typeof body.id === 'string' ? body.id : d.newId();
      const { id: _omit, ...fields } = body;
      void _omit;
      m = { id: d.newId(), entity, op: 'create', record_id: id, fields };
    } else if (method === 'PATCH' && r.id && !r.action) {
      if (!held?.record) throw held ? notFound() : new OfflineUnavailableError();
      const { version: _v, ...fields } = body;
      void _v;
      const base: Record<string, unknown> = {};
      for (const k of Object.keys(fields)) {
        if (k === 'custom') base.custom = { ...(held.record.custom ?? {}) };
        else base[k] = held.record[k] ?? null;
      }
      m = { id: d.newId(), entity, op: 'update', record_id: r.id, base_version: baseVersion, fields, base };
    } else if (method === 'DELETE' && r.id && !r.action) {
      if (!held?.record) throw notFound();
      m = { id: d.newId(), entity, op: 'delete', record_id: r.id, base_version: baseVersion };
    } else if (method === 'POST' && r.id && r.action === 'restore') {
      if (!held?.record) throw notFound();
      m = { id: d.newId(), entity, op: 'restore', record_id: r.id, base_version: baseVersion };
    } else if (method === 'POST' && r.id && r.action === 'convert' && entity === 'leads') {
      if (!held?.record) throw notFound();
      m = { id: d.newId(), entity, op: 'convert', record_id: r.id, fields: body };
    } else {
      throw new Error('not answered on the device');
    }
    const label = opts.label ?? d.labelOf(entity, m.op, applyMutation(held?.record ?? null, m, { userId: d.userId(), now: new Date().toISOString() }) ?? held?.record ?? null);
    const record = await e.enqueue(m, label);
    const answer = m.op === 'convert' ? { lead: record, account: null, contact: null, deal: null, queued: true } : record;
    return answer;
  }

  function writable(method: string, path: string): Route | null {
    const r = route(path);
    if (!r || !isSyncEntity(r.entity) || method === 'GET') return null;
    if (method === 'POST' && !r.id) return r;
    if ((method === 'PATCH' || method === 'DELETE') && r.id && !r.action) return r;
    if (method === 'POST' && r.id && (r.action === 'restore' || (r.action === 'convert' && r.entity === 'leads'))) return r;
    return null;
  }

  return {
    prefers(method, path) {
      if (method === 'GET') {
        const r = route(path);
        return !!r?.id && !r.action && isSyncEntity(r.entity) && e.hasPending(r.entity, r.id);
      }
      return e.state().pending > 0 && writable(method, path) !== null;
    },
    // Whether the device answers is known at once; the answer waits for the engine to have read
    // what the device holds (a screen can ask before that, at start-up).
    answer(method, path, opts) {
      if (method === 'GET') {
        const r = route(path);
        return r ? e.init().then(() => read(r, queryOf(opts))) : undefined;
      }
      const r = writable(method, path);
      return r ? e.init().then(() => write(method, r, opts)) : undefined;
    },
    observe(method, path, result) {
      const r = route(path);
      if (!r || !isSyncEntity(r.entity) || !result || typeof result !== 'object') return;
      const rec = result as AnyRecord & { lead?: AnyRecord; account?: AnyRecord; contact?: AnyRecord; deal?: AnyRecord };
      if (r.action === 'convert') {
        for (const [entity, x] of [['leads', rec.lead], ['accounts', rec.account], ['contacts', rec.contact], ['deals', rec.deal]] as const)
          if (x?.id) void e.observe(entity, x);
        return;
      }
      if (r.id && (!r.action || r.action === 'restore') && typeof rec.id === 'string' && typeof rec.version === 'number')
        void e.observe(r.entity, rec);
      else if (method === 'POST' && !r.id && typeof rec.id === 'string' && typeof rec.version === 'number') void e.observe(r.entity, rec);
    },
  };
}

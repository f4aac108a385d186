// A list request answered from the device's copy, with the server's list grammar (README "Lists"):
// FIELD=v, FIELD[gt|gte|lt|lte|ne]=v, FIELD[in]=a,b, FIELD[null]=true, list fields (tags,
// linked records, emails, phones) by containment, owner_team_id, q (search with the server's
// folding rules: lib/searchTerms.ts), sort (-FIELD for descending), limit, trashed, and a
// cursor of its own. Every record the device holds is one the user may read, so no scope
// filter is needed here: the server chose them.
import type { FieldKind } from '../api/entities';
import type { AnyRecord, ListPage } from '../api/types';
import { valueAt } from '../lib/conflict';
import { wallToIso } from '../lib/dates';
import { matchesTerms, queryTerms } from '../lib/searchTerms';

export interface LocalQueryContext {
  kindOf(field: string): FieldKind | undefined; // undefined: a system column (id, owner_id, created_at...)
  timeZone: string; // date-times without an offset are in the user's zone, as the server reads them
  teamOf(userId: string): string | null | undefined;
}

export interface LocalRow {
  record: AnyRecord;
  terms: readonly string[];
}

const LIST_KINDS = new Set<FieldKind>(['tags', 'reflist', 'emails', 'phones']);
const NUMBER_KINDS = new Set<FieldKind>(['integer', 'money', 'decimal']);
const LOCAL_CURSOR = 'local:';
const DEFAULT_LIMIT = 50;
const RESERVED = new Set(['limit', 'sort', 'q', 'cursor', 'trashed']);

// The filter value as the stored values compare with it.
function typed(raw: string, kind: FieldKind | undefined, field: string, tz: string): unknown {
  if (kind && NUMBER_KINDS.has(kind)) return Number(raw);
  if (kind === 'boolean') return raw === 'true';
  const instant = kind === 'datetime' || field === 'created_at' || field === 'updated_at';
  if (instant && !/(Z|[+-]\d\d:?\d\d)$/.test(raw)) {
    // A date or a wall time: in the user's zone.
    const wall = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00` : raw;
    try {
      return wallToIso(wall, tz);
    } catch {
      return raw;
    }
  }
  if (instant) {
    const d = new Date(raw);
    return Number.isNaN(d.getTime()) ? raw : d.toISOString();
  }
  return raw;
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1; // nothing sorts last
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const x = String(a), y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

type Predicate = (r: AnyRecord) => boolean;

function filterOf(key: string, raw: string, ctx: LocalQueryContext): Predicate {
  const m = /^(.+?)(?:\[(gt|gte|lt|lte|ne|in|null)\])?$/.exec(key)!;
  const field = m[1]!;
  const op = m[2] ?? 'eq';
  const read = (r: AnyRecord) => (field === 'owner_team_id' ? ctx.teamOf(String(r.owner_id)) ?? null : valueAt(r, field));
  if (op === 'null') {
    const wantNull = raw === 'true';
    return (r) => {
      const v = read(r);
      return (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) === wantNull;
    };
  }
  const kind = field === 'owner_team_id' ? undefined : ctx.kindOf(field);
  if (kind && LIST_KINDS.has(kind)) {
    const want = raw;
    return (r) => {
      const v = read(r);
      return Array.isArray(v) && v.some((x) => String(x).toLowerCase() === want.toLowerCase() || String(x) === want);
    };
  }
  if (op === 'in') {
    const set = raw.split(',').map((x) => typed(x, kind, field, ctx.timeZone));
    return (r) => set.some((x) => compare(read(r), x) === 0);
  }
  const want = typed(raw, kind, field, ctx.timeZone);
  return (r) => {
    const v = read(r);
    if (v === null || v === undefined) return op === 'ne';
    const c = compare(v, want);
    switch (op) {
      case 'eq': return c === 0;
      case 'ne': return c !== 0;
      case 'gt': return c > 0;
      case 'gte': return c >= 0;
      case 'lt': return c < 0;
      default: return c <= 0;
    }
  };
}

function paramsOf(query: URLSearchParams | Record<string, string>): [string, string][] {
  return query instanceof URLSearchParams ? [...query.entries()] : Object.entries(query);
}

export function runListQuery(rows: readonly LocalRow[], query: URLSearchParams | Record<string, string>,
  ctx: LocalQueryContext): ListPage<AnyRecord> {
  const params = paramsOf(query);
  const get = (k: string) => params.find(([p]) => p === k)?.[1];
  const trashed = get('trashed') === 'true';
  const predicates: Predicate[] = params.filter(([k]) => !RESERVED.has(k)).map(([k, v]) => filterOf(k, v, ctx));
  const q = get('q')?.trim();
  const terms = q ? queryTerms(q) : [];
  const matching = rows.filter(({ record, terms: t }) =>
    (trashed ? record.deleted_at !== null && record.deleted_at !== undefined : !record.deleted_at) &&
    predicates.every((p) => p(record)) && (!q || matchesTerms(t, terms)));

  const sort = get('sort') || '-created_at';
  const desc = sort.startsWith('-');
  const field = desc ? sort.slice(1) : sort;
  const sorted = matching.map((r) => r.record).sort((a, b) => {
    const c = compare(valueAt(a, field), valueAt(b, field)) || compare(a.id, b.id);
    // Nothing sorts last either way, as on the server's lists.
    const va = valueAt(a, field), vb = valueAt(b, field);
    if ((va === null || va === undefined) !== (vb === null || vb === undefined)) return c;
    return desc ? -c : c;
  });

  const limit = Math.max(1, Math.min(Number(get('limit')) || DEFAULT_LIMIT, 500));
  const cursor = get('cursor');
  const offset = cursor?.startsWith(LOCAL_CURSOR) ? Number(cursor.slice(LOCAL_CURSOR.length)) || 0 : 0;
  const data = sorted.slice(offset, offset + limit);
  const next = offset + limit < sorted.length ? `${LOCAL_CURSOR}${offset + limit}` : null;
  return { data, next_cursor: next, total: sorted.length, total_exact: true };
}

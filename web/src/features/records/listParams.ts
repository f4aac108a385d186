// A list's query lives in the page URL (so it survives reload, back and sharing a link) in the
// API's own form: q, sort, limit, trashed, and filters such as status=open or
// amount_minor[gte]=100000. The paging cursor is not in the URL: it belongs to one query.
import { customFieldMeta, type EntityMeta, type FieldMeta } from '../../api/meta';
import { currencyDigits, minorToDecimal, parseMoney } from '../../lib/money';

export const RESERVED = new Set(['q', 'sort', 'limit', 'trashed', 'cursor']);

export interface ListQuery {
  q: string;
  sort: string;
  limit: number;
  trashed: boolean;
  filters: Record<string, string>; // API parameter → value
}

export const PAGE_SIZES = [25, 50, 100, 200];

// `defaultSort` is the entity's order when the URL names none (activities: by when they happened,
// newest first); a search is ordered by relevance instead.
export function parseListQuery(search: URLSearchParams, defaultSort = ''): ListQuery {
  const filters: Record<string, string> = {};
  for (const [k, v] of search) if (!RESERVED.has(k) && v !== '') filters[k] = v;
  const limit = Number(search.get('limit'));
  const q = search.get('q') ?? '';
  return {
    q,
    sort: search.get('sort') || (q.trim() ? '' : defaultSort),
    limit: PAGE_SIZES.includes(limit) ? limit : 50,
    trashed: search.get('trashed') === 'true',
    filters,
  };
}

export function listQueryToSearch(q: ListQuery): URLSearchParams {
  const s = new URLSearchParams();
  if (q.q) s.set('q', q.q);
  if (q.sort) s.set('sort', q.sort);
  if (q.limit !== 50) s.set('limit', String(q.limit));
  if (q.trashed) s.set('trashed', 'true');
  for (const [k, v] of Object.entries(q.filters)) if (v !== '') s.set(k, v);
  return s;
}

// What selects and orders the records, without paging: also the parameters of a CSV export
// (which refuses cursor and limit, as it returns every matching record).
export function exportParams(q: ListQuery): Record<string, string> {
  const p: Record<string, string> = {};
  if (q.q.trim()) p.q = q.q.trim();
  if (q.sort) p.sort = q.sort;
  if (q.trashed) p.trashed = 'true';
  return Object.assign(p, q.filters);
}

// The API parameters of one page.
export function apiParams(q: ListQuery, cursor: string | null): Record<string, string> {
  const p: Record<string, string> = { limit: String(q.limit), ...exportParams(q) };
  if (cursor) p.cursor = cursor;
  return p;
}

// "amount_minor[gte]" → { field: "amount_minor", op: "gte" }; "custom.budget[lte]" → custom.budget
export function splitFilterKey(key: string): { field: string; op: string } {
  const m = /^((?:custom\.)?[a-z_0-9]+)\[([a-z]+)\]$/.exec(key);
  return m ? { field: m[1]!, op: m[2]! } : { field: key, op: 'eq' };
}

// Cursor paging with a stack of the cursors that led to each page, so "previous" works even
// though the server only hands out "next" (keyset paging never skips or repeats rows).
export interface CursorStack {
  cursors: (string | null)[]; // cursors[i] fetches page i; page 0 has none
}

export const firstPage = (): CursorStack => ({ cursors: [null] });
export const currentCursor = (s: CursorStack): string | null => s.cursors[s.cursors.length - 1] ?? null;
export const pageNumber = (s: CursorStack): number => s.cursors.length;
export const nextPage = (s: CursorStack, next: string): CursorStack => ({ cursors: [...s.cursors, next] });
export const previousPage = (s: CursorStack): CursorStack =>
  s.cursors.length > 1 ? { cursors: s.cursors.slice(0, -1) } : s;

// ---- filters --------------------------------------------------------------------------------

// The fields a list's filter panel offers: the filterable built-in fields (less those the search
// box covers), the creation time, and the custom fields the server says it filters by
// (custom.NAME parameters).
export function filterableFields(meta: EntityMeta): FieldMeta[] {
  const own = meta.fields.filter((f) => f.filterable && !['name', 'title', 'related_id', 'number', 'subject'].includes(f.name));
  const custom = meta.custom.filter((d) => d.filterable).map(customFieldMeta);
  return [...own, ...meta.systemColumns.filter((f) => f.name === 'created_at'), ...custom];
}

// Kinds filtered by a from/to range ([gte] and [lte]) rather than one value.
export const RANGE_KINDS = new Set(['money', 'integer', 'decimal', 'date', 'datetime']);

const DECIMAL = /^-?\d+(\.\d+)?$/;

// A number range bound as typed ("12,500.50" in the list's currency for money) → the API's
// parameter value (minor units, a whole number, an exact decimal), or null for nothing usable.
export function rangeBoundFromText(kind: string, text: string, currency: string): string | null {
  if (!text.trim()) return null;
  if (kind === 'decimal') {
    const t = text.normalize('NFKC').replace(/[\s,_']/g, '');
    return DECIMAL.test(t) ? t : null;
  }
  const p = parseMoney(text, kind === 'money' ? currency : 'JPY'); // JPY: no minor digits
  return p.ok ? String(p.minor) : null;
}

// The parameter value shown again in its input.
export function rangeBoundToText(kind: string, value: string | null, currency: string): string {
  if (!value) return '';
  if (kind === 'money' && /^-?\d+$/.test(value)) return minorToDecimal(BigInt(value), currencyDigits(currency));
  return value;
}

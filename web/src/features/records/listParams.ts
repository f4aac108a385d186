// A list's query lives in the page URL (so it survives reload, back and sharing a link) in the
// API's own form: q, sort, limit, trashed, and filters such as status=open or
// amount_minor[gte]=100000. The paging cursor is not in the URL: it belongs to one query.

export const RESERVED = new Set(['q', 'sort', 'limit', 'trashed', 'cursor']);

export interface ListQuery {
  q: string;
  sort: string;
  limit: number;
  trashed: boolean;
  filters: Record<string, string>; // API parameter → value
}

export const PAGE_SIZES = [25, 50, 100, 200];

export function parseListQuery(search: URLSearchParams): ListQuery {
  const filters: Record<string, string> = {};
  for (const [k, v] of search) if (!RESERVED.has(k) && v !== '') filters[k] = v;
  const limit = Number(search.get('limit'));
  return {
    q: search.get('q') ?? '',
    sort: search.get('sort') ?? '',
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

// "amount_minor[gte]" → { field: "amount_minor", op: "gte" }
export function splitFilterKey(key: string): { field: string; op: string } {
  const m = /^([a-z_0-9]+)\[([a-z]+)\]$/.exec(key);
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

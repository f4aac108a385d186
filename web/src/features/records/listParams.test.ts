import { describe, expect, it } from 'vitest';
import { apiParams, currentCursor, exportParams, firstPage, listQueryToSearch, nextPage, pageNumber, parseListQuery, previousPage, splitFilterKey } from './listParams';

describe('list query in the URL', () => {
  it('round-trips search, sort, filters and page size', () => {
    const s = new URLSearchParams('q=明远&sort=-amount_minor&limit=100&status=open&amount_minor[gte]=100000');
    const q = parseListQuery(s);
    expect(q).toEqual({ q: '明远', sort: '-amount_minor', limit: 100, trashed: false, filters: { status: 'open', 'amount_minor[gte]': '100000' } });
    expect(parseListQuery(listQueryToSearch(q))).toEqual(q);
  });
  it('falls back to 50 per page for a size the app does not offer', () => {
    expect(parseListQuery(new URLSearchParams('limit=7')).limit).toBe(50);
  });
  it('builds API parameters with the cursor only when paging', () => {
    const q = parseListQuery(new URLSearchParams('q=%20ada%20&trashed=true'));
    expect(apiParams(q, null)).toEqual({ limit: '50', q: 'ada', trashed: 'true' });
    expect(apiParams(q, 'abc').cursor).toBe('abc');
  });
  it('exports with the filters, sort, search and trash of the list, never its paging', () => {
    const q = parseListQuery(new URLSearchParams('q=vip&sort=-name&limit=100&trashed=true&city=上海&tags=vip'));
    expect(exportParams(q)).toEqual({ q: 'vip', sort: '-name', trashed: 'true', city: '上海', tags: 'vip' });
    expect(exportParams(parseListQuery(new URLSearchParams('')))).toEqual({});
  });
  it('splits operator filters', () => {
    expect(splitFilterKey('due_at[lt]')).toEqual({ field: 'due_at', op: 'lt' });
    expect(splitFilterKey('status')).toEqual({ field: 'status', op: 'eq' });
  });
});

describe('cursor stack', () => {
  it('goes forward with server cursors and back without asking the server', () => {
    let s = firstPage();
    expect(currentCursor(s)).toBeNull();
    s = nextPage(s, 'c1');
    s = nextPage(s, 'c2');
    expect(pageNumber(s)).toBe(3);
    expect(currentCursor(s)).toBe('c2');
    s = previousPage(s);
    expect(currentCursor(s)).toBe('c1');
    s = previousPage(previousPage(s));
    expect(pageNumber(s)).toBe(1);
  });
});

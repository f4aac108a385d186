import { describe, expect, it } from 'vitest';
import { DISPLAY } from '../../api/entities';
import type { CustomFieldMeta, EntityMeta } from '../../api/meta';
import {
  apiParams, currentCursor, exportParams, filterableFields, firstPage, listQueryToSearch, nextPage, pageNumber, parseListQuery, previousPage,
  RANGE_KINDS, rangeBoundFromText, rangeBoundToText, splitFilterKey,
} from './listParams';

describe('list query in the URL', () => {
  it('round-trips search, sort, filters and page size', () => {
    const s = new URLSearchParams('q=明远&sort=-amount_minor&limit=100&status=open&amount_minor[gte]=100000');
    const q = parseListQuery(s);
    expect(q).toEqual({ q: '明远', sort: '-amount_minor', limit: 100, trashed: false, filters: { status: 'open', 'amount_minor[gte]': '100000' } });
    expect(parseListQuery(listQueryToSearch(q))).toEqual(q);
  });
  it("orders by the entity's default sort unless the URL names one or the list is a search", () => {
    expect(parseListQuery(new URLSearchParams(''), '-occurred_at').sort).toBe('-occurred_at');
    expect(parseListQuery(new URLSearchParams('sort=subject'), '-occurred_at').sort).toBe('subject');
    expect(parseListQuery(new URLSearchParams('q=call'), '-occurred_at').sort).toBe('');
    expect(parseListQuery(new URLSearchParams('')).sort).toBe('');
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
    expect(splitFilterKey('custom.budget[gte]')).toEqual({ field: 'custom.budget', op: 'gte' });
    expect(splitFilterKey('custom.vip')).toEqual({ field: 'custom.vip', op: 'eq' });
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

describe('filters of custom fields', () => {
  const cf = (name: string, type: CustomFieldMeta['type'], extra: Partial<CustomFieldMeta> = {}): CustomFieldMeta =>
    ({ name, label: name.toUpperCase(), type, options: [], required: false, max_length: 200, filterable: true, sortable: true, ...extra });
  const meta = {
    ...DISPLAY.contacts,
    name: 'contacts', titleField: 'name', catalog: false,
    fields: [{ name: 'name', kind: 'text', filterable: true }, { name: 'account_id', kind: 'ref', ref: 'accounts', filterable: true }, { name: 'email', kind: 'email' }],
    systemColumns: [{ name: 'created_at', kind: 'datetime', filterable: true }, { name: 'updated_at', kind: 'datetime', filterable: true }],
    custom: [cf('seats', 'integer'), cf('budget', 'money'), cf('vip', 'boolean'), cf('tier', 'select', { options: ['A', 'B'] }), cf('hidden', 'text', { filterable: false })],
  } as EntityMeta;

  it('offers the custom fields the server filters by, as custom.NAME, after the built-in ones', () => {
    expect(filterableFields(meta).map((f) => [f.name, f.kind])).toEqual([
      ['account_id', 'ref'], ['created_at', 'datetime'],
      ['custom.seats', 'integer'], ['custom.budget', 'money'], ['custom.vip', 'boolean'], ['custom.tier', 'choice'],
    ]);
    expect(filterableFields(meta).find((f) => f.name === 'custom.tier')?.choices).toEqual(['A', 'B']);
  });

  it('filters numbers, whole numbers, money and dates by a range', () => {
    for (const k of ['money', 'integer', 'decimal', 'date', 'datetime']) expect(RANGE_KINDS.has(k)).toBe(true);
    for (const k of ['boolean', 'choice', 'text']) expect(RANGE_KINDS.has(k)).toBe(false);
  });

  it('reads range bounds as the API wants them: minor units, whole numbers, exact decimals', () => {
    expect(rangeBoundFromText('money', '12,500.5', 'CNY')).toBe('1250050');
    expect(rangeBoundFromText('money', '1.5', 'JPY')).toBeNull();
    expect(rangeBoundFromText('money', '  ', 'CNY')).toBeNull();
    expect(rangeBoundFromText('integer', '1,000', 'CNY')).toBe('1000');
    expect(rangeBoundFromText('integer', '2.5', 'CNY')).toBeNull();
    expect(rangeBoundFromText('decimal', '１２.５0', 'CNY')).toBe('12.50');
    expect(rangeBoundFromText('decimal', '12.', 'CNY')).toBeNull();
    expect(rangeBoundToText('money', '1250050', 'CNY')).toBe('12500.50');
    expect(rangeBoundToText('money', '9007199254740993', 'CNY')).toBe('90071992547409.93'); // exact, no float
    expect(rangeBoundToText('money', 'junk', 'CNY')).toBe('junk');
    expect(rangeBoundToText('integer', '42', 'CNY')).toBe('42');
    expect(rangeBoundToText('decimal', null, 'CNY')).toBe('');
  });
});

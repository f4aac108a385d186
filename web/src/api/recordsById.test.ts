import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './errors';
import { fetchRecordsById, loadRecord } from './recordsById';

describe('fetchRecordsById', () => {
  it('asks for all ids in one list request and maps the answer by id', async () => {
    const get = vi.fn(async () => ({ data: [{ id: 'b', name: 'B' }, { id: 'a', name: 'A' }], next_cursor: null }));
    const found = await fetchRecordsById('accounts', ['a', 'b', 'c'], get as never);
    expect(get).toHaveBeenCalledWith('/api/v1/accounts', { query: { 'id[in]': 'a,b,c', limit: '3' } });
    expect(found.get('a')).toMatchObject({ name: 'A' });
    expect(found.has('c')).toBe(false); // not readable or gone
  });
});

describe('loadRecord', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('names records shown together with one request; a missing one is not_found', async () => {
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ data: [{ id: 'x1', name: 'One' }], next_cursor: null })));
    vi.stubGlobal('fetch', fetchMock);
    const [one, two] = await Promise.allSettled([loadRecord('contacts', 'x1'), loadRecord('contacts', 'x2')]);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(decodeURIComponent(String((fetchMock.mock.calls[0] as unknown[])[0]))).toBe('/api/v1/contacts?id[in]=x1,x2&limit=2');
    expect(one).toMatchObject({ status: 'fulfilled', value: { name: 'One' } });
    expect(two.status === 'rejected' && two.reason instanceof ApiError && two.reason.status).toBe(404);
  });
});

// The file download path of the client: same token and error handling as JSON requests.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import i18n from '../i18n';
import en from '../i18n/en';
import { download, setToken } from './client';
import { errorMessage } from './errorMessages';
import { ApiError } from './errors';

const csv = '\uFEFFid,name\r\n1,Ada\r\n';

describe('download', () => {
  beforeAll(async () => {
    await i18n.changeLanguage('en');
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    setToken(null);
  });

  it('sends the bearer token and the query, and returns the file with its name', async () => {
    const fetchMock = vi.fn(async (_url: string, _init?: RequestInit) =>
      new Response(csv, { status: 200, headers: { 'content-type': 'text/csv', 'content-disposition': 'attachment; filename="accounts.csv"' } }));
    vi.stubGlobal('fetch', fetchMock);
    setToken('tok-1');
    const { blob, fileName } = await download('/api/v1/accounts/export', { query: { city: '上海', sort: '-name' } });
    expect(fileName).toBe('accounts.csv');
    // Byte for byte, byte-order mark included (Excel needs it to read Chinese text).
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(new TextEncoder().encode(csv));
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/api/v1/accounts/export?city=%E4%B8%8A%E6%B5%B7&sort=-name');
    expect((init!.headers as Record<string, string>).authorization).toBe('Bearer tok-1');
  });

  it('turns a refused export into a translated error', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ code: 'export_too_large', title: 'More than 100000' }), {
      status: 413, headers: { 'content-type': 'application/problem+json' },
    })));
    const err = await download('/api/v1/deals/export').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('export_too_large');
    expect(errorMessage(err)).toBe(en.errors.code.export_too_large);
  });
});

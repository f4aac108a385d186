import { beforeAll, describe, expect, it, vi } from 'vitest';
import i18n from '../../i18n';
import en from '../../i18n/en';
import { ApiError, NetworkError } from '../../api/errors';
import { bulkFailureReason, runBulk } from './runBulk';

const recs = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `r${i}`, version: i + 1 }));

describe('runBulk', () => {
  beforeAll(async () => {
    await i18n.changeLanguage('en');
  });

  it('sends up to 200 ids per request, each with the version the user saw', async () => {
    const post = vi.fn(async (_path: string, body: unknown) => {
      const ids = (body as { ids: { id: string }[] }).ids;
      return { succeeded: ids.length, failed: 0, results: ids.map((x) => ({ id: x.id, status: 200, record: { id: x.id } })) };
    });
    const outcomes = await runBulk('deals', 'update', recs(250), { owner_id: 'u1' }, post as never);
    expect(post.mock.calls.map((c) => (c[1] as { ids: unknown[] }).ids.length)).toEqual([200, 50]);
    expect(post.mock.calls[0]![0]).toBe('/api/v1/deals/bulk');
    expect(post.mock.calls[1]![1]).toMatchObject({ action: 'update', changes: { owner_id: 'u1' }, ids: expect.arrayContaining([{ id: 'r200', version: 201 }]) });
    expect(outcomes).toHaveLength(250);
    expect(outcomes.every((o) => !o.error && o.record)).toBe(true);
  });

  it('reports each refused record with its reason, in the order selected', async () => {
    const post = vi.fn(async () => ({
      succeeded: 1,
      failed: 2,
      results: [
        { id: 'r0', status: 412, code: 'version_conflict', message: 'server text', current_version: 4 },
        { id: 'r1', status: 200, record: { id: 'r1' } },
        { id: 'r2', status: 422, code: 'validation_failed', errors: [{ field: 'owner_id', code: 'not_allowed', message: 'x' }] },
      ],
    }));
    const outcomes = await runBulk('accounts', 'delete', recs(3), undefined, post as never);
    expect(post.mock.calls[0]).toEqual(['/api/v1/accounts/bulk', { action: 'delete', ids: [{ id: 'r0', version: 1 }, { id: 'r1', version: 2 }, { id: 'r2', version: 3 }] }]);
    expect(outcomes.map((o) => o.item.id)).toEqual(['r0', 'r1', 'r2']);
    expect((outcomes[0]!.error as ApiError).isConflict).toBe(true);
    expect(bulkFailureReason('accounts', outcomes[0]!.error)).toBe(en.errors.code.version_conflict);
    expect(bulkFailureReason('accounts', outcomes[2]!.error)).toBe(`Owner: ${en.errors.field.not_allowed}`);
    expect(outcomes[1]!.error).toBeUndefined();
  });

  it('marks every record of a request that failed as a whole', async () => {
    const post = vi.fn().mockRejectedValueOnce(new NetworkError()).mockResolvedValueOnce({ succeeded: 1, failed: 0, results: [{ id: 'r200', status: 200 }] });
    const outcomes = await runBulk('contacts', 'restore', recs(201), undefined, post as never);
    expect(outcomes.filter((o) => o.error instanceof NetworkError)).toHaveLength(200);
    expect(outcomes[200]!.error).toBeUndefined();
    expect(bulkFailureReason('contacts', outcomes[0]!.error)).toBe(en.network.failed);
  });

  it('sends nothing for an empty selection', async () => {
    const post = vi.fn();
    expect(await runBulk('deals', 'delete', [], undefined, post as never)).toEqual([]);
    expect(post).not.toHaveBeenCalled();
  });
});

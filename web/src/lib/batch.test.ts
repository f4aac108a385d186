import { describe, expect, it, vi } from 'vitest';
import { chunked, createBatcher } from './batch';

describe('chunked', () => {
  it('splits into pieces of at most the size, in order', () => {
    expect(chunked([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunked([], 200)).toEqual([]);
  });
});

describe('createBatcher', () => {
  const echo = (keys: string[]) => Promise.resolve(new Map(keys.map((k) => [k, k.toUpperCase()])));

  it('fetches keys asked for together in one call, each once', async () => {
    const fetchMany = vi.fn(echo);
    const load = createBatcher(fetchMany);
    const values = await Promise.all([load('a'), load('b'), load('a')]);
    expect(values).toEqual(['A', 'B', 'A']);
    expect(fetchMany).toHaveBeenCalledTimes(1);
    expect(fetchMany.mock.calls[0]![0]).toEqual(['a', 'b']);
  });

  it('splits more keys than one call takes', async () => {
    const fetchMany = vi.fn(echo);
    const load = createBatcher(fetchMany, { maxSize: 200 });
    const keys = Array.from({ length: 450 }, (_, i) => `k${i}`);
    await Promise.all(keys.map(load));
    expect(fetchMany.mock.calls.map((c) => c[0].length)).toEqual([200, 200, 50]);
  });

  it('gives undefined for a key not returned, and the error to every key of a failed call', async () => {
    const load = createBatcher(async (keys) => new Map(keys.filter((k) => k !== 'gone').map((k) => [k, 1])));
    expect(await Promise.all([load('here'), load('gone')])).toEqual([1, undefined]);
    const failing = createBatcher(() => Promise.reject(new Error('offline')));
    const results = await Promise.allSettled([failing('x'), failing('y')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('starts a new batch after a call has gone out', async () => {
    const fetchMany = vi.fn(echo);
    const load = createBatcher(fetchMany, { delayMs: 1 });
    await load('a');
    await load('b');
    expect(fetchMany.mock.calls.map((c) => c[0])).toEqual([['a'], ['b']]);
  });
});

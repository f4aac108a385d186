import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError } from '../api/errors';
import { loadState } from './loadState';

describe('what a screen says about its data', () => {
  const network = new NetworkError();
  const server = new ApiError({ status: 500, code: 'internal' });
  it('never says "no records" for a list that could not be loaded', () => {
    expect(loadState({ hasData: false, error: network }, false)).toBe('unreachable');
    expect(loadState({ hasData: false, error: server }, true)).toBe('failed');
    expect(loadState({ hasData: false, error: null, loading: true }, false)).toBe('loading');
  });
  it('keeps loaded data on screen, marked when it may be out of date', () => {
    expect(loadState({ hasData: true, error: network }, false)).toBe('stale');
    expect(loadState({ hasData: true, error: null }, false)).toBe('stale'); // the server is away now
    expect(loadState({ hasData: true, error: server }, true)).toBe('failedWithData');
    expect(loadState({ hasData: true, error: null }, true)).toBe('ok');
    expect(loadState({ hasData: false, error: null, loading: false }, true)).toBe('ok');
  });
});

// What a screen showing loaded data should say about it, given the query's outcome and whether
// the server can be reached: the data as it is; the data marked as possibly out of date (the
// last load failed, or the server cannot be reached now); "cannot reach the server" when nothing
// was ever loaded; or the server's error. Never "there are no records" when the list could not
// be loaded.
import { isNetworkError } from '../api/errors';

export type LoadState = 'ok' | 'stale' | 'unreachable' | 'failed' | 'failedWithData' | 'loading';

export function loadState(q: { hasData: boolean; error: unknown; loading?: boolean }, serverReachable: boolean): LoadState {
  if (q.hasData) {
    if (q.error && !isNetworkError(q.error)) return 'failedWithData';
    return q.error || !serverReachable ? 'stale' : 'ok';
  }
  if (q.error) return isNetworkError(q.error) ? 'unreachable' : 'failed';
  return q.loading === false ? 'ok' : 'loading';
}

// Turns any error into a sentence in the user's language. Every code the server lists in its
// OpenAPI document (x-error-codes) has its own message (errors.code.*, errors.field.*; checked by
// errorMessages.test.ts); an unknown code falls back to a message for its HTTP status, then to a
// generic one. The server's own English text is never used.
import { ApiError, NetworkError, OfflineUnavailableError } from './errors';
import { tr } from '../i18n';
import i18next from '../i18n';

function waitText(seconds: number | undefined): string {
  if (!seconds) return i18next.language === 'zh-CN' ? '片刻' : 'a moment';
  if (seconds < 90) return i18next.language === 'zh-CN' ? `${seconds} 秒` : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return i18next.language === 'zh-CN' ? `${minutes} 分钟` : `${minutes} minutes`;
}

export function errorMessage(err: unknown): string {
  if (err instanceof NetworkError) return tr('network.failed', 'Could not reach the server.');
  if (err instanceof OfflineUnavailableError) return tr('sync.notAvailableOffline', 'Not available offline.');
  if (err instanceof ApiError) {
    const generic = tr('errors.unknown', 'Something went wrong.');
    const byStatus = tr(`errors.status.${err.status}`, generic);
    return tr(`errors.code.${err.code}`, byStatus, { retry: waitText(err.retryAfterSeconds) });
  }
  return tr('errors.unknown', 'Something went wrong.');
}

export function fieldErrorMessage(code: string): string {
  return tr(`errors.field.${code}`, tr('errors.fieldGeneric', 'This value is not accepted'));
}

// Field errors grouped by top-level form field: "emails[0]" and "emails[1]" both belong to the
// emails input, "custom.size" to the custom field "size", "items[2].quantity" to items.
export function fieldErrorsByField(err: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (!(err instanceof ApiError)) return out;
  for (const fe of err.fieldErrors) {
    const key = formFieldOf(fe.field);
    (out[key] ??= []).push(fieldErrorMessage(fe.code));
  }
  return out;
}

export function formFieldOf(path: string): string {
  const m = /^custom\.([a-z0-9_]+)/.exec(path);
  if (m) return `custom.${m[1]}`;
  return path.replace(/[[.].*$/, '');
}

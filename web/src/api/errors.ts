// What can go wrong with a request, as values the screens can reason about. Server problems
// (RFC 9457) keep their stable code and field errors; the server's English text is kept only
// for logs and is never shown (messages come from the i18n tables, see errorMessages.ts).
import type { AnyRecord } from './types';

export interface FieldError {
  field: string;
  code: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fieldErrors: FieldError[];
  readonly requestId: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  // For 412 version_conflict: the record as it is now on the server.
  readonly current: AnyRecord | undefined;

  constructor(init: {
    status: number;
    code: string;
    fieldErrors?: FieldError[];
    requestId?: string;
    retryAfterSeconds?: number;
    current?: AnyRecord;
    serverText?: string;
  }) {
    super(`${init.status} ${init.code}${init.serverText ? ': ' + init.serverText : ''}`);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.fieldErrors = init.fieldErrors ?? [];
    this.requestId = init.requestId;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.current = init.current;
  }

  get isConflict(): boolean {
    return this.status === 412 && this.code === 'version_conflict';
  }
  get isSessionEnded(): boolean {
    return this.status === 401 && (this.code === 'unauthorized' || this.code === 'invalid_token');
  }
}

// The request never got an answer (offline, DNS, connection reset, server down).
export class NetworkError extends Error {
  constructor(cause?: unknown) {
    super('network error', { cause });
    this.name = 'NetworkError';
  }
}

// The server cannot be reached and the device's copy has no answer for this (a record outside
// the working set, the audit log, a record's history).
export class OfflineUnavailableError extends Error {
  constructor() {
    super('not available offline');
    this.name = 'OfflineUnavailableError';
  }
}

export function isNetworkError(e: unknown): e is NetworkError {
  return e instanceof NetworkError;
}

// Builds an ApiError from a response body that may or may not be a problem document (a proxy
// in between can answer with HTML).
export function problemToError(status: number, body: unknown, retryAfter: string | null): ApiError {
  const p = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const code = typeof p.code === 'string' ? p.code : `http_${status}`;
  const fieldErrors: FieldError[] = Array.isArray(p.errors)
    ? p.errors
        .filter((e): e is Record<string, unknown> => !!e && typeof e === 'object')
        .map((e) => ({ field: String(e.field ?? ''), code: String(e.code ?? '') }))
    : [];
  const seconds = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
  return new ApiError({
    status,
    code,
    fieldErrors,
    requestId: typeof p.request_id === 'string' ? p.request_id : undefined,
    retryAfterSeconds: seconds,
    current: p.current && typeof p.current === 'object' ? (p.current as AnyRecord) : undefined,
    serverText: typeof p.title === 'string' ? p.title : undefined,
  });
}

// The one place that talks HTTP to the Keel API: adds the session token, If-Match and
// Idempotency-Key headers, and turns every failure into an ApiError or a NetworkError.
import { Connectivity } from '../lib/connectivity';
import { fileNameFromDisposition } from '../lib/download';
import { ApiError, NetworkError, problemToError } from './errors';

// Whether the server answers (lib/connectivity.ts): every request below reports its outcome; while
// the server is unreachable, /healthz is probed with backoff until it answers.
export const connectivity = new Connectivity(async () => {
  try {
    const res = await fetch('/healthz', { cache: 'no-store', signal: AbortSignal.timeout(5_000) });
    return res.ok;
  } catch {
    return false;
  }
});

const TOKEN_KEY = 'keel.token';

let token: string | null = readToken();
const sessionEndedListeners = new Set<() => void>();

function readToken(): string | null {
  try {
    return globalThis.localStorage?.getItem(TOKEN_KEY) ?? null;
  } catch {
    return null;
  }
}

export function getToken(): string | null {
  return token;
}

export function setToken(value: string | null): void {
  token = value;
  try {
    if (value) localStorage.setItem(TOKEN_KEY, value);
    else localStorage.removeItem(TOKEN_KEY);
  } catch {
    /* storage disabled: the session lasts as long as the page */
  }
}

// Called when the server says the session is no longer valid (expired, revoked, user
// deactivated), so the app can show the sign-in screen with a clear message.
export function onSessionEnded(listener: () => void): () => void {
  sessionEndedListeners.add(listener);
  return () => sessionEndedListeners.delete(listener);
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue> | URLSearchParams;
  body?: unknown;
  version?: number; // sent as If-Match
  idempotencyKey?: string;
  signal?: AbortSignal;
  label?: string; // what a write is called if it has to wait on the device ("Call · 明远科技")
}

// Answers requests on the device (sync/localApi.ts) when the server cannot be reached, and
// writes while earlier ones still wait there (so they reach the server in the order made).
export interface LocalAnswerer {
  // Whether this request goes to the device even though the server may answer.
  prefers(method: string, path: string): boolean;
  // The device's answer, or undefined when it has none for this request.
  answer(method: string, path: string, opts: RequestOptions): Promise<unknown> | undefined;
  // A successful answer of the server, for the device's copy to take.
  observe(method: string, path: string, result: unknown): void;
}

let localAnswerer: LocalAnswerer | null = null;
const localAnswers = new WeakSet<object>();

export function setLocalAnswerer(a: LocalAnswerer | null): void {
  localAnswerer = a;
}

// Whether a result was answered on the device (a write that waits to be sent).
export function isLocalAnswer(result: unknown): boolean {
  return !!result && typeof result === 'object' && localAnswers.has(result);
}

function answerLocally<T>(local: LocalAnswerer, method: string, path: string, opts: RequestOptions): Promise<T> | undefined {
  const pending = local.answer(method, path, opts);
  if (!pending) return undefined;
  return pending.then((result) => {
    if (result && typeof result === 'object') localAnswers.add(result);
    return result as T;
  });
}

export function buildQuery(query: RequestOptions['query']): string {
  if (!query) return '';
  const params = query instanceof URLSearchParams ? query : new URLSearchParams();
  if (!(query instanceof URLSearchParams)) {
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null || v === '') continue;
      params.append(k, String(v));
    }
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

// Sends one request and returns the successful response; every failure becomes an ApiError or
// a NetworkError here, whatever the caller then reads from the body (JSON or a file).
async function send(method: string, path: string, opts: RequestOptions, accept: string): Promise<Response> {
  const headers: Record<string, string> = { accept };
  if (token) headers.authorization = `Bearer ${token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.version !== undefined) headers['if-match'] = `"${opts.version}"`;
  if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(path + buildQuery(opts.query), {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    connectivity.reportFailure();
    throw new NetworkError(e);
  }
  if (res.ok) {
    connectivity.reportSuccess();
    return res;
  }
  const body = parseJson(await res.text().catch(() => ''));
  const err = problemToError(res.status, body, res.headers.get('retry-after'));
  // A 502/504 from a proxy means the server was not reached: treat like a network failure.
  if ((res.status === 502 || res.status === 504) && !(body && typeof body === 'object' && 'code' in body)) {
    connectivity.reportFailure();
    throw new NetworkError(err);
  }
  connectivity.reportSuccess(); // the server answered, if only with an error
  if (err.isSessionEnded && token && !path.endsWith('/auth/login')) {
    setToken(null);
    sessionEndedListeners.forEach((l) => l());
  }
  throw err;
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null; // not JSON (a proxy's error page): the status decides the message
  }
}

// A request to the server only, never answered on the device (the sync engine's own).
export async function remote<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await send(method, path, opts, 'application/json');
  if (res.status === 204) return undefined as T;
  return parseJson(await res.text().catch(() => '')) as T;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const local = localAnswerer;
  if (local && (connectivity.state().status === 'unreachable' || local.prefers(method, path))) {
    const answered = answerLocally<T>(local, method, path, opts);
    if (answered) return answered;
  }
  let res: Response;
  try {
    res = await send(method, path, opts, 'application/json');
  } catch (e) {
    const answered = e instanceof NetworkError && local ? answerLocally<T>(local, method, path, opts) : undefined;
    if (answered) return answered;
    throw e;
  }
  if (res.status === 204) return undefined as T;
  const result = parseJson(await res.text().catch(() => '')) as T;
  local?.observe(method, path, result);
  return result;
}

// A file the API generates (CSV export): the body as a blob and the name the server gave it.
export async function download(path: string, opts: RequestOptions = {}): Promise<{ blob: Blob; fileName: string | null }> {
  const res = await send('GET', path, opts, '*/*');
  return { blob: await res.blob(), fileName: fileNameFromDisposition(res.headers.get('content-disposition')) };
}

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, opts),
  post: <T>(path: string, body?: unknown, opts: RequestOptions = {}) => request<T>('POST', path, { ...opts, body }),
  patch: <T>(path: string, body: unknown, opts: RequestOptions = {}) => request<T>('PATCH', path, { ...opts, body }),
  del: <T>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, opts),
};

export { ApiError, NetworkError };

// A random UUIDv4, for Idempotency-Key headers and client-chosen record ids (so a create
// replayed after a lost answer never makes a second record).
export function newId(): string {
  if (globalThis.crypto?.randomUUID) return globalThis.crypto.randomUUID();
  const b = new Uint8Array(16);
  globalThis.crypto.getRandomValues(b);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

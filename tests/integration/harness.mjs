// Test harness: starts the real `keel` binary on a random loopback port against a fresh
// database (SQLite in a temp dir, or a new PostgreSQL database when KEEL_TEST_DB=postgres) and
// gives tests a small HTTP client. Used by every *.test.mjs file in this folder.
//
// Environment (set by ctest, see tests/CMakeLists.txt):
//   KEEL_BIN                 path of the keel binary under test
//   KEEL_TEST_DB             "sqlite" (default) or "postgres"
//   KEEL_TEST_POSTGRES_URL   server to create databases on (postgres mode)
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

export const KEEL_BIN = process.env.KEEL_BIN || 'build/dev/keel';
export const DB_KIND = process.env.KEEL_TEST_DB || 'sqlite';

export function newPostgresDatabase() {
  const base = process.env.KEEL_TEST_POSTGRES_URL;
  if (!base) throw new Error('KEEL_TEST_DB=postgres needs KEEL_TEST_POSTGRES_URL');
  const name = 'keel_t_' + randomUUID().replaceAll('-', '').slice(0, 16);
  execFileSync('psql', [base, '-q', '-c', `CREATE DATABASE ${name}`], { stdio: 'pipe' });
  const url = new URL(base);
  url.pathname = '/' + name;
  return url.toString();
}

// Starts a server. Returns { url, admin: {email, password}, dataDir, databaseUrl, proc, stop(), kill(), restart(), close(), clock }.
// Pass { databaseUrl, dataDir } to reuse the storage of an earlier server (restart tests).
// Pass { locale: 'zh-CN' } for a database created in that language (keel serve --locale).
// Pass { testClock: true } for a server whose clock tests move (keel serve --test-clock):
//   await server.clock.advance(ms)   moves it forward (back if negative); answers { now, now_ms, offset_ms }
//   await server.clock.set(iso)      sets it to an instant, from which it runs on
//   await server.clock.now()         the server's current time, { now, now_ms, offset_ms }
export async function startServer(opts = {}) {
  const dataDir = opts.dataDir || mkdtempSync(join(tmpdir(), 'keel-it-'));
  const databaseUrl = opts.databaseUrl ?? (DB_KIND === 'postgres' ? newPostgresDatabase() : '');
  const args = ['serve', '--port', String(opts.port || 0), '--data-dir', dataDir, '--threads', String(opts.threads || 4)];
  if (databaseUrl) args.push('--database-url', databaseUrl);
  if (opts.demo) args.push('--demo');
  if (opts.locale) args.push('--locale', opts.locale);
  if (opts.testClock) args.push('--test-clock');
  // No scheduled backups unless a test asks (KEEL_BACKUP_INTERVAL_HOURS): a test that moves the clock by days
  // would otherwise find the server's own backup in its audit log.
  const env = {
    ...process.env, KEEL_FAST_PASSWORD_HASH: '1', KEEL_ACCESS_LOG: '0', KEEL_WEB_ROOT: '', KEEL_BACKUP_INTERVAL_HOURS: '0',
    ...(opts.env || {}),
  };
  const proc = spawn(KEEL_BIN, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('keel did not start in 60s:\n' + out)), 60000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[^\s]+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.stderr.on('data', (d) => { out += d; });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`keel exited with ${code}:\n${out}`)); });
  });
  const url = await ready;
  const email = out.match(/email:\s+(\S+)/)?.[1] || opts.admin?.email;
  const password = out.match(/password:\s+(\S+)/)?.[1] || opts.admin?.password;
  const server = {
    url, dataDir, databaseUrl, proc, admin: { email, password },
    output: () => out,
    exited: new Promise((r) => proc.on('exit', (code, signal) => r({ code, signal }))),
    // Graceful stop (SIGTERM); resolves with the exit status.
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      return server.exited;
    },
    // Abrupt stop (SIGKILL), as in a crash or power cut of the process.
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      return server.exited;
    },
    // A new server process on the same storage.
    async restart(extra = {}) {
      await server.stop();
      return startServer({ ...opts, ...extra, dataDir, databaseUrl, admin: server.admin });
    },
    cleanup() { rmSync(dataDir, { recursive: true, force: true }); },
    // stop() then cleanup(): for a server a test is done with.
    async close() {
      await server.stop();
      server.cleanup();
    },
    clock: testClock(url),
  };
  return server;
}

// The test-only time control of a server started with { testClock: true }.
function testClock(url) {
  async function call(method, body) {
    const res = await fetch(url + '/api/v1/test/clock', {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`test clock ${method}: ${res.status} ${text} (start the server with { testClock: true })`);
    return JSON.parse(text);
  }
  return {
    now: () => call('GET'),
    advance: (ms) => call('POST', { advance_ms: ms }),
    set: (iso) => call('POST', { now: iso }),
  };
}

// A client bound to a server and, once logged in, to a token.
export class Client {
  constructor(baseUrl, token = null) { this.baseUrl = baseUrl; this.token = token; }

  async request(method, path, { body, headers = {}, raw } = {}) {
    const h = { ...headers };
    if (this.token) h.authorization = `Bearer ${this.token}`;
    let payload;
    if (raw !== undefined) payload = raw;
    else if (body !== undefined) { payload = JSON.stringify(body); h['content-type'] ??= 'application/json'; }
    const res = await fetch(this.baseUrl + path, { method, headers: h, body: payload });
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: res.status, headers: res.headers, json, text };
  }
  get(path, o) { return this.request('GET', path, o); }
  post(path, body, o = {}) { return this.request('POST', path, { ...o, body }); }
  patch(path, body, o = {}) { return this.request('PATCH', path, { ...o, body }); }
  del(path, o) { return this.request('DELETE', path, o); }

  // Logs in and returns a new client carrying the session token.
  async login(email, password) {
    const r = await new Client(this.baseUrl).post('/api/v1/auth/login', { email, password });
    if (r.status !== 200) throw new Error(`login ${email} failed: ${r.status} ${r.text}`);
    const c = new Client(this.baseUrl, r.json.token);
    c.user = r.json.user;
    return c;
  }
}

// Logs in as the server's first admin.
export async function adminClient(server) {
  return new Client(server.url).login(server.admin.email, server.admin.password);
}

// Creates a user with a role (and team) and returns a logged-in client for them.
export async function userClient(server, admin, { role = 'sales', team_id = null, name } = {}) {
  const email = `u${randomUUID().slice(0, 8)}@example.com`;
  const password = 'password-' + randomUUID().slice(0, 8);
  const r = await admin.post('/api/v1/users', { email, name: name || email, password, role_id: role, team_id });
  if (r.status !== 201) throw new Error(`create user failed: ${r.status} ${r.text}`);
  const c = await new Client(server.url).login(email, password);
  c.password = password;
  return c;
}

// Query string from an object, percent-encoded (non-ASCII included).
export function qs(params) {
  return '?' + new URLSearchParams(params).toString();
}

// Every record of an entity, following cursors, as a Map id -> record.
export async function listAll(client, entity, params = {}) {
  const out = new Map();
  let cursor = null;
  for (;;) {
    const r = await client.get(`/api/v1/${entity}` + qs({ ...params, limit: 200, ...(cursor ? { cursor } : {}) }));
    if (r.status !== 200) throw new Error(`list ${entity}: ${r.status} ${r.text}`);
    for (const rec of r.json.data) out.set(rec.id, rec);
    if (!r.json.next_cursor) return out;
    cursor = r.json.next_cursor;
  }
}

// Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF) into rows of cells.
export function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; }
    else if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; }
    else cell += ch;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

// The body of an answer that must have `status` (the answer's text in the failure message).
export function ok(r, status, what) {
  assert.equal(r.status, status, `${what}: expected ${status}, got ${r.status} ${r.text}`);
  return r.json;
}

// An answer that must be a problem document with `status` and `code`.
export function problem(r, status, code, what = '') {
  assert.equal(r.status, status, `${what}: expected ${status} ${code}, got ${r.status} ${r.text}`);
  assert.match(r.headers.get('content-type') || '', /^application\/problem\+json/, what);
  assert.equal(r.json.code, code, `${what}: ${r.text}`);
}

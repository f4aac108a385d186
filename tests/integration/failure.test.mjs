// Failure tests: what happens to acknowledged writes when the process dies or is stopped, to the
// server when clients misbehave on the network, and to requests when the database misbehaves.
// Each test that needs a special lifecycle starts its own server.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, adminClient, Client, KEEL_BIN, DB_KIND, qs, listAll } from './harness.mjs';

// ---------------------------------------------------------------------------------------------
// helpers

function hostPort(url) {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port) };
}

// Runs the keel binary; never rejects. { code, signal, stdout, stderr }.
function runKeel(args, { env = {}, timeout = 60000 } = {}) {
  return new Promise((resolve) => {
    execFile(KEEL_BIN, args, { env: { ...process.env, KEEL_FAST_PASSWORD_HASH: '1', ...env }, timeout, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => resolve({
        code: err ? (typeof err.code === 'number' ? err.code : null) : 0,
        signal: err?.signal ?? null, stdout, stderr,
      }));
  });
}

function storageArgs(s) {
  return ['--data-dir', s.dataDir, ...(s.databaseUrl ? ['--database-url', s.databaseUrl] : [])];
}

// Sends raw bytes on a new connection and collects what the server sends until it closes the
// connection or timeoutMs passes. { text, closed, error }.
function rawExchange(url, bytes, { timeoutMs = 5000, end = false } = {}) {
  return new Promise((resolve) => {
    const s = net.connect(hostPort(url));
    const chunks = [];
    let done = false;
    const finish = (closed, error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      s.destroy();
      resolve({ text: Buffer.concat(chunks).toString('latin1'), closed, error });
    };
    const timer = setTimeout(() => finish(false, null), timeoutMs);
    s.on('connect', () => { s.write(bytes); if (end) s.end(); });
    s.on('data', (d) => chunks.push(d));
    s.on('end', () => finish(true, null));
    s.on('close', () => finish(true, null));
    s.on('error', (e) => finish(true, e));
  });
}

function statusOf(text) {
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  return m ? Number(m[1]) : null;
}

// One HTTP/1.1 request on its own connection (Connection: close), parsed. Rejects if the
// connection fails or closes before a complete response.
async function rawRequest(url, { method = 'GET', path = '/', headers = {}, body, timeoutMs = 30000 }) {
  const payload = body === undefined ? '' : (typeof body === 'string' ? body : JSON.stringify(body));
  const h = { host: new URL(url).host, connection: 'close', ...headers };
  if (body !== undefined) {
    h['content-type'] ??= 'application/json';
    h['content-length'] = String(Buffer.byteLength(payload));
  }
  const req = `${method} ${path} HTTP/1.1\r\n` + Object.entries(h).map(([k, v]) => `${k}: ${v}\r\n`).join('') + '\r\n' + payload;
  const r = await rawExchange(url, req, { timeoutMs });
  if (r.error && !r.text) throw r.error;
  const split = r.text.indexOf('\r\n\r\n');
  if (split < 0) throw Object.assign(new Error('connection closed without a response'), { code: 'NO_RESPONSE' });
  const head = r.text.slice(0, split);
  const resBody = Buffer.from(r.text.slice(split + 4), 'latin1').toString('utf8');
  const len = /\r\ncontent-length: *(\d+)/i.exec(head);
  if (len && Buffer.byteLength(resBody) < Number(len[1])) throw Object.assign(new Error('truncated response'), { code: 'TRUNCATED' });
  let json = null;
  try { json = JSON.parse(resBody); } catch { /* not JSON */ }
  return { status: statusOf(head), head, body: resBody, json };
}

function connectSocket(url) {
  return new Promise((resolve, reject) => {
    const s = net.connect(hostPort(url));
    s.once('connect', () => { s.off('error', reject); resolve(s); });
    s.once('error', reject);
  });
}


// Every change-log entry the client may see.
async function allChanges(client) {
  const out = [];
  let after = 0;
  for (;;) {
    const r = await client.get('/api/v1/changes' + qs({ after, limit: 1000 }));
    assert.equal(r.status, 200, r.text);
    out.push(...r.json.data);
    if (!r.json.has_more) return out;
    after = r.json.next_after;
  }
}

// The change log's head: the sequence number of the latest entry.
async function changeHead(client) {
  let after = 0;
  for (;;) {
    const r = await client.get('/api/v1/changes' + qs({ after, limit: 1000 }));
    assert.equal(r.status, 200, r.text);
    after = r.json.next_after;
    if (!r.json.has_more) return after;
  }
}

// Creates n users through the API; returns [{ email, password }]. (Concurrent sign-ins below use
// one user each: sign-in throttling counts attempts per email.)
async function makeUsers(admin, n) {
  const users = [];
  for (let i = 0; i < n; i++) {
    const email = `u${randomUUID().slice(0, 8)}@example.com`;
    const password = 'password-' + randomUUID().slice(0, 8);
    const r = await admin.post('/api/v1/users', { email, name: email, password, role_id: 'sales' });
    assert.equal(r.status, 201, r.text);
    users.push({ email, password });
  }
  return users;
}

async function assertHealthy(server) {
  assert.equal(server.proc.exitCode, null, 'server process exited:\n' + server.output().slice(-3000));
  assert.equal(server.proc.signalCode, null, 'server process was killed:\n' + server.output().slice(-3000));
  const r = await fetch(server.url + '/healthz', { signal: AbortSignal.timeout(5000) });
  assert.equal(r.status, 200);
}

// ---------------------------------------------------------------------------------------------

test('SIGKILL during concurrent writes loses no acknowledged write; keel check is clean', async () => {
  const server = await startServer({ threads: 8 });
  let restarted;
  try {
    const admin = await adminClient(server);
    const acked = new Map(); // id -> name
    const badResponses = [];
    let stop = false;
    let dropped = 0; // requests cut off by the kill (proves the kill hit mid-stream)
    const creator = async (n) => {
      for (let i = 0; !stop; i++) {
        const name = `kill-${n}-${i}`;
        let r;
        try {
          r = await admin.post('/api/v1/accounts', { name, city: `city-${n}`, description: `written by loop ${n}, #${i}` });
        } catch {
          dropped++;
          return; // the connection died with the process: this create was never acknowledged
        }
        if (r.status === 201) acked.set(r.json.id, name);
        else badResponses.push(`${r.status} ${r.text}`);
      }
    };
    // One record changed over and over: after the crash its version must be the last
    // acknowledged one, or exactly one more (the update in flight may have committed unanswered).
    const counter = await admin.post('/api/v1/accounts', { name: 'kill-counter', description: 'v1' });
    assert.equal(counter.status, 201);
    let lastAck = { version: 1, description: 'v1' };
    const updater = async () => {
      while (!stop) {
        const description = `v${lastAck.version + 1}`;
        let r;
        try {
          r = await admin.patch(`/api/v1/accounts/${counter.json.id}`, { description }, { headers: { 'if-match': `"${lastAck.version}"` } });
        } catch {
          dropped++;
          return;
        }
        if (r.status === 200) lastAck = { version: r.json.version, description: r.json.description };
        else badResponses.push(`${r.status} ${r.text}`);
      }
    };
    const loops = [...Array(8).keys()].map(creator).concat([updater()]);
    // Kill once enough writes are acknowledged to mean something, however loaded the machine
    // (a fixed delay acknowledged too few under load), then a little later so requests are in flight.
    for (const t0 = Date.now(); (acked.size < 20 || lastAck.version < 3) && badResponses.length === 0; ) {
      assert.ok(Date.now() - t0 < 60000, `only ${acked.size} creates acknowledged in 60 s`);
      await sleep(20);
    }
    await sleep(100);
    const killed = await server.kill(); // the loops are still sending
    stop = true;
    await Promise.all(loops);
    assert.equal(killed.signal, 'SIGKILL');
    assert.deepEqual(badResponses, [], 'no write failed before the kill');
    assert.ok(acked.size >= 20, `enough writes were acknowledged to mean something (${acked.size})`);
    assert.ok(dropped >= 1, 'the kill cut off requests in flight');
    assert.ok(lastAck.version >= 3, 'the updater made progress');

    // `keel check` straight after the crash, before any server touches the storage again.
    const check = await runKeel(['check', ...storageArgs(server)]);
    assert.equal(check.code, 0, `keel check after SIGKILL:\n${check.stdout}\n${check.stderr}`);
    assert.match(check.stdout, /ok: no problems found/);

    restarted = await startServer({ dataDir: server.dataDir, databaseUrl: server.databaseUrl, admin: server.admin });
    const admin2 = await adminClient(restarted);
    const accounts = await listAll(admin2, 'accounts');
    const missing = [...acked].filter(([id, name]) => accounts.get(id)?.name !== name);
    assert.deepEqual(missing, [], `acknowledged creates lost or changed (${missing.length} of ${acked.size})`);

    const c = accounts.get(counter.json.id);
    assert.ok(c.version === lastAck.version || c.version === lastAck.version + 1,
      `counter version ${c.version} vs last acknowledged ${lastAck.version}`);
    if (c.version === lastAck.version) assert.equal(c.description, lastAck.description);
    else assert.equal(c.description, `v${lastAck.version + 1}`);

    // The change log holds each acknowledged create, and every version of the counter.
    const changes = await allChanges(admin2);
    const created = new Set(changes.filter((e) => e.entity === 'accounts' && e.action === 'create').map((e) => e.record_id));
    const notLogged = [...acked.keys()].filter((id) => !created.has(id));
    assert.deepEqual(notLogged, [], 'acknowledged creates missing from the change log');
    const counterVersions = changes.filter((e) => e.record_id === counter.json.id).map((e) => e.version);
    assert.deepEqual(counterVersions, [...Array(c.version).keys()].map((i) => i + 1));
    // The storage still takes writes.
    assert.equal((await admin2.post('/api/v1/accounts', { name: 'after the crash' })).status, 201);
  } finally {
    if (restarted) await restarted.stop();
    await server.kill();
    server.cleanup();
  }
});

test('SIGTERM drains: requests in flight finish, new connections are refused, exit 0, writes kept', async () => {
  // Real Argon2id hashing (KEEL_FAST_PASSWORD_HASH=0) makes sign-ins slow: 8 at once take the
  // best part of a second, so they are certainly being handled when the signal arrives.
  // 16 threads: every request below is picked up at once (see the next test for queued ones).
  const server = await startServer({ threads: 16, env: { KEEL_FAST_PASSWORD_HASH: '0' } });
  let restarted;
  try {
    const admin = await adminClient(server);
    const acked = new Map();
    const badResponses = [];
    let stop = false;
    let paused = false;
    let busy = 0;
    const creator = async (n) => {
      for (let i = 0; !stop; i++) {
        if (paused) { await sleep(5); continue; }
        let r;
        busy++;
        try {
          r = await admin.post('/api/v1/accounts', { name: `drain-${n}-${i}` });
        } catch {
          return; // refused or closed after the drain began: not acknowledged
        } finally {
          busy--;
        }
        if (r.status === 201) acked.set(r.json.id, r.json.name);
        else badResponses.push(`${r.status} ${r.text}`);
      }
    };
    const users = await makeUsers(admin, 8);
    const creators = [0, 1, 2, 3].map(creator);
    await sleep(200);
    // The creators pause while the sign-ins start, so /metrics can show all 8 being handled.
    paused = true;
    while (busy > 0) await sleep(5);
    const logins = users.map(({ email, password }) => rawRequest(server.url, { method: 'POST', path: '/api/v1/auth/login', body: { email, password } }).then(
      (r) => ({ r, at: Date.now() }), (e) => ({ e, at: Date.now() })));
    let inFlight = 0;
    for (const t0 = Date.now(); inFlight < 9 && Date.now() - t0 < 10000;) {
      const m = await admin.get('/metrics');
      inFlight = Number(/^keel_http_in_flight_requests\s+(\d+)/m.exec(m.text)?.[1] ?? 0);
    }
    assert.ok(inFlight >= 9, `the 8 sign-ins were being handled (in flight: ${inFlight}, counting /metrics itself)`);
    paused = false;
    await sleep(20);
    const sigtermAt = Date.now();
    server.proc.kill('SIGTERM');

    // New connections must be refused while the drain is still going on (the process alive).
    let refused = null;
    let servedAfterSignal = 0;
    while (!refused && Date.now() - sigtermAt < 5000) {
      let r;
      try {
        r = await rawRequest(server.url, { path: '/healthz', timeoutMs: 3000 });
      } catch (e) {
        refused = { code: e.code, alive: server.proc.exitCode === null && server.proc.signalCode === null };
        break;
      }
      assert.equal(r.status, 200, 'a connection accepted just before the listener closed is served');
      servedAfterSignal++;
      await sleep(10);
    }
    assert.ok(refused, `new connections were still served 5 s after SIGTERM (${servedAfterSignal} served)`);
    assert.ok(refused.alive, 'the listener should close at the start of the drain, not when the process exits');

    const results = await Promise.all(logins);
    const exit = await server.exited;
    stop = true;
    await Promise.all(creators);
    for (const { r, e } of results) {
      assert.ok(!e, `a sign-in in flight at SIGTERM failed: ${e?.code} ${e?.message}`);
      assert.equal(r.status, 200, r.body);
      assert.ok(r.json.token);
    }
    assert.ok(results.some(({ at }) => at > sigtermAt), `some sign-ins were still in flight when SIGTERM arrived (${results.map(({ at }) => at - sigtermAt)})`);
    assert.deepEqual(exit, { code: 0, signal: null }, server.output().slice(-2000));
    assert.deepEqual(badResponses, [], 'no request answered with an error during the drain');
    assert.match(server.output(), /"msg":"stopped"/, 'the stop sequence ran to its end (database closed)');
    if (DB_KIND === 'sqlite') {
      // Closing the database checkpoints the WAL into keel.db.
      const wal = join(server.dataDir, 'keel.db-wal');
      assert.ok(!existsSync(wal) || statSync(wal).size === 0, 'WAL left behind after a clean stop');
    }

    restarted = await startServer({ dataDir: server.dataDir, databaseUrl: server.databaseUrl, admin: server.admin });
    const admin2 = await adminClient(restarted);
    const accounts = await listAll(admin2, 'accounts');
    const missing = [...acked].filter(([id, name]) => accounts.get(id)?.name !== name);
    assert.ok(acked.size > 0);
    assert.deepEqual(missing, [], 'acknowledged creates lost across a graceful stop');
    // The sessions created by the drained sign-ins were committed.
    for (const { r } of results) {
      const me = await new Client(restarted.url, r.json.token).get('/api/v1/me');
      assert.equal(me.status, 200, 'session from a sign-in answered during the drain');
    }
  } finally {
    if (restarted) await restarted.stop();
    await server.kill();
    server.cleanup();
  }
});

test('SIGTERM drain answers requests already received but still queued behind busy threads', async () => {
  // 4 threads, 12 connections opened (and accepted) first; then each sends a complete, slow
  // sign-in, and SIGTERM follows 100 ms later: 4 sign-ins run, 8 wait for a thread. All 12 were
  // received on accepted connections before the signal, so each must be answered; closing such a
  // connection unanswered loses the request (a client cannot safely retry a POST whose fate it
  // does not know).
  const server = await startServer({ threads: 4, env: { KEEL_FAST_PASSWORD_HASH: '0' } });
  const sockets = [];
  try {
    const users = await makeUsers(await adminClient(server), 12);
    for (let i = 0; i < 12; i++) sockets.push(await connectSocket(server.url));
    await sleep(300); // idle, accepted connections
    const answers = sockets.map((s, i) => new Promise((resolve) => {
      const body = JSON.stringify(users[i]);
      const req = 'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
      let out = '';
      s.on('data', (d) => { out += d; });
      s.on('error', (e) => resolve(`error ${e.code}`));
      s.on('close', () => resolve(statusOf(out) ?? 'closed without an answer'));
      s.write(req);
    }));
    await sleep(100);
    server.proc.kill('SIGTERM');
    const results = await Promise.all(answers);
    const exit = await server.exited;
    const failed = results.filter((r) => r !== 200);
    assert.deepEqual(failed, [], `${failed.length} of 12 requests received before SIGTERM were not answered`);
    assert.deepEqual(exit, { code: 0, signal: null });
  } finally {
    for (const s of sockets) s.destroy();
    await server.kill();
    server.cleanup();
  }
});

const READ_TIMEOUT_S = 6;

describe('bad network', () => {
  let server, admin, token;
  const bigDescription = 'd'.repeat(18000);

  before(async () => {
    // A short read timeout (the default is 30 s) keeps the stalled-client test quick; the
    // behaviour under test is the same.
    server = await startServer({ threads: 4, env: { KEEL_READ_TIMEOUT_SECONDS: String(READ_TIMEOUT_S) } });
    admin = await adminClient(server);
    token = admin.token;
    // 60 accounts with long descriptions: one list page is a response of about 1 MB.
    for (let i = 0; i < 60; i++) {
      const r = await admin.post('/api/v1/accounts', { name: `big-${i}`, industry: 'big', description: bigDescription });
      assert.equal(r.status, 201);
    }
  });

  after(async () => {
    const exit = await server.stop();
    server.cleanup();
    // A graceful stop after all the abuse proves the process survived it intact.
    assert.deepEqual(exit, { code: 0, signal: null }, server.output().slice(-3000));
  });

  const bigListRequest = () =>
    `GET /api/v1/accounts?industry=big&limit=200 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n\r\n`;

  test('stalled and slow clients are dropped after the read timeout while others are served promptly', async () => {
    // The read timeout (KEEL_READ_TIMEOUT_SECONDS) covers a whole request (slowloris) and the response write.
    const T = READ_TIMEOUT_S * 1000;
    const t0 = Date.now();
    const closedAt = {};
    const watch = (name, s) => {
      s.on('error', () => {});
      s.on('close', () => { closedAt[name] ??= Date.now() - t0; });
      s.on('end', () => { closedAt[name] ??= Date.now() - t0; });
    };
    const silent = await connectSocket(server.url);
    watch('silent', silent);
    const halfHeader = await connectSocket(server.url);
    watch('halfHeader', halfHeader);
    halfHeader.write('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Partial: ab');
    const industry = 'partial-' + randomUUID();
    const partialBody = await connectSocket(server.url);
    watch('partialBody', partialBody);
    const fullBody = JSON.stringify({ name: 'never complete', industry });
    partialBody.write(`POST /api/v1/accounts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${fullBody.length}\r\n\r\n` + fullBody.slice(0, 10));
    // Slowloris: one header byte every 500 ms, forever.
    const trickle = await connectSocket(server.url);
    watch('trickle', trickle);
    trickle.write('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    const trickleTimer = setInterval(() => { if (!trickle.destroyed) trickle.write('a'); }, 500);
    // A client that asks for 30 large responses and never reads them.
    const reader = await connectSocket(server.url);
    reader.on('error', () => {});
    reader.pause();
    let readerBytes = 0;
    reader.on('data', (d) => { readerBytes += d.length; });
    reader.pause();
    reader.write(bigListRequest().repeat(30));

    try {
      const slow = [];
      while (Date.now() - t0 < T + 15000 && ['silent', 'halfHeader', 'partialBody', 'trickle'].some((k) => closedAt[k] === undefined)) {
        const s = Date.now();
        const h = await fetch(server.url + '/healthz', { signal: AbortSignal.timeout(10000) });
        const l = await admin.get('/api/v1/accounts' + qs({ limit: 1 }));
        const ms = Date.now() - s;
        assert.equal(h.status, 200);
        assert.equal(l.status, 200);
        if (ms > 3000) slow.push(ms);
        await sleep(1000);
      }
      assert.deepEqual(slow, [], 'other clients were served promptly while stalled connections were open');
      for (const k of ['silent', 'halfHeader', 'partialBody', 'trickle']) {
        assert.ok(closedAt[k] !== undefined, `${k} connection was still open after ${T / 1000 + 15} s`);
        assert.ok(closedAt[k] >= T - 1000, `${k} closed after ${closedAt[k]} ms, before the ${READ_TIMEOUT_S} s timeout`);
        assert.ok(closedAt[k] <= T + 10000, `${k} closed after ${closedAt[k]} ms`);
      }
      // The cut-short create wrote nothing.
      const found = await admin.get('/api/v1/accounts' + qs({ industry }));
      assert.equal(found.json.total, 0);

      // The non-reading client: once it starts reading, the connection must end soon (the server
      // gave up on it) and it must not have received all 30 responses.
      await sleep(Math.max(0, T + 6000 - (Date.now() - t0)));
      const ended = new Promise((resolve) => {
        reader.on('end', () => resolve('end'));
        reader.on('close', () => resolve('close'));
        reader.on('error', () => resolve('error'));
      });
      reader.resume();
      const how = await Promise.race([ended, sleep(5000).then(() => 'still open')]);
      assert.notEqual(how, 'still open', `a client that stopped reading was kept for over ${T / 1000 + 6} s (${readerBytes} bytes sent to it)`);
      assert.ok(readerBytes < 30 * 1_000_000, `the server should have stopped writing (${readerBytes} bytes)`);
      await assertHealthy(server);
    } finally {
      clearInterval(trickleTimer);
      for (const s of [silent, halfHeader, partialBody, trickle, reader]) s.destroy();
    }
  });

  test('garbage and non-HTTP input get 400 or a close, never a crash', async () => {
    const inputs = {
      'non-HTTP line': 'HELLO WORLD\r\n\r\n',
      'SMTP greeting': 'EHLO mail.example.com\r\n',
      'binary noise': Buffer.from([...Array(4096)].map((_, i) => (i * 7919 + 13) % 256)),
      'TLS ClientHello': Buffer.from('16030100a5010000a10303' + '00'.repeat(160), 'hex'),
      'NUL in request line': 'GET /\0 HTTP/1.1\r\nHost: x\r\n\r\n',
      'unknown HTTP version': 'GET / HTTP/9.9\r\nHost: x\r\n\r\n',
      'negative Content-Length': 'POST /api/v1/accounts HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n',
      'two Content-Lengths': 'POST /api/v1/accounts HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcdef',
      'Content-Length overflow': 'POST /api/v1/accounts HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n',
      'bad chunk size': 'POST /api/v1/accounts HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\nabc\r\n0\r\n\r\n',
      'header without colon': 'GET /healthz HTTP/1.1\r\nHost: x\r\nthis is not a header\r\n\r\n',
      'space before colon': 'GET /healthz HTTP/1.1\r\nHost : x\r\n\r\n',
      'bare LF line endings junk': 'GET /healthz HTTP/1.1\nHost: x\n\x01\x02\x03\n\n',
      'invalid UTF-8 target': Buffer.concat([Buffer.from('GET /api/v1/accounts/'), Buffer.from([0xff, 0xfe]), Buffer.from(' HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')]),
    };
    for (const [name, bytes] of Object.entries(inputs)) {
      const r = await rawExchange(server.url, bytes, { timeoutMs: 5000 });
      const status = statusOf(r.text);
      assert.ok(r.closed || status !== null, `${name}: neither answered nor closed within 5 s`);
      if (r.text.length) assert.ok(status === 400, `${name}: answered ${JSON.stringify(r.text.slice(0, 200))}`);
      if (status === 400) assert.match(r.text, /"status":400/, `${name}: a problem document`);
      await assertHealthy(server);
    }
  });

  test('oversized request headers get 431 and the connection closes', async () => {
    const cases = {
      'one huge header': `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20000)}\r\n\r\n`,
      'many headers': 'GET /healthz HTTP/1.1\r\nHost: x\r\n' + [...Array(2000)].map((_, i) => `X-H${i}: value\r\n`).join('') + '\r\n',
      'huge cookie': `GET /healthz HTTP/1.1\r\nHost: x\r\nCookie: ${'c=1; '.repeat(5000)}\r\n\r\n`,
    };
    // A huge URL too: the request line counts against the same 16 KiB limit.
    cases['huge URL'] = `GET /api/v1/accounts?q=${'x'.repeat(20000)} HTTP/1.1\r\nHost: x\r\n\r\n`;
    for (const [name, bytes] of Object.entries(cases)) {
      const r = await rawExchange(server.url, bytes, { timeoutMs: 5000 });
      const where = `${name}: got ${JSON.stringify(r.text.slice(0, 300))}`;
      assert.equal(statusOf(r.text), 431, where);
      const body = JSON.parse(r.text.slice(r.text.indexOf('\r\n\r\n') + 4));
      assert.deepEqual([body.status, body.code], [431, 'headers_too_large'], where);
      assert.match(r.text, /\r\ncontent-type: application\/problem\+json\r\n/i, where);
      assert.ok(r.closed, `${name}: connection left open after a fatal header error`);
      await assertHealthy(server);
    }
    // Just under the limit, the same request is answered.
    const near = await rawExchange(server.url, `GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: ${'a'.repeat(15000)}\r\n\r\n`);
    assert.equal(statusOf(near.text), 200, near.text.slice(0, 200));
  });

  test('a body shorter than its Content-Length, then a closed socket, writes nothing', async () => {
    const before = await changeHead(admin);
    const industry = 'short-' + randomUUID();
    const body = JSON.stringify({ name: 'cut short', industry });
    const head = `POST /api/v1/accounts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${body.length + 100}\r\n\r\n`;
    // The client half-closes (FIN) after sending part of the body ...
    const fin = await rawExchange(server.url, head + body, { end: true, timeoutMs: 5000 });
    assert.ok(fin.closed, 'connection closed after the client finished sending');
    if (fin.text) assert.equal(statusOf(fin.text), 400, fin.text.slice(0, 200));
    // ... or vanishes (RST) with the body incomplete.
    const s = await connectSocket(server.url);
    s.on('error', () => {});
    s.write(head + body.slice(0, 5));
    await sleep(200);
    s.resetAndDestroy();
    await sleep(300);
    const found = await admin.get('/api/v1/accounts' + qs({ industry }));
    assert.equal(found.status, 200);
    assert.equal(found.json.total, 0, 'a partial body created a record');
    assert.equal(await changeHead(admin), before, 'the change log moved');
    // Control: the same raw request with its whole body does create.
    const ok = await rawRequest(server.url, {
      method: 'POST', path: '/api/v1/accounts', headers: { authorization: `Bearer ${token}` }, body: { name: 'complete', industry } });
    assert.equal(ok.status, 201, ok.body);
    assert.equal((await admin.get('/api/v1/accounts' + qs({ industry }))).json.total, 1);
  });

  test('200 idle connections do not block a normal request', async () => {
    const sockets = [];
    try {
      for (let i = 0; i < 200; i++) {
        const s = await connectSocket(server.url);
        s.on('error', () => {});
        if (i % 2) s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n'); // half of them mid-header
        sockets.push(s);
      }
      const t = Date.now();
      const r = await admin.get('/api/v1/accounts' + qs({ limit: 5 }));
      const created = await admin.post('/api/v1/accounts', { name: 'while 200 sockets idle' });
      const ms = Date.now() - t;
      assert.equal(r.status, 200);
      assert.equal(created.status, 201);
      assert.ok(ms < 3000, `a request took ${ms} ms with 200 idle connections open`);
      // And they are all still connected (not dropped wholesale to make room).
      assert.equal(sockets.filter((s) => s.destroyed).length, 0);
    } finally {
      for (const s of sockets) s.destroy();
    }
    await assertHealthy(server);
  });

  test('clients that disconnect mid-response do not hurt the server', async () => {
    for (let i = 0; i < 20; i++) {
      const s = await connectSocket(server.url);
      s.on('error', () => {});
      let got = 0;
      await new Promise((resolve) => {
        s.on('data', (d) => {
          got += d.length;
          // Read a little of the ~1 MB answer, then vanish: alternately reset and plain close.
          if (got > 1000) { if (i % 2) s.resetAndDestroy(); else s.destroy(); resolve(); }
        });
        s.on('close', resolve);
        s.write(bigListRequest());
      });
      assert.ok(got > 1000, 'the response had started');
    }
    // Several requests pipelined, then gone before reading anything.
    for (let i = 0; i < 5; i++) {
      const s = await connectSocket(server.url);
      s.on('error', () => {});
      s.write(bigListRequest().repeat(5));
      await sleep(50);
      s.resetAndDestroy();
    }
    await sleep(500);
    await assertHealthy(server);
    const r = await admin.get('/api/v1/accounts' + qs({ industry: 'big', limit: 200 }));
    assert.equal(r.status, 200);
    assert.equal(r.json.data.length, 60);
    assert.equal(r.json.data[0].description, bigDescription);
  });
});

describe('database trouble', () => {
  test('PostgreSQL connections terminated under the server: requests reconnect or answer 503, never 500 or hang',
    { skip: DB_KIND !== 'postgres' && 'PostgreSQL only: needs pg_terminate_backend' }, async () => {
      const server = await startServer({ threads: 4 });
      try {
        const admin = await adminClient(server);
        const dbName = new URL(server.databaseUrl).pathname.slice(1);
        const base = process.env.KEEL_TEST_POSTGRES_URL;
        // Kills every backend of the server's database; resolves with how many there were.
        const terminate = () => new Promise((resolve, reject) => execFile('psql', [base, '-Atq', '-c',
          `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '${dbName}' AND pid <> pg_backend_pid()`],
        (err, stdout) => (err ? reject(err) : resolve(Number(stdout.trim())))));

        const outcomes = [];
        const call = async (label, fn) => {
          const t = Date.now();
          let r;
          try {
            r = await fn();
          } catch (e) {
            outcomes.push({ label, error: String(e), ms: Date.now() - t });
            return null;
          }
          outcomes.push({ label, status: r.status, code: r.json?.code, ms: Date.now() - t });
          return r;
        };
        const acceptable = (o) => !o.error && o.ms < 10000 &&
          ((o.status >= 200 && o.status < 300) || (o.status === 503 && o.code === 'database_unavailable'));

        const killedFirst = await terminate();
        assert.ok(killedFirst >= 1, 'the server had database connections to terminate');
        // The pool has 4 connections, each now dead: at worst each fails once, then reconnects.
        const seq = [];
        for (let i = 0; i < 12; i++) {
          seq.push(await call('get', () => admin.get('/api/v1/accounts' + qs({ limit: 5 }))));
          seq.push(await call('create', () => admin.post('/api/v1/accounts', { name: `after-terminate-${i}` })));
        }
        assert.deepEqual(outcomes.filter((o) => !acceptable(o)), [], 'only success or 503 database_unavailable, promptly');
        assert.ok(seq.slice(-8).every((r) => r && r.status < 300), 'the pool reconnected: ' + JSON.stringify(outcomes.slice(-8)));

        // A storm: connections terminated every 100 ms while 4 clients read and write.
        outcomes.length = 0;
        let stop = false;
        let terminated = 0;
        const storm = (async () => { while (!stop) { terminated += await terminate(); await sleep(100); } })();
        const worker = async (n) => {
          for (let i = 0; !stop; i++) {
            await call('create', () => admin.post('/api/v1/accounts', { name: `storm-${n}-${i}` }));
            await call('list', () => admin.get('/api/v1/accounts' + qs({ limit: 20 })));
            await call('readyz', () => new Client(server.url).get('/readyz'));
          }
        };
        const workers = [0, 1, 2, 3].map(worker);
        await sleep(2500);
        stop = true;
        await storm;
        await Promise.all(workers);
        assert.ok(terminated >= 4, `connections were terminated during the storm (${terminated})`);
        assert.ok(outcomes.length >= 20, 'the clients kept making requests');
        assert.deepEqual(outcomes.filter((o) => !acceptable(o)), [], 'only success or 503 database_unavailable, promptly');
        // Afterwards the pool recovers: dead connections fail at most once each (4), then all works.
        outcomes.length = 0;
        const afterStorm = [];
        for (let i = 0; i < 12; i++) afterStorm.push(await call('create', () => admin.post('/api/v1/accounts', { name: `after-storm-${i}` })));
        assert.deepEqual(outcomes.filter((o) => !acceptable(o)), [], 'only success or 503 database_unavailable');
        assert.ok(afterStorm.slice(-8).every((r) => r && r.status === 201), JSON.stringify(outcomes));
        assert.equal((await new Client(server.url).get('/readyz')).status, 200);
        // Whatever was cut off, nothing was half-written.
        const check = await runKeel(['check', ...storageArgs(server)]);
        assert.equal(check.code, 0, check.stdout + check.stderr);
      } finally {
        await server.stop();
        server.cleanup();
      }
    });

  test('SQLite write lock held by another process: writes wait, then answer 503; reads stay prompt',
    { skip: DB_KIND !== 'sqlite' && 'SQLite only: an external sqlite3 process holds the write lock' }, async (t) => {
      try { execFileSync('sqlite3', ['-version']); } catch { return t.skip('sqlite3 CLI not installed'); }
      const server = await startServer({ threads: 4 });
      const holders = [];
      // Holds the database write lock from another process until release() is called.
      const holdLock = async () => {
        const p = spawn('sqlite3', [join(server.dataDir, 'keel.db')], { stdio: ['pipe', 'pipe', 'pipe'] });
        holders.push(p);
        let out = '';
        const locked = new Promise((resolve, reject) => {
          p.stdout.on('data', (d) => { out += d; if (out.includes('locked')) resolve(); });
          p.on('exit', (c) => reject(new Error('sqlite3 exited ' + c + out)));
        });
        p.stdin.write("BEGIN EXCLUSIVE; SELECT 'locked';\n");
        await locked;
        return () => { p.stdin.write('ROLLBACK;\n.quit\n'); };
      };
      try {
        const admin = await adminClient(server);
        // Held briefly: the write waits for the lock and succeeds.
        let release = await holdLock();
        let t0 = Date.now();
        const waiting = admin.post('/api/v1/accounts', { name: 'waited for the lock' });
        await sleep(1000);
        release();
        let r = await waiting;
        assert.equal(r.status, 201, r.text);
        assert.ok(Date.now() - t0 >= 900, 'the write really waited for the external lock');

        // Held for longer than the busy timeout: 503 database_unavailable, nothing written, and
        // reads are served meanwhile.
        release = await holdLock();
        t0 = Date.now();
        const blocked = admin.post('/api/v1/accounts', { name: 'blocked by the lock', industry: 'lock-test' });
        await sleep(500);
        const tr = Date.now();
        const read = await admin.get('/api/v1/accounts' + qs({ limit: 5 }));
        const health = await fetch(server.url + '/healthz');
        assert.equal(read.status, 200);
        assert.equal(health.status, 200);
        assert.ok(Date.now() - tr < 2000, 'reads wait on the writer');
        r = await blocked;
        const ms = Date.now() - t0;
        release();
        assert.equal(r.status, 503, r.text);
        assert.equal(r.json.code, 'database_unavailable');
        assert.ok(r.headers.get('content-type').startsWith('application/problem+json'));
        assert.ok(ms < 20000, `the blocked write answered after ${ms} ms`);
        await sleep(200);
        const after = await admin.get('/api/v1/accounts' + qs({ industry: 'lock-test' }));
        assert.equal(after.json.total, 0, 'the failed write left nothing');
        assert.equal((await admin.post('/api/v1/accounts', { name: 'after the lock' })).status, 201);
      } finally {
        for (const p of holders) if (p.exitCode === null) p.kill('SIGKILL');
        await server.stop();
        server.cleanup();
      }
    });

  test('serve against an unreachable PostgreSQL exits with a clear error, promptly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keel-it-'));
    try {
      const t0 = Date.now();
      const r = await runKeel(['serve', '--port', '0', '--data-dir', dir, '--database-url', 'postgresql://keel@127.0.0.1:1/nothing'],
        { timeout: 30000 });
      assert.notEqual(r.code, 0);
      assert.equal(r.signal, null, 'exited by itself, not killed by the timeout or a crash');
      assert.match(r.stdout + r.stderr, /cannot connect|connection refused/i);
      assert.doesNotMatch(r.stdout, /listening on/);
      assert.ok(Date.now() - t0 < 30000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a data dir whose keel.db is not a database: serve refuses clearly and leaves the file alone',
    { skip: DB_KIND !== 'sqlite' && 'SQLite only' }, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'keel-it-'));
      try {
        const garbage = Buffer.from('this is not a database, it is a note someone left here\n'.repeat(200));
        writeFileSync(join(dir, 'keel.db'), garbage);
        const r = await runKeel(['serve', '--port', '0', '--data-dir', dir], { timeout: 30000 });
        assert.notEqual(r.code, 0);
        assert.equal(r.signal, null, 'a clean error exit, not a crash');
        assert.match(r.stdout + r.stderr, /not a database|malformed|corrupt/i);
        assert.doesNotMatch(r.stdout, /listening on/);
        assert.deepEqual(readFileSync(join(dir, 'keel.db')), garbage, 'the file was changed');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
});

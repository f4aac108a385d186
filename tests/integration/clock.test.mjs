// The test-only time control (keel serve --test-clock, GET/POST /api/v1/test/clock): absent
// unless asked for, loopback peers only, validated like every input, and one clock for the whole
// server: records, audit and change log entries, sessions, tokens and sign-in lockouts all
// follow it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { randomUUID } from 'node:crypto';
import { startServer, adminClient, Client, KEEL_BIN } from './harness.mjs';

const MINUTE = 60000;
const DAY = 86400000;
const CLOCK = '/api/v1/test/clock';

let server;
let admin;

before(async () => {
  server = await startServer({ testClock: true });
  admin = await adminClient(server);
});

after(() => server?.close());

const anon = (url = server.url) => new Client(url);
const uniq = (p) => `${p}${randomUUID().slice(0, 8)}`;

function assertProblem(r, status, code, what = '') {
  assert.equal(r.status, status, `${what}: expected ${status} ${code}, got ${r.status} ${r.text}`);
  assert.match(r.headers.get('content-type') || '', /application\/problem\+json/, `${what} content-type`);
  assert.equal(r.json?.code, code, `${what}: ${r.text}`);
}

// Asserts a 422 whose errors are exactly these [field, code] pairs.
function assertFieldErrors(r, expected, what) {
  assertProblem(r, 422, 'validation_failed', what);
  assert.deepEqual(r.json.errors.map((e) => [e.field, e.code]), expected, `${what}: ${r.text}`);
  for (const e of r.json.errors) assert.ok(e.message, `${what}: every error has a message`);
}

// A non-loopback IPv4 address of this machine, if it has one.
function externalAddress() {
  for (const list of Object.values(networkInterfaces()))
    for (const a of list || []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return null;
}

async function newUser() {
  const email = `${uniq('clock')}@example.com`;
  const password = 'pw-' + randomUUID();
  const r = await admin.post('/api/v1/users', { email, name: email, password, role_id: 'sales' });
  assert.equal(r.status, 201, r.text);
  return { id: r.json.id, email, password };
}

test('without --test-clock there is no time control: 404 no_such_route, not in the OpenAPI document, no warning', async () => {
  const plain = await startServer();
  try {
    assertProblem(await anon(plain.url).get(CLOCK), 404, 'no_such_route', 'GET');
    assertProblem(await anon(plain.url).post(CLOCK, { advance_ms: DAY }), 404, 'no_such_route', 'POST');
    const doc = await anon(plain.url).get('/api/v1/openapi.json');
    assert.equal(doc.status, 200);
    assert.ok(!Object.keys(doc.json.paths).some((p) => p.startsWith('/api/v1/test/')), 'no test path documented');
    assert.doesNotMatch(plain.output(), /test-clock|test clock/i);
  } finally {
    await plain.close();
  }
});

test('KEEL_TEST_CLOCK must be 0 or 1; 1 turns the control on like the flag', async () => {
  const bad = spawnSync(KEEL_BIN, ['serve', '--port', '0'], { env: { ...process.env, KEEL_TEST_CLOCK: 'yes' }, encoding: 'utf8' });
  assert.equal(bad.status, 2, bad.stderr);
  assert.match(bad.stderr, /KEEL_TEST_CLOCK must be a whole number from 0 to 1/);
  const viaEnv = await startServer({ env: { KEEL_TEST_CLOCK: '1' } });
  try {
    const r = await anon(viaEnv.url).get(CLOCK);
    assert.equal(r.status, 200, r.text);
  } finally {
    await viaEnv.close();
  }
});

test('with --test-clock the server says so loudly, on stderr and in the log', () => {
  assert.match(server.output(), /keel: WARNING: --test-clock .*never use it in production/);
  assert.match(server.output(), /"level":"warn","msg":"test clock on: [^"]*never in production"/);
});

test('GET answers the server\'s time; POST moves it by advance_ms or to now, and it runs on from there', async () => {
  const before = Date.now();
  const start = await server.clock.now();
  assert.ok(start.now_ms >= before - 1000, `server time ${start.now} is about now`);
  assert.equal(start.now, new Date(start.now_ms).toISOString(), 'now is the UTC text of now_ms');

  const moved = await server.clock.advance(3 * DAY);
  assert.ok(moved.now_ms - start.now_ms >= 3 * DAY && moved.now_ms - start.now_ms < 3 * DAY + MINUTE, JSON.stringify(moved));
  assert.equal(moved.offset_ms - start.offset_ms, 3 * DAY, 'a move adds exactly advance_ms to the offset');

  const set = await server.clock.set('2031-05-06T07:08:09.000Z');
  assert.ok(set.now_ms >= Date.parse('2031-05-06T07:08:09.000Z') && set.now_ms < Date.parse('2031-05-06T07:09:09.000Z'), set.now);
  // A time without an offset is read as UTC, one with an offset is converted.
  const local = await server.clock.set('2031-05-06T15:08:09+08:00');
  assert.match(local.now, /^2031-05-06T07:08:/);
  await new Promise((r) => setTimeout(r, 50));
  const later = await server.clock.now();
  assert.ok(later.now_ms > local.now_ms, 'the moved clock keeps running');
  // Back is allowed too (a negative advance_ms).
  const back = await server.clock.advance(-DAY);
  assert.match(back.now, /^2031-05-05T07:08:/);
});

test('the control is validated like any input: 422 with field errors, 400 and 415, never a 500', async () => {
  const c = anon();
  const cases = [
    [{}, [['advance_ms', 'required']]],
    [{ advance_ms: 1.5 }, [['advance_ms', 'must_be_integer']]],
    [{ advance_ms: '60000' }, [['advance_ms', 'invalid_type']]],
    [{ advance_ms: null }, [['advance_ms', 'invalid_type']]],
    [{ advance_ms: 1e300 }, [['advance_ms', 'out_of_range']]],
    [{ advance_ms: 2 ** 63 }, [['advance_ms', 'out_of_range']]],
    [{ advance_ms: -1e15 }, [['advance_ms', 'out_of_range']]],
    [{ now: 'tomorrow' }, [['now', 'invalid_datetime']]],
    [{ now: '2031-02-30T00:00:00Z' }, [['now', 'invalid_datetime']]],
    [{ now: 1234567890 }, [['now', 'invalid_type']]],
    [{ advance_ms: 1000, now: '2031-01-01T00:00:00Z' }, [['now', 'not_allowed']]],
    [{ advance_ms: 1000, speed: 2 }, [['speed', 'unknown_field']]],
  ];
  const before = await server.clock.now();
  for (const [body, expected] of cases) assertFieldErrors(await c.post(CLOCK, body), expected, JSON.stringify(body));
  assertProblem(await c.request('POST', CLOCK, { raw: '{"advance_ms":', headers: { 'content-type': 'application/json' } }), 400, 'malformed_json', 'truncated JSON');
  assertProblem(await c.request('POST', CLOCK, { raw: '[1]', headers: { 'content-type': 'application/json' } }), 400, 'malformed_json', 'an array');
  assertProblem(await c.request('POST', CLOCK, { raw: 'advance_ms=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported_media_type', 'a form');
  assertProblem(await c.get(CLOCK + '?advance_ms=1'), 400, 'unknown_parameter', 'a query parameter');
  // None of them moved the clock.
  const after = await server.clock.now();
  assert.equal(after.offset_ms, before.offset_ms, 'a rejected move changes nothing');
});

test('a peer that is not on the loopback interface gets 403 loopback_only', async (t) => {
  const address = externalAddress();
  if (!address) return t.skip('this machine has no non-loopback IPv4 address (the unit test TestClock covers the check)');
  const wide = await startServer({ testClock: true, env: { KEEL_HOST: '0.0.0.0' } });
  try {
    const port = new URL(wide.url).port;
    const remote = new Client(`http://${address}:${port}`);
    assertProblem(await remote.get(CLOCK), 403, 'loopback_only', `GET from ${address}`);
    assertProblem(await remote.post(CLOCK, { advance_ms: DAY }), 403, 'loopback_only', `POST from ${address}`);
    // The same server answers on loopback, and the refused move did not happen.
    const local = await anon(`http://127.0.0.1:${port}`).get(CLOCK);
    assert.equal(local.status, 200, local.text);
    assert.equal(local.json.offset_ms, 0);
    // Everything else is served to that peer as usual.
    assert.equal((await remote.get('/healthz')).status, 200);
  } finally {
    await wide.close();
  }
});

test('records made after a move carry the moved time: created_at, updated_at, history, audit and change log', async () => {
  const at = '2032-03-04T05:06:07.000Z';
  await server.clock.set(at);
  admin = await adminClient(server); // the clock may have gone back past the session's start: a fresh session
  const inWindow = (ts, what) =>
    assert.ok(ts >= at && Date.parse(ts) - Date.parse(at) < MINUTE, `${what} ${ts} is the moved time (${at})`);

  const created = await admin.post('/api/v1/accounts', { name: uniq('Clocked ') });
  assert.equal(created.status, 201, created.text);
  const id = created.json.id;
  inWindow(created.json.created_at, 'created_at');
  assert.equal(created.json.updated_at, created.json.created_at);

  await server.clock.advance(DAY);
  const changed = await admin.patch(`/api/v1/accounts/${id}`, { city: 'Hangzhou' }, { headers: { 'if-match': '"1"' } });
  assert.equal(changed.status, 200, changed.text);
  assert.match(changed.json.updated_at, /^2032-03-05T05:0[67]:/, 'updated a day later');
  assert.equal(changed.json.created_at, created.json.created_at);

  const audit = await admin.get('/api/v1/audit?entity=accounts&limit=20');
  assert.equal(audit.status, 200, audit.text);
  const entries = audit.json.data.filter((a) => a.record_id === id);
  assert.deepEqual(entries.map((a) => a.action), ['update', 'create']);
  assert.equal(entries[1].at, created.json.created_at, 'the audit entry of the create');
  assert.equal(entries[0].at, changed.json.updated_at, 'the audit entry of the update');

  const history = await admin.get(`/api/v1/accounts/${id}/history`);
  assert.equal(history.status, 200, history.text);
  assert.deepEqual(history.json.data.map((h) => h.at).sort(), [created.json.created_at, changed.json.updated_at]);

  const changes = await admin.get('/api/v1/changes?after=0&limit=200');
  const mine = changes.json.data.filter((c) => c.record_id === id);
  assert.deepEqual(mine.map((c) => [c.action, c.at]), [['create', created.json.created_at], ['update', changed.json.updated_at]]);

  // A task completed now is completed at the moved time (an entity rule's stamp).
  const task = await admin.post('/api/v1/tasks', { title: uniq('Clocked task ') });
  assert.equal(task.status, 201, task.text);
  const done = await admin.patch(`/api/v1/tasks/${task.json.id}`, { status: 'done' }, { headers: { 'if-match': '"1"' } });
  assert.equal(done.status, 200, done.text);
  assert.equal(done.json.completed_at, done.json.updated_at);
  assert.match(done.json.completed_at, /^2032-03-05T/);

  // An export's audit entry is stamped by the same clock.
  const exported = await admin.get('/api/v1/accounts/export');
  assert.equal(exported.status, 200, exported.text);
  const exports = (await admin.get('/api/v1/audit?entity=accounts&limit=20')).json.data.filter((a) => a.action === 'export');
  assert.ok(exports.length >= 1, 'the export is audited');
  assert.match(exports[0].at, /^2032-03-05T/, 'the export audit entry carries the moved time');
});

test('a session and an API token made after a move expire by the moved clock', async () => {
  const u = await newUser();
  const login = await anon().post('/api/v1/auth/login', { email: u.email, password: u.password });
  assert.equal(login.status, 200, login.text);
  const now = (await server.clock.now()).now_ms;
  assert.ok(Math.abs(Date.parse(login.json.expires_at) - (now + 14 * DAY)) < MINUTE, `session expires 14 days after the server's now: ${login.json.expires_at}`);
  const session = new Client(server.url, login.json.token);
  const tok = await session.post('/api/v1/tokens', { name: 'clocked', expires_in_days: 2 });
  assert.equal(tok.status, 201, tok.text);
  assert.ok(Math.abs(Date.parse(tok.json.expires_at) - (now + 2 * DAY)) < MINUTE, tok.json.expires_at);
  const token = new Client(server.url, tok.json.token);

  await server.clock.advance(2 * DAY - MINUTE);
  assert.equal((await token.get('/api/v1/me')).status, 200, 'the token lives its two days');
  await server.clock.advance(2 * MINUTE);
  assertProblem(await token.get('/api/v1/me'), 401, 'invalid_token', 'token after two days');
  assert.equal((await session.get('/api/v1/me')).status, 200, 'the session still lives');
  await server.clock.advance(12 * DAY);
  assertProblem(await session.get('/api/v1/me'), 401, 'invalid_token', 'session after 14 days');
  admin = await adminClient(server);
});

test('a sign-in lockout lasts until its Retry-After on the server\'s clock, then lifts', async () => {
  const u = await newUser();
  for (let i = 1; i <= 5; i++) assertProblem(await anon().post('/api/v1/auth/login', { email: u.email, password: `wrong-${i}-password` }), 401, 'invalid_credentials', `attempt ${i}`);
  const blocked = await anon().post('/api/v1/auth/login', { email: u.email, password: u.password });
  assertProblem(blocked, 429, 'too_many_attempts', 'locked');
  const retry = Number(blocked.headers.get('retry-after'));
  assert.ok(retry > 60 && retry <= 900, `Retry-After ${retry}`);

  await server.clock.advance((retry - 30) * 1000);
  const still = await anon().post('/api/v1/auth/login', { email: u.email, password: u.password });
  assertProblem(still, 429, 'too_many_attempts', '30 s before Retry-After');
  assert.ok(Number(still.headers.get('retry-after')) <= 30, `Retry-After counts down: ${still.headers.get('retry-after')}`);

  await server.clock.advance(60 * 1000);
  const ok = await anon().post('/api/v1/auth/login', { email: u.email, password: u.password });
  assert.equal(ok.status, 200, `after Retry-After the right password works: ${ok.text}`);
});

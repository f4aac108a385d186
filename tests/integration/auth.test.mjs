// Authentication and account administration: sign-in, tokens, sign-out, throttling, and the
// rule that a change to a user (deactivation, role, password) or to a role applies from the
// very next request. One server for the whole file; every test makes its own users. The server
// runs on a test clock (keel serve --test-clock): tests move time forward to expire tokens and to
// let throttle windows pass, so the clock only ever moves forward and "now" is the server's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { startServer, adminClient, userClient, Client, KEEL_BIN } from './harness.mjs';

let server;
let admin;

before(async () => {
  server = await startServer({ testClock: true });
  admin = await adminClient(server);
});

after(async () => {
  if (server) {
    await server.stop();
    server.cleanup();
  }
});

// ---------------------------------------------------------------------------------------------
// Helpers

const anon = () => new Client(server.url);
const uniq = (p = 'x') => `${p}${randomUUID().replaceAll('-', '').slice(0, 10)}`;

function login(email, password) {
  return anon().post('/api/v1/auth/login', { email, password });
}

// Asserts an RFC 9457 problem document with the given status and code.
function assertProblem(r, status, code, what = '') {
  assert.equal(r.status, status, `${what} expected ${status} ${code}, got ${r.status} ${r.text}`);
  assert.match(r.headers.get('content-type') || '', /application\/problem\+json/, `${what} content-type`);
  assert.equal(r.json?.code, code, `${what} code: ${r.text}`);
  assert.equal(r.json?.status, status, `${what} status member`);
}

// A problem document without the per-request member, to compare two answers.
function withoutRequestId(j) {
  const { request_id, ...rest } = j;
  return rest;
}

const MINUTE = 60000;
const DAY = 86400000;

// The server's current time in ms (its clock runs ahead of Date.now() once a test moved it).
async function serverNow() {
  return (await server.clock.now()).now_ms;
}

// Moves the server's clock an hour on: every recorded sign-in attempt leaves the 15-minute window.
async function ageLoginAttempts() {
  await server.clock.advance(60 * MINUTE);
}

// A user created by the admin, with its credentials (not logged in).
async function newUser({ role = 'sales', team_id = null } = {}) {
  const email = `${uniq('a')}@example.com`;
  const password = 'pw-' + randomUUID();
  const r = await admin.post('/api/v1/users', { email, name: email, password, role_id: role, team_id });
  assert.equal(r.status, 201, r.text);
  return { id: r.json.id, email, password };
}

async function sessionFor(u) {
  return new Client(server.url).login(u.email, u.password);
}

async function apiTokenFor(c, name = 'integration') {
  const r = await c.post('/api/v1/tokens', { name });
  assert.equal(r.status, 201, r.text);
  return { id: r.json.id, client: new Client(server.url, r.json.token), token: r.json.token };
}

// `keel user <sub> ...` against the running server's database (the storage options belong to
// the `user` command, before its subcommand).
function runKeelUser(sub, rest = [], { fastHash = true } = {}) {
  const db = server.databaseUrl ? ['--database-url', server.databaseUrl] : [];
  return execFileSync(KEEL_BIN, ['user', '--data-dir', server.dataDir, ...db, sub, ...rest], {
    encoding: 'utf8',
    env: { ...process.env, KEEL_FAST_PASSWORD_HASH: fastHash ? '1' : '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

// ---------------------------------------------------------------------------------------------
// Signing in

test('login with the right password returns a session token, its expiry and the user', async () => {
  const u = await newUser({ role: 'support' });
  const t0 = await serverNow();
  const r = await login(u.email, u.password);
  assert.equal(r.status, 200, r.text);
  assert.match(r.json.token, /^kls_.{20,}/, 'session tokens are kls_ secrets');
  // A session lasts 14 days.
  const ms = Date.parse(r.json.expires_at) - t0;
  assert.ok(Math.abs(ms - 14 * 86400000) < 120000, `expires_at ${r.json.expires_at} is not 14 days ahead`);
  assert.equal(r.json.user.id, u.id);
  assert.equal(r.json.user.email, u.email);
  assert.equal(r.json.user.role_id, 'support');
  assert.equal(r.json.user.permissions.admin, false);
  // The password and its hash never come back.
  assert.ok(!r.text.includes(u.password));
  assert.ok(!/password/i.test(JSON.stringify(r.json.user)), 'no password-like member in the user');
  // The token works.
  const me = await new Client(server.url, r.json.token).get('/api/v1/me');
  assert.equal(me.status, 200);
  assert.equal(me.json.id, u.id);
});

test('login email is case-insensitive and trimmed', async () => {
  const u = await newUser();
  const r = await login(`  ${u.email.toUpperCase()} `, u.password);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.user.id, u.id);
});

test('wrong password and unknown email get the same 401 invalid_credentials (no user enumeration)', async () => {
  const u = await newUser();
  const wrong = await login(u.email, 'not-the-password-123');
  assertProblem(wrong, 401, 'invalid_credentials', 'wrong password');
  const unknown = await login(`${uniq('nobody')}@example.com`, 'not-the-password-123');
  assertProblem(unknown, 401, 'invalid_credentials', 'unknown email');
  // Byte-for-byte the same answer apart from the request id.
  assert.deepEqual(withoutRequestId(unknown.json), withoutRequestId(wrong.json));
  assert.ok(!wrong.text.includes(u.email), 'the answer does not echo the email');
  // Neither attempt issued a token.
  assert.equal(wrong.json.token, undefined);
  await ageLoginAttempts();
});

test('login body is validated: missing fields, unknown fields, wrong types, not JSON', async () => {
  let r = await anon().post('/api/v1/auth/login', { email: 'someone@example.com' });
  assertProblem(r, 422, 'validation_failed', 'missing password');
  assert.ok(r.json.errors.some((e) => e.field === 'password' && e.code === 'required'), r.text);
  r = await anon().post('/api/v1/auth/login', { email: 'a@example.com', password: 'x'.repeat(12), remember: true });
  assertProblem(r, 422, 'validation_failed', 'unknown field');
  assert.ok(r.json.errors.some((e) => e.field === 'remember' && e.code === 'unknown_field'), r.text);
  r = await anon().post('/api/v1/auth/login', { email: 'a@example.com', password: 12345678901 });
  assertProblem(r, 422, 'validation_failed', 'password as number');
  assert.ok(r.json.errors.some((e) => e.field === 'password' && e.code === 'invalid_type'), r.text);
  // The document states the email as an address of at most 254 characters (login_body).
  r = await anon().post('/api/v1/auth/login', { email: 'not an address', password: 'x'.repeat(12) });
  assertProblem(r, 422, 'validation_failed', 'email not an address');
  assert.deepEqual(r.json.errors.map((e) => [e.field, e.code]), [['email', 'invalid_format']]);
  r = await anon().post('/api/v1/auth/login', { email: `${'a'.repeat(250)}@example.com`, password: 'x'.repeat(12) });
  assertProblem(r, 422, 'validation_failed', 'email too long');
  assert.deepEqual(r.json.errors.map((e) => [e.field, e.code]), [['email', 'too_long']]);
  r = await anon().post('/api/v1/auth/login', { email: ' ', password: 'x'.repeat(12) });
  assert.deepEqual(r.json.errors.map((e) => [e.field, e.code]), [['email', 'required']]);
  r = await anon().request('POST', '/api/v1/auth/login', { raw: '{"email":', headers: { 'content-type': 'application/json' } });
  assertProblem(r, 400, 'malformed_json', 'truncated JSON');
  r = await anon().request('POST', '/api/v1/auth/login', { raw: 'email=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assertProblem(r, 415, 'unsupported_media_type', 'form body');
});

// ---------------------------------------------------------------------------------------------
// Bearer tokens

test('a request without a token is 401 unauthorized and changes nothing', async () => {
  const r = await anon().get('/api/v1/accounts');
  assertProblem(r, 401, 'unauthorized', 'no header');
  const name = uniq('anon-create-');
  const w = await anon().post('/api/v1/accounts', { name });
  assertProblem(w, 401, 'unauthorized', 'create without token');
  const l = await admin.get('/api/v1/accounts?q=' + encodeURIComponent(name));
  assert.equal(l.json.total, 0, 'an unauthenticated create wrote nothing');
  // Another scheme than Bearer is not accepted either.
  const basic = await anon().get('/api/v1/me', { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } });
  assertProblem(basic, 401, 'unauthorized', 'Basic auth');
  const bare = await anon().get('/api/v1/me', { headers: { authorization: admin.token } });
  assertProblem(bare, 401, 'unauthorized', 'token without scheme');
});

test('garbage, truncated and forged tokens are 401 invalid_token', async () => {
  for (const t of ['garbage', 'kls_' + 'A'.repeat(43), admin.token.slice(0, -1), admin.token + 'x', 'x'.repeat(300)]) {
    const r = await new Client(server.url, t).get('/api/v1/me');
    assertProblem(r, 401, 'invalid_token', `token ${t.slice(0, 12)}…`);
  }
  // The scheme name is case-insensitive; the real token still works after all those failures.
  const ok = await anon().get('/api/v1/me', { headers: { authorization: 'bearer ' + admin.token } });
  assert.equal(ok.status, 200, ok.text);
});

test('an expired session token is 401 invalid_token', async () => {
  const u = await newUser();
  const c = await sessionFor(u);
  assert.equal((await c.get('/api/v1/me')).status, 200);
  // A minute before its 14 days are up the session still works; two minutes later it is expired.
  await server.clock.advance(14 * DAY - MINUTE);
  assert.equal((await c.get('/api/v1/me')).status, 200, 'the session lasts 14 days');
  await server.clock.advance(2 * MINUTE);
  assertProblem(await c.get('/api/v1/me'), 401, 'invalid_token', 'expired session');
  // Every session made before the move has expired with it, the admin's too.
  admin = await adminClient(server);
  // Signing in again gives a fresh, working session.
  const again = await sessionFor(u);
  assert.equal((await again.get('/api/v1/me')).status, 200);
});

test('an expired API token is 401 invalid_token', async () => {
  const u = await newUser();
  const c = await sessionFor(u);
  const r = await c.post('/api/v1/tokens', { name: 'short-lived', expires_in_days: 1 });
  assert.equal(r.status, 201, r.text);
  const ms = Date.parse(r.json.expires_at) - (await serverNow());
  assert.ok(Math.abs(ms - 86400000) < 120000, `expires_at ${r.json.expires_at} is one day ahead`);
  const tc = new Client(server.url, r.json.token);
  assert.equal((await tc.get('/api/v1/me')).status, 200);
  await server.clock.advance(DAY - MINUTE);
  assert.equal((await tc.get('/api/v1/me')).status, 200, 'the token lasts its day');
  await server.clock.advance(2 * MINUTE);
  assertProblem(await tc.get('/api/v1/me'), 401, 'invalid_token', 'expired API token');
  // The session of the same user is unaffected.
  assert.equal((await c.get('/api/v1/me')).status, 200);
});

// ---------------------------------------------------------------------------------------------
// Logout and /me

test('logout revokes exactly the token used: the next request with it is 401, other sessions live on', async () => {
  const u = await newUser();
  const s1 = await sessionFor(u);
  const s2 = await sessionFor(u);
  const tok = await apiTokenFor(s1);
  const r = await s1.post('/api/v1/auth/logout');
  assert.equal(r.status, 204, r.text);
  assert.equal(r.text, '');
  assertProblem(await s1.get('/api/v1/me'), 401, 'invalid_token', 'after logout');
  assertProblem(await s1.post('/api/v1/accounts', { name: 'after logout' }), 401, 'invalid_token', 'write after logout');
  // Logging out twice is not possible: the token is gone.
  assertProblem(await s1.post('/api/v1/auth/logout'), 401, 'invalid_token', 'second logout');
  assert.equal((await s2.get('/api/v1/me')).status, 200, 'the other session still works');
  assert.equal((await tok.client.get('/api/v1/me')).status, 200, 'API tokens survive a session logout');
  assertProblem(await anon().post('/api/v1/auth/logout'), 401, 'unauthorized', 'logout without token');
});

test('/me shows the caller with the permissions of their role; PATCH /me changes only profile fields', async () => {
  const u = await newUser({ role: 'read_only' });
  const c = await sessionFor(u);
  const me = await c.get('/api/v1/me');
  assert.equal(me.status, 200);
  assert.equal(me.json.id, u.id);
  assert.equal(me.json.email, u.email);
  assert.equal(me.json.role_id, 'read_only');
  assert.equal(me.json.active, true);
  assert.equal(me.json.permissions.admin, false);
  assert.deepEqual(me.json.permissions.entities.contacts, { read: 'team', create: false, update: 'none', delete: 'none', export: false });
  assert.ok(!('password_hash' in me.json));

  const p = await c.patch('/api/v1/me', { name: 'Renamed Person', time_zone: 'Asia/Shanghai', locale: 'zh-CN' });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.name, 'Renamed Person');
  assert.equal(p.json.time_zone, 'Asia/Shanghai');
  assert.equal(p.json.locale, 'zh-CN');
  assert.equal((await c.get('/api/v1/me')).json.name, 'Renamed Person');

  for (const body of [{ role_id: 'admin' }, { active: false }, { email: 'other@example.com' }, { team_id: null }]) {
    const r = await c.patch('/api/v1/me', body);
    assertProblem(r, 422, 'validation_failed', JSON.stringify(body));
    assert.equal(r.json.errors[0].field, Object.keys(body)[0]);
    assert.equal(r.json.errors[0].code, 'unknown_field');
  }
  const after = await c.get('/api/v1/me');
  assert.equal(after.status, 200, 'the rejected changes did not sign the user out');
  assert.equal(after.json.role_id, 'read_only');
  assert.equal(after.json.email, u.email);
  assert.equal(after.json.active, true);
});

// ---------------------------------------------------------------------------------------------
// API tokens

test('API tokens: shown once, usable as Bearer, listed without the secret, revocable', async () => {
  const u = await newUser();
  const c = await sessionFor(u);
  const created = await c.post('/api/v1/tokens', { name: 'ERP sync' });
  assert.equal(created.status, 201, created.text);
  assert.match(created.json.token, /^kla_.{20,}/);
  assert.equal(created.json.name, 'ERP sync');
  assert.equal(created.json.expires_at, null, 'no expiry unless asked');
  const secret = created.json.token;

  const tc = new Client(server.url, secret);
  const me = await tc.get('/api/v1/me');
  assert.equal(me.status, 200, me.text);
  assert.equal(me.json.id, u.id, 'the token acts as its user');
  const w = await tc.post('/api/v1/leads', { last_name: 'Via token' });
  assert.equal(w.status, 201, w.text);
  assert.equal(w.json.owner_id, u.id);

  const list = await c.get('/api/v1/tokens');
  assert.equal(list.status, 200);
  const row = list.json.data.find((t) => t.id === created.json.id);
  assert.ok(row, 'the token is listed');
  assert.equal(row.name, 'ERP sync');
  assert.ok(!('token' in row) && !('token_hash' in row), 'no secret member in the listing');
  assert.ok(!list.text.includes(secret) && !list.text.includes(secret.slice(4)), 'the secret is never shown again');
  // A token can list its own siblings too, still without secrets.
  assert.ok(!(await tc.get('/api/v1/tokens')).text.includes(secret));

  // Someone else cannot revoke it (and learns nothing: 404 as for an unknown id).
  const other = await sessionFor(await newUser());
  assert.ok(!(await other.get('/api/v1/tokens')).json.data.some((t) => t.id === created.json.id), 'not in another user\'s list');
  assertProblem(await other.del('/api/v1/tokens/' + created.json.id), 404, 'not_found', 'foreign revoke');
  assert.equal((await tc.get('/api/v1/me')).status, 200, 'still valid after a refused revoke');

  const del = await c.del('/api/v1/tokens/' + created.json.id);
  assert.equal(del.status, 204, del.text);
  assertProblem(await tc.get('/api/v1/me'), 401, 'invalid_token', 'revoked API token');
  assert.ok(!(await c.get('/api/v1/tokens')).json.data.some((t) => t.id === created.json.id), 'revoked tokens are not listed');
  assertProblem(await c.del('/api/v1/tokens/' + created.json.id), 404, 'not_found', 'second revoke');
  assert.equal((await c.get('/api/v1/me')).status, 200, 'revoking the API token left the session alone');
});

test('API token creation is validated', async () => {
  const c = await sessionFor(await newUser());
  let r = await c.post('/api/v1/tokens', {});
  assertProblem(r, 422, 'validation_failed');
  assert.equal(r.json.errors[0].field, 'name');
  r = await c.post('/api/v1/tokens', { name: 'x', expires_in_days: 0 });
  assertProblem(r, 422, 'validation_failed');
  assert.deepEqual(r.json.errors.map((e) => [e.field, e.code]), [['expires_in_days', 'out_of_range']]);
  r = await c.post('/api/v1/tokens', { name: 'x', expires_in_days: 1.5 });
  assertProblem(r, 422, 'validation_failed');
  r = await c.post('/api/v1/tokens', { name: '   ' });
  assert.deepEqual(r.json.errors.map((e) => [e.field, e.code]), [['name', 'required']]);
  r = await c.post('/api/v1/tokens', { name: '客'.repeat(101) });
  assert.deepEqual(r.json.errors.map((e) => [e.field, e.code]), [['name', 'too_long']]);
  r = await c.post('/api/v1/tokens', { name: 'x', scope: 'all' });
  assertProblem(r, 422, 'validation_failed');
  assert.equal(r.json.errors[0].code, 'unknown_field');
  assert.equal((await c.get('/api/v1/tokens')).json.data.length, 0, 'no token was created by the rejected requests');
});

test('an administrator can revoke another user\'s API token', async () => {
  const u = await newUser();
  const c = await sessionFor(u);
  const t = await apiTokenFor(c, 'leaked');
  const r = await admin.del('/api/v1/tokens/' + t.id);
  assert.equal(r.status, 204, r.text);
  assertProblem(await t.client.get('/api/v1/me'), 401, 'invalid_token');
  assert.equal((await c.get('/api/v1/me')).status, 200);
});

// ---------------------------------------------------------------------------------------------
// Throttling

test('5 wrong passwords for one email → 429 too_many_attempts with Retry-After, even for the right password', async () => {
  const u = await newUser();
  const bystander = await newUser();
  try {
    for (let i = 1; i <= 5; i++) assertProblem(await login(u.email, `wrong-password-${i}`), 401, 'invalid_credentials', `attempt ${i}`);
    const blocked = await login(u.email, u.password);
    assertProblem(blocked, 429, 'too_many_attempts', 'right password while throttled');
    assert.equal(blocked.json.token, undefined, 'no token while throttled');
    const ra = Number(blocked.headers.get('retry-after'));
    assert.ok(Number.isInteger(ra) && ra >= 1 && ra <= 900, `Retry-After ${blocked.headers.get('retry-after')}`);
    assert.equal(blocked.json.retry_after_seconds, ra);
    // Still blocked on the next try, and the wrong password gets the same 429 (no oracle).
    assertProblem(await login(u.email, u.password), 429, 'too_many_attempts', 'second try');
    assertProblem(await login(u.email, 'wrong-password-6'), 429, 'too_many_attempts', 'wrong while throttled');
    // Other case/whitespace of the same email is the same key.
    assertProblem(await login(u.email.toUpperCase(), u.password), 429, 'too_many_attempts', 'upper-case email');

    // Throttling is per email: another account signs in from the same address.
    const other = await login(bystander.email, bystander.password);
    assert.equal(other.status, 200, other.text);

    // Once the window has passed, the right password works again.
    await ageLoginAttempts();
    const ok = await login(u.email, u.password);
    assert.equal(ok.status, 200, ok.text);
  } finally {
    await ageLoginAttempts();
  }
});

test('an unknown email is throttled exactly like a known one (no enumeration through 429)', async () => {
  const ghost = `${uniq('ghost')}@example.com`;
  try {
    for (let i = 1; i <= 5; i++) assertProblem(await login(ghost, `wrong-password-${i}`), 401, 'invalid_credentials', `attempt ${i}`);
    assertProblem(await login(ghost, 'wrong-password-6'), 429, 'too_many_attempts', 'sixth attempt');
  } finally {
    await ageLoginAttempts();
  }
});

test('a successful sign-in clears the failure count, so 4 + 4 failures around it do not throttle', async () => {
  const u = await newUser();
  try {
    for (let i = 1; i <= 4; i++) assertProblem(await login(u.email, `wrong-${i}-password`), 401, 'invalid_credentials');
    assert.equal((await login(u.email, u.password)).status, 200);
    for (let i = 1; i <= 4; i++) assertProblem(await login(u.email, `wrong-${i}-password`), 401, 'invalid_credentials');
    const r = await login(u.email, u.password);
    assert.equal(r.status, 200, `4 failures after a success must not throttle: ${r.text}`);
  } finally {
    await ageLoginAttempts();
  }
});

test('30 failed sign-ins from one address throttle every email from it until the window passes', async () => {
  const victim = await newUser();
  await ageLoginAttempts(); // start from a clean window for this address
  try {
    // 29 failures spread over many emails (never 5 for one email).
    for (let i = 0; i < 29; i++) {
      const r = await login(`${uniq('spray')}@example.com`, 'password-guess-1');
      assertProblem(r, 401, 'invalid_credentials', `spray ${i}`);
    }
    assert.equal((await login(victim.email, victim.password)).status, 200, '29 failures do not yet block the address');
    assertProblem(await login(`${uniq('spray')}@example.com`, 'password-guess-1'), 401, 'invalid_credentials', '30th');
    const blocked = await login(victim.email, victim.password);
    assertProblem(blocked, 429, 'too_many_attempts', 'after 30 failures from this address');
    assert.ok(Number(blocked.headers.get('retry-after')) >= 1);
    await ageLoginAttempts();
    assert.equal((await login(victim.email, victim.password)).status, 200, 'the window passed');
  } finally {
    await ageLoginAttempts();
  }
});

test('concurrent wrong passwords for one email get no more than 5 guesses before 429', async () => {
  // A user added from the command line without KEEL_FAST_PASSWORD_HASH has a production-cost
  // Argon2id hash, so each password check takes as long as it would in production and
  // simultaneous attempts really overlap (as an attacker's would).
  const email = `${uniq('slow')}@example.com`;
  const out = runKeelUser('add', [email, '--role', 'sales'], { fastHash: false });
  const password = out.match(/password:\s+(\S+)/)[1];
  await ageLoginAttempts();
  try {
    const answers = await Promise.all(Array.from({ length: 24 }, (_, i) => login(email, `wrong-guess-${i}-xxxx`)));
    for (const r of answers) assert.ok(r.status === 401 || r.status === 429, `unexpected ${r.status} ${r.text}`);
    const checked = answers.filter((r) => r.status === 401).length;
    // The limit is on passwords tried, not on requests finished: a burst must not buy more guesses.
    assert.ok(checked <= 5, `${checked} of 24 simultaneous wrong passwords were checked (limit 5)`);
    assertProblem(await login(email, password), 429, 'too_many_attempts', 'right password after the burst');
  } finally {
    await ageLoginAttempts();
  }
});

// ---------------------------------------------------------------------------------------------
// Changes to a user apply on the very next request

test('deactivating a user (admin PATCH) makes their very next request 401, for sessions and API tokens', async () => {
  const u = await newUser();
  const c = await sessionFor(u);
  const t = await apiTokenFor(c);
  assert.equal((await c.get('/api/v1/me')).status, 200);
  assert.equal((await t.client.get('/api/v1/me')).status, 200);

  const r = await admin.patch('/api/v1/users/' + u.id, { active: false });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.active, false);

  assertProblem(await c.get('/api/v1/me'), 401, 'invalid_token', 'session after deactivation');
  assertProblem(await t.client.get('/api/v1/me'), 401, 'invalid_token', 'API token after deactivation');
  assertProblem(await t.client.post('/api/v1/leads', { last_name: 'zombie' }), 401, 'invalid_token', 'write after deactivation');
  // Signing in is refused with the same answer as a wrong password.
  const li = await login(u.email, u.password);
  assertProblem(li, 401, 'invalid_credentials', 'login while inactive');

  // Reactivating lets them sign in again, but the old credentials stay revoked.
  assert.equal((await admin.patch('/api/v1/users/' + u.id, { active: true })).status, 200);
  assertProblem(await c.get('/api/v1/me'), 401, 'invalid_token', 'old session after reactivation');
  assertProblem(await t.client.get('/api/v1/me'), 401, 'invalid_token', 'old API token after reactivation');
  const again = await login(u.email, u.password);
  assert.equal(again.status, 200, again.text);
  await ageLoginAttempts();
});

test('deactivating from the command line (keel user deactivate) also cuts off the next request', async () => {
  const u = await newUser();
  const c = await sessionFor(u);
  const t = await apiTokenFor(c);
  const out = runKeelUser('deactivate', [u.email]);
  assert.match(out, /deactivated/);
  assertProblem(await c.get('/api/v1/me'), 401, 'invalid_token', 'session after CLI deactivation');
  assertProblem(await t.client.get('/api/v1/me'), 401, 'invalid_token', 'API token after CLI deactivation');
  const user = await admin.get('/api/v1/users/' + u.id);
  assert.equal(user.json.active, false);
});

test('changing a user\'s role (sales → read_only) revokes their credentials; the new role applies at once', async () => {
  const u = await newUser({ role: 'sales' });
  const c = await sessionFor(u);
  const t = await apiTokenFor(c);
  const lead = await c.post('/api/v1/leads', { last_name: 'Before demotion' });
  assert.equal(lead.status, 201, 'sales may create leads');

  const r = await admin.patch('/api/v1/users/' + u.id, { role_id: 'read_only' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.role_id, 'read_only');

  // README: changing a role revokes all sessions and tokens at once.
  const next = await c.post('/api/v1/leads', { last_name: 'After demotion' });
  assertProblem(next, 401, 'invalid_token', 'old session after role change');
  assertProblem(await t.client.post('/api/v1/leads', { last_name: 'After demotion' }), 401, 'invalid_token', 'old API token');

  const c2 = await sessionFor(u);
  const me = await c2.get('/api/v1/me');
  assert.equal(me.json.role_id, 'read_only');
  assert.equal(me.json.permissions.entities.leads.create, false);
  const denied = await c2.post('/api/v1/leads', { last_name: 'After demotion' });
  assertProblem(denied, 403, 'forbidden', 'create as read_only');
  // read_only still reads its own (team) records, but cannot change them.
  assert.equal((await c2.get('/api/v1/leads/' + lead.json.id)).status, 200);
  assertProblem(await c2.patch('/api/v1/leads/' + lead.json.id, { title: 'x' }), 403, 'forbidden', 'update as read_only');
  const l = await admin.get('/api/v1/leads?q=' + encodeURIComponent('After demotion'));
  assert.equal(l.json.total, 0, 'no lead was written by the refused creates');

  // And promotion back works the same way.
  assert.equal((await admin.patch('/api/v1/users/' + u.id, { role_id: 'sales' })).status, 200);
  const c3 = await sessionFor(u);
  assert.equal((await c3.post('/api/v1/leads', { last_name: 'After promotion' })).status, 201);
});

test('editing a custom role\'s permissions applies on the next request of everyone who has it', async () => {
  const roleName = uniq('role-');
  const perms = (create) => ({ admin: false, entities: { leads: { read: 'own', create, update: 'own', delete: 'none' } } });
  const role = await admin.post('/api/v1/roles', { name: roleName, description: 'temp', permissions: perms(true) });
  assert.equal(role.status, 201, role.text);
  assert.equal(role.json.builtin, false);
  const u1 = await newUser({ role: role.json.id });
  const u2 = await newUser({ role: role.json.id });
  const c1 = await sessionFor(u1);
  const c2 = await sessionFor(u2);
  assert.equal((await c1.post('/api/v1/leads', { last_name: 'r1' })).status, 201);
  assert.equal((await c2.post('/api/v1/leads', { last_name: 'r2' })).status, 201);
  assertProblem(await c1.post('/api/v1/accounts', { name: 'not granted' }), 403, 'forbidden', 'entity not in role');

  // Take create away. The same tokens keep working (a role edit is not a sign-out) ...
  const edit = await admin.patch('/api/v1/roles/' + role.json.id, { permissions: perms(false) });
  assert.equal(edit.status, 200, edit.text);
  assert.equal(edit.json.version, role.json.version + 1);
  // ... but the very next request of both holders sees the new permissions.
  assertProblem(await c1.post('/api/v1/leads', { last_name: 'r1b' }), 403, 'forbidden', 'holder 1 after edit');
  assertProblem(await c2.post('/api/v1/leads', { last_name: 'r2b' }), 403, 'forbidden', 'holder 2 after edit');
  assert.equal((await c1.get('/api/v1/me')).json.permissions.entities.leads.create, false);

  // Grant accounts read and create: applies immediately too.
  const edit2 = await admin.patch('/api/v1/roles/' + role.json.id, {
    permissions: { entities: { leads: { read: 'own', create: true }, accounts: { read: 'own', create: true } } },
  });
  assert.equal(edit2.status, 200, edit2.text);
  assert.equal((await c2.post('/api/v1/accounts', { name: uniq('granted ') })).status, 201);
  assert.equal((await c1.post('/api/v1/leads', { last_name: 'r1c' })).status, 201);

  // The role cannot be deleted while users have it.
  assertProblem(await admin.del('/api/v1/roles/' + role.json.id), 409, 'role_in_use');
});

test('built-in roles cannot be edited or deleted', async () => {
  assertProblem(await admin.patch('/api/v1/roles/sales', { permissions: { admin: true } }), 409, 'builtin_role', 'PATCH sales');
  assertProblem(await admin.del('/api/v1/roles/read_only'), 409, 'builtin_role', 'DELETE read_only');
  const roles = await admin.get('/api/v1/roles');
  const sales = roles.json.data.find((r) => r.id === 'sales');
  assert.equal(sales.permissions.admin, false, 'sales did not become admin');
});

// ---------------------------------------------------------------------------------------------
// Passwords

test('admin password reset: a new password is returned once, the old one and all sessions stop working', async () => {
  const u = await newUser();
  const c = await sessionFor(u);
  const t = await apiTokenFor(c);
  const r = await admin.post('/api/v1/users/' + u.id + '/reset-password');
  assert.equal(r.status, 200, r.text);
  assert.equal(typeof r.json.password, 'string');
  assert.ok(r.json.password.length >= 10);
  assert.notEqual(r.json.password, u.password);
  assertProblem(await c.get('/api/v1/me'), 401, 'invalid_token', 'session after reset');
  assertProblem(await t.client.get('/api/v1/me'), 401, 'invalid_token', 'API token after reset');
  assertProblem(await login(u.email, u.password), 401, 'invalid_credentials', 'old password');
  const ok = await login(u.email, r.json.password);
  assert.equal(ok.status, 200, ok.text);
  // The reset is in the audit log.
  const audit = await admin.get('/api/v1/audit?entity=users&limit=50');
  assert.ok(audit.json.data.some((e) => e.record_id === u.id && e.action === 'reset_password'), 'audited');
  assert.ok(!audit.text.includes(r.json.password), 'the new password is not in the audit log');
  // Not for non-admins.
  const other = await sessionFor(await newUser());
  assertProblem(await other.post('/api/v1/users/' + u.id + '/reset-password'), 403, 'forbidden', 'non-admin reset');
  await ageLoginAttempts();
});

test('a user changes their own password with the current one; other sessions are signed out', async () => {
  const u = await newUser();
  const c = await sessionFor(u);
  const elsewhere = await sessionFor(u);
  const newPw = 'new-password-' + randomUUID().slice(0, 8);

  let r = await c.patch('/api/v1/me', { password: newPw, current_password: 'wrong-current-1' });
  assertProblem(r, 422, 'validation_failed', 'wrong current password');
  assert.equal(r.json.errors[0].field, 'current_password');
  r = await c.patch('/api/v1/me', { password: newPw });
  assertProblem(r, 422, 'validation_failed', 'missing current password');
  assert.ok(r.json.errors.some((e) => e.field === 'current_password' && e.code === 'required'));
  r = await c.patch('/api/v1/me', { password: 'short', current_password: u.password });
  assertProblem(r, 422, 'validation_failed', 'too short');
  assert.equal((await login(u.email, u.password)).status, 200, 'rejected changes kept the old password');

  r = await c.patch('/api/v1/me', { password: newPw, current_password: u.password });
  assert.equal(r.status, 200, r.text);
  assertProblem(await login(u.email, u.password), 401, 'invalid_credentials', 'old password after change');
  assert.equal((await login(u.email, newPw)).status, 200, 'new password works');
  assertProblem(await elsewhere.get('/api/v1/me'), 401, 'invalid_token', 'other session after password change');
  await ageLoginAttempts();
  // The route is documented as "password change signs out other sessions": the session that
  // made the change stays signed in.
  const self = await c.get('/api/v1/me');
  assert.equal(self.status, 200, `the session that changed the password was signed out: ${self.text}`);
});

// ---------------------------------------------------------------------------------------------
// User administration and escalation

test('a new user without a role gets read_only (least privilege), and a generated password if none is given', async () => {
  const email = `${uniq('def')}@example.com`;
  const r = await admin.post('/api/v1/users', { email, name: 'Default Role' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.role_id, 'read_only');
  assert.equal(r.json.active, true);
  assert.equal(typeof r.json.initial_password, 'string');
  assert.ok(r.json.initial_password.length >= 10);
  const again = await admin.get('/api/v1/users/' + r.json.id);
  assert.ok(!('initial_password' in again.json), 'the generated password is shown only once');
  const c = await new Client(server.url).login(email, r.json.initial_password);
  const me = await c.get('/api/v1/me');
  assert.equal(me.json.role_id, 'read_only');
  for (const [e, p] of Object.entries(me.json.permissions.entities)) {
    assert.equal(p.create, false, `${e}: read_only cannot create`);
    assert.equal(p.update, 'none', `${e}: read_only cannot update`);
    assert.equal(p.delete, 'none', `${e}: read_only cannot delete`);
  }
  assertProblem(await c.post('/api/v1/accounts', { name: 'nope' }), 403, 'forbidden');
});

test('user creation is validated: duplicate email, unknown role, unknown team, short password', async () => {
  const u = await newUser();
  let r = await admin.post('/api/v1/users', { email: u.email.toUpperCase(), name: 'dup', password: 'long-enough-pw' });
  assertProblem(r, 409, 'email_taken', 'same email in another case');
  r = await admin.post('/api/v1/users', { email: `${uniq('v')}@example.com`, name: 'v', password: 'long-enough-pw', role_id: 'superuser' });
  assertProblem(r, 422, 'validation_failed', 'unknown role');
  assert.deepEqual(r.json.errors.map((e) => [e.field, e.code]), [['role_id', 'reference_not_found']]);
  r = await admin.post('/api/v1/users', { email: `${uniq('v')}@example.com`, name: 'v', password: 'long-enough-pw', team_id: randomUUID() });
  assertProblem(r, 422, 'validation_failed', 'unknown team');
  assert.deepEqual(r.json.errors.map((e) => [e.field, e.code]), [['team_id', 'reference_not_found']]);
  r = await admin.post('/api/v1/users', { email: `${uniq('v')}@example.com`, name: 'v', password: 'short' });
  assertProblem(r, 422, 'validation_failed', 'short password');
  assert.equal(r.json.errors[0].field, 'password');
});

test('a non-admin cannot administer users, roles, teams, custom fields or read the audit log (403)', async () => {
  for (const role of ['manager', 'sales', 'support', 'read_only']) {
    const c = await userClient(server, admin, { role });
    const victim = await newUser();
    const calls = [
      ['GET', '/api/v1/audit'],
      ['POST', '/api/v1/users', { email: `${uniq('n')}@example.com`, name: 'n', password: 'long-enough-pw', role_id: 'admin' }],
      ['PATCH', '/api/v1/users/' + victim.id, { active: false }],
      ['POST', '/api/v1/users/' + victim.id + '/reset-password'],
      ['POST', '/api/v1/roles', { name: uniq('r'), permissions: { admin: true } }],
      ['PATCH', '/api/v1/roles/sales', { permissions: { admin: true } }],
      ['DELETE', '/api/v1/roles/support'],
      ['POST', '/api/v1/teams', { name: uniq('t') }],
      ['POST', '/api/v1/custom-fields', { entity: 'accounts', name: uniq('cf'), label: 'x', type: 'text' }],
    ];
    for (const [method, path, body] of calls) {
      const r = await c.request(method, path, { body });
      assertProblem(r, 403, 'forbidden', `${role} ${method} ${path}`);
    }
    // Nothing happened to the victim.
    const v = await admin.get('/api/v1/users/' + victim.id);
    assert.equal(v.json.active, true);
    assert.equal(v.json.version, 1);
    assert.equal((await login(victim.email, victim.password)).status, 200, `${role}: victim's password unchanged`);
    // The lists of users, roles, teams and custom fields are readable by every signed-in user
    // (README, "Users, roles and teams": assignee pickers and forms), without password material.
    for (const path of ['/api/v1/users', '/api/v1/roles', '/api/v1/teams', '/api/v1/custom-fields']) {
      const r = await c.get(path);
      assert.equal(r.status, 200, `${role} GET ${path}: ${r.status} ${r.text.slice(0, 200)}`);
      assert.ok(Array.isArray(r.json.data), `${role} GET ${path}: a list`);
    }
    const users = await c.get('/api/v1/users');
    assert.ok(users.json.data.some((x) => x.id === victim.id), `${role}: the list holds the other users`);
    for (const x of users.json.data) {
      for (const secret of ['password', 'password_hash', 'initial_password']) {
        assert.ok(!(secret in x), `no ${secret} in /users`);
      }
    }
    assert.doesNotMatch(users.text, /\$argon2/, 'no password hash anywhere in /users');
  }
});

test('a user cannot escalate their own privileges', async () => {
  const u = await newUser({ role: 'sales' });
  const c = await sessionFor(u);
  // Through the admin route: 403.
  assertProblem(await c.patch('/api/v1/users/' + u.id, { role_id: 'admin' }), 403, 'forbidden', 'PATCH own user');
  // Through /me: role_id is not a profile field.
  const viaMe = await c.patch('/api/v1/me', { role_id: 'admin' });
  assertProblem(viaMe, 422, 'validation_failed', 'PATCH /me role_id');
  // Through a new role or a team they manage.
  assertProblem(await c.post('/api/v1/roles', { name: uniq('mine'), permissions: { admin: true } }), 403, 'forbidden');
  assertProblem(await c.post('/api/v1/teams', { name: uniq('mine'), manager_id: u.id }), 403, 'forbidden');
  // Through an API token: it carries the user's role, not more.
  const t = await apiTokenFor(c);
  assertProblem(await t.client.get('/api/v1/audit'), 403, 'forbidden', 'API token of a sales user');
  // Handing a record to someone outside their update scope is refused.
  const someone = await newUser({ role: 'sales' });
  const r = await c.post('/api/v1/leads', { last_name: 'Gift', owner_id: someone.id });
  assertProblem(r, 422, 'validation_failed', 'create for someone else');
  assert.deepEqual(r.json.errors.map((e) => [e.field, e.code]), [['owner_id', 'not_allowed']]);

  const me = await c.get('/api/v1/me');
  assert.equal(me.status, 200);
  assert.equal(me.json.role_id, 'sales');
  assert.equal(me.json.permissions.admin, false);
  const stored = await admin.get('/api/v1/users/' + u.id);
  assert.equal(stored.json.role_id, 'sales');
  assert.equal(stored.json.version, 1, 'the user row was never written');
});

test('an administrator cannot demote or deactivate themselves (409 cannot_demote_self)', async () => {
  const a2 = await newUser({ role: 'admin' });
  const c = await sessionFor(a2);
  assertProblem(await c.patch('/api/v1/users/' + a2.id, { role_id: 'sales' }), 409, 'cannot_demote_self', 'self demotion');
  assertProblem(await c.patch('/api/v1/users/' + a2.id, { active: false }), 409, 'cannot_demote_self', 'self deactivation');
  const me = await c.get('/api/v1/me');
  assert.equal(me.status, 200, 'still signed in');
  assert.equal(me.json.role_id, 'admin');
  // Renaming oneself is fine.
  const ok = await c.patch('/api/v1/users/' + a2.id, { name: 'Second Admin' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal((await c.get('/api/v1/me')).status, 200, 'a rename does not sign out');
});

test('user edits use optimistic versions and are audited', async () => {
  const u = await newUser();
  const r = await admin.patch('/api/v1/users/' + u.id, { name: 'Versioned', version: 99 });
  assertProblem(r, 412, 'version_conflict');
  assert.equal(r.json.current_version, 1);
  const ok = await admin.patch('/api/v1/users/' + u.id, { name: 'Versioned', version: 1 });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.version, 2);
  const audit = await admin.get('/api/v1/audit?entity=users&user_id=' + admin.user.id + '&limit=100');
  const entry = audit.json.data.find((e) => e.record_id === u.id && e.action === 'update');
  assert.ok(entry, 'the user update is in the audit log');
  assert.deepEqual(entry.changes.name, [u.email, 'Versioned']);
});

// KEEL_FAST_PASSWORD_HASH=1 (test-only minimum-cost hashes) says so loudly, and the weak hashes it
// leaves behind are replaced at the next sign-in on a server without it: the same storage is
// served first with fast hashing (as every test server is), then at full cost, then fast again.
// The stored hash is read straight from the database (sqlite3 / psql).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { startServer, adminClient, Client, DB_KIND } from './harness.mjs';

function storedHash(server, email) {
  const sql = `SELECT password_hash FROM users WHERE email = '${email.replaceAll("'", "''")}'`;
  const out = DB_KIND === 'postgres'
    ? execFileSync('psql', [server.databaseUrl, '-Atq', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' })
    : execFileSync('sqlite3', [join(server.dataDir, 'keel.db'), sql], { encoding: 'utf8' });
  return out.trim();
}

// "m=65536,t=2,p=1" from "$argon2id$v=19$m=65536,t=2,p=1$salt$hash"
function cost(hash) {
  const m = /^\$argon2id\$v=19\$(m=\d+,t=\d+,p=\d+)\$[^$]+\$[^$]+$/.exec(hash);
  assert.ok(m, `not an Argon2id hash: ${hash}`);
  return m[1];
}

const FAST = 'm=8,t=1,p=1';
const FULL = 'm=65536,t=2,p=1';

function login(server, email, password) {
  return new Client(server.url).post('/api/v1/auth/login', { email, password });
}

test('hashes made with KEEL_FAST_PASSWORD_HASH=1 are upgraded at the next sign-in without it, and audited', async () => {
  let server = await startServer();
  try {
    // Loud when on: a line on stderr and a warning in the JSON log.
    assert.match(server.output(), /keel: WARNING: KEEL_FAST_PASSWORD_HASH=1: .*For tests only/);
    assert.match(server.output(), /"level":"warn","msg":"KEEL_FAST_PASSWORD_HASH=1: [^"]*cheap to crack/);

    const admin = await adminClient(server);
    const email = `rehash-${randomUUID().slice(0, 8)}@example.com`;
    const password = `pw-${randomUUID()}`;
    const created = await admin.post('/api/v1/users', { email, name: 'Rehash Test', password, role_id: 'sales' });
    assert.equal(created.status, 201, created.text);
    const userId = created.json.id;
    const weak = storedHash(server, email);
    assert.equal(cost(weak), FAST, 'a fast-hashing server stores minimum-cost hashes');

    assert.equal((await login(server, email, password)).status, 200);
    assert.equal(storedHash(server, email), weak, 'a fast-hashing server leaves them as they are');

    // The same storage at full cost.
    server = await server.restart({ env: { KEEL_FAST_PASSWORD_HASH: '0' } });
    assert.doesNotMatch(server.output(), /KEEL_FAST_PASSWORD_HASH/, 'no warning when it is off');

    assert.equal((await login(server, email, 'not the password at all')).status, 401);
    assert.equal(storedHash(server, email), weak, 'a wrong password changes nothing');

    const signIn = await login(server, email, password);
    assert.equal(signIn.status, 200, signIn.text);
    const strong = storedHash(server, email);
    assert.notEqual(strong, weak);
    assert.equal(cost(strong), FULL, 'the sign-in stored a full-cost hash');

    const again = await login(server, email, password);
    assert.equal(again.status, 200, 'the password is unchanged');
    assert.equal(storedHash(server, email), strong, 'a full-cost hash is kept');
    const me = await new Client(server.url, signIn.json.token).get('/api/v1/me');
    assert.equal(me.status, 200);
    assert.equal(me.json.version, created.json.version, 'the user record did not change');

    const admin2 = await adminClient(server);
    const audit = await admin2.get('/api/v1/audit?entity=users&limit=200');
    assert.equal(audit.status, 200, audit.text);
    const entries = audit.json.data.filter((e) => e.record_id === userId && e.action === 'rehash_password');
    assert.equal(entries.length, 1, `one rehash in the audit log: ${JSON.stringify(audit.json.data)}`);
    assert.equal(entries[0].user_id, userId, 'audited as the user who signed in');
    assert.deepEqual(entries[0].changes, { password_cost: [FAST, FULL] });
    assert.equal(entries[0].request_id, signIn.headers.get('x-request-id'), 'with the sign-in request id');
    assert.ok(!audit.text.includes('$argon2'), 'no hash in the audit log');

    // Fast hashing again (a test server on a copy of production data) never weakens it.
    server = await server.restart({ env: { KEEL_FAST_PASSWORD_HASH: '1' } });
    assert.equal((await login(server, email, password)).status, 200);
    assert.equal(storedHash(server, email), strong);
  } finally {
    await server.stop();
    server.cleanup();
  }
});

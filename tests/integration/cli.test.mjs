// The `keel` command line: version, migrate, user add/deactivate/reset-password, backup, restore
// and check, run as an operator would (child processes against the same storage a server uses),
// and bad usage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, adminClient, userClient, Client, KEEL_BIN, DB_KIND, qs, listAll } from './harness.mjs';

// ---------------------------------------------------------------------------------------------
// helpers

// Runs keel; never rejects. { code, signal, stdout, stderr, out (both) }.
function keel(args, { env = {}, timeout = 60000, cwd } = {}) {
  return new Promise((resolve) => {
    execFile(KEEL_BIN, args, { env: { ...process.env, KEEL_FAST_PASSWORD_HASH: '1', KEEL_ACCESS_LOG: '0', ...env }, timeout, cwd, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => resolve({
        code: err ? (typeof err.code === 'number' ? err.code : null) : 0,
        signal: err?.signal ?? null, stdout, stderr, out: stdout + stderr,
      }));
  });
}

const PG_BASE = process.env.KEEL_TEST_POSTGRES_URL;

// A new empty storage: a temp data dir, plus a new database on PostgreSQL.
function freshStorage() {
  const dataDir = mkdtempSync(join(tmpdir(), 'keel-cli-'));
  let databaseUrl = '';
  if (DB_KIND === 'postgres') {
    const name = 'keel_t_' + randomUUID().replaceAll('-', '').slice(0, 16);
    execFileSync('psql', [PG_BASE, '-q', '-c', `CREATE DATABASE ${name}`], { stdio: 'pipe' });
    const url = new URL(PG_BASE);
    url.pathname = '/' + name;
    databaseUrl = url.toString();
  }
  return { dataDir, databaseUrl, cleanup() { rmSync(dataDir, { recursive: true, force: true }); } };
}

function db(s) {
  return ['--data-dir', s.dataDir, ...(s.databaseUrl ? ['--database-url', s.databaseUrl] : [])];
}

function hasSqlite3() {
  try { execFileSync('sqlite3', ['-version'], { stdio: 'pipe' }); return true; } catch { return false; }
}

// Runs SQL directly on a storage, behind Keel's back (to damage it on purpose).
function rawSql(s, sql) {
  if (DB_KIND === 'postgres') {
    // replica mode switches off foreign-key triggers, so a broken reference can be written.
    return execFileSync('psql', [s.databaseUrl, '-Atq', '-v', 'ON_ERROR_STOP=1', '-c', `SET session_replication_role = replica; ${sql}`]).toString();
  }
  return execFileSync('sqlite3', [join(s.dataDir, 'keel.db'), sql]).toString();
}

// The lines of stderr that report the command's failure (the others are warnings, such as the
// one KEEL_FAST_PASSWORD_HASH prints).
function errorLines(r) {
  return r.stderr.split('\n').filter((line) => line.startsWith('error:'));
}

function sha256(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}


async function login(server, email, password) {
  return new Client(server.url).post('/api/v1/auth/login', { email, password });
}

// A server plus a tidy-up that stops it and removes its storage.
async function withServer(fn, opts = {}) {
  const server = await startServer(opts);
  try {
    return await fn(server);
  } finally {
    await server.stop();
    server.cleanup();
  }
}

const sqliteOnly = DB_KIND !== 'sqlite' && 'SQLite only';

// ---------------------------------------------------------------------------------------------
// version and migrate

test('keel version prints the version and the schema it knows', async () => {
  const r = await keel(['version']);
  assert.equal(r.code, 0, r.out);
  assert.match(r.stdout, /^keel \d+\.\d+\.\d+\S* \(schema \d+\)\n$/);
  // The same version the server reports.
  await withServer(async (server) => {
    const h = await (await fetch(server.url + '/healthz')).json();
    assert.equal(r.stdout.split(' ')[1], h.version);
  });
});

test('keel migrate on a fresh store applies the schema; a second run is a no-op', async () => {
  const s = freshStorage();
  let server;
  try {
    const schema = /\(schema (\d+)\)/.exec((await keel(['version'])).stdout)[1];
    const first = await keel(['migrate', ...db(s)]);
    assert.equal(first.code, 0, first.out);
    const m1 = /applied (\d+) migration\(s\); schema version (\d+)/.exec(first.stdout);
    assert.ok(m1, first.stdout);
    assert.ok(Number(m1[1]) >= 1);
    assert.equal(m1[2], schema);
    const second = await keel(['migrate', ...db(s)]);
    assert.equal(second.code, 0, second.out);
    assert.match(second.stdout, new RegExp(`applied 0 migration\\(s\\); schema version ${schema}\\b`));
    const check = await keel(['check', ...db(s)]);
    assert.equal(check.code, 0, check.out);
    assert.match(check.stdout, /ok: no problems found/);
    // A server starts on the migrated store without migrating again, and bootstraps its admin.
    server = await startServer(s);
    assert.doesNotMatch(server.output(), /schema migrated/);
    assert.ok(server.admin.password, 'first administrator created');
    await adminClient(server);
  } finally {
    if (server) await server.stop();
    s.cleanup();
  }
});

test('a database from a newer Keel is refused by migrate and serve, and flagged by check', async (t) => {
  if (DB_KIND === 'sqlite' && !hasSqlite3()) return t.skip('sqlite3 CLI not installed');
  const s = freshStorage();
  try {
    assert.equal((await keel(['migrate', ...db(s)])).code, 0);
    rawSql(s, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from the future', '2030-01-01T00:00:00.000Z')");
    const m = await keel(['migrate', ...db(s)]);
    assert.notEqual(m.code, 0);
    assert.match(m.stderr, /newer than this Keel/);
    const serve = await keel(['serve', '--port', '0', ...db(s)], { timeout: 30000 });
    assert.notEqual(serve.code, 0);
    assert.equal(serve.signal, null, 'refused and exited by itself');
    assert.match(serve.stderr, /newer than this Keel/);
    assert.doesNotMatch(serve.stdout, /listening on/);
    const check = await keel(['check', ...db(s)]);
    assert.equal(check.code, 1, check.out);
    assert.match(check.stdout, /schema version 999 differs/);
  } finally {
    s.cleanup();
  }
});

// ---------------------------------------------------------------------------------------------
// users (storage flags go right after `user`: see the README-order test below)

test('keel user add creates a user who can sign in on a running server', async () => {
  await withServer(async (server) => {
    const email = `cli-${randomUUID().slice(0, 8)}@example.com`;
    const r = await keel(['user', ...db(server), 'add', email, '--role', 'sales', '--name', '王伟']);
    assert.equal(r.code, 0, r.out);
    // (The exact wording of this output is checked in the next test; here the password is
    // taken with or without quotes around it, to test the user it describes.)
    const password = /password: "?([^"\s]+)"?/.exec(r.stdout)?.[1];
    assert.ok(password && password.length >= 10, 'a generated password is printed');
    const li = await login(server, email.toUpperCase(), password);
    assert.equal(li.status, 200, li.text);
    assert.equal(li.json.user.role_id, 'sales');
    assert.equal(li.json.user.name, '王伟');
    const me = await new Client(server.url, li.json.token).get('/api/v1/me');
    assert.equal(me.status, 200);

    // Without --role the user gets the default, read-only role.
    const plain = `cli-${randomUUID().slice(0, 8)}@example.com`;
    const p = await keel(['user', ...db(server), 'add', plain]);
    assert.equal(p.code, 0, p.out);
    assert.match(p.stdout, /\(role "?read_only"?\)/);

    // Mistakes are refused with a reason, and create nothing.
    const dup = await keel(['user', ...db(server), 'add', email, '--role', 'sales']);
    assert.notEqual(dup.code, 0);
    assert.match(dup.stderr, /already exists/);
    const badRole = `cli-${randomUUID().slice(0, 8)}@example.com`;
    const br = await keel(['user', ...db(server), 'add', badRole, '--role', 'overlord']);
    assert.notEqual(br.code, 0);
    assert.match(br.stderr, /role_id/);
    const be = await keel(['user', ...db(server), 'add', 'not-an-email']);
    assert.notEqual(be.code, 0);
    assert.match(be.stderr, /email/);
    const admin = await adminClient(server);
    const users = await admin.get('/api/v1/users');
    assert.equal(users.status, 200);
    const emails = users.json.data.map((u) => u.email);
    assert.ok(emails.includes(email) && emails.includes(plain));
    assert.ok(!emails.includes(badRole) && !emails.includes('not-an-email'));

    // Audited like a create through the API, as the command line: one entry per user made.
    const created = users.json.data.find((u) => u.email === email);
    const audit = (await admin.get('/api/v1/audit?entity=users&limit=100')).json.data;
    const entries = audit.filter((a) => a.record_id === created.id);
    assert.deepEqual(entries.map((a) => [a.action, a.request_id, a.entity]), [['create', 'cli', 'users']], JSON.stringify(entries));
    assert.deepEqual(entries[0].changes.email, [null, email]);
    assert.deepEqual(entries[0].changes.role_id, [null, 'sales']);
    const refused = audit.filter((a) => a.changes?.email?.[1] === badRole || a.changes?.email?.[1] === 'not-an-email');
    assert.deepEqual(refused, [], 'a refused add writes no audit entry');
  });
});

test('keel user add refuses a bad email with the message the API gives for the same body', async () => {
  await withServer(async (server) => {
    const admin = await adminClient(server);
    // What the CLI sends for `keel user add bad-email` (no --name: the email is the name).
    const api = await admin.post('/api/v1/users', { email: 'bad-email', name: 'bad-email' });
    assert.equal(api.status, 422, api.text);
    assert.deepEqual(api.json.errors.map((e) => [e.field, e.code]), [['email', 'invalid_format']]);
    const r = await keel(['user', ...db(server), 'add', 'bad-email']);
    assert.equal(r.code, 1, r.out);
    assert.equal(r.stdout, '', 'nothing is reported as added');
    assert.deepEqual(errorLines(r), [`error: ${api.json.title} [email: ${api.json.errors[0].message}]`]);
    // The same holds for a field the create body limits (a name over 100 characters).
    const long = 'n'.repeat(101);
    const apiLong = await admin.post('/api/v1/users', { email: 'long-name@example.com', name: long });
    assert.equal(apiLong.status, 422, apiLong.text);
    const rl = await keel(['user', ...db(server), 'add', 'long-name@example.com', '--name', long]);
    assert.equal(rl.code, 1, rl.out);
    assert.deepEqual(errorLines(rl), [`error: ${apiLong.json.title} [name: ${apiLong.json.errors[0].message}]`]);
  });
});

test('keel user add prints the email, role and password plainly, ready to copy', async () => {
  // The operator copies the password from this output; quotes around it would become part of a
  // password that then fails (the README prints the first admin's password without quotes).
  await withServer(async (server) => {
    const email = `cli-${randomUUID().slice(0, 8)}@example.com`;
    const r = await keel(['user', ...db(server), 'add', email, '--role', 'sales']);
    assert.equal(r.code, 0, r.out);
    const m = /^added (\S+) \(role (\S+)\)\npassword: (\S+)\n$/.exec(r.stdout);
    assert.ok(m, r.stdout);
    assert.equal(m[1], email);
    assert.equal(m[2], 'sales');
    assert.equal((await login(server, email, m[3])).status, 200, `the printed password ${m[3]} does not sign in`);
  });
});

test('keel user deactivate ends the sessions and tokens of a user on a running server', async () => {
  await withServer(async (server) => {
    const admin = await adminClient(server);
    const user = await userClient(server, admin, { role: 'sales' });
    const tok = await user.post('/api/v1/tokens', { name: 'integration' });
    assert.equal(tok.status, 201, tok.text);
    const api = new Client(server.url, tok.json.token);
    assert.equal((await user.get('/api/v1/me')).status, 200);
    assert.equal((await api.get('/api/v1/me')).status, 200);

    const r = await keel(['user', ...db(server), 'deactivate', user.user.email]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.stdout, /deactivated/);
    // The running server notices on the very next request.
    assert.equal((await user.get('/api/v1/me')).status, 401);
    assert.equal((await api.get('/api/v1/accounts')).status, 401);
    const again = await login(server, user.user.email, user.password);
    assert.equal(again.status, 401);
    const u = await admin.get(`/api/v1/users/${user.user.id}`);
    assert.equal(u.json.active, false);
    // Other users are untouched.
    assert.equal((await admin.get('/api/v1/me')).status, 200);
    // Audited like the same change through the API, as the command line.
    const audit = (await admin.get('/api/v1/audit?entity=users&limit=50')).json.data;
    const entry = audit.find((a) => a.record_id === user.user.id && a.action === 'update');
    assert.ok(entry, JSON.stringify(audit));
    assert.equal(entry.request_id, 'cli');
    assert.deepEqual(entry.changes.active, [true, false]);

    const missing = await keel(['user', ...db(server), 'deactivate', 'nobody@example.com']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /No such user/);
  });
});

test('keel user reset-password: the new password works, the old one and old sessions do not', async () => {
  await withServer(async (server) => {
    const admin = await adminClient(server);
    const user = await userClient(server, admin, { role: 'sales' });
    const email = user.user.email;

    const r = await keel(['user', ...db(server), 'reset-password', email]);
    assert.equal(r.code, 0, r.out);
    const fresh = new RegExp(`password for ${email.replace('.', '\\.')}: (\\S+)`).exec(r.stdout)?.[1];
    assert.ok(fresh && fresh.length >= 10 && fresh !== user.password, r.stdout);
    assert.equal((await user.get('/api/v1/me')).status, 401, 'the old session is signed out');
    assert.equal((await login(server, email, user.password)).status, 401, 'the old password fails');
    assert.equal((await login(server, email, fresh)).status, 200, 'the new password works');

    // An operator-chosen password; a too-short one is refused and changes nothing.
    const chosen = 'chosen-password-' + randomUUID().slice(0, 6);
    const c = await keel(['user', ...db(server), 'reset-password', email, '--password', chosen]);
    assert.equal(c.code, 0, c.out);
    assert.ok(c.stdout.includes(chosen));
    const short = await keel(['user', ...db(server), 'reset-password', email, '--password', 'short']);
    assert.notEqual(short.code, 0);
    assert.match(short.stderr, /password/);
    assert.equal((await login(server, email, chosen)).status, 200, 'the refused reset changed nothing');
    assert.equal((await login(server, email, 'short')).status, 401);

    const missing = await keel(['user', ...db(server), 'reset-password', 'nobody@example.com']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /No such user/);

    // Audited like the API's reset, as the command line: one entry per reset that happened (the
    // generated and the chosen password), none for the refused one.
    const audit = (await admin.get('/api/v1/audit?entity=users&limit=100')).json.data;
    const resets = audit.filter((a) => a.record_id === user.user.id && a.action === 'reset_password');
    assert.deepEqual(resets.map((a) => [a.request_id, a.entity]), [['cli', 'users'], ['cli', 'users']], JSON.stringify(resets));
    assert.ok(!JSON.stringify(resets).includes(chosen), 'the audit log never holds a password');
  });
});

test('keel user takes --data-dir / --database-url after the subcommand, as the README writes it', async () => {
  // README: "keel user add EMAIL --role sales, ... (all accept --data-dir / --database-url)". The
  // user tests above put the storage flags before add/deactivate/reset-password, which works; an
  // operator following the README puts them at the end.
  await withServer(async (server) => {
    const email = `cli-${randomUUID().slice(0, 8)}@example.com`;
    const r = await keel(['user', 'add', email, '--role', 'sales', ...db(server)]);
    assert.equal(r.code, 0, r.out);
    const password = /password: (\S+)/.exec(r.stdout)?.[1];
    assert.equal((await login(server, email, password)).status, 200);
    const d = await keel(['user', 'deactivate', email, ...db(server)]);
    assert.equal(d.code, 0, d.out);
    assert.equal((await login(server, email, password)).status, 401);
  });
});

// ---------------------------------------------------------------------------------------------
// backup, restore, check

test('keel backup while writes continue; restore into a fresh store and in place', async () => {
  const server = await startServer({ threads: 4 });
  const fresh = freshStorage();
  const dir = mkdtempSync(join(tmpdir(), 'keel-backup-'));
  const file = join(dir, 'keel.backup');
  let restored;
  try {
    const admin = await adminClient(server);
    const acked = new Map(); // id -> { name, at }
    for (let i = 0; i < 30; i++) {
      const r = await admin.post('/api/v1/accounts', { name: `before-${i}`, city: '上海' });
      assert.equal(r.status, 201);
      acked.set(r.json.id, { name: r.json.name, at: Date.now() });
    }
    const contact = await admin.post('/api/v1/contacts', { first_name: '小明', last_name: '王', account_id: [...acked.keys()][0] });
    assert.equal(contact.status, 201);
    let stop = false;
    const writer = async (n) => {
      for (let i = 0; !stop; i++) {
        const r = await admin.post('/api/v1/accounts', { name: `during-${n}-${i}` });
        assert.equal(r.status, 201, r.text);
        acked.set(r.json.id, { name: r.json.name, at: Date.now() });
      }
    };
    const writers = [writer(0), writer(1)];
    await new Promise((r) => setTimeout(r, 200));
    const backupStart = Date.now();
    const b = await keel(['backup', file, ...db(server)]);
    const backupEnd = Date.now();
    await new Promise((r) => setTimeout(r, 100));
    stop = true;
    await Promise.all(writers);
    assert.equal(b.code, 0, b.out);
    assert.match(b.stdout, /backup written to/);
    assert.ok(statSync(file).size > 0);
    const during = [...acked.values()].filter(({ at }) => at > backupStart && at < backupEnd).length;
    assert.ok(during >= 1, 'writes were acknowledged while the backup ran');
    const beforeBackup = [...acked].filter(([, v]) => v.at < backupStart);
    // Records written after the backup: they must vanish when the backup is restored in place.
    const after = [];
    for (let i = 0; i < 5; i++) after.push((await admin.post('/api/v1/accounts', { name: `after-${i}` })).json.id);
    await server.stop();

    // Into a fresh store.
    const r = await keel(['restore', file, ...db(fresh)]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.stdout, /restored/);
    const check = await keel(['check', ...db(fresh)]);
    assert.equal(check.code, 0, check.out);
    restored = await startServer({ ...fresh, admin: server.admin });
    const admin2 = await adminClient(restored); // the users came with the backup
    const accounts = await listAll(admin2, 'accounts');
    const lost = beforeBackup.filter(([id, v]) => accounts.get(id)?.name !== v.name);
    assert.deepEqual(lost, [], 'records acknowledged before the backup started');
    assert.equal(accounts.get([...acked.keys()][0]).city, '上海');
    const c = await admin2.get(`/api/v1/contacts/${contact.json.id}`);
    assert.equal(c.status, 200);
    assert.equal(c.json.name, '王小明');
    for (const id of after) assert.ok(!accounts.has(id), 'a record written after the backup finished is in it');
    await restored.stop();
    restored = null;

    // In place, over the newer state of the original store.
    const inPlace = await keel(['restore', file, ...db(server)]);
    assert.equal(inPlace.code, 0, inPlace.out);
    restored = await startServer({ dataDir: server.dataDir, databaseUrl: server.databaseUrl, admin: server.admin });
    const admin3 = await adminClient(restored);
    const back = await listAll(admin3, 'accounts');
    assert.deepEqual(beforeBackup.filter(([id, v]) => back.get(id)?.name !== v.name), []);
    for (const id of after) assert.ok(!back.has(id), 'restore in place kept a record newer than the backup');
    assert.equal((await admin3.post('/api/v1/accounts', { name: 'after restore' })).status, 201);
  } finally {
    if (restored) await restored.stop();
    await server.stop();
    server.cleanup();
    fresh.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('keel backup will not overwrite an existing file', async () => {
  await withServer(async (server) => {
    const dir = mkdtempSync(join(tmpdir(), 'keel-backup-'));
    try {
      const file = join(dir, 'precious');
      writeFileSync(file, 'yesterday\'s backup');
      const r = await keel(['backup', file, ...db(server)]);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /already exists/);
      assert.equal(readFileSync(file, 'utf8'), 'yesterday\'s backup');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('keel backup of a store that holds no Keel database is refused, not an empty backup', async () => {
  // A mistyped --data-dir / --database-url must not produce a "successful" backup of nothing.
  const s = freshStorage();
  const dir = mkdtempSync(join(tmpdir(), 'keel-backup-'));
  try {
    const file = join(dir, 'keel.backup');
    const r = await keel(['backup', file, ...db(s)]);
    assert.notEqual(r.code, 0, `backup of an empty store succeeded: ${r.out}`);
    assert.match(r.stderr, /no Keel database|not a Keel database|schema/i);
    assert.ok(!existsSync(file), 'no backup file is left behind');
  } finally {
    s.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('keel restore refuses while a server holds the data dir, and the server carries on', { skip: sqliteOnly }, async () => {
  await withServer(async (server) => {
    const admin = await adminClient(server);
    const a = await admin.post('/api/v1/accounts', { name: 'kept' });
    const dir = mkdtempSync(join(tmpdir(), 'keel-backup-'));
    try {
      const file = join(dir, 'keel.backup');
      assert.equal((await keel(['backup', file, ...db(server)])).code, 0);
      const later = await admin.post('/api/v1/accounts', { name: 'newer than the backup' });
      const r = await keel(['restore', file, ...db(server)]);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /running|stop it/);
      // Nothing was swapped under the server.
      assert.equal((await admin.get(`/api/v1/accounts/${a.json.id}`)).status, 200);
      assert.equal((await admin.get(`/api/v1/accounts/${later.json.id}`)).status, 200);
      assert.equal((await admin.post('/api/v1/accounts', { name: 'still writing' })).status, 201);
      assert.ok(!existsSync(join(server.dataDir, 'keel.db.restoring')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('a second server on the same data dir refuses to start', { skip: sqliteOnly }, async () => {
  await withServer(async (server) => {
    const r = await keel(['serve', '--port', '0', ...db(server)], { timeout: 30000 });
    assert.notEqual(r.code, 0);
    assert.equal(r.signal, null);
    assert.match(r.stderr, /another Keel process/);
    assert.doesNotMatch(r.stdout, /listening on/);
    await adminClient(server);
  });
});

test('a truncated, corrupt or foreign backup is refused and the database is untouched', async () => {
  const server = await startServer();
  const dir = mkdtempSync(join(tmpdir(), 'keel-backup-'));
  let again;
  try {
    const admin = await adminClient(server);
    const ids = [];
    for (let i = 0; i < 40; i++) ids.push((await admin.post('/api/v1/accounts', { name: `keep-${i}`, description: 'x'.repeat(2000) })).json.id);
    const good = join(dir, 'good.backup');
    assert.equal((await keel(['backup', good, ...db(server)])).code, 0);
    // Records newer than the backup: a refused restore must not roll them back either.
    const newer = (await admin.post('/api/v1/accounts', { name: 'newer' })).json.id;
    await server.stop();
    const dbFile = join(server.dataDir, 'keel.db');
    const before = DB_KIND === 'sqlite' ? sha256(dbFile) : null;

    const whole = readFileSync(good);
    const bad = {
      truncated: whole.subarray(0, Math.floor(whole.length / 2)),
      'cut at the end': whole.subarray(0, whole.length - 100),
      garbage: Buffer.from('not a backup at all\n'.repeat(500)),
      'flipped bytes': Buffer.from(whole).fill(0xa5, Math.floor(whole.length / 3), Math.floor(whole.length / 3) + 4096),
      empty: Buffer.alloc(0),
    };
    for (const [name, bytes] of Object.entries(bad)) {
      const f = join(dir, name.replaceAll(' ', '-'));
      writeFileSync(f, bytes);
      const r = await keel(['restore', f, ...db(server)]);
      assert.notEqual(r.code, 0, `${name} backup was restored: ${r.out}`);
      assert.equal(r.signal, null, `${name}: a clean refusal, not a crash`);
      assert.ok(r.stderr.length > 0, `${name}: says why`);
      if (before) assert.equal(sha256(dbFile), before, `${name}: keel.db changed`);
    }
    if (DB_KIND === 'sqlite' && hasSqlite3()) {
      // A valid SQLite file that is not a Keel database.
      const foreign = join(dir, 'foreign.db');
      execFileSync('sqlite3', [foreign, 'CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES (1);']);
      const r = await keel(['restore', foreign, ...db(server)]);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /not a Keel database/);
      assert.equal(sha256(dbFile), before);
    }
    const none = await keel(['restore', join(dir, 'no-such-file'), ...db(server)]);
    assert.notEqual(none.code, 0);
    assert.match(none.stderr, /no such backup file/);

    // The store is exactly as it was: every record, including the one newer than the backup.
    const check = await keel(['check', ...db(server)]);
    assert.equal(check.code, 0, check.out);
    again = await startServer({ dataDir: server.dataDir, databaseUrl: server.databaseUrl, admin: server.admin });
    const admin2 = await adminClient(again);
    const accounts = await listAll(admin2, 'accounts');
    for (const id of [...ids, newer]) assert.ok(accounts.has(id), 'a record vanished after a refused restore');
    assert.equal(accounts.size, ids.length + 1);
  } finally {
    if (again) await again.stop();
    await server.kill();
    server.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('keel backup and restore take a file name with spaces and quotes', async () => {
  // SQLite backups go through "VACUUM INTO '<file>'": the name must be quoted, not interpreted.
  const server = await startServer();
  const fresh = freshStorage();
  const dir = mkdtempSync(join(tmpdir(), 'keel-backup-'));
  let restored;
  try {
    const admin = await adminClient(server);
    const a = await admin.post('/api/v1/accounts', { name: 'quoted' });
    const file = join(dir, 'it\'s a "backup"; DROP TABLE accounts; --.db');
    const b = await keel(['backup', file, ...db(server)]);
    assert.equal(b.code, 0, b.out);
    assert.ok(existsSync(file) && statSync(file).size > 0, 'the backup has exactly the name asked for');
    await server.stop();
    const r = await keel(['restore', file, ...db(fresh)]);
    assert.equal(r.code, 0, r.out);
    restored = await startServer({ ...fresh, admin: server.admin });
    const admin2 = await adminClient(restored);
    assert.equal((await admin2.get(`/api/v1/accounts/${a.json.id}`)).json.name, 'quoted');
  } finally {
    if (restored) await restored.stop();
    await server.stop();
    server.cleanup();
    fresh.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('keel restore refuses a backup from a newer Keel and leaves the store untouched', async (t) => {
  // README: "keel restore FILE  # server stopped; the backup is verified first". Restoring a
  // newer schema would leave a store this Keel then refuses to serve.
  if (DB_KIND === 'sqlite' && !hasSqlite3()) return t.skip('sqlite3 CLI not installed');
  const future = await startServer();
  const target = await startServer();
  const dir = mkdtempSync(join(tmpdir(), 'keel-backup-'));
  let again;
  try {
    await (await adminClient(future)).post('/api/v1/accounts', { name: 'from the future' });
    await future.stop();
    rawSql(future, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from the future', '2030-01-01T00:00:00.000Z')");
    const file = join(dir, 'future.backup');
    assert.equal((await keel(['backup', file, ...db(future)])).code, 0);

    const kept = await (await adminClient(target)).post('/api/v1/accounts', { name: 'current' });
    await target.stop();
    const r = await keel(['restore', file, ...db(target)]);
    assert.notEqual(r.code, 0, `a backup from a newer Keel was restored: ${r.out}`);
    assert.match(r.stderr, /newer/);
    again = await startServer({ dataDir: target.dataDir, databaseUrl: target.databaseUrl, admin: target.admin });
    const admin = await adminClient(again);
    assert.equal((await admin.get(`/api/v1/accounts/${kept.json.id}`)).status, 200);
  } finally {
    if (again) await again.stop();
    await future.stop();
    await target.stop();
    future.cleanup();
    target.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('keel check on a healthy database with linked records exits 0', async () => {
  await withServer(async (server) => {
    const admin = await adminClient(server);
    const a = await admin.post('/api/v1/accounts', { name: 'Acme' });
    const c = await admin.post('/api/v1/contacts', { first_name: 'Ada', account_id: a.json.id });
    const d = await admin.post('/api/v1/deals', { name: 'Big deal', account_id: a.json.id, contact_ids: [c.json.id] });
    assert.equal(d.status, 201, d.text);
    assert.equal((await admin.patch(`/api/v1/accounts/${a.json.id}`, { city: 'Berlin' })).status, 200);
    assert.equal((await admin.del(`/api/v1/contacts/${c.json.id}`)).status, 200);
    const r = await keel(['check', ...db(server)]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.stdout, /^ok: no problems found\n$/);
  });
});

test('keel check finds a broken reference, a missing change-log entry and a deal off its pipeline', async (t) => {
  if (DB_KIND === 'sqlite' && !hasSqlite3()) return t.skip('sqlite3 CLI not installed');
  await withServer(async (server) => {
    const admin = await adminClient(server);
    const a = await admin.post('/api/v1/accounts', { name: 'Referenced' });
    const b = await admin.post('/api/v1/accounts', { name: 'Unlogged' });
    const c = await admin.post('/api/v1/contacts', { first_name: 'Linked', account_id: a.json.id });
    const d = await admin.post('/api/v1/deals', { name: 'Lost stage' });
    assert.equal(d.status, 201, d.text);
    assert.equal((await keel(['check', ...db(server)])).code, 0, 'healthy before the damage');
    rawSql(server, `UPDATE contacts SET account_id = 'no-such-account' WHERE id = '${c.json.id}'`);
    rawSql(server, `DELETE FROM change_log WHERE record_id = '${b.json.id}'`);
    rawSql(server, `UPDATE deals SET stage_id = 'no-such-stage' WHERE id = '${d.json.id}'`);
    const r = await keel(['check', ...db(server)]);
    assert.equal(r.code, 1, r.out);
    assert.ok(r.stdout.includes(`contacts ${c.json.id}: account_id points to a missing accounts record`), r.stdout);
    assert.ok(r.stdout.includes(`accounts ${b.json.id}: version 1 has no change-log entry`), r.stdout);
    assert.ok(r.stdout.includes(`deals ${d.json.id}: stage no-such-stage is not in its pipeline`), r.stdout);
    assert.match(r.stdout, /\d+ problem\(s\) found/);
    assert.doesNotMatch(r.stdout, /ok: no problems found/);
  });
});

test('keel check on a store with no Keel database says so', async () => {
  const s = freshStorage();
  try {
    const r = await keel(['check', ...db(s)]);
    assert.notEqual(r.code, 0);
    assert.equal(r.signal, null);
    assert.match(r.out, /schema version 0|no Keel database|keel migrate/i, 'a clear reason, not an SQL error');
  } finally {
    s.cleanup();
  }
});

// ---------------------------------------------------------------------------------------------
// bad usage

test('bad command lines give a clear message and a non-zero exit', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-cli-'));
  try {
    const cases = [
      [['frobnicate'], /frobnicate/],
      [[], /subcommand/i],
      [['serve', '--port', '70000', '--data-dir', dir], /--port.*65535|65535.*--port/],
      [['serve', '--port', 'abc', '--data-dir', dir], /--port/],
      [['serve', '--threads', '0', '--data-dir', dir], /--threads/],
      [['serve', '--no-such-flag', '--data-dir', dir], /--no-such-flag/],
      [['user', '--data-dir', dir, 'add'], /email/i],
      [['user', '--data-dir', dir, 'promote', 'a@example.com'], /promote/i],
      [['backup', '--data-dir', dir], /file/i],
      [['restore', '--data-dir', dir], /file/i],
    ];
    // Every case is run; the problems are reported together.
    const problems = [];
    for (const [args, message] of cases) {
      const r = await keel(args, { timeout: 20000 });
      const cmd = `keel ${args.join(' ').replace(dir, 'DIR')}`;
      if (r.code === 0) problems.push(`${cmd}: exited 0`);
      else if (r.signal !== null) problems.push(`${cmd}: killed by ${r.signal}`);
      else if (!message.test(r.out)) problems.push(`${cmd}: unclear message ${JSON.stringify(r.out.trim())}`);
      if (/listening on/.test(r.stdout)) problems.push(`${cmd}: started a server`);
    }
    assert.deepEqual(problems, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a malformed number in an environment variable is reported, not a crash', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-cli-'));
  try {
    const problems = [];
    for (const name of ['KEEL_PORT', 'KEEL_THREADS', 'KEEL_RATE_LIMIT_PER_MINUTE']) {
      const r = await keel(['serve', '--port', '0', '--data-dir', dir], { env: { [name]: 'abc' }, timeout: 20000 });
      if (r.signal !== null) problems.push(`${name}=abc: killed by ${r.signal}: ${r.stderr.trim().slice(0, 200)}`);
      else if (r.code === 0) problems.push(`${name}=abc: exited 0`);
      else if (!r.stderr.includes(name)) problems.push(`${name}=abc: message does not name it: ${r.stderr.trim().slice(0, 200)}`);
    }
    // Even a command that does not use the value must not crash on it.
    const v = await keel(['version'], { env: { KEEL_PORT: 'abc' } });
    if (v.signal !== null) problems.push(`keel version with KEEL_PORT=abc: killed by ${v.signal}`);
    assert.deepEqual(problems, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('serve on a port already in use exits with a clear error', async () => {
  await withServer(async (server) => {
    const port = new URL(server.url).port;
    const other = freshStorage();
    try {
      const r = await keel(['serve', '--port', port, ...db(other)], { timeout: 30000 });
      assert.notEqual(r.code, 0);
      assert.equal(r.signal, null);
      assert.match(r.stderr, /in use/i);
      assert.doesNotMatch(r.stdout, /listening on/);
      await adminClient(server); // the first server is unaffected
    } finally {
      other.cleanup();
    }
  });
});

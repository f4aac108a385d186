// Backups made by the running server (the backup screen: POST/GET /api/v1/admin/backups) and on
// its schedule, and the audit log's filters, on both engines. The file each backup names is
// checked on disk (size, SHA-256) and restored into a fresh store with `keel restore`.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, adminClient, userClient, KEEL_BIN, DB_KIND, qs } from './harness.mjs';

const server = await startServer({ env: { KEEL_BACKUP_KEEP: '2' } });
after(() => server.close());
const admin = await adminClient(server);

async function backupNow(client = admin) {
  const r = await client.post('/api/v1/admin/backups');
  assert.equal(r.status, 202, r.text);
  assert.equal(r.json.status, 'running');
  return r.json;
}

async function waitDone(id, client = admin, srv = server) {
  for (let i = 0; i < 300; i++) {
    const r = await client.get(`/api/v1/admin/backups/${id}`);
    assert.equal(r.status, 200, r.text);
    if (r.json.status !== 'running') return r.json;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`backup ${id} on ${srv.url} still running after 30 s`);
}

function keel(args) {
  return new Promise((resolve) => {
    execFile(KEEL_BIN, args, { env: { ...process.env, KEEL_FAST_PASSWORD_HASH: '1' }, timeout: 120000 },
      (err, stdout, stderr) => resolve({ code: err ? err.code : 0, out: stdout + stderr }));
  });
}

test('a backup made from the API is written, verified, hashed, audited and restorable', async () => {
  const marker = `Backup Marker ${randomUUID().slice(0, 8)}`;
  const acc = await admin.post('/api/v1/accounts', { name: marker });
  assert.equal(acc.status, 201, acc.text);

  const started = await backupNow();
  assert.equal(started.kind, 'manual');
  assert.equal(started.requested_by, admin.user.id);
  const done = await waitDone(started.id);
  assert.equal(done.status, 'ok', JSON.stringify(done));
  assert.ok(done.verified_at && done.finished_at >= done.started_at);
  assert.ok(done.duration_ms >= 0);
  assert.equal(done.requested_by_name, admin.user.name);
  const file = join(server.dataDir, 'backups', done.file_name);
  assert.ok(existsSync(file), `${file} exists`);
  assert.equal(done.file_name.endsWith(DB_KIND === 'postgres' ? '.dump' : '.db'), true, done.file_name);
  const bytes = readFileSync(file);
  assert.equal(done.size_bytes, bytes.length);
  assert.equal(done.sha256, createHash('sha256').update(bytes).digest('hex'));
  assert.ok(!readdirSync(join(server.dataDir, 'backups')).some((f) => f.endsWith('.partial')));

  // Who asked is in the audit log, found by the new filters.
  const audit = await admin.get('/api/v1/audit' + qs({ entity: 'backups', action: 'backup', record_id: started.id }));
  assert.equal(audit.status, 200, audit.text);
  assert.equal(audit.json.data.length, 1);
  assert.equal(audit.json.data[0].user_id, admin.user.id);
  assert.equal(audit.json.data[0].changes.kind, 'manual');

  // The file restores into a fresh store, and holds what was there before the backup.
  const dataDir = mkdtempSync(join(tmpdir(), 'keel-restored-'));
  let dbArgs = ['--data-dir', dataDir];
  if (DB_KIND === 'postgres') {
    const name = 'keel_r_' + randomUUID().replaceAll('-', '').slice(0, 16);
    execFileSync('psql', [process.env.KEEL_TEST_POSTGRES_URL, '-q', '-c', `CREATE DATABASE ${name}`], { stdio: 'pipe' });
    const url = new URL(process.env.KEEL_TEST_POSTGRES_URL);
    url.pathname = '/' + name;
    dbArgs = [...dbArgs, '--database-url', url.toString()];
  }
  try {
    const restore = await keel(['restore', file, ...dbArgs]);
    assert.equal(restore.code, 0, restore.out);
    const check = await keel(['check', ...dbArgs]);
    assert.equal(check.code, 0, check.out);
    const restored = await startServer({ dataDir, databaseUrl: dbArgs[3] ?? '', admin: server.admin });
    try {
      const a = await adminClient(restored);
      const found = await a.get('/api/v1/accounts' + qs({ q: marker }));
      assert.deepEqual(found.json.data.map((x) => x.id), [acc.json.id]);
    } finally {
      await restored.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('only the newest backups keep their files (KEEL_BACKUP_KEEP); the history keeps every row', async () => {
  const ids = [];
  for (let i = 0; i < 3; i++) {
    const b = await backupNow();
    assert.equal((await waitDone(b.id)).status, 'ok');
    ids.push(b.id);
  }
  // Pruning follows the backup that made a file too many; give it a moment to finish.
  let list;
  for (let i = 0; i < 50; i++) {
    list = await admin.get('/api/v1/admin/backups');
    if (list.json.data.find((b) => b.id === ids[0])?.pruned_at) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  assert.equal(list.status, 200);
  const byId = new Map(list.json.data.map((b) => [b.id, b]));
  assert.ok(byId.get(ids[0]).pruned_at, 'the oldest of the three is pruned');
  assert.equal(byId.get(ids[2]).pruned_at, null);
  assert.equal(byId.get(ids[1]).pruned_at, null);
  const files = readdirSync(join(server.dataDir, 'backups'));
  assert.equal(files.length, 2, files.join(', '));
  assert.ok(files.includes(byId.get(ids[2]).file_name));
  // Newest first, with the schedule as this server runs it.
  assert.deepEqual(list.json.data.slice(0, 3).map((b) => b.id), [ids[2], ids[1], ids[0]]);
  assert.equal(list.json.schedule.keep, 2);
  assert.equal(list.json.schedule.interval_hours, 0);
  assert.equal(list.json.schedule.next_at, null);
  assert.equal(list.json.schedule.directory, join(server.dataDir, 'backups'));
});

test('backups are for administrators; bad parameters are 400 and unknown ids 404', async () => {
  const rep = await userClient(server, admin, { role: 'sales' });
  assert.equal((await rep.post('/api/v1/admin/backups')).status, 403);
  assert.equal((await rep.get('/api/v1/admin/backups')).status, 403);
  const manager = await userClient(server, admin, { role: 'manager' });
  assert.equal((await manager.get('/api/v1/admin/backups')).status, 403);
  const bad = await admin.get('/api/v1/admin/backups?limit=0');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.code, 'invalid_parameter');
  assert.equal((await admin.get('/api/v1/admin/backups?sort=x')).json.code, 'unknown_parameter');
  const missing = await admin.get(`/api/v1/admin/backups/${randomUUID()}`);
  assert.equal(missing.status, 404);
});

test('the audit log filters by action, record, user and period (in the caller\'s time zone)', async () => {
  const a = await admin.post('/api/v1/accounts', { name: 'Audit Filter Co' });
  const upd = await admin.patch(`/api/v1/accounts/${a.json.id}`, { name: 'Audit Filter Co 2', version: 1 });
  assert.equal(upd.status, 200, upd.text);
  const rec = await admin.get('/api/v1/audit' + qs({ record_id: a.json.id }));
  assert.deepEqual(rec.json.data.map((e) => e.action), ['update', 'create']);
  const onlyUpdate = await admin.get('/api/v1/audit' + qs({ record_id: a.json.id, action: 'update' }));
  assert.deepEqual(onlyUpdate.json.data.map((e) => e.changes.name), [['Audit Filter Co', 'Audit Filter Co 2']]);
  const byUser = await admin.get('/api/v1/audit' + qs({ user_id: admin.user.id, record_id: a.json.id }));
  assert.equal(byUser.json.data.length, 2);
  const at = rec.json.data[1].at;
  const before = await admin.get('/api/v1/audit' + qs({ record_id: a.json.id, to: at }));
  assert.equal(before.json.data.length, 0, 'to is exclusive');
  const from = await admin.get('/api/v1/audit' + qs({ record_id: a.json.id, from: at }));
  assert.equal(from.json.data.length, 2);
  // An instant without an offset is read in the caller's zone: a Shanghai admin's 2000-01-01T08:00 is 00:00Z.
  const tz = await admin.patch('/api/v1/me', { time_zone: 'Asia/Shanghai' });
  assert.equal(tz.status, 200, tz.text);
  const local = await admin.get('/api/v1/audit' + qs({ record_id: a.json.id, to: '2000-01-01T08:00' }));
  assert.equal(local.json.data.length, 0);
  const bad = await admin.get('/api/v1/audit' + qs({ from: 'yesterday' }));
  assert.equal(bad.status, 400);
  assert.equal(bad.json.code, 'invalid_parameter');
  assert.equal(bad.json.errors[0].field, 'from');
});

test('a scheduled backup is made once an interval has passed since the last, as the server\'s clock says', async () => {
  const s = await startServer({ testClock: true, env: { KEEL_BACKUP_INTERVAL_HOURS: '24' } });
  try {
    const a = await adminClient(s);
    const first = await a.get('/api/v1/admin/backups');
    assert.equal(first.json.data.length, 0, 'a new database is not backed up at its first start');
    assert.equal(first.json.schedule.interval_hours, 24);
    const created = Date.parse(first.json.schedule.next_at) - 24 * 3600e3;
    assert.ok(Math.abs(created - Date.now()) < 60e3, `next_at is a day after creation: ${first.json.schedule.next_at}`);
    await s.clock.advance(25 * 3600e3);
    let list;
    for (let i = 0; i < 300; i++) {
      list = await a.get('/api/v1/admin/backups');
      if (list.json.data.length && list.json.data[0].status !== 'running') break;
      await new Promise((res) => setTimeout(res, 100));
    }
    assert.equal(list.json.data.length, 1, JSON.stringify(list.json));
    const b = list.json.data[0];
    assert.equal(b.kind, 'scheduled');
    assert.equal(b.status, 'ok', JSON.stringify(b));
    assert.equal(b.requested_by, null);
    assert.ok(existsSync(join(s.dataDir, 'backups', b.file_name)));
    assert.equal(Date.parse(list.json.schedule.next_at), Date.parse(b.started_at) + 24 * 3600e3);
    const audit = await a.get('/api/v1/audit' + qs({ entity: 'backups', record_id: b.id }));
    assert.equal(audit.json.data[0].request_id, 'schedule');
  } finally {
    await s.close();
  }
});

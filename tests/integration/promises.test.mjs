// README promises that no other file checks, each held to its exact wording: totals capped at
// 10,000 (1,000 when searching) with total_exact false; [in] with up to 200 values and
// containment filters on list fields; export refusing more than 100,000 rows (413
// export_too_large); idempotency keys kept 24 hours; concurrent servers migrating one database
// once; a custom field's name and type fixed under PATCH; /readyz 503 during the shutdown delay.
//
// One server for the file. Its `before` writes 100,001 products and 1,001 accounts straight
// into the database (the export and total limits need more rows than the API could create in
// a test's time); the other tests filter on records of their own.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, adminClient, userClient, Client, DB_KIND, qs } from './harness.mjs';

let server, admin;

// ---- helpers ------------------------------------------------------------------------------

const uniq = () => randomUUID().slice(0, 8);

// SQL run directly on a server's database (sqlite3 on its data dir, psql on its URL).
function rawSql(s, sql) {
  if (s.databaseUrl) return execFileSync('psql', [s.databaseUrl, '-Atq', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' });
  return execFileSync('sqlite3', ['-bail', '-cmd', '.timeout 10000', join(s.dataDir, 'keel.db'), sql], { encoding: 'utf8' });
}

function assertProblem(r, status, code, what = '') {
  const where = `${what}: ${r.status} ${r.text.slice(0, 300)}`;
  assert.equal(r.status, status, where);
  assert.match(r.headers.get('content-type') || '', /^application\/problem\+json/, where);
  assert.equal(r.json?.code, code, where);
}

async function list(client, entity, params) {
  const r = await client.get(`/api/v1/${entity}` + qs(params));
  assert.equal(r.status, 200, r.text);
  return r.json;
}

// Creates a few records at once; returns them in the order given.
async function createAll(client, entity, bodies) {
  const answers = await Promise.all(bodies.map((b) => client.post(`/api/v1/${entity}`, b)));
  for (const r of answers) assert.equal(r.status, 201, r.text);
  return answers.map((r) => r.json);
}

// Rows written straight into the database, in one statement each, with valid UUIDv7 ids
// ending in the row number so tests can name them:
//   100,001 products "Bulk product N", price_minor N (N = 1..100001), created at one instant;
//   1,001 accounts "Capped N", city Capville (N <= 1000) or Elsewhere (N = 1001), each with the
//   search term "capped" (only that term: enough for the search tests).
const BULK = 100_001;
const CAPPED = 1_001;
const bulkId = (n) => `01900000-0000-7000-8000-${String(n).padStart(12, '0')}`;

function insertBulk(s, ownerId) {
  const at = '2020-01-01T00:00:00.000Z';
  const sys = `1, '${ownerId}', '${at}', '${ownerId}', '${at}', '${ownerId}', '{}'`;
  const sysCols = 'id, version, owner_id, created_at, created_by, updated_at, updated_by, custom';
  const pg = Boolean(s.databaseUrl);
  const id = (prefix) => (pg ? `'${prefix}' || lpad(n::text, 12, '0')` : `printf('${prefix}%012d', n)`);
  const rows = (count) => (pg ? `FROM generate_series(1, ${count}) AS n` : `FROM seq WHERE n <= ${count}`);
  const seq = pg ? '' : `WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ${BULK}) `;
  const stmts = [
    `INSERT INTO products (${sysCols}, name, sku, price_minor, currency, active)
       ${seq}SELECT ${id('01900000-0000-7000-8000-')}, ${sys}, 'Bulk product ' || n, 'BULK-' || n, n, 'USD', 1 ${rows(BULK)}`,
    `INSERT INTO accounts (${sysCols}, name, city)
       ${seq}SELECT ${id('01900000-0000-7000-9000-')}, ${sys}, 'Capped ' || n,
       CASE WHEN n <= 1000 THEN 'Capville' ELSE 'Elsewhere' END ${rows(CAPPED)}`,
    `INSERT INTO search_index (entity, term, record_id)
       ${seq}SELECT 'accounts', 'capped', ${id('01900000-0000-7000-9000-')} ${rows(CAPPED)}`,
  ];
  rawSql(s, stmts.join(';\n'));
}

// A GET on a new connection (no keep-alive pool), so "still accepting connections" is what is
// tested. Resolves with { status, json } or { error } (connection refused, reset).
function freshGet(url, path) {
  return new Promise((resolve) => {
    const req = http.get(url + path, { agent: false, headers: { connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => {
        let json = null;
        try { json = JSON.parse(body); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, json });
      });
    });
    req.on('error', (error) => resolve({ error }));
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
  });
}

// ---- server -------------------------------------------------------------------------------

before(async () => {
  // Default read timeout: it bounds the client, not the time the server spends on an answer,
  // so even a 100,000-row export on a loaded sanitizer build arrives whole.
  // On a test clock: the idempotency window is tested by moving time, not by editing rows.
  server = await startServer({ testClock: true });
  admin = await adminClient(server);
  insertBulk(server, admin.user.id);
});

after(async () => {
  await server?.stop();
  server?.cleanup();
});

// ---- totals -------------------------------------------------------------------------------

describe('totals', () => {
  test('a list counts up to 10,000; beyond that total is 10,000 and total_exact is false', async () => {
    // Exactly at the cap: exact.
    let page = await list(admin, 'products', { 'price_minor[lte]': '10000', limit: 10 });
    assert.deepEqual([page.total, page.total_exact], [10000, true]);
    // One over the cap: a lower bound.
    page = await list(admin, 'products', { 'price_minor[lte]': '10001', limit: 10 });
    assert.deepEqual([page.total, page.total_exact], [10000, false]);
    page = await list(admin, 'products', { limit: 10 });
    assert.deepEqual([page.total, page.total_exact], [10000, false]);
    assert.equal(page.data.length, 10);
    assert.ok(page.next_cursor);
    // Well under the cap, exact again.
    page = await list(admin, 'products', { 'price_minor[gt]': '99990' });
    assert.deepEqual([page.total, page.total_exact, page.data.length], [11, true, 11]);
  });

  test('a search counts up to 1,000; beyond that total is 1,000 and total_exact is false', async () => {
    let page = await list(admin, 'accounts', { q: 'capped', city: 'Capville', limit: 5 });
    assert.deepEqual([page.total, page.total_exact], [1000, true], 'exactly 1,000 matches are counted exactly');
    page = await list(admin, 'accounts', { q: 'capped', limit: 5 });
    assert.deepEqual([page.total, page.total_exact], [1000, false], '1,001 matches: a lower bound');
    assert.equal(page.data.length, 5);
    assert.ok(page.next_cursor);
    // The same filters without a search are under the list cap and exact.
    page = await list(admin, 'accounts', { city: 'Elsewhere', limit: 5 });
    assert.deepEqual([page.total, page.total_exact], [1, true]);
    // The global search reports the same bound.
    const r = await admin.get('/api/v1/search' + qs({ q: 'capped', limit: 5 }));
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.json.accounts.total, r.json.accounts.total_exact, r.json.accounts.data.length], [1000, false, 5]);
    assert.deepEqual([r.json.contacts.total, r.json.contacts.total_exact], [0, true]);
  });
});

// ---- filters ------------------------------------------------------------------------------

describe('[in] and containment filters', () => {
  test('id[in] fetches up to 200 records at once; 201 values or a bad value is 400 invalid_parameter', async () => {
    const wanted = Array.from({ length: 200 }, (_, i) => bulkId(1 + i * 500));
    const page = await list(admin, 'products', { 'id[in]': wanted.join(','), limit: 200 });
    assert.deepEqual([page.total, page.total_exact, page.next_cursor], [200, true, null]);
    assert.deepEqual(page.data.map((p) => p.id).sort(), [...wanted].sort());
    // Upper-case ids are the same ids.
    const upper = await list(admin, 'products', { 'id[in]': wanted.slice(0, 3).map((x) => x.toUpperCase()).join(',') });
    assert.deepEqual(upper.data.map((p) => p.id).sort(), wanted.slice(0, 3).sort());
    // Other fields take [in] too, each value checked like an equality.
    const skus = await list(admin, 'products', { 'sku[in]': 'BULK-7,BULK-70,BULK-700,NO-SUCH', sort: 'price_minor' });
    assert.deepEqual(skus.data.map((p) => p.price_minor), [7, 70, 700]);

    const over = [...wanted, bulkId(2)];
    assertProblem(await admin.get('/api/v1/products' + qs({ 'id[in]': over.join(',') })), 400, 'invalid_parameter', '201 values');
    const bad = await admin.get('/api/v1/products' + qs({ 'id[in]': `${wanted[0]},not-an-id` }));
    assertProblem(bad, 400, 'invalid_parameter', 'a value that is no id');
    assert.ok(JSON.stringify(bad.json).includes('id[in]'), `the parameter is named: ${bad.text}`);
    assertProblem(await admin.get('/api/v1/products' + qs({ 'id[in]': '' })), 400, 'invalid_parameter', 'no values');
    assertProblem(await admin.get('/api/v1/products' + qs({ 'price_minor[in]': '1,x' })), 400, 'invalid_parameter', 'a money value that is no number');
  });

  test('id[in] returns only the records the caller may read', async () => {
    const rep = await userClient(server, admin, { role: 'sales' });
    const mine = (await rep.post('/api/v1/deals', { name: `Mine ${uniq()}` })).json;
    const theirs = (await admin.post('/api/v1/deals', { name: `Theirs ${uniq()}` })).json;
    const page = await list(rep, 'deals', { 'id[in]': `${mine.id},${theirs.id}` });
    assert.deepEqual(page.data.map((d) => d.id), [mine.id]);
    assert.deepEqual([page.total, page.total_exact], [1, true]);
    const both = await list(admin, 'deals', { 'id[in]': `${mine.id},${theirs.id}` });
    assert.equal(both.total, 2);
  });

  test('tags=X and contact_ids=ID match records whose list contains that element, exactly', async () => {
    // The test's own records: those of a fresh account (account_id is a filterable link).
    const account = (await admin.post('/api/v1/accounts', { name: `Tags ${uniq()}` })).json.id;
    const [vip, vip2, none] = await createAll(admin, 'contacts', [
      { last_name: 'Vip', account_id: account, tags: ['renewal', 'vip'] },
      { last_name: 'Vip2', account_id: account, tags: ['vip2', 'xvip'] },
      { last_name: 'None', account_id: account },
    ]);
    const names = async (params) => (await list(admin, 'contacts', { account_id: account, sort: 'name', ...params })).data.map((c) => c.id);
    assert.deepEqual(await names({ tags: 'vip' }), [vip.id], 'only the record holding the tag "vip" itself');
    assert.deepEqual(await names({ tags: 'renewal' }), [vip.id]);
    assert.deepEqual(await names({ tags: 'vip2' }), [vip2.id]);
    assert.deepEqual(await names({ tags: 'vi' }), [], 'no prefix match');
    assertProblem(await admin.get('/api/v1/contacts' + qs({ account_id: account, 'tags[in]': 'vip,vip2' })), 400, 'invalid_operator', 'tags[in]');
    assertProblem(await admin.get('/api/v1/contacts' + qs({ account_id: account, 'tags[ne]': 'vip' })), 400, 'invalid_operator', 'tags[ne]');

    const dealAccount = (await admin.post('/api/v1/accounts', { name: `Links ${uniq()}` })).json.id;
    const [both, second] = await createAll(admin, 'deals', [
      { name: 'D both', account_id: dealAccount, contact_ids: [vip.id, vip2.id] },
      { name: 'D second', account_id: dealAccount, contact_ids: [vip2.id] },
      { name: 'D none', account_id: dealAccount },
    ]);
    const deals = async (params) => (await list(admin, 'deals', { account_id: dealAccount, sort: 'name', ...params })).data.map((d) => d.id);
    assert.deepEqual(await deals({ contact_ids: vip.id }), [both.id]);
    assert.deepEqual(await deals({ contact_ids: vip2.id }), [both.id, second.id]);
    assert.deepEqual(await deals({ contact_ids: vip2.id.toUpperCase() }), [both.id, second.id], 'an id in upper case is the same id');
    assert.deepEqual(await deals({ contact_ids: none.id }), []);
    assertProblem(await admin.get('/api/v1/deals' + qs({ contact_ids: 'nope' })), 400, 'invalid_parameter', 'contact_ids=nope');
  });

  test('a tag holding quotes and a comma is one tag: tags=X never matches inside it', async () => {
    // Stored as the JSON text ["a\",\"vip"], which contains the text "vip" with its quotes.
    const account = (await admin.post('/api/v1/accounts', { name: `Quoted ${uniq()}` })).json.id;
    const [quoted, plain] = await createAll(admin, 'contacts', [
      { last_name: 'Quoted', account_id: account, tags: ['a","vip'] },
      { last_name: 'Plain', account_id: account, tags: ['vip'] },
    ]);
    const names = async (params) => (await list(admin, 'contacts', { account_id: account, ...params })).data.map((c) => c.id);
    assert.deepEqual(await names({ tags: 'a","vip' }), [quoted.id]);
    assert.deepEqual(await names({ tags: 'vip' }), [plain.id], 'the tag a","vip is not the tag vip');
    assert.deepEqual(await names({ tags: 'a' }), [], 'nor the tag a');
  });
});

// ---- export -------------------------------------------------------------------------------

describe('export', () => {
  test('exports 100,000 rows; 100,001 is 413 export_too_large', async () => {
    // Both at once (each reads every row, page by page): exactly at the limit, and one over.
    const [ok, r] = await Promise.all([
      admin.get('/api/v1/products/export' + qs({ 'price_minor[lte]': '100000' })),
      admin.get('/api/v1/products/export'),
    ]);
    // At the limit: every row, once.
    assert.equal(ok.status, 200, ok.text.slice(0, 300));
    assert.match(ok.headers.get('content-type') || '', /^text\/csv/);
    const lines = ok.text.split('\r\n');
    assert.equal(lines.at(-1), '', 'the last row ends with CRLF');
    assert.equal(lines.length - 2, 100000, 'a header and 100,000 rows');
    const ids = new Set(lines.slice(1, -1).map((l) => l.slice(0, 36)));
    assert.equal(ids.size, 100000, 'no row twice');
    assert.ok(ids.has(bulkId(1)) && ids.has(bulkId(100000)) && !ids.has(bulkId(100001)));
    // One more row than the limit.
    assertProblem(r, 413, 'export_too_large', 'export of 100,001 rows');
    // The audit log has the successful export with its row count, and no 100,001-row one.
    const audit = await admin.get('/api/v1/audit' + qs({ entity: 'products', limit: 50 }));
    assert.equal(audit.status, 200, audit.text);
    const exports = audit.json.data.filter((a) => a.action === 'export');
    assert.deepEqual(exports.map((a) => a.changes.rows), [100000]);
  });
});

// ---- idempotency --------------------------------------------------------------------------

describe('idempotency keys', () => {
  // The key is in the database (read behind Keel's back, only to check the test's premise).
  function assertStored(key) {
    const left = rawSql(server, `SELECT COUNT(*) FROM idempotency_keys WHERE idem_key = '${key}'`).trim();
    assert.equal(left, '1', `the key ${key} is stored`);
  }
  const post = (key, body) => admin.post('/api/v1/accounts', body, { headers: { 'idempotency-key': key } });
  const HOUR = 3600_000;
  const MINUTE = 60_000;

  test('a key is replayed for 24 hours, then forgotten', async () => {
    const [young, old] = [`young-${uniq()}`, `old-${uniq()}`];
    const body = (k) => ({ name: `Idem ${k}` });
    // The old key is used 10 minutes before the young one; then the server's clock moves on
    // until the old key is 24 h 5 min old and the young one 23 h 55 min.
    const first = { old: await post(old, body(old)) };
    await server.clock.advance(10 * MINUTE);
    first.young = await post(young, body(young));
    for (const r of Object.values(first)) {
      assert.equal(r.status, 201, r.text);
      assert.equal(r.headers.get('idempotent-replayed'), null);
    }
    assertStored(young);
    assertStored(old);
    await server.clock.advance(24 * HOUR - 5 * MINUTE);

    const replay = await post(young, body(young));
    assert.equal(replay.status, 201, replay.text);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true', 'under 24 hours: a replay');
    assert.equal(replay.json.id, first.young.json.id);
    // Under 24 hours the key still guards against reuse with another body.
    assertProblem(await post(young, { name: 'Another body' }), 422, 'idempotency_key_reused', 'young key, other body');

    const fresh = await post(old, body(old));
    assert.equal(fresh.status, 201, fresh.text);
    assert.equal(fresh.headers.get('idempotent-replayed'), null, 'over 24 hours: not a replay');
    assert.notEqual(fresh.json.id, first.old.json.id, 'a new record');
    const same = await list(admin, 'accounts', { name: `Idem ${old}` });
    assert.deepEqual(same.data.map((a) => a.id).sort(), [first.old.json.id, fresh.json.id].sort(), 'two accounts by that name now');
    // The forgotten key is taken again by the new request: its retry is a replay of it.
    const again = await post(old, body(old));
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(again.json.id, fresh.json.id);
  });
});

// ---- custom fields ------------------------------------------------------------------------

describe('custom fields', () => {
  test('PATCH cannot change a field\'s entity, name or type (422 read_only); nothing changes', async () => {
    const name = `cf_${uniq()}`;
    const created = await admin.post('/api/v1/custom-fields', { entity: 'leads', name, label: 'Budget', type: 'text' });
    assert.equal(created.status, 201, created.text);
    const id = created.json.id;
    const lead = await admin.post('/api/v1/leads', { last_name: 'Custom', custom: { [name]: 'about 10k' } });
    assert.equal(lead.status, 201, lead.text);

    for (const [member, value] of [['name', `${name}_2`], ['type', 'number'], ['entity', 'deals']]) {
      const r = await admin.patch(`/api/v1/custom-fields/${id}`, { label: 'Renamed', [member]: value });
      assertProblem(r, 422, 'validation_failed', `PATCH ${member}`);
      assert.deepEqual(r.json.errors.map((e) => [e.field, e.code]), [[member, 'read_only']], r.text);
    }
    const now = (await admin.get('/api/v1/custom-fields')).json.data.find((f) => f.id === id);
    assert.deepEqual([now.entity, now.name, now.type, now.label, now.version], ['leads', name, 'text', 'Budget', 1]);
    // The stored value is still read under the same name and type.
    const again = await admin.get(`/api/v1/leads/${lead.json.id}`);
    assert.equal(again.json.custom[name], 'about 10k');
    // What may change, changes.
    const relabel = await admin.patch(`/api/v1/custom-fields/${id}`, { label: 'Budget (CNY)' });
    assert.equal(relabel.status, 200, relabel.text);
    assert.deepEqual([relabel.json.name, relabel.json.type, relabel.json.label, relabel.json.version], [name, 'text', 'Budget (CNY)', 2]);
  });
});

// ---- operations ---------------------------------------------------------------------------

describe('operations', () => {
  test('/readyz answers 503 draining during --shutdown-delay while the server still accepts and answers', async () => {
    const s = await startServer({ env: { KEEL_SHUTDOWN_DELAY_SECONDS: '2' } });
    try {
      const c = await adminClient(s);
      assert.equal((await freshGet(s.url, '/readyz')).status, 200);
      const t0 = Date.now();
      s.proc.kill('SIGTERM');
      let r;
      for (;;) {
        r = await freshGet(s.url, '/readyz');
        if (r.status !== 200 || Date.now() - t0 > 1500) break;
        await sleep(20);
      }
      assert.equal(r.status, 503, `readyz after SIGTERM: ${JSON.stringify(r)}`);
      assert.equal(r.json?.code, 'draining');
      assert.ok(Date.now() - t0 < 1000, 'readyz turned 503 at once');
      // Through the delay: new connections are accepted and requests answered; readyz stays 503.
      let checks = 0;
      while (Date.now() - t0 < 1600) {
        const [ready, health, api] = await Promise.all([
          freshGet(s.url, '/readyz'), freshGet(s.url, '/healthz'), c.get('/api/v1/accounts?limit=1'),
        ]);
        assert.equal(ready.status, 503, `readyz at ${Date.now() - t0} ms: ${JSON.stringify(ready)}`);
        assert.equal(health.status, 200, `healthz at ${Date.now() - t0} ms: ${JSON.stringify(health)}`);
        assert.equal(api.status, 200, `an API call at ${Date.now() - t0} ms: ${api.status}`);
        checks++;
        await sleep(100);
      }
      assert.ok(checks >= 5, `checked ${checks} times during the delay`);
      const exit = await s.exited;
      const took = Date.now() - t0;
      assert.deepEqual(exit, { code: 0, signal: null });
      assert.ok(took >= 2000, `the server exited ${took} ms after SIGTERM, before the 2 s delay`);
      assert.ok((await freshGet(s.url, '/healthz')).error, 'after the delay the listener is closed');
    } finally {
      await s.kill();
      s.cleanup();
    }
  });

  test('servers started at once on one fresh database apply the schema once, without errors', async () => {
    const latest = Number(rawSql(server, 'SELECT MAX(version) FROM schema_migrations').trim());
    assert.ok(latest >= 1);
    const checkStore = (store, outputs) => {
      const rows = rawSql(store, 'SELECT version FROM schema_migrations ORDER BY version').trim().split('\n').map(Number);
      assert.deepEqual(rows, Array.from({ length: latest }, (_, i) => i + 1), 'each migration recorded once');
      assert.equal(rawSql(store, 'SELECT COUNT(*) FROM users').trim(), '1', 'one first administrator');
      assert.equal(rawSql(store, 'SELECT COUNT(*) FROM roles').trim(), '5', 'the built-in roles, once each');
      assert.equal(rawSql(store, 'SELECT COUNT(*) FROM pipelines').trim(), '1', 'one starting pipeline');
      const all = outputs.join('\n');
      assert.equal((all.match(/schema migrated/g) || []).length, 1, `one server migrated:\n${all}`);
      assert.equal((all.match(/first administrator created/g) || []).length, 1, `one server created the administrator:\n${all}`);
      assert.doesNotMatch(all, /"level":"error"|^error:/m, 'no errors logged');
    };

    if (DB_KIND === 'postgres') {
      // Three servers, one new PostgreSQL database: all start and serve.
      const base = new URL(server.databaseUrl);
      const dbName = 'keel_t_mig_' + randomUUID().replaceAll('-', '').slice(0, 12);
      execFileSync('psql', [server.databaseUrl, '-q', '-c', `CREATE DATABASE ${dbName}`]);
      base.pathname = '/' + dbName;
      const databaseUrl = base.toString();
      const started = await Promise.allSettled([0, 1, 2].map(() => startServer({ databaseUrl })));
      const servers = started.filter((x) => x.status === 'fulfilled').map((x) => x.value);
      try {
        assert.deepEqual(started.map((x) => x.status), ['fulfilled', 'fulfilled', 'fulfilled'],
          started.map((x) => x.reason?.message || '').join('\n'));
        checkStore({ databaseUrl }, servers.map((x) => x.output()));
        const first = servers.find((x) => x.admin.password);
        for (const x of servers) {
          assert.equal((await freshGet(x.url, '/readyz')).status, 200);
          await new Client(x.url).login(first.admin.email, first.admin.password);
        }
      } finally {
        for (const x of servers) { await x.stop(); x.cleanup(); }
      }
      return;
    }

    // SQLite, one data directory: the data directory is locked by one server; the others
    // refuse to start with a message naming the lock, and the schema is applied once.
    const dataDir = mkdtempSync(join(tmpdir(), 'keel-mig-'));
    try {
      const started = await Promise.allSettled([0, 1, 2].map(() => startServer({ dataDir })));
      const servers = started.filter((x) => x.status === 'fulfilled').map((x) => x.value);
      const refused = started.filter((x) => x.status === 'rejected').map((x) => x.reason.message);
      try {
        assert.equal(servers.length, 1, `exactly one server holds the data directory: ${refused.join('\n')}`);
        assert.equal(refused.length, 2);
        for (const m of refused) assert.match(m, /another Keel process is using .*keel\.lock/, m);
        checkStore({ dataDir, databaseUrl: '' }, [servers[0].output()]);
        assert.equal((await freshGet(servers[0].url, '/readyz')).status, 200);
      } finally {
        for (const x of servers) await x.stop();
      }
      // The same database file named by URL is not locked: three servers migrate it at once,
      // one after the other on SQLite's write lock.
      const file = mkdtempSync(join(tmpdir(), 'keel-mig-url-'));
      const databaseUrl = `sqlite:${join(file, 'keel.db')}`;
      const viaUrl = await Promise.allSettled([0, 1, 2].map(() => startServer({ databaseUrl })));
      const up = viaUrl.filter((x) => x.status === 'fulfilled').map((x) => x.value);
      try {
        assert.deepEqual(viaUrl.map((x) => x.status), ['fulfilled', 'fulfilled', 'fulfilled'],
          viaUrl.map((x) => x.reason?.message || '').join('\n'));
        checkStore({ dataDir: file, databaseUrl: '' }, up.map((x) => x.output()));
      } finally {
        for (const x of up) { await x.stop(); x.cleanup(); }
        rmSync(file, { recursive: true, force: true });
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

// Bulk actions and CSV export: both go through the same permission layer as single-record
// routes, report every record's outcome, and never leak records outside the caller's scope.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, adminClient, userClient, qs, Client, parseCsv } from './harness.mjs';

let server, admin, salesA, salesB, readOnly;

before(async () => {
  server = await startServer();
  admin = await adminClient(server);
  const team = (await admin.post('/api/v1/teams', { name: 'Bulk team' })).json;
  salesA = await userClient(server, admin, { role: 'sales', team_id: team.id });
  salesB = await userClient(server, admin, { role: 'sales' });
  readOnly = await userClient(server, admin, { role: 'read_only', team_id: team.id });
});

after(async () => {
  await server.stop();
  server.cleanup();
});

async function makeLeads(client, n, prefix) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const r = await client.post('/api/v1/leads', { last_name: `${prefix}${i}`, company: `${prefix} Co` });
    assert.equal(r.status, 201, r.text);
    out.push(r.json);
  }
  return out;
}

test('bulk update applies to permitted records and reports the others one by one', async () => {
  const mine = await makeLeads(salesA, 3, 'BulkMine');
  const theirs = await makeLeads(salesB, 1, 'BulkTheirs');
  const stale = mine[2];
  await salesA.patch(`/api/v1/leads/${stale.id}`, { title: 'changed meanwhile' });
  const r = await salesA.post('/api/v1/leads/bulk', {
    action: 'update',
    ids: [mine[0].id, { id: mine[1].id, version: 1 }, { id: stale.id, version: 1 }, theirs[0].id],
    changes: { status: 'qualified' },
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.succeeded, 2);
  assert.equal(r.json.failed, 2);
  const byId = Object.fromEntries(r.json.results.map((x) => [x.id, x]));
  assert.equal(byId[mine[0].id].status, 200);
  assert.equal(byId[mine[0].id].record.status, 'qualified');
  assert.equal(byId[stale.id].status, 412, 'a stale version is refused as If-Match would be');
  assert.equal(byId[stale.id].code, 'version_conflict');
  // Another user's lead is outside sales scope: the same 404 a single GET would give, no data.
  assert.equal(byId[theirs[0].id].status, 404);
  assert.equal(byId[theirs[0].id].record, undefined);
  assert.equal((await salesB.get(`/api/v1/leads/${theirs[0].id}`)).json.status, 'new', 'untouched');
  assert.equal((await salesA.get(`/api/v1/leads/${stale.id}`)).json.status, 'new', 'untouched');
});

test('bulk delete and restore go through the trash, each record in the change log', async () => {
  const leads = await makeLeads(salesA, 3, 'BulkTrash');
  const ids = leads.map((l) => l.id);
  const head = (await admin.get('/api/v1/changes' + qs({ after: 0, limit: 1000 }))).json.next_after;
  const del = await salesA.post('/api/v1/leads/bulk', { action: 'delete', ids });
  assert.equal(del.json.succeeded, 3, del.text);
  for (const id of ids) assert.equal((await salesA.get(`/api/v1/leads/${id}`)).status, 404);
  const res = await salesA.post('/api/v1/leads/bulk', { action: 'restore', ids });
  assert.equal(res.json.succeeded, 3, res.text);
  for (const id of ids) assert.equal((await salesA.get(`/api/v1/leads/${id}`)).status, 200);
  const changes = (await admin.get('/api/v1/changes' + qs({ after: head, limit: 1000 }))).json.data
    .filter((c) => ids.includes(c.record_id));
  assert.equal(changes.filter((c) => c.action === 'delete').length, 3);
  assert.equal(changes.filter((c) => c.action === 'restore').length, 3);
});

test('a read-only role gets 403 for each record of a bulk update, and nothing changes', async () => {
  const leads = await makeLeads(salesA, 2, 'BulkRO');
  const r = await readOnly.post('/api/v1/leads/bulk', { action: 'update', ids: leads.map((l) => l.id), changes: { title: 'x' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.succeeded, 0);
  assert.deepEqual(r.json.results.map((x) => x.status), [403, 403]);
  for (const l of leads) assert.equal((await salesA.get(`/api/v1/leads/${l.id}`)).json.version, 1);
});

test('a malformed bulk request is one 422 naming every problem, and nothing is done', async () => {
  const [lead] = await makeLeads(salesA, 1, 'BulkBad');
  const r = await salesA.post('/api/v1/leads/bulk', {
    action: 'update', ids: [lead.id, lead.id, 'not-an-id'], changes: {}, extra: 1,
  });
  assert.equal(r.status, 422, r.text);
  const fields = r.json.errors.map((e) => `${e.field}:${e.code}`).sort();
  assert.deepEqual(fields, ['changes:invalid_type', 'extra:unknown_field', 'ids[1]:duplicate', 'ids[2]:invalid_format']);
  const tooMany = await salesA.post('/api/v1/leads/bulk', {
    action: 'delete', ids: Array.from({ length: 201 }, () => crypto.randomUUID()),
  });
  assert.equal(tooMany.status, 422);
  assert.equal(tooMany.json.errors[0].code, 'too_many_items');
  assert.equal((await salesA.get(`/api/v1/leads/${lead.id}`)).status, 200);
});

test('export needs the export permission and returns exactly the caller\'s scope as CSV', async () => {
  await makeLeads(salesA, 2, 'ExportA');
  await makeLeads(salesB, 2, 'ExportB');
  // sales may not export (README role table); a custom role with export may.
  const denied = await salesA.get('/api/v1/leads/export');
  assert.equal(denied.status, 403, denied.text);
  assert.equal(denied.json.code, 'forbidden');

  const role = await admin.post('/api/v1/roles', {
    name: 'Lead exporter',
    permissions: { admin: false, entities: { leads: { read: 'own', create: true, update: 'own', delete: 'none', export: true } } },
  });
  assert.equal(role.status, 201, role.text);
  const exporter = await userClient(server, admin, { role: role.json.id });
  for (const name of ['=HYPERLINK("http://evil")', 'Comma, "quoted"', '王小明']) {
    assert.equal((await exporter.post('/api/v1/leads', { last_name: name, company: 'ExportC' })).status, 201);
  }
  const r = await exporter.get('/api/v1/leads/export' + qs({ q: 'ExportC' }));
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^text\/csv/);
  assert.match(r.headers.get('content-disposition'), /attachment; filename="leads.csv"/);
  // fetch's text() drops a byte-order mark, so look at the bytes.
  const raw = Buffer.from(await (await fetch(server.url + '/api/v1/leads/export' + qs({ q: 'ExportC' }),
    { headers: { authorization: `Bearer ${exporter.token}` } })).arrayBuffer());
  assert.deepEqual([...raw.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte-order mark for spreadsheet programs');
  const rows = parseCsv(r.text);
  const header = rows[0];
  const names = rows.slice(1).map((row) => row[header.indexOf('last_name')]).sort();
  assert.deepEqual(names, ["'=HYPERLINK(\"http://evil\")", 'Comma, "quoted"', '王小明'].sort(),
    'a formula is neutralised, quotes and commas survive, Chinese is intact');
  // Only the exporter's own leads, though others match the same filter.
  const all = await exporter.get('/api/v1/leads/export');
  const allRows = parseCsv(all.text);
  assert.equal(allRows.length - 1, 3, 'own scope only');

  const audit = await admin.get('/api/v1/audit' + qs({ entity: 'leads', user_id: exporter.user.id }));
  const exports = audit.json.data.filter((e) => e.action === 'export');
  assert.equal(exports.length, 3, 'each export (three above) is in the audit log');
  assert.equal(exports.find((e) => e.changes.query.includes('ExportC')).changes.rows, 3);
});

test('export rejects paging parameters and unknown ones', async () => {
  for (const q of [{ cursor: 'x' }, { limit: '10' }, { bogus: '1' }]) {
    const r = await admin.get('/api/v1/leads/export' + qs(q));
    assert.equal(r.status, 400, JSON.stringify(q));
    assert.equal(r.json.code, 'unknown_parameter');
  }
  const anon = await new Client(server.url).get('/api/v1/leads/export');
  assert.equal(anon.status, 401);
});

// Every write of a versioned record goes through one helper (service/versioned_write.h), so every
// 412 version_conflict carries the current record and its version, whichever path refused the
// write: lead conversion, bulk update/delete/restore, single restore. A refused write leaves no
// trace: no new version, no audit entry, no change-log entry, no records made.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, adminClient, userClient, qs } from './harness.mjs';

let server, admin, sales;

before(async () => {
  server = await startServer();
  admin = await adminClient(server);
  sales = await userClient(server, admin, { role: 'sales' });
});

after(async () => {
  await server.stop();
  server.cleanup();
});

const stale = (v) => ({ headers: { 'if-match': `"${v}"` } });

async function created(client, entity, body) {
  const r = await client.post(`/api/v1/${entity}`, body);
  assert.equal(r.status, 201, r.text);
  return r.json;
}

// Change-log entries after seq `after` (all of them, following next_after).
async function changesSince(after) {
  const out = [];
  for (;;) {
    const r = await admin.get('/api/v1/changes' + qs({ after, limit: 1000 }));
    assert.equal(r.status, 200, r.text);
    out.push(...r.json.data);
    after = r.json.next_after;
    if (!r.json.has_more) return { entries: out, head: after };
  }
}

async function changeLogHead() {
  return (await changesSince(0)).head;
}

// The 412 of every path: the code, the current record as stored, and its version.
function assertConflict(r, current, what) {
  assert.equal(r.status, 412, `${what}: ${r.text}`);
  assert.equal(r.json.code, 'version_conflict', what);
  assert.equal(r.json.current_version, current.version, what);
  assert.deepEqual(r.json.current, current, `${what}: the conflict carries the current record`);
}

test('lead conversion with a stale If-Match is 412 with the current lead, and converts nothing', async () => {
  const company = 'Stale Convert ' + crypto.randomUUID().slice(0, 8);
  const lead = await created(sales, 'leads', { last_name: 'Stale', company });
  const changed = await sales.patch(`/api/v1/leads/${lead.id}`, { title: 'changed meanwhile' });
  assert.equal(changed.status, 200, changed.text);
  const current = changed.json;
  const head = await changeLogHead();
  const historyBefore = (await sales.get(`/api/v1/leads/${lead.id}/history`)).json.data.length;

  const r = await sales.post(`/api/v1/leads/${lead.id}/convert`, { deal: { amount_minor: 1, currency: 'CNY' } }, stale(1));
  assertConflict(r, current, 'stale convert');
  assert.equal(r.json.current.status, 'new');

  // Nothing was made or changed: no account of the lead's company, the lead as it was.
  assert.deepEqual((await sales.get(`/api/v1/leads/${lead.id}`)).json, current);
  assert.equal((await admin.get('/api/v1/accounts' + qs({ q: company }))).json.total, 0);
  assert.equal((await sales.get(`/api/v1/leads/${lead.id}/history`)).json.data.length, historyBefore);
  assert.deepEqual((await changesSince(head)).entries, []);

  // The current version converts, and the conversion is one update of the lead in the change log.
  const ok = await sales.post(`/api/v1/leads/${lead.id}/convert`, {}, stale(current.version));
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.lead.status, 'converted');
  assert.equal(ok.json.lead.version, current.version + 1);
  const entries = (await changesSince(head)).entries.filter((c) => c.record_id === lead.id);
  assert.deepEqual(entries.map((c) => [c.action, c.version]), [['update', current.version + 1]]);
  const hist = (await sales.get(`/api/v1/leads/${lead.id}/history`)).json.data;
  assert.equal(hist.at(-1).action, 'convert');
  assert.deepEqual(hist.at(-1).changes.status, ['new', 'converted']);
});

test('a converted lead refuses a stale If-Match with 412 carrying the converted lead', async () => {
  const lead = await created(sales, 'leads', { last_name: 'Twice', company: 'Twice Co' });
  const conv = await sales.post(`/api/v1/leads/${lead.id}/convert`, {});
  assert.equal(conv.status, 200, conv.text);
  // The client that still holds version 1 learns what happened to the lead.
  const r = await sales.post(`/api/v1/leads/${lead.id}/convert`, {}, stale(1));
  assertConflict(r, (await sales.get(`/api/v1/leads/${lead.id}`)).json, 'convert of a converted lead');
  assert.equal(r.json.current.status, 'converted');
});

test('bulk update, delete and restore report each stale version as 412 with the current record', async () => {
  const recs = [];
  for (let i = 0; i < 3; i++) recs.push(await created(sales, 'accounts', { name: `Bulk stale ${i}` }));
  const [a, b, c] = recs;
  const b2 = (await sales.patch(`/api/v1/accounts/${b.id}`, { city: '上海' })).json;
  assert.equal(b2.version, 2);
  const head = await changeLogHead();

  const upd = await sales.post('/api/v1/accounts/bulk', {
    action: 'update', ids: [{ id: a.id, version: 1 }, { id: b.id, version: 1 }], changes: { industry: 'Retail' },
  });
  assert.equal(upd.status, 200, upd.text);
  assert.deepEqual([upd.json.succeeded, upd.json.failed], [1, 1]);
  const [okA, staleB] = upd.json.results;
  assert.equal(okA.status, 200);
  assert.equal(okA.record.version, 2);
  assert.equal(staleB.id, b.id);
  assertConflict({ status: staleB.status, json: staleB, text: JSON.stringify(staleB) }, b2, 'bulk update');
  assert.deepEqual((await sales.get(`/api/v1/accounts/${b.id}`)).json, b2, 'untouched');

  const del = await sales.post('/api/v1/accounts/bulk', { action: 'delete', ids: [{ id: c.id, version: 1 }, { id: b.id, version: 1 }] });
  assert.deepEqual([del.json.succeeded, del.json.failed], [1, 1], del.text);
  const staleDel = del.json.results[1];
  assertConflict({ status: staleDel.status, json: staleDel, text: JSON.stringify(staleDel) }, b2, 'bulk delete');

  // c is in the trash at version 2; a restore that names version 1 has not seen the delete.
  const trashed = (await sales.get('/api/v1/accounts' + qs({ trashed: 'true', 'id[in]': c.id }))).json.data[0];
  assert.equal(trashed.version, 2);
  const res = await sales.post('/api/v1/accounts/bulk', { action: 'restore', ids: [{ id: c.id, version: 1 }] });
  assert.deepEqual([res.json.succeeded, res.json.failed], [0, 1], res.text);
  const staleRes = res.json.results[0];
  assertConflict({ status: staleRes.status, json: staleRes, text: JSON.stringify(staleRes) }, trashed, 'bulk restore');
  const again = await sales.post('/api/v1/accounts/bulk', { action: 'restore', ids: [{ id: c.id, version: 2 }] });
  assert.equal(again.json.succeeded, 1, again.text);
  assert.equal(again.json.results[0].record.deleted_at, null);

  // Only the writes that succeeded are in the change log.
  const log = (await changesSince(head)).entries
    .filter((e) => recs.some((r) => r.id === e.record_id))
    .map((e) => [e.record_id, e.action, e.version]);
  assert.deepEqual(log, [[a.id, 'update', 2], [c.id, 'delete', 2], [c.id, 'restore', 3]]);
});

test('restore with a stale If-Match is 412 with the trashed record; the current one restores', async () => {
  const rec = await created(sales, 'contacts', { first_name: '小明', last_name: '王' });
  const del = await sales.del(`/api/v1/contacts/${rec.id}`);
  assert.equal(del.status, 200, del.text);
  const r = await sales.post(`/api/v1/contacts/${rec.id}/restore`, undefined, stale(1));
  assertConflict(r, del.json, 'stale restore');
  const ok = await sales.post(`/api/v1/contacts/${rec.id}/restore`, undefined, stale(2));
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.version, 3);
  // Search still finds the restored contact (its terms were kept through the trash).
  const found = (await sales.get('/api/v1/contacts' + qs({ q: '小明' }))).json.data.map((x) => x.id);
  assert.ok(found.includes(rec.id));
});

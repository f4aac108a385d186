// The change log (/changes), the audit log (/audit) and Idempotency-Key retries.
// Tests in this file run one after another against one server, so "the entries after seq N"
// are exactly the writes a test made after reading N.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, adminClient, userClient, Client, qs, ok, problem } from './harness.mjs';

let server;
let admin;

before(async () => {
  server = await startServer({ threads: 8 });
  admin = await adminClient(server);
});

after(async () => {
  if (server) {
    await server.stop();
    server.cleanup();
  }
});

const UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

// All change-log entries after `after`, following next_after until has_more is false.
async function changesAfter(after, client = admin, limit = 1000) {
  const entries = [];
  let cursor = after;
  for (;;) {
    const r = ok(await client.get('/api/v1/changes' + qs({ after: String(cursor), limit: String(limit) })), 200, 'changes');
    entries.push(...r.data);
    assert.ok(r.next_after >= cursor, 'next_after never goes backwards');
    cursor = r.next_after;
    if (!r.has_more) return { entries, next_after: cursor };
  }
}

async function head() {
  return (await changesAfter(0)).next_after;
}

async function newestAuditId() {
  const r = ok(await admin.get('/api/v1/audit' + qs({ limit: '1' })), 200, 'audit');
  return r.data.length ? r.data[0].id : 0;
}

async function countAccounts(params = {}) {
  return ok(await admin.get('/api/v1/accounts' + qs({ limit: '1', ...params })), 200, 'count').total;
}

const tuple = (e) => [e.entity, e.record_id, e.action, e.version];

function assertIncreasing(entries) {
  for (let i = 1; i < entries.length; i++)
    assert.ok(entries[i].seq > entries[i - 1].seq, `seq not increasing at ${i}: ${entries[i - 1].seq} then ${entries[i].seq}`);
}

// ---------------------------------------------------------------------------------------------
// The change log

test('every committed write appends exactly one change-log entry, in commit order', async () => {
  const start = await head();
  const expected = [];

  const acct = ok(await admin.post('/api/v1/accounts', { name: 'Log Co' }), 201, 'create account');
  expected.push(['accounts', acct.id, 'create', 1]);
  ok(await admin.patch(`/api/v1/accounts/${acct.id}`, { city: 'Hangzhou' }), 200, 'update');
  expected.push(['accounts', acct.id, 'update', 2]);
  // A PATCH that changes nothing is not a write: no new version, no entry.
  const same = ok(await admin.patch(`/api/v1/accounts/${acct.id}`, { city: 'Hangzhou' }), 200, 'no-op update');
  assert.equal(same.version, 2);

  const ct = ok(await admin.post('/api/v1/contacts', { last_name: 'Logger', account_id: acct.id }), 201, 'contact');
  expected.push(['contacts', ct.id, 'create', 1]);
  ok(await admin.del(`/api/v1/contacts/${ct.id}`), 200, 'delete');
  expected.push(['contacts', ct.id, 'delete', 2]);
  ok(await admin.post(`/api/v1/contacts/${ct.id}/restore`), 200, 'restore');
  expected.push(['contacts', ct.id, 'restore', 3]);

  const deal = ok(await admin.post('/api/v1/deals', { name: 'Log deal', amount_minor: 100, currency: 'CNY' }), 201, 'deal');
  expected.push(['deals', deal.id, 'create', 1]);
  const pipeline = ok(await admin.get(`/api/v1/pipelines/${deal.pipeline_id}`), 200, 'pipeline');
  ok(await admin.patch(`/api/v1/deals/${deal.id}`, { stage_id: pipeline.stages[1].id }), 200, 'stage move');
  expected.push(['deals', deal.id, 'update', 2]);

  // A create with a client-chosen id, replayed: one entry only.
  const cid = randomUUID();
  ok(await admin.post('/api/v1/tasks', { id: cid, title: 'Offline task' }), 201, 'client id create');
  ok(await admin.post('/api/v1/tasks', { id: cid, title: 'Offline task' }), 200, 'client id replay');
  expected.push(['tasks', cid, 'create', 1]);

  const lead = ok(await admin.post('/api/v1/leads', { last_name: 'Lead', company: 'Lead Co' }), 201, 'lead');
  expected.push(['leads', lead.id, 'create', 1]);
  const conv = ok(await admin.post(`/api/v1/leads/${lead.id}/convert`, { deal: { amount_minor: 5, currency: 'CNY' } }), 200, 'convert');
  expected.push(['accounts', conv.account.id, 'create', 1]);
  expected.push(['contacts', conv.contact.id, 'create', 1]);
  expected.push(['deals', conv.deal.id, 'create', 1]);
  expected.push(['leads', lead.id, 'update', 2]);

  const { entries, next_after } = await changesAfter(start);
  assert.deepEqual(entries.map(tuple), expected);
  assertIncreasing(entries);
  assert.equal(next_after, entries.at(-1).seq);
  for (const e of entries) {
    assert.equal(e.user_id, admin.user.id);
    assert.equal(e.owner_id, admin.user.id);
    assert.match(e.at, UTC_MS);
  }
  for (let i = 1; i < entries.length; i++) assert.ok(entries[i].at >= entries[i - 1].at, 'times follow the sequence');
  // The version in each entry is the version the record had after that write.
  assert.equal((await admin.get(`/api/v1/contacts/${ct.id}`)).json.version, 3);
});

test('rejected writes (400, 403, 404, 409, 412, 415, 422) append nothing to the change log or audit log', async () => {
  // Setup, before the baseline: two sales users in one team, records to collide with.
  const team = ok(await admin.post('/api/v1/teams', { name: 'Team ' + randomUUID().slice(0, 6) }), 201, 'team');
  const s1 = await userClient(server, admin, { role: 'sales', team_id: team.id });
  const s2 = await userClient(server, admin, { role: 'sales', team_id: team.id });
  const ro = await userClient(server, admin, { role: 'read_only' });
  const acct = ok(await s1.post('/api/v1/accounts', { name: 'Owned by s1' }), 201, 'account');
  const trashed = ok(await admin.post('/api/v1/accounts', { name: 'Not trashed' }), 201, 'account');
  const p = ok(await admin.post('/api/v1/pipelines', { name: 'Busy ' + randomUUID().slice(0, 4), stages: [{ name: 'A' }, { name: 'B' }] }), 201, 'pipeline');
  ok(await admin.post('/api/v1/deals', { name: 'Pins B', pipeline_id: p.id, stage_id: p.stages[1].id }), 201, 'deal');
  const lead = ok(await admin.post('/api/v1/leads', { last_name: 'Done' }), 201, 'lead');
  ok(await admin.post(`/api/v1/leads/${lead.id}/convert`, {}), 200, 'convert');
  const key = 'reused-' + randomUUID();
  ok(await admin.post('/api/v1/accounts', { name: 'Keyed' }, { headers: { 'idempotency-key': key } }), 201, 'keyed');

  const start = await head();
  const auditStart = await newestAuditId();

  problem(await admin.post('/api/v1/accounts', {}), 422, 'validation_failed', 'missing name');
  problem(await admin.patch(`/api/v1/accounts/${acct.id}`, { website: 'ftp://nope' }), 422, 'validation_failed', 'bad field');
  problem(await admin.post(`/api/v1/leads/${randomUUID()}/convert`, { nope: 1 }), 422, 'validation_failed', 'convert unknown field');
  problem(await admin.patch(`/api/v1/accounts/${acct.id}`, { city: 'X' }, { headers: { 'if-match': '"7"' } }), 412, 'version_conflict', 'stale PATCH');
  problem(await admin.patch(`/api/v1/accounts/${acct.id}`, { city: 'X', version: 9 }), 412, 'version_conflict', 'stale body version');
  problem(await admin.del(`/api/v1/accounts/${acct.id}`, { headers: { 'if-match': '"7"' } }), 412, 'version_conflict', 'stale DELETE');
  problem(await admin.post(`/api/v1/accounts/${trashed.id}/restore`), 409, 'not_in_trash', 'restore live');
  problem(await admin.del(`/api/v1/pipelines/${p.id}`), 409, 'pipeline_in_use', 'delete pipeline');
  problem(await admin.patch(`/api/v1/pipelines/${p.id}`, { stages: [p.stages[0]] }), 409, 'stage_in_use', 'remove stage');
  problem(await admin.post(`/api/v1/leads/${lead.id}/convert`, {}), 409, 'already_converted', 'convert twice');
  problem(await s2.post('/api/v1/accounts', { id: acct.id, name: 'Hijack' }), 409, 'id_conflict', 'someone else\'s id');
  problem(await ro.post('/api/v1/accounts', { name: 'Read only' }), 403, 'forbidden', 'read_only create');
  problem(await s2.patch(`/api/v1/accounts/${acct.id}`, { city: 'Team mate' }), 403, 'forbidden', 'team mate update');
  problem(await s2.del(`/api/v1/accounts/${acct.id}`), 403, 'forbidden', 'team mate delete');
  problem(await admin.patch(`/api/v1/accounts/${randomUUID()}`, { city: 'X' }), 404, 'not_found', 'missing record');
  problem(await admin.request('PATCH', `/api/v1/accounts/${acct.id}`, { raw: '{"city":"X"}', headers: { 'content-type': 'text/plain' } }),
    415, 'unsupported_media_type', 'text/plain');
  problem(await admin.request('POST', '/api/v1/accounts', { raw: '{"name":', headers: { 'content-type': 'application/json' } }),
    400, 'malformed_json', 'truncated JSON');
  problem(await admin.post('/api/v1/accounts', { name: 'Different' }, { headers: { 'idempotency-key': key } }), 422, 'idempotency_key_reused', 'key reuse');

  assert.deepEqual((await changesAfter(start)).entries, []);
  assert.equal(await newestAuditId(), auditStart, 'no audit entries for rejected writes');
  assert.equal((await admin.get(`/api/v1/accounts/${acct.id}`)).json.version, 1);
});

test('50 concurrent creates get 50 distinct, gapless seqs and a concurrent reader misses none', async () => {
  const start = await head();
  // A reader pages with after=next_after while the writes run, as a sync client would.
  const seen = [];
  let cursor = start;
  let writing = true;
  const poll = async () => {
    const r = ok(await admin.get('/api/v1/changes' + qs({ after: String(cursor), limit: '7' })), 200, 'poll');
    seen.push(...r.data);
    cursor = r.next_after;
    return r.has_more;
  };
  const reader = (async () => {
    while (writing) await poll();
    while (await poll()) { /* drain */ }
  })();
  const tag = randomUUID().slice(0, 8);
  const results = await Promise.all(Array.from({ length: 50 }, (_, i) =>
    admin.post('/api/v1/accounts', { name: `Burst ${tag} ${i}` })));
  writing = false;
  await reader;

  for (const r of results) ok(r, 201, 'concurrent create');
  const ids = new Set(results.map((r) => r.json.id));
  assert.equal(ids.size, 50);

  // The reader saw every committed create exactly once, in sequence order.
  assertIncreasing(seen);
  assert.deepEqual(seen.map((e) => e.record_id).sort(), [...ids].sort());
  assert.ok(seen.every((e) => e.entity === 'accounts' && e.action === 'create' && e.version === 1));
  // Nothing rolled back, so the 50 sequence numbers are consecutive.
  const seqs = seen.map((e) => e.seq);
  assert.equal(new Set(seqs).size, 50);
  assert.equal(Math.max(...seqs) - Math.min(...seqs), 49, `gaps in ${seqs.join(',')}`);
  // And a fresh read agrees with what the reader collected.
  assert.deepEqual((await changesAfter(start)).entries, seen);
});

test('20 concurrent PATCHes without If-Match all apply, and the log lists versions 2..21 in seq order', async () => {
  // No precondition was sent, so no request may fail with 412; each commit is one version.
  const acct = ok(await admin.post('/api/v1/accounts', { name: 'Hot record' }), 201, 'account');
  const start = await head();
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
    admin.patch(`/api/v1/accounts/${acct.id}`, { description: `edit ${i}` })));
  const statuses = results.map((r) => r.status);
  const failed = results.filter((r) => r.status !== 200);
  assert.equal(failed.length, 0, `${failed.length} of 20 failed; statuses ${statuses.join(',')}; first: ${failed[0]?.text.slice(0, 200)}`);
  const versions = results.map((r) => r.json.version).sort((a, b) => a - b);
  assert.deepEqual(versions, Array.from({ length: 20 }, (_, i) => i + 2));
  const { entries } = await changesAfter(start);
  assertIncreasing(entries);
  assert.deepEqual(entries.map(tuple), versions.map((v) => ['accounts', acct.id, 'update', v]));
  assert.equal((await admin.get(`/api/v1/accounts/${acct.id}`)).json.version, 21);
});

test('a bulk action appends one entry per record it changed and none for those it refused', async () => {
  const [a, b, c] = await Promise.all(['Bulk A', 'Bulk B', 'Bulk C'].map(async (name) =>
    ok(await admin.post('/api/v1/accounts', { name }), 201, name)));
  ok(await admin.patch(`/api/v1/accounts/${b.id}`, { city: 'Moved' }), 200, 'b is now version 2');
  const missing = randomUUID();
  const start = await head();
  const r = ok(await admin.post('/api/v1/accounts/bulk', {
    action: 'update',
    ids: [a.id, { id: b.id, version: 1 }, missing, { id: c.id, version: 1 }],
    changes: { industry: 'Retail' },
  }), 200, 'bulk update');
  assert.equal(r.succeeded, 2);
  assert.equal(r.failed, 2);
  assert.deepEqual(r.results.map((x) => [x.id, x.status, x.code ?? null]), [
    [a.id, 200, null], [b.id, 412, 'version_conflict'], [missing, 404, 'not_found'], [c.id, 200, null]]);
  const del = ok(await admin.post('/api/v1/accounts/bulk', { action: 'delete', ids: [a.id, c.id] }), 200, 'bulk delete');
  assert.equal(del.succeeded, 2);
  const { entries } = await changesAfter(start);
  assert.deepEqual(entries.map(tuple), [
    ['accounts', a.id, 'update', 2], ['accounts', c.id, 'update', 2],
    ['accounts', a.id, 'delete', 3], ['accounts', c.id, 'delete', 3]]);
  assertIncreasing(entries);
  assert.equal((await admin.get(`/api/v1/accounts/${b.id}`)).json.industry, null, 'the refused record is unchanged');
});

test('paging through /changes with after and limit', async () => {
  const start = await head();
  const ids = [];
  for (let i = 0; i < 7; i++) ids.push(ok(await admin.post('/api/v1/products', { name: `Paged ${i}`, currency: 'CNY' }), 201, 'product').id);

  const pages = [];
  let cursor = start;
  for (;;) {
    const r = ok(await admin.get('/api/v1/changes' + qs({ after: String(cursor), limit: '3' })), 200, 'page');
    pages.push(r);
    if (r.data.length) assert.equal(r.next_after, r.data.at(-1).seq, 'next_after is the last seq of the page');
    cursor = r.next_after;
    if (!r.has_more) break;
    assert.ok(pages.length < 10, 'paging terminates');
  }
  assert.deepEqual(pages.map((p) => p.data.length), [3, 3, 1]);
  assert.deepEqual(pages.map((p) => p.has_more), [true, true, false]);
  assert.deepEqual(pages.flatMap((p) => p.data.map((e) => e.record_id)), ids);

  // A page that ends exactly at the head says there is no more.
  const exact = ok(await admin.get('/api/v1/changes' + qs({ after: String(start), limit: '7' })), 200, 'exact');
  assert.equal(exact.data.length, 7);
  assert.equal(exact.has_more, false);
  // Reading past the head returns nothing and keeps the position.
  const empty = ok(await admin.get('/api/v1/changes' + qs({ after: String(cursor) })), 200, 'empty');
  assert.deepEqual(empty.data, []);
  assert.equal(empty.next_after, cursor);
  assert.equal(empty.has_more, false);

  for (const bad of [{ limit: '0' }, { limit: '1001' }, { limit: 'ten' }, { after: '-1' }, { after: '1.5' }, { after: '' }]) {
    const r = await admin.get('/api/v1/changes' + qs(bad));
    problem(r, 400, 'invalid_parameter', JSON.stringify(bad));
  }
  problem(await admin.get('/api/v1/changes' + qs({ since: '0' })), 400, 'unknown_parameter', 'since');
  assert.equal((await admin.request('GET', '/api/v1/changes')).status, 200);
  assert.equal((await new Client(server.url).get('/api/v1/changes')).status, 401, 'needs a token');
});

test('the change log only shows entries about records the reader may read', async () => {
  const a = await userClient(server, admin, { role: 'sales' });
  const b = await userClient(server, admin, { role: 'sales' });
  const start = await head();
  const lead = ok(await a.post('/api/v1/leads', { last_name: 'Private' }), 201, 'lead');
  const mine = ok(await b.post('/api/v1/leads', { last_name: 'Mine' }), 201, 'lead');

  assert.deepEqual((await changesAfter(start, a)).entries.map((e) => e.record_id), [lead.id]);
  const forB = await changesAfter(start, b);
  assert.deepEqual(forB.entries.map((e) => e.record_id), [mine.id]);
  // b's position still moves past a's entry, so b never re-reads what it may not see.
  assert.equal(forB.next_after, await head());
  assert.deepEqual((await changesAfter(start)).entries.map((e) => e.record_id), [lead.id, mine.id]);
});

// ---------------------------------------------------------------------------------------------
// The audit log

test('the audit log shows who changed which field from what to what', async () => {
  const sales = await userClient(server, admin, { role: 'sales', name: 'Audit Sales ' + randomUUID().slice(0, 4) });
  const acct = ok(await sales.post('/api/v1/accounts', { name: 'Audit Old', city: '北京' }), 201, 'create');
  const reqId = 'audit-' + randomUUID();
  ok(await admin.patch(`/api/v1/accounts/${acct.id}`, { city: '上海' }, { headers: { 'x-request-id': reqId } }), 200, 'admin edit');
  ok(await sales.patch(`/api/v1/accounts/${acct.id}`, { name: 'Audit New', tags: ['vip'] }), 200, 'sales edit');

  // The record's own history, oldest first.
  const hist = ok(await admin.get(`/api/v1/accounts/${acct.id}/history`), 200, 'history').data;
  assert.deepEqual(hist.map((h) => [h.action, h.user_id]), [
    ['create', sales.user.id], ['update', admin.user.id], ['update', sales.user.id]]);
  assert.deepEqual(hist[1].changes, { city: ['北京', '上海'] });
  assert.deepEqual(hist[2].changes, { name: ['Audit Old', 'Audit New'], tags: [null, ['vip']] });
  assert.deepEqual(hist[0].changes.name, [null, 'Audit Old']);
  assert.deepEqual(hist[0].changes.city, [null, '北京']);
  assert.equal(hist[0].changes.version, undefined, 'bookkeeping columns are left out');

  ok(await admin.del(`/api/v1/accounts/${acct.id}`), 200, 'delete');

  // The global audit log, newest first, with user names and request ids.
  const all = ok(await admin.get('/api/v1/audit' + qs({ entity: 'accounts', limit: '500' })), 200, 'audit').data
    .filter((e) => e.record_id === acct.id);
  assert.deepEqual(all.map((e) => [e.action, e.user_id]), [
    ['delete', admin.user.id], ['update', sales.user.id], ['update', admin.user.id], ['create', sales.user.id]]);
  assert.equal(all[2].request_id, reqId, 'the audit entry carries the request id of the write');
  assert.deepEqual(all[2].changes, { city: ['北京', '上海'] });
  assert.equal(all[1].user_name, sales.user.name);
  assert.equal(all[0].changes.deleted_at[0], null);
  assert.match(all[0].changes.deleted_at[1], UTC_MS);
  for (const e of all) assert.match(e.at, UTC_MS);
  for (let i = 1; i < all.length; i++) assert.ok(all[i].id < all[i - 1].id);

  // Filter by user, and page with before.
  const bySales = ok(await admin.get('/api/v1/audit' + qs({ user_id: sales.user.id })), 200, 'by user').data;
  assert.deepEqual(bySales.filter((e) => e.record_id === acct.id).map((e) => e.action), ['update', 'create']);
  assert.ok(bySales.every((e) => e.user_id === sales.user.id));
  const p1 = ok(await admin.get('/api/v1/audit' + qs({ user_id: sales.user.id, limit: '1' })), 200, 'page 1');
  assert.equal(p1.data.length, 1);
  assert.equal(p1.next_before, p1.data[0].id);
  const p2 = ok(await admin.get('/api/v1/audit' + qs({ user_id: sales.user.id, limit: '1', before: String(p1.next_before) })), 200, 'page 2');
  assert.equal(p2.data[0].id, bySales[1].id);

  // Only administrators read the audit log.
  problem(await sales.get('/api/v1/audit'), 403, 'forbidden', 'sales reads audit');
  problem(await admin.get('/api/v1/audit' + qs({ foo: '1' })), 400, 'unknown_parameter', 'unknown param');
});

test('administrative changes to users are audited', async () => {
  const email = `audited-${randomUUID().slice(0, 8)}@example.com`;
  const u = ok(await admin.post('/api/v1/users', { email, name: 'Audited', password: 'password-' + randomUUID().slice(0, 8), role_id: 'sales' }), 201, 'user');
  ok(await admin.patch(`/api/v1/users/${u.id}`, { role_id: 'manager' }), 200, 'role change');
  const entries = ok(await admin.get('/api/v1/audit' + qs({ entity: 'users', limit: '50' })), 200, 'audit').data
    .filter((e) => e.record_id === u.id);
  assert.deepEqual(entries.map((e) => e.action), ['update', 'create']);
  assert.deepEqual(entries[0].changes.role_id, ['sales', 'manager']);
  assert.deepEqual(entries[1].changes.email, [null, email]);
  assert.ok(entries.every((e) => e.user_id === admin.user.id));
});

// ---------------------------------------------------------------------------------------------
// Idempotency-Key

test('a retry with the same Idempotency-Key and body replays the first answer and creates nothing', async () => {
  const name = 'Idem ' + randomUUID();
  const key = randomUUID();
  const start = await head();
  const first = await admin.post('/api/v1/accounts', { name }, { headers: { 'idempotency-key': key } });
  ok(first, 201, 'first');
  assert.equal(first.headers.get('idempotent-replayed'), null);
  for (let i = 0; i < 2; i++) {
    const again = await admin.post('/api/v1/accounts', { name }, { headers: { 'idempotency-key': key } });
    assert.equal(again.status, 201, again.text);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(again.text, first.text, 'same body, byte for byte');
    assert.match(again.headers.get('content-type'), /^application\/json/);
  }
  assert.equal(await countAccounts({ q: name }), 1);
  const { entries } = await changesAfter(start);
  assert.deepEqual(entries.map(tuple), [['accounts', first.json.id, 'create', 1]]);

  // Keys work on any POST, e.g. lead conversion: the replay is not a second conversion.
  const lead = ok(await admin.post('/api/v1/leads', { last_name: 'Idem lead' }), 201, 'lead');
  const k2 = randomUUID();
  const c1 = await admin.post(`/api/v1/leads/${lead.id}/convert`, {}, { headers: { 'idempotency-key': k2 } });
  ok(c1, 200, 'convert');
  const c2 = await admin.post(`/api/v1/leads/${lead.id}/convert`, {}, { headers: { 'idempotency-key': k2 } });
  assert.equal(c2.status, 200, c2.text);
  assert.equal(c2.headers.get('idempotent-replayed'), 'true');
  assert.equal(c2.text, c1.text);
});

test('the same Idempotency-Key with a different body or path is 422 idempotency_key_reused', async () => {
  const key = randomUUID();
  const name = 'Reuse ' + randomUUID();
  ok(await admin.post('/api/v1/accounts', { name }, { headers: { 'idempotency-key': key } }), 201, 'first');
  const start = await head();
  problem(await admin.post('/api/v1/accounts', { name: name + ' changed' }, { headers: { 'idempotency-key': key } }),
    422, 'idempotency_key_reused', 'different body');
  problem(await admin.post('/api/v1/contacts', { name }, { headers: { 'idempotency-key': key } }),
    422, 'idempotency_key_reused', 'different path');
  assert.deepEqual((await changesAfter(start)).entries, []);
  assert.equal(await countAccounts({ q: name }), 1);

  problem(await admin.post('/api/v1/accounts', { name }, { headers: { 'idempotency-key': 'k'.repeat(201) } }),
    400, 'invalid_idempotency_key', 'too long');
});

test('a request that failed releases its Idempotency-Key for the corrected retry', async () => {
  const key = randomUUID();
  const name = 'Fixed ' + randomUUID();
  problem(await admin.post('/api/v1/accounts', { name, website: 'nope' }, { headers: { 'idempotency-key': key } }), 422, 'validation_failed');
  const fixed = await admin.post('/api/v1/accounts', { name }, { headers: { 'idempotency-key': key } });
  ok(fixed, 201, 'corrected retry');
  assert.equal(fixed.headers.get('idempotent-replayed'), null);
  const replay = await admin.post('/api/v1/accounts', { name }, { headers: { 'idempotency-key': key } });
  assert.equal(replay.headers.get('idempotent-replayed'), 'true');
  assert.equal(replay.json.id, fixed.json.id);
  assert.equal(await countAccounts({ q: name }), 1);
});

test('different users with the same Idempotency-Key are independent', async () => {
  const sales = await userClient(server, admin, { role: 'sales' });
  const key = 'shared-' + randomUUID();
  const name = 'Shared key ' + randomUUID();
  const a = await admin.post('/api/v1/accounts', { name }, { headers: { 'idempotency-key': key } });
  const b = await sales.post('/api/v1/accounts', { name }, { headers: { 'idempotency-key': key } });
  ok(a, 201, 'admin');
  ok(b, 201, 'sales');
  assert.equal(b.headers.get('idempotent-replayed'), null, "one user's key never replays another's answer");
  assert.notEqual(a.json.id, b.json.id);
  assert.equal(b.json.owner_id, sales.user.id);
  assert.equal(await countAccounts({ q: name }), 2);
});

test('5 concurrent requests with one Idempotency-Key create exactly one record (10 rounds)', async () => {
  // The race is timing-dependent, so it is run several times; every round must hold.
  for (let round = 0; round < 10; round++) {
    const key = randomUUID();
    const name = 'Race ' + randomUUID();
    const start = await head();
    const results = await Promise.all(Array.from({ length: 5 }, () =>
      admin.post('/api/v1/accounts', { name }, { headers: { 'idempotency-key': key } })));
    const summary = results.map((r) => `${r.status} ${r.json?.code ?? ''} replayed=${r.headers.get('idempotent-replayed')}`).join('; ');
    const originals = results.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') !== 'true');
    assert.equal(originals.length, 1, `round ${round}: ${summary}`);
    // The others wait for the first and replay its answer: none is told to come back later.
    for (const r of results) {
      if (r === originals[0]) continue;
      assert.equal(r.status, 201, `round ${round}: ${summary}`);
      assert.equal(r.headers.get('idempotent-replayed'), 'true');
      assert.equal(r.json.id, originals[0].json.id);
    }
    assert.equal(await countAccounts({ q: name }), 1);
    assert.equal((await changesAfter(start)).entries.length, 1);
    // Once the first has finished, a retry replays it.
    const later = await admin.post('/api/v1/accounts', { name }, { headers: { 'idempotency-key': key } });
    assert.equal(later.status, 201);
    assert.equal(later.headers.get('idempotent-replayed'), 'true');
    assert.equal(later.json.id, originals[0].json.id);
  }
});

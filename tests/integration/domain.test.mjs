// Domain rules: pipelines and stages, deals and their stage history, money in minor units,
// orders and their exact totals, tasks and time zones, activities, lead conversion, person
// names, and trash/restore keeping links. One server for the file; every test makes its own
// records and asserts on them only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, adminClient, userClient, Client, qs, ok } from './harness.mjs';

let server;
let admin;

before(async () => {
  server = await startServer();
  admin = await adminClient(server);
});

after(async () => {
  if (server) {
    await server.stop();
    server.cleanup();
  }
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

// Asserts a 422 validation_failed naming `field` with `code`.
function assertFieldError(r, field, code) {
  assert.equal(r.status, 422, `expected 422 for ${field}/${code}, got ${r.status} ${r.text}`);
  assert.equal(r.json.code, 'validation_failed', r.text);
  const hit = (r.json.errors || []).find((e) => e.field === field);
  assert.ok(hit, `no error for field ${field}: ${r.text}`);
  assert.equal(hit.code, code, `field ${field}: ${r.text}`);
}

// POSTs/PATCHes a body given as raw JSON text, so integers beyond 2^53 reach the server exactly.
function rawJson(client, method, path, text, headers = {}) {
  return client.request(method, path, { raw: text, headers: { 'content-type': 'application/json', ...headers } });
}

// Reads an integer member from raw JSON text without going through a JS number.
function rawInts(text, field) {
  return [...text.matchAll(new RegExp(`"${field}":(-?\\d+)`, 'g'))].map((m) => BigInt(m[1]));
}

async function count(client, entity, params = {}) {
  const r = await client.get(`/api/v1/${entity}` + qs({ limit: '1', ...params }));
  ok(r, 200, `count ${entity}`);
  assert.equal(r.json.total_exact, true);
  return r.json.total;
}

async function makePipeline(stages, name = 'P ' + randomUUID().slice(0, 8)) {
  return ok(await admin.post('/api/v1/pipelines', { name, stages }), 201, 'create pipeline');
}

const stdStages = () => [
  { name: 'Qualify', probability: 10 },
  { name: 'Propose', probability: 50 },
  { name: 'Negotiate', probability: 80 },
  { name: 'Won', is_won: true },
  { name: 'Lost', is_lost: true },
];

const stageId = (p, name) => p.stages.find((s) => s.name === name).id;

// ---------------------------------------------------------------------------------------------
// Pipelines and stages

test('pipelines keep stages in the given order; won forces probability 100, lost 0', async () => {
  const p = await makePipeline([
    { name: 'Qualify', probability: 10 },
    { name: 'Propose', probability: 55 },
    { name: 'Won', is_won: true, probability: 30 },
    { name: 'Lost', is_lost: true, probability: 70 },
  ]);
  assert.deepEqual(p.stages.map((s) => s.name), ['Qualify', 'Propose', 'Won', 'Lost']);
  assert.deepEqual(p.stages.map((s) => s.probability), [10, 55, 100, 0]);
  assert.deepEqual(p.stages.map((s) => [s.is_won, s.is_lost]), [[false, false], [false, false], [true, false], [false, true]]);
  for (const s of p.stages) assert.match(s.id, UUID);

  // Reordering keeps the stage ids and the new order sticks.
  const reordered = [p.stages[1], p.stages[0], p.stages[2], p.stages[3]];
  const u = ok(await admin.patch(`/api/v1/pipelines/${p.id}`, { stages: reordered }, { headers: { 'if-match': '"1"' } }), 200, 'reorder');
  assert.deepEqual(u.stages.map((s) => s.id), reordered.map((s) => s.id));
  const g = ok(await admin.get(`/api/v1/pipelines/${p.id}`), 200, 'get pipeline');
  assert.deepEqual(g.stages.map((s) => s.name), ['Propose', 'Qualify', 'Won', 'Lost']);
  assert.equal(g.version, 2);
});

test('invalid stages are rejected with the stage path', async () => {
  const before = await count(admin, 'pipelines');
  assertFieldError(await admin.post('/api/v1/pipelines', { name: 'bad', stages: [{ name: 'X', is_won: true, is_lost: true }] }),
    'stages[0]', 'invalid_stage');
  assertFieldError(await admin.post('/api/v1/pipelines', { name: 'bad', stages: [{ name: 'A' }, { name: 'a' }] }),
    'stages[1].name', 'duplicate');
  assertFieldError(await admin.post('/api/v1/pipelines', { name: 'bad', stages: [{ name: 'A', probability: 101 }] }),
    'stages[0].probability', 'out_of_range');
  assertFieldError(await admin.post('/api/v1/pipelines', { name: 'bad', stages: [] }), 'stages', 'required');
  // None of the rejected pipelines exists.
  assert.equal(await count(admin, 'pipelines'), before);
});

test('removing a stage that holds a deal is 409 stage_in_use and changes nothing', async () => {
  const p = await makePipeline(stdStages());
  const deal = ok(await admin.post('/api/v1/deals', { name: 'Stage holder', pipeline_id: p.id, stage_id: stageId(p, 'Propose') }), 201, 'deal');
  const without = p.stages.filter((s) => s.name !== 'Propose');
  const r = await admin.patch(`/api/v1/pipelines/${p.id}`, { stages: without });
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.code, 'stage_in_use');
  const g = ok(await admin.get(`/api/v1/pipelines/${p.id}`), 200, 'get');
  assert.equal(g.version, 1, 'rejected change must not bump the version');
  assert.deepEqual(g.stages.map((s) => s.name), p.stages.map((s) => s.name));

  // Once the deal has moved away, the stage can go.
  ok(await admin.patch(`/api/v1/deals/${deal.id}`, { stage_id: stageId(p, 'Qualify') }), 200, 'move');
  const u = ok(await admin.patch(`/api/v1/pipelines/${p.id}`, { stages: without }), 200, 'remove stage');
  assert.deepEqual(u.stages.map((s) => s.name), ['Qualify', 'Negotiate', 'Won', 'Lost']);
});

test('deleting a pipeline with open deals is 409 pipeline_in_use', async () => {
  const p = await makePipeline(stdStages());
  const d = ok(await admin.post('/api/v1/deals', { name: 'Open deal', pipeline_id: p.id }), 201, 'deal');
  const r = await admin.del(`/api/v1/pipelines/${p.id}`);
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.code, 'pipeline_in_use');
  ok(await admin.get(`/api/v1/pipelines/${p.id}`), 200, 'pipeline still there');
  ok(await admin.del(`/api/v1/deals/${d.id}`), 200, 'trash deal');
  ok(await admin.del(`/api/v1/pipelines/${p.id}`), 200, 'pipeline now deletable');
});

test('a deal in the trash cannot come back in a stage its pipeline no longer has', async () => {
  // Invariant: a live deal's stage_id is always one of its pipeline's stages. Either removing
  // the stage is refused while a trashed deal uses it, or restoring that deal is refused (or
  // puts it in a valid stage); a restored deal in a vanished stage breaks funnels and reports.
  const p = await makePipeline(stdStages());
  const d = ok(await admin.post('/api/v1/deals', { name: 'Trashed', pipeline_id: p.id, stage_id: stageId(p, 'Negotiate') }), 201, 'deal');
  ok(await admin.del(`/api/v1/deals/${d.id}`), 200, 'trash');
  const rm = await admin.patch(`/api/v1/pipelines/${p.id}`, { stages: p.stages.filter((s) => s.name !== 'Negotiate') });
  if (rm.status === 409) {
    assert.equal(rm.json.code, 'stage_in_use');
    return;
  }
  ok(rm, 200, 'stage removed');
  const res = await admin.post(`/api/v1/deals/${d.id}/restore`);
  if (res.status === 200) {
    const pipeline = ok(await admin.get(`/api/v1/pipelines/${p.id}`), 200, 'pipeline');
    assert.ok(pipeline.stages.some((s) => s.id === res.json.stage_id),
      `restored deal sits in stage ${res.json.stage_id}, which pipeline ${p.id} no longer has`);
  } else {
    assert.equal(res.status, 409, res.text);
  }
});

test('a deal in the trash does not come back into a deleted pipeline', async () => {
  // Deleting a pipeline is refused while it has open deals; an open deal sitting in the trash
  // must not be restored into the deleted pipeline (same invariant as for stages).
  const p = await makePipeline(stdStages());
  const d = ok(await admin.post('/api/v1/deals', { name: 'Orphan-to-be', pipeline_id: p.id }), 201, 'deal');
  ok(await admin.del(`/api/v1/deals/${d.id}`), 200, 'trash deal');
  const del = await admin.del(`/api/v1/pipelines/${p.id}`);
  if (del.status === 409) return; // refusing the delete also keeps the invariant
  ok(del, 200, 'pipeline deleted');
  const res = await admin.post(`/api/v1/deals/${d.id}/restore`);
  if (res.status === 200) {
    const pl = await admin.get(`/api/v1/pipelines/${res.json.pipeline_id}`);
    assert.equal(pl.status, 200, `restored open deal points at pipeline ${res.json.pipeline_id}, which is in the trash`);
  } else {
    assert.equal(res.status, 409, res.text);
  }
});

// ---------------------------------------------------------------------------------------------
// Deals

test("a deal's stage must belong to the deal's pipeline", async () => {
  const p1 = await makePipeline(stdStages());
  const p2 = await makePipeline(stdStages());
  const before = await count(admin, 'deals');
  assertFieldError(await admin.post('/api/v1/deals', { name: 'Cross', pipeline_id: p1.id, stage_id: stageId(p2, 'Propose') }),
    'stage_id', 'invalid_choice');
  assertFieldError(await admin.post('/api/v1/deals', { name: 'Ghost', pipeline_id: p1.id, stage_id: randomUUID() }),
    'stage_id', 'invalid_choice');
  assertFieldError(await admin.post('/api/v1/deals', { name: 'No pipe', pipeline_id: randomUUID() }),
    'pipeline_id', 'reference_not_found');
  assertFieldError(await admin.post('/api/v1/deals', { name: 'No contact', pipeline_id: p1.id, contact_ids: [randomUUID()] }),
    'contact_ids[0]', 'reference_not_found');
  assert.equal(await count(admin, 'deals'), before, 'rejected deals were not stored');

  // Without a stage, a deal starts in its pipeline's first stage.
  const d = ok(await admin.post('/api/v1/deals', { name: 'Default stage', pipeline_id: p1.id }), 201, 'create');
  assert.equal(d.stage_id, p1.stages[0].id);
  assert.equal(d.status, 'open');
  assert.equal(d.probability, 10);

  // Moving to another pipeline while keeping the old pipeline's stage is refused.
  assertFieldError(await admin.patch(`/api/v1/deals/${d.id}`, { pipeline_id: p2.id }), 'stage_id', 'invalid_choice');
  const m = ok(await admin.patch(`/api/v1/deals/${d.id}`, { pipeline_id: p2.id, stage_id: stageId(p2, 'Negotiate') }), 200, 'move pipeline');
  assert.equal(m.pipeline_id, p2.id);
  assert.equal(m.probability, 80);
});

test('stage moves are recorded in stage history with from, to, time and user', async () => {
  const p = await makePipeline(stdStages());
  const sales = await userClient(server, admin, { role: 'sales' });
  const t0 = new Date().toISOString();
  const d = ok(await sales.post('/api/v1/deals', { name: 'Tracked', pipeline_id: p.id, amount_minor: 120000, currency: 'CNY' }), 201, 'create');
  // Another user (the admin) moves it, then the owner moves it again.
  ok(await admin.patch(`/api/v1/deals/${d.id}`, { stage_id: stageId(p, 'Propose') }), 200, 'admin move');
  ok(await sales.patch(`/api/v1/deals/${d.id}`, { name: 'Tracked (renamed)' }), 200, 'rename: not a stage move');
  ok(await sales.patch(`/api/v1/deals/${d.id}`, { stage_id: stageId(p, 'Won'), amount_minor: 150000 }), 200, 'owner move');
  const t1 = new Date().toISOString();

  const h = ok(await sales.get(`/api/v1/deals/${d.id}/stage-history`), 200, 'history');
  assert.deepEqual(h.data.map((e) => [e.from_stage_id, e.to_stage_id, e.user_id]), [
    [null, stageId(p, 'Qualify'), sales.user.id],
    [stageId(p, 'Qualify'), stageId(p, 'Propose'), admin.user.id],
    [stageId(p, 'Propose'), stageId(p, 'Won'), sales.user.id],
  ]);
  assert.deepEqual(h.data.map((e) => e.amount_minor), [120000, 120000, 150000]);
  assert.ok(h.data.every((e) => e.currency === 'CNY'));
  for (const e of h.data) {
    assert.match(e.at, UTC_MS);
    assert.ok(e.at >= t0.slice(0, 19) && e.at <= t1, `${e.at} outside [${t0}, ${t1}]`);
  }
  for (let i = 1; i < h.data.length; i++) assert.ok(h.data[i].at >= h.data[i - 1].at, 'history is in time order');

  // Someone who cannot see the deal cannot see its history either.
  const other = await userClient(server, admin, { role: 'sales' });
  const r = await other.get(`/api/v1/deals/${d.id}/stage-history`);
  assert.equal(r.status, 404, r.text);
  assert.equal((await admin.get(`/api/v1/deals/${randomUUID()}/stage-history`)).status, 404);
});

test('won and lost stages set status, probability and closed_at; reopening clears them', async () => {
  const p = await makePipeline(stdStages());
  const d = ok(await admin.post('/api/v1/deals', { name: 'Closer', pipeline_id: p.id }), 201, 'create');
  assert.equal(d.status, 'open');
  assert.equal(d.closed_at, null);

  const won = ok(await admin.patch(`/api/v1/deals/${d.id}`, { stage_id: stageId(p, 'Won') }), 200, 'won');
  assert.equal(won.status, 'won');
  assert.equal(won.probability, 100);
  assert.match(won.closed_at, UTC_MS);

  const lost = ok(await admin.patch(`/api/v1/deals/${d.id}`, { stage_id: stageId(p, 'Lost'), lost_reason: 'Budget' }), 200, 'lost');
  assert.equal(lost.status, 'lost');
  assert.equal(lost.probability, 0);
  assert.match(lost.closed_at, UTC_MS);
  assert.ok(lost.closed_at >= won.closed_at);

  // Editing a closed deal without moving it keeps its closing time.
  const edited = ok(await admin.patch(`/api/v1/deals/${d.id}`, { description: 'post-mortem' }), 200, 'edit lost deal');
  assert.equal(edited.closed_at, lost.closed_at);
  assert.equal(edited.status, 'lost');

  const reopened = ok(await admin.patch(`/api/v1/deals/${d.id}`, { stage_id: stageId(p, 'Negotiate') }), 200, 'reopen');
  assert.equal(reopened.status, 'open');
  assert.equal(reopened.probability, 80);
  assert.equal(reopened.closed_at, null);

  // status, probability and closed_at follow the stage; a client cannot set them.
  assertFieldError(await admin.patch(`/api/v1/deals/${d.id}`, { status: 'won' }), 'status', 'read_only');
  assertFieldError(await admin.patch(`/api/v1/deals/${d.id}`, { probability: 99 }), 'probability', 'read_only');
  assertFieldError(await admin.post('/api/v1/deals', { name: 'x', closed_at: '2026-01-01T00:00:00Z' }), 'closed_at', 'read_only');
});

test('a pipeline may require a reason to lose a deal: single and bulk moves without one are 422 lost_reason', async () => {
  const plain = await makePipeline(stdStages());
  assert.equal(plain.require_lost_reason, false, 'off unless set');
  const free = ok(await admin.post('/api/v1/deals', { name: 'Lost freely', pipeline_id: plain.id }), 201, 'deal');
  ok(await admin.patch(`/api/v1/deals/${free.id}`, { stage_id: stageId(plain, 'Lost') }), 200, 'no reason needed by default');

  const p = ok(await admin.post('/api/v1/pipelines', { name: 'Strict ' + randomUUID().slice(0, 8), stages: stdStages(), require_lost_reason: true }), 201, 'strict pipeline');
  assert.equal(p.require_lost_reason, true);
  const lost = stageId(p, 'Lost');
  const deal = ok(await admin.post('/api/v1/deals', { name: 'Needs a reason', pipeline_id: p.id }), 201, 'deal');
  assertFieldError(await admin.patch(`/api/v1/deals/${deal.id}`, { stage_id: lost }), 'lost_reason', 'required');
  assertFieldError(await admin.patch(`/api/v1/deals/${deal.id}`, { stage_id: lost, lost_reason: '' }), 'lost_reason', 'required');
  assertFieldError(await admin.post('/api/v1/deals', { name: 'Born lost', pipeline_id: p.id, stage_id: lost }), 'lost_reason', 'required');
  const unchanged = ok(await admin.get(`/api/v1/deals/${deal.id}`), 200, 'read');
  assert.equal(unchanged.status, 'open', 'a refused move changes nothing');
  assert.equal(unchanged.version, 1);
  // Moves elsewhere need no reason.
  ok(await admin.patch(`/api/v1/deals/${deal.id}`, { stage_id: stageId(p, 'Propose') }), 200, 'open move');
  const moved = ok(await admin.patch(`/api/v1/deals/${deal.id}`, { stage_id: lost, lost_reason: 'Price' }), 200, 'with a reason');
  assert.equal(moved.status, 'lost');
  assert.equal(moved.lost_reason, 'Price');
  // The reason cannot be cleared while the deal is lost; other edits of a lost deal are fine.
  assertFieldError(await admin.patch(`/api/v1/deals/${deal.id}`, { lost_reason: null }), 'lost_reason', 'required');
  ok(await admin.patch(`/api/v1/deals/${deal.id}`, { description: 'follow up next year' }), 200, 'other edit');

  // Bulk moves: each deal without a reason is refused on its own, with the same field error.
  const a = ok(await admin.post('/api/v1/deals', { name: 'Bulk A', pipeline_id: p.id }), 201, 'deal');
  const b = ok(await admin.post('/api/v1/deals', { name: 'Bulk B', pipeline_id: p.id }), 201, 'deal');
  const refused = ok(await admin.post('/api/v1/deals/bulk', { action: 'update', ids: [a.id, b.id], changes: { stage_id: lost } }), 200, 'bulk');
  assert.equal(refused.succeeded, 0);
  for (const r of refused.results) {
    assert.equal(r.status, 422, JSON.stringify(r));
    assert.ok(r.errors.some((e) => e.field === 'lost_reason' && e.code === 'required'), JSON.stringify(r));
  }
  const done = ok(await admin.post('/api/v1/deals/bulk', { action: 'update', ids: [a.id, b.id], changes: { stage_id: lost, lost_reason: 'Budget cut' } }), 200, 'bulk');
  assert.equal(done.succeeded, 2);

  // Turning the setting on leaves deals lost before it editable.
  const later = ok(await admin.patch(`/api/v1/pipelines/${plain.id}`, { require_lost_reason: true }, { headers: { 'if-match': `"${plain.version}"` } }), 200, 'turn on');
  assert.equal(later.require_lost_reason, true);
  ok(await admin.patch(`/api/v1/deals/${free.id}`, { description: 'lost before the rule' }), 200, 'old lost deal');
});

test('deal amounts are exact integers in minor units with a currency', async () => {
  const p = await makePipeline(stdStages());
  // The largest allowed amount (9×10^15 − 1, just under 2^53) comes back digit for digit.
  const big = '8999999999999999';
  const c = await rawJson(admin, 'POST', '/api/v1/deals', `{"name":"Huge","pipeline_id":"${p.id}","amount_minor":${big},"currency":"CNY"}`);
  ok(c, 201, 'create huge');
  assert.deepEqual(rawInts(c.text, 'amount_minor'), [BigInt(big)]);
  const g = await admin.get(`/api/v1/deals/${c.json.id}`);
  assert.deepEqual(rawInts(g.text, 'amount_minor'), [BigInt(big)]);
  const h = await admin.get(`/api/v1/deals/${c.json.id}/stage-history`);
  assert.deepEqual(rawInts(h.text, 'amount_minor'), [BigInt(big)]);

  const small = ok(await admin.post('/api/v1/deals', { name: '¥12,500.00', pipeline_id: p.id, amount_minor: 1250000, currency: 'CNY' }), 201, 'create');
  assert.equal(small.amount_minor, 1250000);
  assert.equal(small.currency, 'CNY');

  const before = await count(admin, 'deals');
  assertFieldError(await admin.post('/api/v1/deals', { name: 'frac', amount_minor: 12.5, currency: 'CNY' }), 'amount_minor', 'must_be_integer');
  assertFieldError(await admin.post('/api/v1/deals', { name: 'neg', amount_minor: -1, currency: 'CNY' }), 'amount_minor', 'out_of_range');
  assertFieldError(await rawJson(admin, 'POST', '/api/v1/deals', '{"name":"over","amount_minor":9000000000000001,"currency":"CNY"}'),
    'amount_minor', 'out_of_range');
  assertFieldError(await rawJson(admin, 'POST', '/api/v1/deals', '{"name":"max","amount_minor":9223372036854775807,"currency":"CNY"}'),
    'amount_minor', 'out_of_range');
  assertFieldError(await admin.post('/api/v1/deals', { name: 'str', amount_minor: '100', currency: 'CNY' }), 'amount_minor', 'invalid_type');
  assertFieldError(await admin.post('/api/v1/deals', { name: 'nocur', amount_minor: 100 }), 'currency', 'required');
  assertFieldError(await admin.post('/api/v1/deals', { name: 'badcur', amount_minor: 100, currency: 'RMB' }), 'currency', 'invalid_currency');
  assertFieldError(await admin.post('/api/v1/deals', { name: 'lowercur', amount_minor: 100, currency: 'cny' }), 'currency', 'invalid_currency');
  assert.equal(await count(admin, 'deals'), before, 'no rejected deal was stored');

  // Filtering by amount compares exact integers.
  const f = ok(await admin.get('/api/v1/deals' + qs({ 'amount_minor[gte]': '8999999999999998', pipeline_id: p.id })), 200, 'filter');
  assert.deepEqual(f.data.map((x) => x.id), [c.json.id]);
});

test('a whole-number amount beyond int64 is 422 out_of_range, not a type error', async () => {
  // 2^63 is a whole number; it is merely too large. The README's field codes say out_of_range.
  const r = await rawJson(admin, 'POST', '/api/v1/deals', '{"name":"2^63","amount_minor":9223372036854775808,"currency":"CNY"}');
  assertFieldError(r, 'amount_minor', 'out_of_range');
});

// ---------------------------------------------------------------------------------------------
// Orders

async function makeProduct(fields) {
  return ok(await admin.post('/api/v1/products', { name: 'Prod ' + randomUUID().slice(0, 6), ...fields }), 201, 'product');
}

test('order totals are the exact sum of quantity × unit price in minor units', async () => {
  const prod = await makeProduct({ price_minor: 1999, currency: 'CNY', sku: 'SKU-' + randomUUID().slice(0, 6) });
  const o = ok(await admin.post('/api/v1/orders', {
    number: 'SO-1', currency: 'CNY',
    items: [
      { name: 'Ten-fen item', quantity: 3, unit_price_minor: 10 }, // 3 × ¥0.10, a classic float trap
      { name: 'Odd', quantity: 7, unit_price_minor: 333 },
      { product_id: prod.id, quantity: 2 }, // name and price from the product
    ],
  }), 201, 'order');
  assert.equal(o.total_minor, 30 + 2331 + 3998);
  assert.equal(o.items[2].name, prod.name);
  assert.equal(o.items[2].unit_price_minor, 1999);
  assert.equal(o.status, 'draft');

  // Changing the lines recomputes the total.
  const u = ok(await admin.patch(`/api/v1/orders/${o.id}`, { items: [{ name: 'One', quantity: 1, unit_price_minor: 1 }] }), 200, 'patch items');
  assert.equal(u.total_minor, 1);

  // Totals beyond 2^53 stay exact: 10001 × 900000000000001 + 3 × 7 = 9000900000000010022.
  const r = await rawJson(admin, 'POST', '/api/v1/orders',
    '{"currency":"USD","items":[{"name":"Big","quantity":10001,"unit_price_minor":900000000000001},{"name":"Small","quantity":3,"unit_price_minor":7}]}');
  ok(r, 201, 'big order');
  assert.deepEqual(rawInts(r.text, 'total_minor'), [9000900000000010022n]);
  const g = await admin.get(`/api/v1/orders/${r.json.id}`);
  assert.deepEqual(rawInts(g.text, 'total_minor'), [9000900000000010022n]);
  assert.deepEqual(rawInts(g.text, 'unit_price_minor'), [900000000000001n, 7n]);
});

test('an order total that would overflow int64 is 422 out_of_range and stores nothing', async () => {
  const before = await count(admin, 'orders');
  // 1,000,000 × 10^15 = 10^21 > 2^63.
  assertFieldError(await admin.post('/api/v1/orders', { currency: 'CNY', items: [{ name: 'x', quantity: 1000000, unit_price_minor: 1e15 }] }),
    'items', 'out_of_range');
  // Each line fits (5×10^18) but the sum (10^19) does not.
  assertFieldError(await admin.post('/api/v1/orders', { currency: 'CNY', items: [
    { name: 'a', quantity: 1000000, unit_price_minor: 5e12 },
    { name: 'b', quantity: 1000000, unit_price_minor: 5e12 },
  ] }), 'items', 'out_of_range');
  assertFieldError(await admin.post('/api/v1/orders', { currency: 'CNY', items: [{ name: 'x', quantity: 0, unit_price_minor: 1 }] }),
    'items[0].quantity', 'out_of_range');
  assertFieldError(await admin.post('/api/v1/orders', { currency: 'CNY', items: [{ name: 'x', quantity: 1000001, unit_price_minor: 1 }] }),
    'items[0].quantity', 'out_of_range');
  assertFieldError(await admin.post('/api/v1/orders', { currency: 'CNY', items: [{ name: 'x', quantity: 1, unit_price_minor: -5 }] }),
    'items[0].unit_price_minor', 'out_of_range');
  assertFieldError(await admin.post('/api/v1/orders', { currency: 'CNY', items: [{ quantity: 1 }] }), 'items[0].name', 'required');
  assertFieldError(await admin.post('/api/v1/orders', { currency: 'CNY', items: [] }), 'items', 'required');
  assert.equal(await count(admin, 'orders'), before);

  // An existing order patched into overflow keeps its old lines and total.
  const o = ok(await admin.post('/api/v1/orders', { currency: 'CNY', items: [{ name: 'x', quantity: 2, unit_price_minor: 50 }] }), 201, 'order');
  assertFieldError(await admin.patch(`/api/v1/orders/${o.id}`, { items: [{ name: 'x', quantity: 1000000, unit_price_minor: 1e15 }] }), 'items', 'out_of_range');
  const g = ok(await admin.get(`/api/v1/orders/${o.id}`), 200, 'get');
  assert.equal(g.total_minor, 100);
  assert.equal(g.version, 1);
});

test('a fractional unit price is rejected as must_be_integer', async () => {
  // Money is whole minor units everywhere; the code should match deals' amount_minor.
  assertFieldError(await admin.post('/api/v1/orders', { currency: 'CNY', items: [{ name: 'x', quantity: 3, unit_price_minor: 0.1 }] }),
    'items[0].unit_price_minor', 'must_be_integer');
});

test('an order total cannot be set by the client', async () => {
  const before = await count(admin, 'orders');
  assertFieldError(await admin.post('/api/v1/orders', { currency: 'CNY', total_minor: 1, items: [{ name: 'x', quantity: 1, unit_price_minor: 500 }] }),
    'total_minor', 'read_only');
  assert.equal(await count(admin, 'orders'), before);
  const o = ok(await admin.post('/api/v1/orders', { currency: 'CNY', items: [{ name: 'x', quantity: 1, unit_price_minor: 500 }] }), 201, 'order');
  assertFieldError(await admin.patch(`/api/v1/orders/${o.id}`, { total_minor: 1 }), 'total_minor', 'read_only');
  assert.equal((await admin.get(`/api/v1/orders/${o.id}`)).json.total_minor, 500);
});

test('product lines: unknown product, and a product in another currency needs an explicit price', async () => {
  const usd = await makeProduct({ price_minor: 999, currency: 'USD' });
  const noPrice = await makeProduct({ currency: 'CNY' });
  assertFieldError(await admin.post('/api/v1/orders', { currency: 'CNY', items: [{ product_id: randomUUID(), quantity: 1 }] }),
    'items[0].product_id', 'reference_not_found');
  assertFieldError(await admin.post('/api/v1/orders', { currency: 'CNY', items: [{ product_id: usd.id, quantity: 1 }] }),
    'items[0].unit_price_minor', 'currency_mismatch');
  assertFieldError(await admin.post('/api/v1/orders', { currency: 'CNY', items: [{ product_id: noPrice.id, quantity: 1 }] }),
    'items[0].unit_price_minor', 'required');
  const o = ok(await admin.post('/api/v1/orders', { currency: 'CNY', items: [{ product_id: usd.id, quantity: 4, unit_price_minor: 7000 }] }), 201, 'explicit price');
  assert.equal(o.total_minor, 28000);
  assert.equal(o.items[0].name, usd.name);
});

// ---------------------------------------------------------------------------------------------
// Tasks and time zones

test('task due times with an offset are stored in UTC', async () => {
  const t = ok(await admin.post('/api/v1/tasks', { title: 'Call back', due_at: '2026-11-24T09:30:00+08:00' }), 201, 'task');
  assert.equal(t.due_at, '2026-11-24T01:30:00.000Z');
  const t2 = ok(await admin.post('/api/v1/tasks', { title: 'West', due_at: '2026-11-24T09:30:15.250-05:00' }), 201, 'task');
  assert.equal(t2.due_at, '2026-11-24T14:30:15.250Z');
  assert.equal((await admin.get(`/api/v1/tasks/${t.id}`)).json.due_at, '2026-11-24T01:30:00.000Z');
  assertFieldError(await admin.post('/api/v1/tasks', { title: 'bad', due_at: '24/11/2026 09:30' }), 'due_at', 'invalid_datetime');
  assertFieldError(await admin.post('/api/v1/tasks', { title: 'bad', due_at: '2026-02-30T09:30:00Z' }), 'due_at', 'invalid_datetime');
});

test("task due times without an offset are read in the user's time zone", async () => {
  // The admin's zone is UTC: a wall-clock time is taken as UTC.
  const a = ok(await admin.post('/api/v1/tasks', { title: 'UTC wall clock', due_at: '2026-11-24T09:30:00' }), 201, 'admin task');
  assert.equal(a.due_at, '2026-11-24T09:30:00.000Z');

  const sh = await userClient(server, admin, { role: 'sales' });
  ok(await sh.patch('/api/v1/me', { time_zone: 'Asia/Shanghai' }), 200, 'set zone');
  const t = ok(await sh.post('/api/v1/tasks', { title: 'Shanghai', due_at: '2026-11-24T09:30:00' }), 201, 'task');
  assert.equal(t.due_at, '2026-11-24T01:30:00.000Z');
  // An explicit offset still wins over the user's zone.
  const z = ok(await sh.post('/api/v1/tasks', { title: 'Explicit Z', due_at: '2026-11-24T09:30:00Z' }), 201, 'task');
  assert.equal(z.due_at, '2026-11-24T09:30:00.000Z');

  // New York: daylight time in July (UTC-4), standard time in December (UTC-5).
  const ny = await userClient(server, admin, { role: 'sales' });
  ok(await ny.patch('/api/v1/me', { time_zone: 'America/New_York' }), 200, 'set zone');
  assert.equal(ok(await ny.post('/api/v1/tasks', { title: 'summer', due_at: '2026-07-01T09:00:00' }), 201, 'summer').due_at,
    '2026-07-01T13:00:00.000Z');
  assert.equal(ok(await ny.post('/api/v1/tasks', { title: 'winter', due_at: '2026-12-01T09:00:00' }), 201, 'winter').due_at,
    '2026-12-01T14:00:00.000Z');
  // 02:30 on 8 March 2026 does not exist in New York (clocks jump 02:00 -> 03:00).
  assertFieldError(await ny.post('/api/v1/tasks', { title: 'gap', due_at: '2026-03-08T02:30:00' }), 'due_at', 'invalid_datetime');

  // Filters read wall-clock times in the same zone.
  const f = ok(await sh.get('/api/v1/tasks' + qs({ 'due_at[gte]': '2026-11-24T09:30:00', 'due_at[lte]': '2026-11-24T09:30:00' })), 200, 'filter');
  assert.deepEqual(f.data.map((x) => x.id), [t.id]);
});

test('a task related record must exist and be visible', async () => {
  const acct = ok(await admin.post('/api/v1/accounts', { name: 'Task target' }), 201, 'account');
  const t = ok(await admin.post('/api/v1/tasks', { title: 'Linked', related_entity: 'accounts', related_id: acct.id }), 201, 'task');
  assert.equal(t.related_id, acct.id);
  assert.equal(t.status, 'open');
  const before = await count(admin, 'tasks');
  assertFieldError(await admin.post('/api/v1/tasks', { title: 'x', related_entity: 'accounts', related_id: randomUUID() }), 'related_id', 'reference_not_found');
  assertFieldError(await admin.post('/api/v1/tasks', { title: 'x', related_entity: 'deals', related_id: acct.id }), 'related_id', 'reference_not_found');
  assertFieldError(await admin.post('/api/v1/tasks', { title: 'x', related_entity: 'accounts' }), 'related_id', 'required');
  assertFieldError(await admin.post('/api/v1/tasks', { title: 'x', related_id: acct.id }), 'related_entity', 'required');
  assertFieldError(await admin.post('/api/v1/tasks', { title: 'x', related_entity: 'users', related_id: admin.user.id }), 'related_entity', 'invalid_choice');
  assertFieldError(await admin.post('/api/v1/tasks', { title: 'x', related_entity: 'accounts', related_id: 'not-a-uuid' }), 'related_id', 'invalid_format');
  // A record in the trash cannot be linked.
  const gone = ok(await admin.post('/api/v1/accounts', { name: 'Trashed target' }), 201, 'account');
  ok(await admin.del(`/api/v1/accounts/${gone.id}`), 200, 'trash');
  assertFieldError(await admin.post('/api/v1/tasks', { title: 'x', related_entity: 'accounts', related_id: gone.id }), 'related_id', 'reference_not_found');
  // A sales user cannot link to another user's lead they cannot see.
  const lead = ok(await admin.post('/api/v1/leads', { last_name: 'Hidden' }), 201, 'lead');
  const sales = await userClient(server, admin, { role: 'sales' });
  assertFieldError(await sales.post('/api/v1/tasks', { title: 'x', related_entity: 'leads', related_id: lead.id }), 'related_id', 'reference_not_found');
  assert.equal(await count(admin, 'tasks'), before);
});

test('completing a task sets completed_at; reopening clears it', async () => {
  const t = ok(await admin.post('/api/v1/tasks', { title: 'Finish me' }), 201, 'task');
  assert.equal(t.completed_at, null);
  assert.equal(t.priority, 'normal');
  const done = ok(await admin.patch(`/api/v1/tasks/${t.id}`, { status: 'done' }), 200, 'done');
  assert.match(done.completed_at, UTC_MS);
  const renamed = ok(await admin.patch(`/api/v1/tasks/${t.id}`, { title: 'Finished' }), 200, 'rename');
  assert.equal(renamed.completed_at, done.completed_at, 'completed_at stays while the task stays done');
  const open = ok(await admin.patch(`/api/v1/tasks/${t.id}`, { status: 'open' }), 200, 'reopen');
  assert.equal(open.completed_at, null);
  assertFieldError(await admin.patch(`/api/v1/tasks/${t.id}`, { completed_at: '2026-01-01T00:00:00Z' }), 'completed_at', 'read_only');
});

// ---------------------------------------------------------------------------------------------
// Activities

test('activities link to contacts, accounts and deals, and the links must exist', async () => {
  const acct = ok(await admin.post('/api/v1/accounts', { name: 'Activity Co' }), 201, 'account');
  const ct = ok(await admin.post('/api/v1/contacts', { first_name: 'Grace', last_name: 'Hopper', account_id: acct.id }), 201, 'contact');
  const deal = ok(await admin.post('/api/v1/deals', { name: 'Activity deal', account_id: acct.id, contact_ids: [ct.id] }), 201, 'deal');
  const a = ok(await admin.post('/api/v1/activities', {
    type: 'call', subject: 'Intro call', direction: 'outbound', duration_minutes: 15,
    occurred_at: '2026-11-24T10:00:00+08:00', contact_id: ct.id, account_id: acct.id, deal_id: deal.id,
  }), 201, 'activity');
  assert.equal(a.occurred_at, '2026-11-24T02:00:00.000Z');
  assert.deepEqual([a.contact_id, a.account_id, a.deal_id], [ct.id, acct.id, deal.id]);

  // The links are filterable, so a contact's timeline is one query.
  for (const [field, id] of [['contact_id', ct.id], ['account_id', acct.id], ['deal_id', deal.id]]) {
    const l = ok(await admin.get('/api/v1/activities' + qs({ [field]: id })), 200, 'filter');
    assert.deepEqual(l.data.map((x) => x.id), [a.id], `filter by ${field}`);
  }

  const before = await count(admin, 'activities');
  assertFieldError(await admin.post('/api/v1/activities', { type: 'note', deal_id: randomUUID() }), 'deal_id', 'reference_not_found');
  assertFieldError(await admin.post('/api/v1/activities', { type: 'note', contact_id: acct.id }), 'contact_id', 'reference_not_found');
  assertFieldError(await admin.post('/api/v1/activities', { type: 'fax' }), 'type', 'invalid_choice');
  assertFieldError(await admin.post('/api/v1/activities', { subject: 'no type' }), 'type', 'required');
  assertFieldError(await admin.post('/api/v1/activities', { type: 'call', duration_minutes: 1.5 }), 'duration_minutes', 'must_be_integer');
  assert.equal(await count(admin, 'activities'), before);
});

// ---------------------------------------------------------------------------------------------
// Lead conversion

async function counts() {
  return {
    accounts: await count(admin, 'accounts'),
    contacts: await count(admin, 'contacts'),
    deals: await count(admin, 'deals'),
  };
}

test('an activity logged without a time happened when it was logged, so lists sort by when activities happened', async () => {
  const acct = ok(await admin.post('/api/v1/accounts', { name: 'When Co ' + randomUUID().slice(0, 8) }), 201, 'account');
  const past = ok(await admin.post('/api/v1/activities', { type: 'meeting', subject: 'Last week', occurred_at: '2020-01-02T03:04:05Z', account_id: acct.id }), 201, 'past');
  const now = ok(await admin.post('/api/v1/activities', { type: 'note', account_id: acct.id }), 201, 'untimed');
  assert.equal(now.occurred_at, now.created_at);
  const cleared = ok(await admin.patch(`/api/v1/activities/${past.id}`, { occurred_at: null }), 200, 'cleared');
  assert.equal(cleared.occurred_at, past.created_at, 'clearing the time falls back to when it was logged');
  ok(await admin.patch(`/api/v1/activities/${past.id}`, { occurred_at: '2020-01-02T03:04:05Z' }), 200, 'set back');
  const l = ok(await admin.get('/api/v1/activities' + qs({ account_id: acct.id, sort: '-occurred_at' })), 200, 'list');
  assert.deepEqual(l.data.map((x) => x.id), [now.id, past.id]);
});

test('source is one of the fixed codes on contacts, leads and deals; lists filter by it', async () => {
  const tag = randomUUID().slice(0, 6);
  for (const [entity, base] of [['contacts', { last_name: `Src ${tag}` }], ['leads', { last_name: `Src ${tag}` }], ['deals', { name: `Src ${tag}` }]]) {
    const r = await admin.post(`/api/v1/${entity}`, { ...base, source: 'trade show' });
    assert.equal(r.status, 422, `${entity}: free text is refused`);
    const problem = r.json.errors.find((e) => e.field === 'source');
    assert.equal(problem?.code, 'invalid_choice', entity);
    const made = ok(await admin.post(`/api/v1/${entity}`, { ...base, source: 'trade_show' }), 201, entity);
    assert.equal(made.source, 'trade_show');
    const l = ok(await admin.get(`/api/v1/${entity}` + qs({ source: 'trade_show', q: `Src ${tag}` })), 200, 'list');
    assert.deepEqual(l.data.map((x) => x.id), [made.id], entity);
  }
});

test('converting a lead creates account, contact and deal, and links them back', async () => {
  const tag = randomUUID().slice(0, 6);
  const lead = ok(await admin.post('/api/v1/leads', {
    first_name: '小明', last_name: '王', company: `明远科技 ${tag}`, title: '采购经理',
    email: `xm.${tag}@example.cn`, phone: '+86 138 0013 8000', source: 'website',
  }), 201, 'lead');
  assert.equal(lead.status, 'new');
  const before = await counts();

  const r = await admin.post(`/api/v1/leads/${lead.id}/convert`, { deal: { amount_minor: 500000, currency: 'CNY' } });
  const out = ok(r, 200, 'convert');
  const { account, contact, deal } = out;
  assert.equal(account.name, `明远科技 ${tag}`);
  assert.equal(account.phone, '+86 138 0013 8000');
  assert.equal(contact.name, '王小明');
  assert.equal(contact.title, '采购经理');
  assert.deepEqual(contact.emails, [`xm.${tag}@example.cn`]);
  assert.deepEqual(contact.phones, ['+86 138 0013 8000']);
  assert.equal(contact.account_id, account.id);
  assert.equal(contact.source, 'website');
  assert.equal(deal.source, 'website');
  assert.equal(deal.account_id, account.id);
  assert.deepEqual(deal.contact_ids, [contact.id]);
  assert.equal(deal.amount_minor, 500000);
  assert.equal(deal.currency, 'CNY');
  assert.equal(deal.name, account.name);
  assert.equal(deal.status, 'open');

  assert.equal(out.lead.status, 'converted');
  assert.match(out.lead.converted_at, UTC_MS);
  assert.equal(out.lead.converted_account_id, account.id);
  assert.equal(out.lead.converted_contact_id, contact.id);
  assert.equal(out.lead.converted_deal_id, deal.id);
  assert.equal(out.lead.version, 2);

  // Everything is really stored, and the lead as read back matches.
  const g = ok(await admin.get(`/api/v1/leads/${lead.id}`), 200, 'lead');
  assert.equal(g.status, 'converted');
  assert.equal(g.converted_deal_id, deal.id);
  ok(await admin.get(`/api/v1/accounts/${account.id}`), 200, 'account stored');
  ok(await admin.get(`/api/v1/contacts/${contact.id}`), 200, 'contact stored');
  ok(await admin.get(`/api/v1/deals/${deal.id}`), 200, 'deal stored');
  assert.deepEqual(await counts(), { accounts: before.accounts + 1, contacts: before.contacts + 1, deals: before.deals + 1 });

  // The lead's history names the conversion.
  const hist = ok(await admin.get(`/api/v1/leads/${lead.id}/history`), 200, 'history');
  const conv = hist.data.find((e) => e.action === 'convert');
  assert.ok(conv, JSON.stringify(hist.data));
  assert.deepEqual(conv.changes.status, ['new', 'converted']);

  // A second conversion is refused and creates nothing.
  const again = await admin.post(`/api/v1/leads/${lead.id}/convert`, { deal: { amount_minor: 1, currency: 'CNY' } });
  assert.equal(again.status, 409, again.text);
  assert.equal(again.json.code, 'already_converted');
  assert.deepEqual(await counts(), { accounts: before.accounts + 1, contacts: before.contacts + 1, deals: before.deals + 1 });
});

test('a conversion that fails validation creates nothing and leaves the lead as it was', async () => {
  const lead = ok(await admin.post('/api/v1/leads', { first_name: 'Ada', last_name: 'Lovelace', company: 'Engines Ltd ' + randomUUID().slice(0, 4) }), 201, 'lead');
  const before = await counts();
  const chBefore = ok(await admin.get('/api/v1/changes' + qs({ after: '0', limit: '1000' })), 200, 'changes');

  // The deal part is invalid; the account and contact created before it must be rolled back.
  const r = await admin.post(`/api/v1/leads/${lead.id}/convert`, { deal: { amount_minor: 500000, currency: 'XXX' } });
  assertFieldError(r, 'deal.currency', 'invalid_currency');
  const r2 = await admin.post(`/api/v1/leads/${lead.id}/convert`, { deal: { amount_minor: 5.5, currency: 'CNY' } });
  assertFieldError(r2, 'deal.amount_minor', 'must_be_integer');
  const r3 = await admin.post(`/api/v1/leads/${lead.id}/convert`, { contact: { emails: ['not-an-email'] } });
  assertFieldError(r3, 'contact.emails[0]', 'invalid_format');
  const r4 = await admin.post(`/api/v1/leads/${lead.id}/convert`, { account: { website: 'ftp://x' } });
  assertFieldError(r4, 'account.website', 'invalid_format');
  const r5 = await admin.post(`/api/v1/leads/${lead.id}/convert`, { dela: {} });
  assertFieldError(r5, 'dela', 'unknown_field');

  assert.deepEqual(await counts(), before, 'no account, contact or deal left behind');
  const g = ok(await admin.get(`/api/v1/leads/${lead.id}`), 200, 'lead');
  assert.equal(g.status, 'new');
  assert.equal(g.version, 1);
  assert.equal(g.converted_account_id, null);
  const chAfter = ok(await admin.get('/api/v1/changes' + qs({ after: String(chBefore.next_after) })), 200, 'changes');
  assert.deepEqual(chAfter.data, [], 'a rolled-back conversion leaves no change-log entries');

  // After fixing the request, the conversion goes through.
  ok(await admin.post(`/api/v1/leads/${lead.id}/convert`, { deal: { amount_minor: 500000, currency: 'EUR' } }), 200, 'convert');
  assert.deepEqual(await counts(), { accounts: before.accounts + 1, contacts: before.contacts + 1, deals: before.deals + 1 });
});

test('converting into an existing account creates only the contact', async () => {
  const acct = ok(await admin.post('/api/v1/accounts', { name: 'Existing Customer ' + randomUUID().slice(0, 4) }), 201, 'account');
  const lead = ok(await admin.post('/api/v1/leads', { last_name: 'Curie', company: 'Ignored Co' }), 201, 'lead');
  const before = await counts();
  const out = ok(await admin.post(`/api/v1/leads/${lead.id}/convert`, { account_id: acct.id }), 200, 'convert');
  assert.equal(out.account.id, acct.id);
  assert.equal(out.contact.account_id, acct.id);
  assert.equal(out.deal, null);
  assert.equal(out.lead.converted_deal_id, null);
  assert.deepEqual(await counts(), { ...before, contacts: before.contacts + 1 });

  // Missing leads and accounts are 404, and nothing is created.
  assert.equal((await admin.post(`/api/v1/leads/${randomUUID()}/convert`, {})).status, 404);
  const lead2 = ok(await admin.post('/api/v1/leads', { last_name: 'Noether' }), 201, 'lead');
  const unknown = await admin.post(`/api/v1/leads/${lead2.id}/convert`, { account_id: randomUUID() });
  assert.equal(unknown.status, 422);
  assert.deepEqual(unknown.json.errors.map((e) => [e.field, e.code]), [['account_id', 'reference_not_found']]);
  assert.deepEqual(await counts(), { ...before, contacts: before.contacts + 1 });
});

test('a lead is marked converted only by conversion', async () => {
  // "converted" comes with converted_at and converted_*_id links, set by POST /convert. A client
  // writing the status itself makes a "converted" lead that links to nothing.
  const fake = ok(await admin.post('/api/v1/leads', { last_name: 'Faker' }), 201, 'lead');
  const p1 = await admin.patch(`/api/v1/leads/${fake.id}`, { status: 'converted' });
  assert.equal(p1.status, 422, `PATCH status=converted without conversion: ${p1.status} ${p1.text}`);
  assert.ok(p1.json.errors.some((e) => e.field === 'status'), p1.text);
  const c1 = await admin.post('/api/v1/leads', { last_name: 'Born converted', status: 'converted' });
  assert.equal(c1.status, 422, `POST status=converted: ${c1.status} ${c1.text}`);
});

test('a converted lead cannot be set back by PATCH and converted a second time', async () => {
  // Otherwise PATCH {status:"new"} followed by POST /convert duplicates the account and contact.
  const lead = ok(await admin.post('/api/v1/leads', { last_name: 'Once', company: 'Once Co ' + randomUUID().slice(0, 4) }), 201, 'lead');
  ok(await admin.post(`/api/v1/leads/${lead.id}/convert`, {}), 200, 'convert');
  const before = await counts();
  const back = await admin.patch(`/api/v1/leads/${lead.id}`, { status: 'new' });
  const again = await admin.post(`/api/v1/leads/${lead.id}/convert`, {});
  assert.deepEqual(await counts(), before, 'a second conversion created another account/contact');
  assert.ok(back.status === 422 || back.status === 409, `un-converting by PATCH: ${back.status} ${back.text}`);
  assert.equal(again.status, 409, again.text);
  assert.equal(again.json.code, 'already_converted');
});

test('a lead without a company converts into an account named after the person', async () => {
  const lead = ok(await admin.post('/api/v1/leads', { first_name: 'Hedy', last_name: 'Lamarr ' + randomUUID().slice(0, 4) }), 201, 'lead');
  const out = ok(await admin.post(`/api/v1/leads/${lead.id}/convert`, { deal: { name: 'Frequency hopping' } }), 200, 'convert');
  assert.equal(out.account.name, lead.name);
  assert.equal(out.deal.name, 'Frequency hopping');
  assert.equal(out.deal.amount_minor, null);
});

// ---------------------------------------------------------------------------------------------
// People and accounts

test('person names are derived: Chinese family name first without a space, Latin with a space', async () => {
  const cases = [
    [{ first_name: '小明', last_name: '王' }, '王小明'],
    [{ first_name: 'Ada', last_name: 'Lovelace' }, 'Ada Lovelace'],
    [{ last_name: 'Lovelace' }, 'Lovelace'],
    [{ first_name: 'Cher' }, 'Cher'],
    [{ first_name: '  Alan ', last_name: ' Turing  ' }, 'Alan Turing'],
  ];
  for (const [input, name] of cases) {
    assert.equal(ok(await admin.post('/api/v1/contacts', input), 201, 'contact').name, name, JSON.stringify(input));
    assert.equal(ok(await admin.post('/api/v1/leads', input), 201, 'lead').name, name, JSON.stringify(input));
  }
  assertFieldError(await admin.post('/api/v1/contacts', { title: 'nameless' }), 'last_name', 'required');
  assertFieldError(await admin.post('/api/v1/contacts', { first_name: '   ', last_name: '' }), 'last_name', 'required');
  assertFieldError(await admin.post('/api/v1/contacts', { last_name: 'X', name: 'Override' }), 'name', 'read_only');

  // Changing a part of the name updates the derived name.
  const c = ok(await admin.post('/api/v1/contacts', { first_name: '小明', last_name: '王' }), 201, 'contact');
  assert.equal(ok(await admin.patch(`/api/v1/contacts/${c.id}`, { first_name: '大明' }), 200, 'patch').name, '王大明');
  // Removing both parts is refused.
  assertFieldError(await admin.patch(`/api/v1/contacts/${c.id}`, { first_name: null, last_name: null }), 'last_name', 'required');
});

test('Korean names are family name first without a space, like Chinese', async () => {
  // 홍길동: family name 홍, given name 길동. Hangul is CJK script too.
  const c = ok(await admin.post('/api/v1/contacts', { first_name: '길동', last_name: '홍' }), 201, 'contact');
  assert.equal(c.name, '홍길동');
});

test('contacts link to an account that must exist', async () => {
  const acct = ok(await admin.post('/api/v1/accounts', { name: 'Link Co' }), 201, 'account');
  const c = ok(await admin.post('/api/v1/contacts', { last_name: 'Linked', account_id: acct.id }), 201, 'contact');
  assert.equal(c.account_id, acct.id);
  const l = ok(await admin.get('/api/v1/contacts' + qs({ account_id: acct.id })), 200, 'by account');
  assert.deepEqual(l.data.map((x) => x.id), [c.id]);
  assertFieldError(await admin.post('/api/v1/contacts', { last_name: 'x', account_id: randomUUID() }), 'account_id', 'reference_not_found');
  assertFieldError(await admin.post('/api/v1/contacts', { last_name: 'x', account_id: 'nope' }), 'account_id', 'invalid_format');
  const unlinked = ok(await admin.patch(`/api/v1/contacts/${c.id}`, { account_id: null }), 200, 'unlink');
  assert.equal(unlinked.account_id, null);
});

test("trashing and restoring an account keeps its contacts' links", async () => {
  const acct = ok(await admin.post('/api/v1/accounts', { name: 'Round trip ' + randomUUID().slice(0, 4) }), 201, 'account');
  const c1 = ok(await admin.post('/api/v1/contacts', { last_name: 'One', account_id: acct.id }), 201, 'c1');
  const c2 = ok(await admin.post('/api/v1/contacts', { last_name: 'Two', account_id: acct.id }), 201, 'c2');

  const del = ok(await admin.del(`/api/v1/accounts/${acct.id}`, { headers: { 'if-match': '"1"' } }), 200, 'trash');
  assert.match(del.deleted_at, UTC_MS);
  assert.equal(del.deleted_by, admin.user.id);
  assert.equal((await admin.get(`/api/v1/accounts/${acct.id}`)).status, 404);
  const trash = ok(await admin.get('/api/v1/accounts' + qs({ trashed: 'true', limit: '200' })), 200, 'trash list');
  assert.ok(trash.data.some((a) => a.id === acct.id));
  // The contacts still point at it while it is in the trash...
  assert.equal((await admin.get(`/api/v1/contacts/${c1.id}`)).json.account_id, acct.id);
  // ...but new links to a trashed account are refused, and it cannot be edited.
  assertFieldError(await admin.post('/api/v1/contacts', { last_name: 'Late', account_id: acct.id }), 'account_id', 'reference_not_found');
  const p = await admin.patch(`/api/v1/accounts/${acct.id}`, { city: 'x' });
  assert.equal(p.status, 409, p.text);
  assert.equal(p.json.code, 'in_trash');

  const res = ok(await admin.post(`/api/v1/accounts/${acct.id}/restore`), 200, 'restore');
  assert.equal(res.deleted_at, null);
  assert.equal(res.version, 3);
  for (const c of [c1, c2]) {
    const g = ok(await admin.get(`/api/v1/contacts/${c.id}`), 200, 'contact');
    assert.equal(g.account_id, acct.id);
    assert.equal(g.version, 1, 'contacts were not rewritten');
  }
  const l = ok(await admin.get('/api/v1/contacts' + qs({ account_id: acct.id, sort: 'name' })), 200, 'by account');
  assert.deepEqual(l.data.map((x) => x.id), [c1.id, c2.id]);
  const again = await admin.post(`/api/v1/accounts/${acct.id}/restore`);
  assert.equal(again.status, 409);
  assert.equal(again.json.code, 'not_in_trash');
});

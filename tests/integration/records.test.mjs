// Records: the seven routes every entity has (create, get, change, delete, restore, history,
// list), optimistic concurrency (If-Match / "version"), replay-safe creates with client ids,
// exact UTF-8 text and exact money. Runs the same lifecycle for all nine entities, because the
// record path is generic and a bug there hits every entity at once.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID, randomBytes } from 'node:crypto';
import { startServer, adminClient, userClient, qs } from './harness.mjs';

let server, admin, adminId;
// Records other records link to (created once; tests never change them).
const fx = {};

// ---- helpers ------------------------------------------------------------------------------

const uniq = () => randomUUID().slice(0, 8);

// A UUIDv7 minted by the client, as an offline phone would do.
function uuidv7() {
  const b = randomBytes(16);
  const ms = BigInt(Date.now());
  for (let i = 0; i < 6; i++) b[i] = Number((ms >> BigInt(40 - 8 * i)) & 0xffn);
  b[6] = 0x70 | (b[6] & 0x0f);
  b[8] = 0x80 | (b[8] & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

async function create(entity, body, client = admin) {
  const r = await client.post(`/api/v1/${entity}`, body);
  assert.equal(r.status, 201, `create ${entity}: ${r.text}`);
  return r.json;
}

async function get(entity, id) {
  return admin.get(`/api/v1/${entity}/${id}`);
}

// Number of live (or trashed) records of an entity, from the list's exact total.
async function count(entity, extra = {}) {
  const r = await admin.get(`/api/v1/${entity}` + qs({ limit: 1, ...extra }));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.total_exact, true);
  return r.json.total;
}

async function history(entity, id) {
  const r = await admin.get(`/api/v1/${entity}/${id}/history`);
  assert.equal(r.status, 200, r.text);
  return r.json.data;
}

// For each entity: a valid create body, a change to make, and the links that must survive
// delete + restore. Names carry a unique suffix so tests sharing the server never collide.
const ENTITIES = {
  accounts: {
    create: (u) => ({ name: `上海明远科技有限公司 ${u}`, city: '上海', website: 'https://mingyuan.example.cn' }),
    change: { city: '北京' },
  },
  contacts: {
    create: (u) => ({ first_name: '小明', last_name: '王', title: `工程师 ${u}`, account_id: fx.account.id,
                      emails: [`xm.${u}@example.cn`] }),
    change: { title: '采购经理' },
    links: ['account_id'],
  },
  leads: {
    create: (u) => ({ first_name: 'Ada', last_name: `Lovelace ${u}`, company: 'Analytical Engines Ltd' }),
    change: { status: 'contacted' },
  },
  pipelines: {
    create: (u) => ({ name: `Renewals ${u}`, position: 100,
                      stages: [{ name: 'Open', probability: 20 }, { name: 'Won', is_won: true }, { name: 'Lost', is_lost: true }] }),
    change: { name: 'Renewals (renamed)' },
  },
  deals: {
    create: (u) => ({ name: `年度框架协议 ${u}`, amount_minor: 1250000, currency: 'CNY', expected_close_date: '2026-12-31',
                      account_id: fx.account.id, contact_ids: [fx.contact.id] }),
    change: { amount_minor: 1300000 },
    links: ['account_id', 'contact_ids', 'pipeline_id', 'stage_id'],
  },
  activities: {
    create: (u) => ({ type: 'call', subject: `Intro call ${u}`, occurred_at: '2026-11-24T09:30:00+08:00',
                      duration_minutes: 15, contact_id: fx.contact.id, deal_id: fx.deal.id }),
    change: { subject: 'Intro call (rescheduled)' },
    links: ['contact_id', 'deal_id'],
  },
  tasks: {
    create: (u) => ({ title: `Send quote ${u}`, due_at: '2026-12-01T10:00:00Z', related_entity: 'deals', related_id: fx.deal.id }),
    change: { priority: 'high' },
    links: ['related_entity', 'related_id'],
  },
  products: {
    create: (u) => ({ name: `Widget ${u}`, sku: `W-${u}`, price_minor: 1999, currency: 'CNY' }),
    change: { price_minor: 2499 },
  },
  orders: {
    create: (u) => ({ number: `SO-${u}`, currency: 'CNY', account_id: fx.account.id, contact_id: fx.contact.id,
                      items: [{ name: 'Consulting day', quantity: 2, unit_price_minor: 150000 }] }),
    change: { status: 'confirmed' },
    links: ['account_id', 'contact_id'],
  },
};

// ---- server -------------------------------------------------------------------------------

before(async () => {
  server = await startServer();
  admin = await adminClient(server);
  adminId = admin.user.id;
  fx.account = await create('accounts', { name: `Fixture account ${uniq()}` });
  fx.contact = await create('contacts', { first_name: 'Fixture', last_name: uniq(), account_id: fx.account.id });
  fx.deal = await create('deals', { name: `Fixture deal ${uniq()}`, account_id: fx.account.id });
});

after(async () => {
  await server?.stop();
  server?.cleanup();
});

// ---- the lifecycle, for every entity -------------------------------------------------------

for (const [entity, spec] of Object.entries(ENTITIES)) {
  describe(entity, () => {
    test('create answers 201 with Location, ETag, version 1 and who created it; GET returns the same record', async () => {
      const body = spec.create(uniq());
      const r = await admin.post(`/api/v1/${entity}`, body);
      assert.equal(r.status, 201, r.text);
      const rec = r.json;
      assert.match(rec.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'server ids are UUIDv7');
      assert.equal(r.headers.get('location'), `/api/v1/${entity}/${rec.id}`);
      assert.equal(r.headers.get('etag'), '"1"');
      assert.equal(rec.version, 1);
      assert.equal(rec.created_by, adminId);
      assert.equal(rec.updated_by, adminId);
      assert.equal(rec.owner_id, adminId, 'the creator owns a new record by default');
      assert.equal(rec.deleted_at, null);
      assert.match(rec.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'times are UTC with milliseconds');
      // Every field the client sent comes back (datetimes normalised to UTC, stages get ids).
      for (const [k, v] of Object.entries(body)) {
        if (k === 'occurred_at') assert.equal(rec[k], '2026-11-24T01:30:00.000Z');
        else if (k === 'due_at') assert.equal(rec[k], '2026-12-01T10:00:00.000Z');
        else if (k === 'stages') assert.deepEqual(rec[k].map((s) => s.name), v.map((s) => s.name));
        else if (k === 'items') assert.equal(rec[k][0].unit_price_minor, v[0].unit_price_minor);
        else assert.deepEqual(rec[k], v, `field ${k}`);
      }

      const g = await get(entity, rec.id);
      assert.equal(g.status, 200);
      assert.equal(g.headers.get('etag'), '"1"');
      assert.deepEqual(g.json, rec, 'GET returns exactly what create returned');
    });

    test('PATCH with the current If-Match applies the change, bumps version and ETag, and is in the history', async () => {
      const rec = await create(entity, spec.create(uniq()));
      const [field, value] = Object.entries(spec.change)[0];
      const r = await admin.patch(`/api/v1/${entity}/${rec.id}`, spec.change, { headers: { 'if-match': '"1"' } });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.version, 2);
      assert.equal(r.headers.get('etag'), '"2"');
      assert.deepEqual(r.json[field], value);
      assert.equal(r.json.updated_by, adminId);
      assert.equal(r.json.created_at, rec.created_at, 'created_at never changes');
      assert.ok(r.json.updated_at >= rec.updated_at);

      const g = await get(entity, rec.id);
      assert.deepEqual(g.json[field], value, 'the change was stored');
      assert.equal(g.headers.get('etag'), '"2"');

      // The audit trail names the user and the field, from what to what.
      const h = await history(entity, rec.id);
      assert.deepEqual(h.map((e) => e.action), ['create', 'update']);
      const upd = h[1];
      assert.equal(upd.user_id, adminId);
      assert.equal(upd.user_name, 'Administrator');
      assert.deepEqual(upd.changes[field], [rec[field], value]);
    });

    test('PATCH with a stale If-Match is 412 version_conflict with the current record, and writes nothing', async () => {
      const rec = await create(entity, spec.create(uniq()));
      const first = await admin.patch(`/api/v1/${entity}/${rec.id}`, spec.change, { headers: { 'if-match': '"1"' } });
      assert.equal(first.status, 200, first.text);
      const before = (await get(entity, rec.id)).json;

      // A second editor who loaded version 1 tries to overwrite the first editor's change.
      const stale = spec.create(uniq());
      const r = await admin.patch(`/api/v1/${entity}/${rec.id}`, stale, { headers: { 'if-match': '"1"' } });
      assert.equal(r.status, 412, r.text);
      assert.match(r.headers.get('content-type'), /^application\/problem\+json/);
      assert.equal(r.json.code, 'version_conflict');
      assert.equal(r.json.current_version, 2);
      assert.deepEqual(r.json.current, before, 'the conflict carries the current record to merge with');

      const afterGet = await get(entity, rec.id);
      assert.deepEqual(afterGet.json, before, 'nothing was written');
      assert.equal((await history(entity, rec.id)).length, 2, 'no audit entry for the rejected write');

      // W/"2" (a weak ETag as browsers echo it) is accepted as the current version.
      const weak = await admin.patch(`/api/v1/${entity}/${rec.id}`, spec.change, { headers: { 'if-match': 'W/"2"' } });
      assert.equal(weak.status, 200, weak.text);
    });

    test('"version" in the body works like If-Match', async () => {
      const rec = await create(entity, spec.create(uniq()));
      const [field, value] = Object.entries(spec.change)[0];
      const ok = await admin.patch(`/api/v1/${entity}/${rec.id}`, { ...spec.change, version: 1 });
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.json.version, 2);
      assert.equal(ok.headers.get('etag'), '"2"');

      const stale = await admin.patch(`/api/v1/${entity}/${rec.id}`, { ...spec.create(uniq()), version: 1 });
      assert.equal(stale.status, 412, stale.text);
      assert.equal(stale.json.code, 'version_conflict');
      assert.equal(stale.json.current_version, 2);
      const g = await get(entity, rec.id);
      assert.equal(g.json.version, 2);
      assert.deepEqual(g.json[field], value);
    });

    test('DELETE moves to the trash, restore brings it back with its links, history shows both', async () => {
      const rec = await create(entity, spec.create(uniq()));
      const liveBefore = await count(entity);
      const trashBefore = await count(entity, { trashed: 'true' });

      // A stale If-Match on DELETE is refused like on PATCH.
      const staleDel = await admin.del(`/api/v1/${entity}/${rec.id}`, { headers: { 'if-match': '"7"' } });
      assert.equal(staleDel.status, 412, staleDel.text);
      assert.equal((await get(entity, rec.id)).status, 200, 'a refused delete leaves the record in place');

      const d = await admin.del(`/api/v1/${entity}/${rec.id}`, { headers: { 'if-match': '"1"' } });
      assert.equal(d.status, 200, d.text);
      assert.equal(d.json.version, 2);
      assert.equal(d.json.deleted_by, adminId);
      assert.ok(d.json.deleted_at);

      const g = await get(entity, rec.id);
      assert.equal(g.status, 404, 'a trashed record is not served by GET');
      assert.equal(g.json.code, 'not_found');
      assert.equal(await count(entity), liveBefore - 1, 'gone from the live list');
      assert.equal(await count(entity, { trashed: 'true' }), trashBefore + 1, 'counted in the trash');
      const trash = await admin.get(`/api/v1/${entity}` + qs({ trashed: 'true', limit: 200 }));
      assert.ok(trash.json.data.some((x) => x.id === rec.id), 'listed with trashed=true');

      // Changing a trashed record is refused until it is restored.
      const p = await admin.patch(`/api/v1/${entity}/${rec.id}`, spec.change);
      assert.equal(p.status, 409, p.text);
      assert.equal(p.json.code, 'in_trash');

      const r = await admin.post(`/api/v1/${entity}/${rec.id}/restore`);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.version, 3);
      assert.equal(r.json.deleted_at, null);
      const back = await get(entity, rec.id);
      assert.equal(back.status, 200);
      for (const link of spec.links || []) assert.deepEqual(back.json[link], rec[link], `link ${link} survives the trash`);
      const { version: _v, updated_at: _u, ...restored } = back.json;
      const { version: _v0, updated_at: _u0, ...original } = rec;
      assert.deepEqual(restored, original, 'every field is as it was before the delete');
      assert.equal(await count(entity), liveBefore);

      const again = await admin.post(`/api/v1/${entity}/${rec.id}/restore`);
      assert.equal(again.status, 409);
      assert.equal(again.json.code, 'not_in_trash');

      const h = await history(entity, rec.id);
      assert.deepEqual(h.map((e) => e.action), ['create', 'delete', 'restore']);
      assert.deepEqual(h[1].changes.deleted_by, [null, adminId]);
      assert.deepEqual(h[2].changes.deleted_at, [d.json.deleted_at, null]);
      assert.ok(h.every((e) => e.user_id === adminId));
    });

    test('a client-chosen UUIDv7 id is kept, and replaying the create returns 200 and creates nothing', async () => {
      const id = uuidv7();
      const body = { id, ...spec.create(uniq()) };
      const before = await count(entity);
      const first = await admin.post(`/api/v1/${entity}`, body);
      assert.equal(first.status, 201, first.text);
      assert.equal(first.json.id, id);

      // The phone lost the answer and sends the same request again.
      const replay = await admin.post(`/api/v1/${entity}`, body);
      assert.equal(replay.status, 200, replay.text);
      assert.deepEqual(replay.json, (await get(entity, id)).json);
      assert.equal(replay.json.version, 1);
      assert.equal(await count(entity), before + 1, 'exactly one record');
      assert.equal((await history(entity, id)).length, 1, 'one create in the audit trail');
    });
  });
}

// ---- ids -----------------------------------------------------------------------------------

describe('client ids', () => {
  test('an id in upper case is the same record (ids are canonicalised)', async () => {
    const id = uuidv7();
    await create('contacts', { id, first_name: 'Case', last_name: uniq() });
    const replay = await admin.post('/api/v1/contacts', { id: id.toUpperCase(), first_name: 'Case', last_name: 'x' });
    assert.equal(replay.status, 200, replay.text);
    assert.equal(replay.json.id, id);
    assert.equal((await admin.get(`/api/v1/contacts/${id.toUpperCase()}`)).status, 200);
  });

  test('replaying an id with a different body never overwrites the stored record', async () => {
    const id = uuidv7();
    const rec = await create('accounts', { id, name: `Original ${uniq()}`, city: '上海' });
    const r = await admin.post('/api/v1/accounts', { id, name: 'Something else', city: '深圳' });
    // README: the second create returns the existing record with 200.
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.name, rec.name, 'the answer is the stored record, not an echo of the new body');
    const g = await get('accounts', id);
    assert.deepEqual(g.json, rec, 'the stored record is untouched');
  });

  test("another user's create with an id that exists is 409 id_conflict and changes nothing", async () => {
    const sales = await userClient(server, admin, { role: 'sales' });
    const id = uuidv7();
    const rec = await create('contacts', { id, first_name: 'Taken', last_name: uniq() });
    const r = await sales.post('/api/v1/contacts', { id, first_name: 'Mine', last_name: 'Now' });
    assert.equal(r.status, 409, r.text);
    assert.equal(r.json.code, 'id_conflict');
    assert.equal(JSON.stringify(r.json).includes('Taken'), false, "the other user's record is not leaked");
    assert.deepEqual((await get('contacts', id)).json, rec);
  });
});

// ---- concurrent edits ----------------------------------------------------------------------

describe('concurrent edits', () => {
  test('of many simultaneous PATCHes with the same If-Match exactly one wins; the others get the real current version', async () => {
    // Several records at once, so the requests really overlap inside the server.
    const recs = await Promise.all(Array.from({ length: 6 }, () => create('contacts', { first_name: 'Race', last_name: uniq() })));
    const n = 6;
    await Promise.all(recs.map(async (rec) => {
      const results = await Promise.all(Array.from({ length: n }, (_, i) =>
        admin.patch(`/api/v1/contacts/${rec.id}`, { title: `editor ${i}` }, { headers: { 'if-match': '"1"' } })));
      const won = results.filter((r) => r.status === 200);
      const lost = results.filter((r) => r.status === 412);
      assert.equal(won.length, 1, results.map((r) => r.status).join(','));
      assert.equal(lost.length, n - 1, results.map((r) => r.status).join(','));
      const stored = (await get('contacts', rec.id)).json;
      assert.equal(stored.version, 2);
      assert.equal(stored.title, won[0].json.title, "the winner's change is what is stored");
      // A loser must be told the version that beat it, or its retry with that version fails again.
      for (const r of lost) {
        assert.equal(r.json.current_version, 2, r.text.slice(0, 300));
        assert.equal(r.json.current.title, stored.title);
      }
    }));
  });

  test('simultaneous PATCHes without If-Match are all applied, one version each', async () => {
    // No precondition was sent, so no client may be answered 412: each change is applied in turn.
    const rec = await create('contacts', { first_name: 'Busy', last_name: uniq() });
    const n = 8;
    const results = await Promise.all(Array.from({ length: n }, (_, i) =>
      admin.patch(`/api/v1/contacts/${rec.id}`, { title: `writer ${i}` })));
    const refused = results.find((r) => r.status !== 200);
    assert.deepEqual(results.map((r) => r.status), Array(n).fill(200), refused && refused.text.slice(0, 200));
    assert.deepEqual(results.map((r) => r.json.version).sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i + 2));
    const stored = (await get('contacts', rec.id)).json;
    assert.equal(stored.version, n + 1);
    assert.equal((await history('contacts', rec.id)).length, n + 1);
  });
});

// ---- text ----------------------------------------------------------------------------------

describe('UTF-8 text', () => {
  test('Chinese, astral-plane and full-width text round-trips byte for byte', async () => {
    const u = uniq();
    const body = {
      first_name: '小明',
      last_name: '王',
      title: '华东区 采购经理（𠮷野家）',
      description: `第一行：合同已签署 👍\n第二行：ＡＢＣ商贸 ${u}\n\t缩进`,
      tags: ['重要客户', 'ＶＩＰ'],
    };
    const rec = await create('contacts', body);
    assert.equal(rec.name, '王小明', 'Chinese names are family name first, no space');
    const g = await get('contacts', rec.id);
    for (const [k, v] of Object.entries(body)) assert.deepEqual(g.json[k], v, `field ${k} round-trips exactly`);
    assert.match(g.headers.get('content-type'), /application\/json/);
    // The raw bytes on the wire are UTF-8 (not \u escapes a naive client could mangle).
    assert.ok(g.text.includes('华东区 采购经理（𠮷野家）'));

    const acc = await create('accounts', { name: `上海明远科技有限公司${u}`, city: '上海' });
    assert.equal((await get('accounts', acc.id)).json.name, `上海明远科技有限公司${u}`);
  });

  test('a Latin name is "first last"', async () => {
    const rec = await create('contacts', { first_name: 'Ada', last_name: 'Lovelace' });
    assert.equal(rec.name, 'Ada Lovelace');
  });
});

// ---- money ---------------------------------------------------------------------------------

describe('money', () => {
  // Values are compared on the raw response text: JSON.parse would itself round anything
  // beyond 2^53 and hide a server that rounds.
  const MAX = '9000000000000000';

  test('the largest allowed amount is stored exactly', async () => {
    const name = `Big deal ${uniq()}`;
    const r = await admin.request('POST', '/api/v1/deals', {
      raw: `{"name":"${name}","amount_minor":${MAX},"currency":"CNY"}`,
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(r.status, 201, r.text);
    assert.match(r.text, new RegExp(`"amount_minor":${MAX}[,}]`));
    const g = await get('deals', r.json.id);
    assert.match(g.text, new RegExp(`"amount_minor":${MAX}[,}]`));

    const p = await admin.request('PATCH', `/api/v1/deals/${r.json.id}`, {
      raw: '{"amount_minor":8999999999999999}', headers: { 'content-type': 'application/json' },
    });
    assert.equal(p.status, 200, p.text);
    assert.match(p.text, /"amount_minor":8999999999999999[,}]/);
  });

  test('amounts beyond the range, fractional or as strings are refused, never rounded', async () => {
    const before = await count('deals');
    const cases = [
      ['9007199254740993', 'out_of_range'],   // 2^53 + 1: a double would round it to ...992
      ['9000000000000001', 'out_of_range'],
      ['-1', 'out_of_range'],
      ['12.5', 'must_be_integer'],
      ['1250000.0', 'must_be_integer'],
      ['"1250000"', 'invalid_type'],
      ['99999999999999999999999', null],       // beyond int64: must still be a clean 422
    ];
    for (const [amount, code] of cases) {
      const r = await admin.request('POST', '/api/v1/deals', {
        raw: `{"name":${JSON.stringify(`Refused ${amount}`)},"amount_minor":${amount},"currency":"CNY"}`,
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(r.status, 422, `${amount}: ${r.text}`);
      const e = r.json.errors.find((x) => x.field === 'amount_minor');
      assert.ok(e, `${amount}: error names amount_minor: ${r.text}`);
      if (code) assert.equal(e.code, code, amount);
    }
    assert.equal(await count('deals'), before, 'no deal was created');
  });

  test('an order total beyond 2^53 is the exact sum, and filters on it compare exactly', async () => {
    // 9 × 10^15 + 7,199,254,740,993 = 9,007,199,254,740,993 = 2^53 + 1.
    const number = `SO-BIG-${uniq()}`;
    const r = await admin.post('/api/v1/orders', {
      number, currency: 'CNY',
      items: [{ name: 'Turbine', quantity: 9, unit_price_minor: 1_000_000_000_000_000 },
              { name: 'Spare parts', quantity: 1, unit_price_minor: 7_199_254_740_993 }],
    });
    assert.equal(r.status, 201, r.text);
    assert.match(r.text, /"total_minor":9007199254740993[,}]/);
    assert.match((await get('orders', r.json.id)).text, /"total_minor":9007199254740993[,}]/);

    // If the database or the server held the total as a double, gt ...992 would not match.
    const gt = await admin.get('/api/v1/orders' + qs({ 'total_minor[gt]': '9007199254740992', number }));
    assert.equal(gt.status, 200, gt.text);
    assert.equal(gt.json.total, 1);
    const eq = await admin.get('/api/v1/orders' + qs({ total_minor: '9007199254740992', number }));
    assert.equal(eq.json.total, 0, 'the neighbouring value does not match');
  });

  test('product prices and order lines keep exact minor units; a line takes its price from the product', async () => {
    const prod = await create('products', { name: `Licence ${uniq()}`, price_minor: 123456789012345, currency: 'CNY' });
    const o = await admin.post('/api/v1/orders', { currency: 'CNY', items: [{ product_id: prod.id, quantity: 3 }] });
    assert.equal(o.status, 201, o.text);
    assert.equal(o.json.items[0].unit_price_minor, 123456789012345);
    assert.equal(o.json.items[0].name, prod.name);
    assert.match(o.text, /"total_minor":370370367037035[,}]/);
  });
});

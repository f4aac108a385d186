// Lists: keyset paging (every record exactly once, in order, even with ties, NULLs and writes
// between pages), cursor safety, totals, filters and search (Chinese by any part, Latin by
// prefix regardless of case and width, email, phone by last digits, company) and the global
// search endpoint. Each test tags its records with a unique `batch` (an integer custom field of
// contacts and deals: filterable, and invisible to search) so tests sharing the server see only
// their own records.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, adminClient, qs } from './harness.mjs';

let server, admin;

// ---- helpers ------------------------------------------------------------------------------

const uniq = () => randomUUID().slice(0, 8);
// A Latin word no other record contains (letters only: one search term).
const word = () => 'zq' + Array.from(randomUUID().replaceAll('-', '').slice(0, 10), (c) => String.fromCharCode(97 + (parseInt(c, 16) % 26))).join('');

// A number no other test's records carry in custom.batch.
let lastBatch = 0;
const newBatch = () => ++lastBatch;
// `batch` in a body is the custom field's value; in list parameters, its filter.
const withBatch = ({ batch, ...body }) => (batch === undefined ? body : { ...body, custom: { ...body.custom, batch } });
const batchFilter = ({ batch, ...params }) => (batch === undefined ? params : { ...params, 'custom.batch': batch });

// Creates records in parallel batches; returns them in creation order.
async function createMany(entity, bodies) {
  const out = [];
  for (let i = 0; i < bodies.length; i += 16) {
    const batch = await Promise.all(bodies.slice(i, i + 16).map((b) => admin.post(`/api/v1/${entity}`, withBatch(b))));
    for (const r of batch) {
      assert.equal(r.status, 201, r.text);
      out.push(r.json);
    }
  }
  return out;
}

async function list(entity, params) {
  const r = await admin.get(`/api/v1/${entity}` + qs(batchFilter(params)));
  assert.equal(r.status, 200, r.text);
  return r.json;
}

// Follows next_cursor to the end. `between(page)` runs after each page but the last.
async function pageAll(entity, params, { between } = {}) {
  const pages = [];
  let cursor = null;
  for (let n = 0; n < 1000; n++) {
    const page = await list(entity, cursor ? { ...params, cursor } : params);
    assert.ok(page.data.length <= (params.limit ?? 50), 'a page never exceeds the limit');
    pages.push(page);
    if (!page.next_cursor) break;
    assert.ok(page.data.length > 0, 'a page with a next cursor is not empty');
    if (between) await between(page);
    cursor = page.next_cursor;
  }
  return { pages, records: pages.flatMap((p) => p.data) };
}

// Database order: UTF-8 byte order (SQLite BINARY, PostgreSQL COLLATE "C"), NULLs last in both
// directions, ties broken by id in the same direction.
function byteCmp(a, b) {
  return Buffer.compare(Buffer.from(String(a)), Buffer.from(String(b)));
}
function sorted(records, field, desc) {
  const dir = desc ? -1 : 1;
  return [...records].sort((x, y) => {
    const a = x[field], b = y[field];
    if (a === null && b === null) return dir * byteCmp(x.id, y.id);
    if (a === null) return 1;
    if (b === null) return -1;
    const c = typeof a === 'number' ? Math.sign(a - b) : byteCmp(a, b);
    return c !== 0 ? dir * c : dir * byteCmp(x.id, y.id);
  });
}

const ids = (records) => records.map((r) => r.id);

function assertEachOnce(seen, expected, what) {
  const counts = new Map();
  for (const id of seen) counts.set(id, (counts.get(id) || 0) + 1);
  const repeated = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
  assert.deepEqual(repeated, [], `${what}: no record is repeated`);
  const missing = expected.filter((id) => !counts.has(id));
  assert.deepEqual(missing, [], `${what}: no record is skipped`);
}

// ---- server -------------------------------------------------------------------------------

before(async () => {
  server = await startServer();
  admin = await adminClient(server);
  for (const entity of ['contacts', 'deals']) {
    const r = await admin.post('/api/v1/custom-fields', { entity, name: 'batch', label: 'Batch', type: 'integer' });
    assert.equal(r.status, 201, r.text);
  }
});

after(async () => {
  await server?.stop();
  server?.cleanup();
});

// ---- paging -------------------------------------------------------------------------------

describe('cursor paging', () => {
  test('130 contacts in pages of 50 by the default sort (-created_at): each once, in order, with an exact total', async () => {
    const batch = newBatch();
    const made = await createMany('contacts', Array.from({ length: 130 }, (_, i) => ({ first_name: `P${i}`, last_name: 'Page', batch })));
    const { pages, records } = await pageAll('contacts', { batch, limit: 50 });
    assert.deepEqual(pages.map((p) => p.data.length), [50, 50, 30]);
    assert.equal(pages[0].total, 130);
    assert.equal(pages[0].total_exact, true);
    assert.equal(pages[2].next_cursor, null, 'the last page says so');
    assertEachOnce(ids(records), ids(made), 'default sort');
    assert.deepEqual(ids(records), ids(sorted(made, 'created_at', true)));
  });

  test('sorting by name, ascending and descending, with many ties across page boundaries', async () => {
    const batch = newBatch();
    const names = [['小明', '王'], ['雷', '李'], ['Ada', 'Lovelace'], ['ada', 'lovelace'], ['Zed', 'Zulu'], ['Émile', 'Zola']];
    const made = await createMany('contacts', Array.from({ length: 130 }, (_, i) => {
      const [first_name, last_name] = names[i % names.length];
      return { first_name, last_name, batch };
    }));
    for (const sort of ['name', '-name']) {
      for (const limit of [50, 13]) {
        const { records } = await pageAll('contacts', { batch, sort, limit });
        assertEachOnce(ids(records), ids(made), `sort=${sort} limit=${limit}`);
        assert.deepEqual(ids(records), ids(sorted(made, 'name', sort.startsWith('-'))), `sort=${sort} limit=${limit}`);
      }
    }
  });

  test('numeric and date sorts with ties and NULLs (NULLs last both ways)', async () => {
    const batch = newBatch();
    const amounts = [null, 0, 500, 500, 1000, null, 9000000000000000, 500];
    const dates = [null, '2026-01-31', '2026-01-31', '2025-12-01', null, '2027-06-30'];
    const made = await createMany('deals', Array.from({ length: 60 }, (_, i) => {
      const amount = amounts[i % amounts.length];
      return { name: `N${i}`, batch, amount_minor: amount, currency: amount === null ? null : 'CNY',
               expected_close_date: dates[i % dates.length] };
    }));
    for (const field of ['amount_minor', 'expected_close_date']) {
      for (const sort of [field, `-${field}`]) {
        const { records } = await pageAll('deals', { batch, sort, limit: 7 });
        assertEachOnce(ids(records), ids(made), `sort=${sort}`);
        assert.deepEqual(ids(records), ids(sorted(made, field, sort.startsWith('-'))), `sort=${sort}`);
        assert.equal(records.at(-1)[field], null, `sort=${sort}: NULLs come last`);
      }
    }
  });

  for (const sort of ['-created_at', 'name', '-name', 'created_at']) {
    test(`writes between pages (sort=${sort}) neither skip nor repeat existing records`, async () => {
      const batch = newBatch();
      const names = [['Chen', 'Jing'], ['静', '陈'], ['Li', 'Na'], ['Wang', 'Fang']];
      const person = ([first_name, last_name]) => ({ first_name, last_name, batch });
      const made = await createMany('contacts', Array.from({ length: 130 }, (_, i) => person(names[i % names.length])));
      const deletedUnseen = new Set();
      const seenSoFar = [];
      let n = 0;
      const { records } = await pageAll('contacts', { batch, sort, limit: 50 }, {
        between: async (page) => {
          n++;
          seenSoFar.push(...ids(page.data));
          // Others keep working: new contacts with tied names, edits that do not touch the
          // sort key, the record the cursor points at goes to the trash, and one not yet seen too.
          await createMany('contacts', names.map(person));
          const unseen = made.filter((r) => !seenSoFar.includes(r.id) && !deletedUnseen.has(r.id));
          for (const r of [...unseen.slice(0, 3), ...made.filter((m) => seenSoFar.includes(m.id)).slice(0, 3)]) {
            const p = await admin.patch(`/api/v1/contacts/${r.id}`, { title: `edited ${n}` });
            assert.equal(p.status, 200, p.text);
          }
          const anchor = seenSoFar.at(-1);
          assert.equal((await admin.del(`/api/v1/contacts/${anchor}`)).status, 200);
          const victim = unseen.at(-1);
          assert.equal((await admin.del(`/api/v1/contacts/${victim.id}`)).status, 200);
          deletedUnseen.add(victim.id);
        },
      });
      const expected = ids(made).filter((id) => !deletedUnseen.has(id));
      assertEachOnce(ids(records), expected, `sort=${sort}`);
      assert.equal(records.some((r) => deletedUnseen.has(r.id)), false, 'a record trashed before its page is not listed');
    });
  }

  test('a cursor only continues the query it came from (cursor_mismatch), but the limit may change', async () => {
    const batch = newBatch();
    const made = await createMany('contacts', Array.from({ length: 12 }, (_, i) => ({ first_name: `C${i}`, last_name: 'Cursor', batch })));
    const first = await list('contacts', { batch, sort: 'name', limit: 5 });
    const cursor = first.next_cursor;
    assert.ok(cursor);
    const mismatches = [
      { batch: newBatch(), sort: 'name' },
      { batch, sort: '-name' },
      { batch },
      { batch, sort: 'name', q: 'cursor' },
      { sort: 'name' },
      { batch, sort: 'name', trashed: 'true' },
    ];
    for (const params of mismatches) {
      const r = await admin.get('/api/v1/contacts' + qs(batchFilter({ ...params, cursor })));
      assert.equal(r.status, 400, `${JSON.stringify(params)}: ${r.text}`);
      assert.equal(r.json.code, 'cursor_mismatch');
      assert.match(r.headers.get('content-type'), /problem\+json/);
    }
    // Same query, bigger page: continues where the first page ended.
    const rest = await list('contacts', { batch, sort: 'name', limit: 50, cursor });
    assert.deepEqual([...ids(first.data), ...ids(rest.data)], ids(sorted(made, 'name', false)));
    assert.equal(rest.next_cursor, null);
  });

  test('limit: default 50, accepted 1..200, anything else 400', async () => {
    const batch = newBatch();
    await createMany('contacts', Array.from({ length: 60 }, (_, i) => ({ first_name: `L${i}`, last_name: 'Limit', batch })));
    const dflt = await list('contacts', { batch });
    assert.equal(dflt.data.length, 50);
    assert.ok(dflt.next_cursor);
    assert.equal((await list('contacts', { batch, limit: 1 })).data.length, 1);
    assert.equal((await list('contacts', { batch, limit: 200 })).data.length, 60);
    for (const limit of ['0', '201', '-5', '1.5']) {
      const r = await admin.get('/api/v1/contacts' + qs(batchFilter({ batch, limit })));
      assert.equal(r.status, 400, `limit=${limit}`);
      assert.equal(r.json.code, 'invalid_parameter');
    }
  });

  test('total is exact, follows filters, search and the trash', async () => {
    const batch = newBatch();
    const w = word();
    const made = await createMany('contacts', Array.from({ length: 25 }, (_, i) => ({
      first_name: i < 5 ? w : `T${i}`, last_name: 'Total', batch, consent_email: i % 2 === 0 })));
    const all = await list('contacts', { batch, limit: 10 });
    assert.equal(all.total, 25);
    assert.equal(all.total_exact, true);
    assert.equal((await list('contacts', { batch, consent_email: 'true', limit: 1 })).total, 13);
    assert.equal((await list('contacts', { batch, q: w, limit: 1 })).total, 5);
    for (const r of made.slice(0, 3)) assert.equal((await admin.del(`/api/v1/contacts/${r.id}`)).status, 200);
    assert.equal((await list('contacts', { batch, limit: 1 })).total, 22);
    assert.equal((await list('contacts', { batch, q: w, limit: 1 })).total, 2);
    const trash = await list('contacts', { batch, trashed: 'true' });
    assert.equal(trash.total, 3);
    assert.deepEqual(new Set(ids(trash.data)), new Set(ids(made.slice(0, 3))));
  });
});

// ---- filters ------------------------------------------------------------------------------

describe('filters', () => {
  let batch, deals, account;

  before(async () => {
    batch = newBatch();
    account = (await admin.post('/api/v1/accounts', { name: `Filter account ${uniq()}` })).json;
    const specs = [
      { amount_minor: 100, currency: 'CNY', expected_close_date: '2026-01-01' },
      { amount_minor: 200, currency: 'CNY', expected_close_date: '2026-01-31', account_id: account.id },
      { amount_minor: 300, currency: 'USD', expected_close_date: '2026-02-01' },
      { amount_minor: 8999999999999999, currency: 'USD', expected_close_date: '2026-12-31' },
      { amount_minor: null, currency: null, expected_close_date: null, account_id: account.id },
    ];
    deals = [];
    for (const [i, s] of specs.entries()) {
      deals.push((await createMany('deals', [{ name: `F${i}`, batch, ...s }]))[0]);
      await new Promise((r) => setTimeout(r, 3)); // distinct created_at milliseconds
    }
  });

  // Names of the deals matching the filter, in a stable order.
  async function names(params) {
    const page = await list('deals', { batch, sort: 'name', limit: 200, ...params });
    assert.equal(page.total, page.data.length);
    return page.data.map((d) => d.name);
  }

  test('equality, [ne] and [null]', async () => {
    assert.deepEqual(await names({ amount_minor: '200' }), ['F1']);
    assert.deepEqual(await names({ currency: 'USD' }), ['F2', 'F3']);
    assert.deepEqual(await names({ account_id: account.id }), ['F1', 'F4']);
    // [ne] keeps the records with no value (F4 has no amount, no currency, no close date).
    assert.deepEqual(await names({ 'amount_minor[ne]': '200' }), ['F0', 'F2', 'F3', 'F4']);
    assert.deepEqual(await names({ 'currency[ne]': 'USD' }), ['F0', 'F1', 'F4']);
    assert.deepEqual(await names({ 'expected_close_date[ne]': '2026-12-31' }), ['F0', 'F1', 'F2', 'F4']);
    assert.deepEqual(await names({ 'account_id[ne]': account.id }), ['F0', 'F2', 'F3']);
    assert.deepEqual(await names({ 'amount_minor[null]': 'true' }), ['F4']);
    assert.deepEqual(await names({ 'expected_close_date[null]': 'true' }), ['F4']);
  });

  test('[gte]/[gt]/[lt]/[lte] on money, exact at the top of the range', async () => {
    assert.deepEqual(await names({ 'amount_minor[gte]': '200', 'amount_minor[lt]': '300' }), ['F1']);
    assert.deepEqual(await names({ 'amount_minor[gt]': '100', 'amount_minor[lte]': '300' }), ['F1', 'F2']);
    assert.deepEqual(await names({ 'amount_minor[gte]': '8999999999999999' }), ['F3']);
    assert.deepEqual(await names({ 'amount_minor[gt]': '8999999999999998' }), ['F3']);
    assert.deepEqual(await names({ 'amount_minor[gt]': '8999999999999999' }), []);
  });

  test('date and date-time ranges', async () => {
    assert.deepEqual(await names({ 'expected_close_date[gte]': '2026-01-01', 'expected_close_date[lt]': '2026-02-01' }), ['F0', 'F1']);
    assert.deepEqual(await names({ 'expected_close_date[lte]': '2026-02-01', 'expected_close_date[gt]': '2026-01-01' }), ['F1', 'F2']);
    const [from, to] = [deals[1].created_at, deals[3].created_at];
    const want = deals.filter((d) => d.created_at >= from && d.created_at <= to).map((d) => d.name).sort();
    assert.deepEqual(await names({ 'created_at[gte]': from, 'created_at[lte]': to }), want);
    assert.ok(want.includes('F1') && want.includes('F3') && !want.includes('F4'));
    // The same instant written with an offset selects the same records.
    const shifted = new Date(Date.parse(from) + 8 * 3600e3).toISOString().replace('Z', '+08:00');
    assert.deepEqual(await names({ 'created_at[gte]': shifted, 'created_at[lte]': to }), want);
  });

  test('filters written with literal brackets, as browsers and fetch() send them, work too', async () => {
    // WHATWG URLs leave [ and ] unencoded in the query, so this is what web clients send.
    const r = await admin.get(`/api/v1/deals?custom.batch=${batch}&amount_minor[gte]=200&amount_minor[lt]=300`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.data.map((d) => d.name), ['F1']);
  });

  test('trashed=true lists only the trash, and restore moves a record back', async () => {
    const trashed = (await createMany('deals', [{ name: 'F-trash', batch }]))[0];
    assert.equal((await admin.del(`/api/v1/deals/${trashed.id}`)).status, 200);
    assert.deepEqual(await names({ trashed: 'true' }), ['F-trash']);
    assert.ok(!(await names({})).includes('F-trash'));
    assert.deepEqual(await names({ trashed: 'true', 'amount_minor[null]': 'true' }), ['F-trash'], 'filters apply to the trash too');
    assert.equal((await admin.post(`/api/v1/deals/${trashed.id}/restore`)).status, 200);
    assert.deepEqual(await names({ trashed: 'true' }), []);
    assert.ok((await names({})).includes('F-trash'));
    assert.equal((await admin.del(`/api/v1/deals/${trashed.id}`)).status, 200); // keep the set as it was
  });
});

// ---- search -------------------------------------------------------------------------------

describe('search', () => {
  let batch, rec;

  before(async () => {
    batch = newBatch();
    const acc = (await admin.post('/api/v1/accounts', { name: '上海明远科技有限公司' })).json;
    const [wxm, lxh, ada, abc, tagged] = await createMany('contacts', [
      { first_name: '小明', last_name: '王', batch, emails: ['xm.wang@mingyuan.example.cn'], phones: ['+86 138 0013 8000'], account_id: acc.id },
      { first_name: '小红', last_name: '李', batch, phones: ['+86 139 1111 2222'] },
      { first_name: 'Ada', last_name: 'Lovelace', batch, emails: ['ada@analytical.example.org'] },
      { first_name: 'Abcott', last_name: 'Ｗｉｄｅ', batch },
      { first_name: 'Tag', last_name: 'Holder', batch, tags: ['VIP客户', 'renewal-2026'] },
    ]);
    rec = { wxm, lxh, ada, abc, tagged, acc };
  });

  // Ids of this test's contacts found by q.
  async function find(q) {
    const page = await list('contacts', { batch, q, limit: 200 });
    assert.equal(page.total, page.data.length);
    return new Set(ids(page.data));
  }
  async function assertFinds(q, expected) {
    assert.deepEqual(await find(q), new Set(expected.map((r) => r.id)), `q=${q}`);
  }

  test('Chinese names are found by any part', async () => {
    for (const q of ['王小明', '小明', '明', '王', '王小']) await assertFinds(q, [rec.wxm]);
    await assertFinds('小', [rec.wxm, rec.lxh]);
    await assertFinds('小红', [rec.lxh]);
    await assertFinds('王红', []);
  });

  test('Latin names by prefix, regardless of case and full-width form', async () => {
    for (const q of ['Ada', 'ada', 'ADA', 'Love', 'lovelace', 'ada love', 'ＬＯＶＥ', 'Ａｄａ']) await assertFinds(q, [rec.ada]);
    await assertFinds('ovelace', []);
    await assertFinds('ＡＢＣ', [rec.abc]);   // full-width query finds a half-width name
    await assertFinds('wide', [rec.abc]);     // half-width query finds a full-width name
  });

  test('email, phone by its last digits, tags', async () => {
    await assertFinds('xm.wang@mingyuan.example.cn', [rec.wxm]);
    await assertFinds('xm.wang', [rec.wxm]);
    await assertFinds('ada@analytical', [rec.ada]);
    for (const q of ['8000', '0013 8000', '13800138000', '+86 138 0013 8000', '138-0013-8000']) await assertFinds(q, [rec.wxm]);
    await assertFinds('2222', [rec.lxh]);
    await assertFinds('客户', [rec.tagged]);
    await assertFinds('vip', [rec.tagged]);
  });

  test('search combines with filters and sort, and pages', async () => {
    const page = await list('contacts', { batch, q: '小', sort: '-name', limit: 1 });
    assert.equal(page.total, 2);
    const next = await list('contacts', { batch, q: '小', sort: '-name', limit: 1, cursor: page.next_cursor });
    assert.deepEqual([...ids(page.data), ...ids(next.data)], ids(sorted([rec.wxm, rec.lxh], 'name', true)));
    assert.equal(next.next_cursor, null);
  });

  test('leads by company, contacts by their company (account name)', async () => {
    const co = word();
    const lead = (await createMany('leads', [{ last_name: 'Lead', company: `${co} 明远贸易` }]))[0];
    const found = await list('leads', { q: co });
    assert.deepEqual(ids(found.data), [lead.id]);
    assert.ok(ids((await list('leads', { q: '明远贸易' })).data).includes(lead.id));
    // A contact is searched by the company they work for.
    await assertFinds('明远', [rec.wxm]);
  });

  test('a rename is searchable at once, and the old name no longer finds the record', async () => {
    const [oldW, newW] = [word(), word()];
    const c = (await createMany('contacts', [{ first_name: oldW, last_name: '赵', batch }]))[0];
    await assertFinds(oldW, [c]);
    const p = await admin.patch(`/api/v1/contacts/${c.id}`, { first_name: newW, last_name: '钱' });
    assert.equal(p.status, 200, p.text);
    await assertFinds(oldW, []);
    await assertFinds('赵', []);
    await assertFinds(newW, [c]);
    await assertFinds('钱', [c]);
  });

  test('a trashed record is not found; restored, it is found again', async () => {
    const w = word();
    const c = (await createMany('contacts', [{ first_name: w, last_name: 'Trash', batch }]))[0];
    await assertFinds(w, [c]);
    assert.equal((await admin.del(`/api/v1/contacts/${c.id}`)).status, 200);
    await assertFinds(w, []);
    const g = await admin.get('/api/v1/search' + qs({ q: w }));
    assert.equal(g.json.contacts.total, 0);
    assert.equal((await admin.post(`/api/v1/contacts/${c.id}/restore`)).status, 200);
    await assertFinds(w, [c]);
  });
});

describe('global search', () => {
  test('/api/v1/search finds accounts, contacts, leads and deals at once', async () => {
    const w = word();
    const acc = (await createMany('accounts', [{ name: `${w} 明远科技` }]))[0];
    const con = (await createMany('contacts', [{ first_name: w, last_name: '王', account_id: acc.id }]))[0];
    const lead = (await createMany('leads', [{ last_name: '孙', company: `${w} Holdings` }]))[0];
    const deal = (await createMany('deals', [{ name: `${w} 框架协议`, account_id: acc.id }]))[0];
    const r = await admin.get('/api/v1/search' + qs({ q: w }));
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(ids(r.json.accounts.data), [acc.id]);
    assert.deepEqual(ids(r.json.contacts.data), [con.id]);
    assert.deepEqual(ids(r.json.leads.data), [lead.id]);
    assert.deepEqual(ids(r.json.deals.data), [deal.id]);
    for (const k of ['accounts', 'contacts', 'leads', 'deals']) {
      assert.equal(r.json[k].total, 1, k);
      assert.equal(r.json[k].total_exact, true, k);
    }
    // Full-width and upper-case forms of the word find the same records.
    const wide = w.toUpperCase().replace(/[A-Z]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));
    const r2 = await admin.get('/api/v1/search' + qs({ q: wide }));
    assert.deepEqual(ids(r2.json.accounts.data), [acc.id]);
    assert.deepEqual(ids(r2.json.deals.data), [deal.id]);
  });

  test('/api/v1/search follows renames and deletes, and honours its limit', async () => {
    const [w, w2] = [word(), word()];
    const accs = await createMany('accounts', Array.from({ length: 4 }, (_, i) => ({ name: `${w} 分公司 ${i}` })));
    let r = await admin.get('/api/v1/search' + qs({ q: w, limit: 2 }));
    assert.equal(r.json.accounts.data.length, 2);
    assert.equal(r.json.accounts.total, 4);
    assert.equal((await admin.patch(`/api/v1/accounts/${accs[0].id}`, { name: `${w2} 总部` })).status, 200);
    assert.equal((await admin.del(`/api/v1/accounts/${accs[1].id}`)).status, 200);
    r = await admin.get('/api/v1/search' + qs({ q: w }));
    assert.deepEqual(new Set(ids(r.json.accounts.data)), new Set(ids(accs.slice(2))));
    r = await admin.get('/api/v1/search' + qs({ q: w2 }));
    assert.deepEqual(ids(r.json.accounts.data), [accs[0].id]);
  });

  test('/api/v1/search without search text is 400', async () => {
    for (const q of ['', '   ', '!!!']) {
      const r = await admin.get('/api/v1/search' + qs({ q }));
      assert.equal(r.status, 400, `q=${JSON.stringify(q)}`);
      assert.equal(r.json.code, 'invalid_parameter');
    }
    const r = await admin.get('/api/v1/search' + qs({ query: 'x' }));
    assert.equal(r.status, 400);
    assert.equal(r.json.code, 'unknown_parameter');
  });
});

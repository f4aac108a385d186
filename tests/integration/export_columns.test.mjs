// CSV export a manager can use in Excel (issue 8): names beside the ids they explain (looked up
// through the exporter's read scope), money as decimal amounts in the currency's digits beside
// the minor units, Chinese text intact behind a byte-order mark, and formulas neutralised.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, adminClient, userClient, qs, parseCsv, ok } from './harness.mjs';

let server, admin;

before(async () => {
  server = await startServer();
  admin = await adminClient(server);
});

after(async () => {
  await server.stop();
  server.cleanup();
});

const uniq = () => randomUUID().slice(0, 8);

// The export's raw bytes (fetch's text() would drop the byte-order mark) and its rows as objects
// keyed by column name.
async function exportOf(client, entity, params = {}) {
  const res = await fetch(server.url + `/api/v1/${entity}/export` + qs(params), {
    headers: { authorization: `Bearer ${client.token}` },
  });
  const raw = Buffer.from(await res.arrayBuffer());
  assert.equal(res.status, 200, raw.toString());
  const text = raw.toString('utf8');
  const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ''));
  return { raw, text, header, rows: rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))) };
}

test('names beside ids: pipeline, stage, account, contacts, owner and authors; ids kept', async () => {
  const tag = 'Names' + uniq();
  const pipeline = ok(await admin.post('/api/v1/pipelines', { name: `Sales ${tag}`, stages: [{ name: '初步接触' }, { name: 'Proposal' }] }), 201, 'pipeline');
  const account = ok(await admin.post('/api/v1/accounts', { name: `华为 ${tag}` }), 201, 'account');
  const contact = ok(await admin.post('/api/v1/contacts', { first_name: '小明', last_name: '王', account_id: account.id }), 201, 'contact');
  const deal = ok(await admin.post('/api/v1/deals', {
    name: `Deal ${tag}`, pipeline_id: pipeline.id, stage_id: pipeline.stages[1].id, account_id: account.id,
    contact_ids: [contact.id], amount_minor: 7300000, currency: 'CNY',
  }), 201, 'deal');

  const { header, rows } = await exportOf(admin, 'deals', { q: tag });
  assert.equal(rows.length, 1);
  const row = rows[0];
  // Each name column right after its id column.
  for (const [id, name] of [['pipeline_id', 'pipeline_name'], ['stage_id', 'stage_name'], ['account_id', 'account_name'],
    ['contact_ids', 'contact_names'], ['owner_id', 'owner_name'], ['created_by', 'created_by_name'], ['updated_by', 'updated_by_name']])
    assert.equal(header.indexOf(name), header.indexOf(id) + 1, `${name} beside ${id}`);
  assert.equal(header.indexOf('owner_email'), header.indexOf('owner_name') + 1);
  assert.equal(row.id, deal.id);
  assert.equal(row.pipeline_id, pipeline.id);
  assert.equal(row.pipeline_name, `Sales ${tag}`);
  assert.equal(row.stage_id, pipeline.stages[1].id);
  assert.equal(row.stage_name, 'Proposal');
  assert.equal(row.account_id, account.id);
  assert.equal(row.account_name, `华为 ${tag}`);
  assert.equal(row.contact_ids, contact.id);
  assert.equal(row.contact_names, contact.name);
  assert.equal(row.owner_id, admin.user.id);
  assert.equal(row.owner_name, admin.user.name);
  assert.equal(row.owner_email, admin.user.email);
  assert.equal(row.created_by, admin.user.id);
  assert.equal(row.created_by_name, admin.user.name);
  assert.equal(row.updated_by_name, admin.user.name);

  // A contact's account, and a task's related record.
  const contacts = await exportOf(admin, 'contacts', { account_id: account.id });
  assert.equal(contacts.rows[0].account_name, `华为 ${tag}`);
  ok(await admin.post('/api/v1/tasks', { title: `Call ${tag}`, related_entity: 'deals', related_id: deal.id }), 201, 'task');
  const tasks = await exportOf(admin, 'tasks', { q: tag });
  assert.equal(tasks.rows[0].related_id, deal.id);
  assert.equal(tasks.rows[0].related_name, `Deal ${tag}`);
});

test('a referenced record the exporter may not read shows no name; the id stays', async () => {
  const tag = 'Hidden' + uniq();
  // Reads every deal and exports them, but reads only its own accounts.
  const role = ok(await admin.post('/api/v1/roles', {
    name: `Deal exporter ${tag}`,
    permissions: {
      admin: false,
      entities: {
        deals: { read: 'all', create: true, update: 'own', delete: 'none', export: true },
        accounts: { read: 'own', create: true, update: 'own', delete: 'none', export: false },
        pipelines: { read: 'all', create: false, update: 'none', delete: 'none', export: false },
      },
    },
  }), 201, 'role');
  const exporter = await userClient(server, admin, { role: role.id, name: `导出者 ${tag}` });
  const secret = ok(await admin.post('/api/v1/accounts', { name: `Secret ${tag}` }), 201, 'account');
  const own = ok(await exporter.post('/api/v1/accounts', { name: `Mine ${tag}` }), 201, 'own account');
  const hidden = ok(await admin.post('/api/v1/deals', { name: `Deal A ${tag}`, account_id: secret.id }), 201, 'deal');
  const shown = ok(await exporter.post('/api/v1/deals', { name: `Deal B ${tag}`, account_id: own.id }), 201, 'deal');
  assert.equal((await exporter.get(`/api/v1/accounts/${secret.id}`)).status, 404, 'the account is hidden from them');

  const { rows, text } = await exportOf(exporter, 'deals', { q: tag });
  const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
  assert.equal(byId[hidden.id].account_id, secret.id, 'the id stays');
  assert.equal(byId[hidden.id].account_name, '', 'no name of a record they may not read');
  assert.ok(!text.includes(`Secret ${tag}`), 'the hidden name appears nowhere');
  assert.equal(byId[shown.id].account_name, `Mine ${tag}`);
  assert.equal(byId[shown.id].owner_name, `导出者 ${tag}`);
  // The admin sees both names.
  const all = await exportOf(admin, 'deals', { q: tag });
  assert.equal(all.rows.find((r) => r.id === hidden.id).account_name, `Secret ${tag}`);
});

test('money as decimal amounts with the currency\'s digits beside the minor units: CNY, JPY, custom fields', async () => {
  const tag = 'Money' + uniq();
  const cny = ok(await admin.post('/api/v1/deals', { name: `CNY ${tag}`, amount_minor: 7300000, currency: 'CNY' }), 201, 'deal');
  const cents = ok(await admin.post('/api/v1/deals', { name: `Cents ${tag}`, amount_minor: 5, currency: 'USD' }), 201, 'deal');
  const jpy = ok(await admin.post('/api/v1/deals', { name: `JPY ${tag}`, amount_minor: 7300000, currency: 'JPY' }), 201, 'deal');
  const none = ok(await admin.post('/api/v1/deals', { name: `None ${tag}` }), 201, 'deal');
  const { header, rows } = await exportOf(admin, 'deals', { q: tag });
  assert.equal(header.indexOf('amount'), header.indexOf('amount_minor') + 1, 'the amount beside the minor units');
  const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
  assert.equal(byId[cny.id].amount_minor, '7300000', 'minor units kept for round-tripping');
  assert.equal(byId[cny.id].amount, '73000.00');
  assert.equal(byId[cny.id].currency, 'CNY');
  assert.equal(byId[cents.id].amount, '0.05');
  assert.equal(byId[jpy.id].amount, '7300000', 'JPY has no decimals');
  assert.equal(byId[jpy.id].currency, 'JPY');
  assert.equal(byId[none.id].amount, '');

  // Products and orders likewise.
  const product = ok(await admin.post('/api/v1/products', { name: `Widget ${tag}`, price_minor: 1250050, currency: 'CNY' }), 201, 'product');
  const products = await exportOf(admin, 'products', { q: tag });
  assert.equal(products.rows.find((r) => r.id === product.id).price, '12500.50');

  // A custom money field: in the record's currency, or the default one (CNY) on an entity without
  // a currency field, with that currency in its own column.
  const dealField = `cf_budget_${uniq().replace(/-/g, '')}`;
  ok(await admin.post('/api/v1/custom-fields', { entity: 'deals', name: dealField, label: 'Budget', type: 'money' }), 201, 'field');
  const yen = ok(await admin.post('/api/v1/deals', { name: `Yen budget ${tag}`, currency: 'JPY', amount_minor: 1, custom: { [dealField]: 45000 } }), 201, 'deal');
  const deals = await exportOf(admin, 'deals', { q: `Yen budget ${tag}` });
  assert.equal(deals.rows[0].id, yen.id);
  assert.equal(deals.rows[0][`custom.${dealField}`], '45000');
  assert.equal(deals.rows[0][`custom.${dealField}.amount`], '45000');
  assert.ok(!deals.header.includes(`custom.${dealField}.currency`), 'deals have a currency column of their own');

  const contactField = `cf_spend_${uniq().replace(/-/g, '')}`;
  ok(await admin.post('/api/v1/custom-fields', { entity: 'contacts', name: contactField, label: 'Spend', type: 'money' }), 201, 'field');
  const person = ok(await admin.post('/api/v1/contacts', { last_name: `Spender ${tag}`, custom: { [contactField]: 123456 } }), 201, 'contact');
  const contacts = await exportOf(admin, 'contacts', { q: `Spender ${tag}` });
  const row = contacts.rows.find((r) => r.id === person.id);
  assert.equal(row[`custom.${contactField}`], '123456');
  assert.equal(row[`custom.${contactField}.amount`], '1234.56');
  assert.equal(row[`custom.${contactField}.currency`], 'CNY');
});

test('Chinese text intact behind a byte-order mark, CRLF, and formulas neutralised', async () => {
  const tag = 'Text' + uniq();
  const account = ok(await admin.post('/api/v1/accounts', { name: `=HYPERLINK("http://evil") ${tag}` }), 201, 'account');
  ok(await admin.post('/api/v1/contacts', { first_name: '小明', last_name: '王', title: '+86 销售总监', account_id: account.id }), 201, 'contact');
  ok(await admin.post('/api/v1/contacts', { last_name: `@SUM(A1) ${tag}`, title: '-1+2', account_id: account.id }), 201, 'contact');
  const { raw, text, rows } = await exportOf(admin, 'contacts', { account_id: account.id });
  assert.deepEqual([...raw.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte-order mark, for Excel');
  assert.ok(raw.includes(Buffer.from('小明', 'utf8')), 'Chinese as UTF-8 bytes');
  assert.ok(text.replace(/^\uFEFF/, '').split('\r\n').length >= 3, 'CRLF line ends');
  assert.ok(!/[^\r]\n/.test(text), 'no bare LF');
  const wang = rows.find((r) => r.first_name === '小明');
  assert.equal(wang.last_name, '王');
  assert.equal(wang.title, "'+86 销售总监");
  const at = rows.find((r) => r.last_name.includes(tag));
  assert.equal(at.last_name, `'@SUM(A1) ${tag}`);
  assert.equal(at.title, "'-1+2");
  // The account's name, a formula, is guarded in the name column too.
  assert.equal(wang.account_name, `'=HYPERLINK("http://evil") ${tag}`);
});

test('the export is still audited, stamped, with its row count', async () => {
  const tag = 'Audit' + uniq();
  ok(await admin.post('/api/v1/accounts', { name: `Audited ${tag}` }), 201, 'account');
  await exportOf(admin, 'accounts', { q: tag });
  const audit = ok(await admin.get('/api/v1/audit' + qs({ entity: 'accounts', limit: 50 })), 200, 'audit');
  const e = audit.data.find((x) => x.action === 'export' && x.changes.query.includes(tag));
  assert.ok(e, 'audited');
  assert.equal(e.changes.rows, 1);
  assert.match(e.at, /^\d{4}-\d\d-\d\dT/);
});

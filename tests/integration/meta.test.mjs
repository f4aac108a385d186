// GET /api/v1/meta/entities: the entities a caller may read with their fields as the server
// applies them. The web app builds its forms, columns and filters from this answer, so it must
// state the same constraints the server enforces (checked here against real writes), follow
// custom fields as they are created and deleted, and hide entities the role may not read.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, adminClient, userClient } from './harness.mjs';

let server, admin;
before(async () => {
  server = await startServer();
  admin = await adminClient(server);
});
after(async () => {
  await server?.stop();
  server?.cleanup();
});

const uniq = () => randomUUID().replaceAll('-', '').slice(0, 8);

async function meta(client) {
  const r = await client.get('/api/v1/meta/entities');
  assert.equal(r.status, 200, r.text);
  return new Map(r.json.data.map((e) => [e.name, e]));
}
const field = (entity, name) => entity.fields.find((f) => f.name === name);

describe('entity metadata', () => {
  test('needs a signed-in user and takes no parameters', async () => {
    const anon = await fetch(server.url + '/api/v1/meta/entities');
    assert.equal(anon.status, 401);
    const r = await admin.get('/api/v1/meta/entities?x=1');
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json.code, 'unknown_parameter');
  });

  test('an administrator sees every entity with its title field, catalog flag and built-in fields', async () => {
    const m = await meta(admin);
    assert.deepEqual([...m.keys()].sort(),
      ['accounts', 'activities', 'contacts', 'deals', 'leads', 'orders', 'pipelines', 'products', 'tasks']);
    assert.equal(m.get('accounts').title_field, 'name');
    assert.equal(m.get('activities').title_field, 'subject');
    assert.equal(m.get('orders').title_field, 'number');
    assert.equal(m.get('accounts').singular, 'account');
    assert.equal(m.get('products').catalog, true);
    assert.equal(m.get('pipelines').catalog, true);
    assert.equal(m.get('deals').catalog, false);

    const name = field(m.get('accounts'), 'name');
    assert.deepEqual(
      [name.type, name.required, name.read_only, name.max_length, name.sortable, name.filterable, name.searchable, name.custom],
      ['text', true, false, 200, true, true, true, false]);
    assert.equal(field(m.get('accounts'), 'country').max_length, 2);
    assert.equal(field(m.get('accounts'), 'description').type, 'long_text');
    assert.equal(field(m.get('accounts'), 'tags').max_items, 20);
    const status = field(m.get('leads'), 'status');
    assert.deepEqual([status.type, status.choices], ['choice', ['new', 'contacted', 'qualified', 'disqualified', 'converted']]);
    const contactName = field(m.get('contacts'), 'name');
    assert.deepEqual([contactName.read_only, contactName.sortable], [true, true]);
    const account = field(m.get('contacts'), 'account_id');
    assert.deepEqual([account.type, account.ref_entity, account.filterable], ['ref', 'accounts', true]);
    const prob = field(m.get('deals'), 'probability');
    assert.deepEqual([prob.type, prob.read_only, prob.min, prob.max], ['integer', true, 0, 100]);
    const amount = field(m.get('deals'), 'amount_minor');
    assert.deepEqual([amount.type, amount.min, amount.sortable], ['money', 0, true]);
    assert.equal(field(m.get('deals'), 'contact_ids').ref_entity, 'contacts');
    assert.equal(field(m.get('orders'), 'items').type, 'line_items');
    assert.equal(field(m.get('orders'), 'items').required, true);
    assert.equal(field(m.get('pipelines'), 'stages').type, 'stages');
    assert.equal(field(m.get('pipelines'), 'stages').max_items, 30);
    assert.equal(field(m.get('orders'), 'items').max_items, 200);
    // Kinds without a length carry none.
    assert.equal(field(m.get('deals'), 'expected_close_date').max_length, undefined);
    // System columns clients filter and sort on.
    const owner = field(m.get('accounts'), 'owner_id');
    assert.deepEqual([owner.type, owner.ref_entity, owner.filterable, owner.system], ['ref', 'users', true, true]);
    const created = field(m.get('accounts'), 'created_at');
    assert.deepEqual([created.type, created.read_only, created.sortable, created.system], ['datetime', true, true, true]);
  });

  test('the stated constraints are the ones the server enforces', async () => {
    const m = await meta(admin);
    const max = field(m.get('accounts'), 'name').max_length;
    const ok = await admin.post('/api/v1/accounts', { name: 'x'.repeat(max) });
    assert.equal(ok.status, 201, ok.text);
    const long = await admin.post('/api/v1/accounts', { name: 'x'.repeat(max + 1) });
    assert.equal(long.status, 422, long.text);
    assert.deepEqual(long.json.errors.map((e) => e.field), ['name']);
    const missing = await admin.post('/api/v1/accounts', { city: 'Shanghai' });
    assert.equal(missing.status, 422, missing.text);
    assert.ok(missing.json.errors.some((e) => e.field === 'name' && e.code === 'required'), missing.text);
    const choice = await admin.post('/api/v1/leads', { last_name: 'Meta', status: 'nope' });
    assert.equal(choice.status, 422, choice.text);
    assert.deepEqual(choice.json.errors.map((e) => e.field), ['status']);
  });

  test('a custom field appears after it is created and disappears after it is deleted', async () => {
    const name = `cf_${uniq()}`;
    const created = await admin.post('/api/v1/custom-fields',
      { entity: 'contacts', name, label: 'Shoe size', type: 'select', options: ['S', 'M', 'L'], required: false });
    assert.equal(created.status, 201, created.text);
    const text = `cf_${uniq()}`;
    const t = await admin.post('/api/v1/custom-fields', { entity: 'contacts', name: text, label: 'Nickname', type: 'text', max_length: 30 });
    assert.equal(t.status, 201, t.text);

    const m = await meta(admin);
    const f = field(m.get('contacts'), name);
    assert.ok(f, 'custom field listed');
    assert.deepEqual([f.type, f.label, f.custom, f.required, f.read_only, f.choices], ['select', 'Shoe size', true, false, false, ['S', 'M', 'L']]);
    assert.deepEqual([field(m.get('contacts'), text).type, field(m.get('contacts'), text).max_length], ['text', 30]);
    // Only on its own entity; a non-admin sees it too (it shapes their forms).
    assert.equal(field(m.get('accounts'), name), undefined);
    const sales = await userClient(server, admin, { role: 'sales' });
    assert.ok(field((await meta(sales)).get('contacts'), name));

    const del = await admin.del(`/api/v1/custom-fields/${created.json.id}`);
    assert.equal(del.status, 204, del.text);
    const after = await meta(admin);
    assert.equal(field(after.get('contacts'), name), undefined);
    assert.ok(field(after.get('contacts'), text), 'the other custom field stays');
  });

  test('custom fields of every type are described as the lists apply them: filterable, sortable, typed, bounded', async () => {
    const tag = uniq();
    const defs = {
      text: { type: 'text', max_length: 40 }, number: { type: 'number' }, integer: { type: 'integer' },
      money: { type: 'money' }, date: { type: 'date' }, select: { type: 'select', options: ['gold', 'silver'] },
      boolean: { type: 'boolean' },
    };
    const names = {};
    for (const [type, body] of Object.entries(defs)) {
      names[type] = `m${type}_${tag}`;
      const r = await admin.post('/api/v1/custom-fields', { entity: 'accounts', name: names[type], label: `${type} ${tag}`, ...body });
      assert.equal(r.status, 201, r.text);
    }
    const accounts = (await meta(admin)).get('accounts');
    for (const type of Object.keys(defs)) {
      const f = field(accounts, names[type]);
      assert.deepEqual([f.type, f.custom, f.label, f.filterable, f.sortable, f.read_only], [type, true, `${type} ${tag}`, true, true, false], type);
      assert.equal(f.searchable, type === 'text', `${type} searchable`);
    }
    assert.equal(field(accounts, names.text).max_length, 40);
    assert.equal(field(accounts, names.integer).max_length, undefined);
    assert.deepEqual(field(accounts, names.select).choices, ['gold', 'silver']);
    const money = field(accounts, names.money);
    assert.deepEqual([money.min, money.max], [0, 9e15]);

    // What it says is what the lists do: each field filters (with the operators of its kind) and sorts.
    const rec = await admin.post('/api/v1/accounts', {
      name: `Meta ${tag}`,
      custom: { [names.integer]: 7, [names.money]: 1250, [names.boolean]: true, [names.select]: 'gold', [names.date]: '2026-05-01', [names.number]: '2.5', [names.text]: tag },
    });
    assert.equal(rec.status, 201, rec.text);
    const probes = {
      text: tag, number: '2.5', integer: '7', money: '1250', date: '2026-05-01', select: 'gold', boolean: 'true',
    };
    for (const [type, value] of Object.entries(probes)) {
      const key = ['number', 'integer', 'money', 'date'].includes(type) ? `custom.${names[type]}[gte]` : `custom.${names[type]}`;
      const r = await admin.get(`/api/v1/accounts?${new URLSearchParams({ [key]: value, sort: `-custom.${names[type]}` })}`);
      assert.equal(r.status, 200, `${type}: ${r.text}`);
      assert.deepEqual(r.json.data.map((x) => x.id), [rec.json.id], type);
    }
    const low = await admin.get(`/api/v1/accounts?${new URLSearchParams({ [`custom.${names.money}`]: String(money.min - 1) })}`);
    assert.equal(low.status, 400, 'below the stated minimum is refused');
  });

  test('a role that cannot read an entity does not see it', async () => {
    const role = await admin.post('/api/v1/roles', {
      name: `contacts-only-${uniq()}`,
      permissions: { admin: false, entities: { contacts: { read: 'own', create: true } } },
    });
    assert.equal(role.status, 201, role.text);
    const viewer = await userClient(server, admin, { role: role.json.id });
    const m = await meta(viewer);
    assert.deepEqual([...m.keys()], ['contacts']);
    // Support may not read leads or deals (README role table).
    const support = await meta(await userClient(server, admin, { role: 'support' }));
    assert.equal(support.has('leads'), false);
    assert.equal(support.has('deals'), false);
    assert.equal(support.has('accounts'), true);
  });
});

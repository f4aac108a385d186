// Custom fields are fields: filtered (custom.NAME with the operators of their type), sorted with
// keyset paging across ties and blanks, searched (text), exported, validated and described in the
// OpenAPI document like built-in ones; each has an expression index while it exists; a deleted
// one stops being filterable; and a second server sees a field created through the first at its
// next request (two servers on one PostgreSQL database; on SQLite, one server).
//
// One server for the file; each test creates its own fields on accounts and its own records,
// told apart by a unique custom value or name.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { startServer, adminClient, DB_KIND, qs } from './harness.mjs';

let server, admin;

const uniq = () => randomUUID().replaceAll('-', '').slice(0, 8);

function rawSql(s, sql) {
  if (s.databaseUrl) return execFileSync('psql', [s.databaseUrl, '-Atq', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' });
  return execFileSync('sqlite3', ['-bail', '-cmd', '.timeout 10000', join(s.dataDir, 'keel.db'), sql], { encoding: 'utf8' });
}

function indexExists(s, name) {
  const sql = s.databaseUrl
    ? `SELECT count(*) FROM pg_indexes WHERE indexname = '${name}'`
    : `SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = '${name}'`;
  return rawSql(s, sql).trim() === '1';
}

function assertProblem(r, status, code, what = '') {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
  assert.equal(r.json?.code, code, `${what}: ${r.text.slice(0, 300)}`);
}

async function field(client, type, extra = {}) {
  const name = `cf_${type}_${uniq()}`;
  const r = await client.post('/api/v1/custom-fields', { entity: 'accounts', name, label: `Label ${name}`, type, ...extra });
  assert.equal(r.status, 201, r.text);
  return { name, id: r.json.id };
}

async function account(client, custom, name = 'Acct ' + uniq()) {
  const r = await client.post('/api/v1/accounts', { name, custom });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

async function ids(client, params) {
  const r = await client.get('/api/v1/accounts' + qs(params));
  assert.equal(r.status, 200, r.text);
  return r.json.data.map((a) => a.id).sort();
}

// Every page of a list, following next_cursor, as the ids in order.
async function pages(client, params, limit) {
  const out = [];
  let cursor = null;
  for (let n = 0; n < 50; n++) {
    const r = await client.get('/api/v1/accounts' + qs({ ...params, limit, ...(cursor ? { cursor } : {}) }));
    assert.equal(r.status, 200, r.text);
    out.push(...r.json.data.map((a) => a.id));
    if (!r.json.next_cursor) return out;
    cursor = r.json.next_cursor;
  }
  throw new Error('paging did not end');
}

before(async () => {
  server = await startServer();
  admin = await adminClient(server);
});

after(async () => {
  await server?.stop();
  server?.cleanup();
});

describe('filters on custom fields, by type', () => {
  let f, a, b, c, tag;
  before(async () => {
    f = {
      text: (await field(admin, 'text')).name,
      integer: (await field(admin, 'integer')).name,
      money: (await field(admin, 'money')).name,
      date: (await field(admin, 'date')).name,
      select: (await field(admin, 'select', { options: ['gold', 'silver', 'bronze'] })).name,
      boolean: (await field(admin, 'boolean')).name,
      number: (await field(admin, 'number')).name,
    };
    tag = uniq();
    a = (await account(admin, { [f.text]: 'east ' + tag, [f.integer]: 5, [f.money]: 150000, [f.date]: '2026-03-01', [f.select]: 'gold', [f.boolean]: true, [f.number]: '9.5' })).id;
    b = (await account(admin, { [f.text]: 'west ' + tag, [f.integer]: 12, [f.money]: 2500, [f.date]: '2026-09-30', [f.select]: 'silver', [f.boolean]: false, [f.number]: '10' })).id;
    c = (await account(admin, { [f.text]: 'north ' + tag })).id;
  });

  test('text: equality, [in] and ranges', async () => {
    assert.deepEqual(await ids(admin, { [`custom.${f.text}`]: 'east ' + tag }), [a]);
    assert.deepEqual(await ids(admin, { [`custom.${f.text}[in]`]: `east ${tag},west ${tag}` }), [a, b].sort());
    assert.deepEqual(await ids(admin, { [`custom.${f.text}[gte]`]: 'north ' + tag, [`custom.${f.text}[lt]`]: 'o' }), [c]);
  });

  test('integer: ranges compare as numbers', async () => {
    assert.deepEqual(await ids(admin, { [`custom.${f.integer}[gte]`]: '10' }), [b]);
    assert.deepEqual(await ids(admin, { [`custom.${f.integer}[lt]`]: '10' }), [a]);
    assert.deepEqual(await ids(admin, { [`custom.${f.integer}`]: '5' }), [a]);
    // [ne] keeps the record without a value, as for built-in fields.
    assert.deepEqual(await ids(admin, { [`custom.${f.integer}[ne]`]: '5', [`custom.${f.text}[in]`]: `east ${tag},west ${tag},north ${tag}` }), [b, c].sort());
    assertProblem(await admin.get('/api/v1/accounts' + qs({ [`custom.${f.integer}`]: 'five' })), 400, 'invalid_parameter', 'not a number');
  });

  test('money: minor units, bounds as on write', async () => {
    assert.deepEqual(await ids(admin, { [`custom.${f.money}[gt]`]: '100000' }), [a]);
    assert.deepEqual(await ids(admin, { [`custom.${f.money}[lte]`]: '2500' }), [b]);
    assertProblem(await admin.get('/api/v1/accounts' + qs({ [`custom.${f.money}`]: '-1' })), 400, 'invalid_parameter', 'negative money');
  });

  test('date: ranges, and a malformed date is 400', async () => {
    assert.deepEqual(await ids(admin, { [`custom.${f.date}[gte]`]: '2026-06-01' }), [b]);
    assert.deepEqual(await ids(admin, { [`custom.${f.date}[lt]`]: '2026-06-01' }), [a]);
    assertProblem(await admin.get('/api/v1/accounts' + qs({ [`custom.${f.date}`]: '2026-13-01' })), 400, 'invalid_parameter', 'bad date');
  });

  test('select (choice): equality and [in]; a value outside the options is 400', async () => {
    assert.deepEqual(await ids(admin, { [`custom.${f.select}`]: 'gold' }), [a]);
    assert.deepEqual(await ids(admin, { [`custom.${f.select}[in]`]: 'gold,silver' }), [a, b].sort());
    assertProblem(await admin.get('/api/v1/accounts' + qs({ [`custom.${f.select}`]: 'platinum' })), 400, 'invalid_parameter', 'not an option');
  });

  test('boolean: true, false and [null]', async () => {
    assert.deepEqual(await ids(admin, { [`custom.${f.boolean}`]: 'true' }), [a]);
    assert.deepEqual(await ids(admin, { [`custom.${f.boolean}`]: 'false' }), [b]);
    const blank = await ids(admin, { [`custom.${f.boolean}[null]`]: 'true', [`custom.${f.text}`]: 'north ' + tag });
    assert.deepEqual(blank, [c]);
    assertProblem(await admin.get('/api/v1/accounts' + qs({ [`custom.${f.boolean}`]: 'yes' })), 400, 'invalid_parameter', 'not a boolean');
  });

  test('number (exact decimal string): compared as a number, not as text', async () => {
    // As text "10" < "9.5"; as numbers 10 > 9.5.
    assert.deepEqual(await ids(admin, { [`custom.${f.number}[gt]`]: '9.75' }), [b]);
    assert.deepEqual(await ids(admin, { [`custom.${f.number}`]: '9.50' }), [a]);
  });

  test('an unknown custom field is 400 unknown_parameter; an unknown sort is invalid_sort', async () => {
    assertProblem(await admin.get('/api/v1/accounts' + qs({ 'custom.no_such_field': 'x' })), 400, 'unknown_parameter', 'filter');
    assertProblem(await admin.get('/api/v1/accounts' + qs({ sort: 'custom.no_such_field' })), 400, 'invalid_sort', 'sort');
  });
});

describe('sorting on custom fields', () => {
  test('asc and desc, paged two at a time, across ties and blanks: every record once, in order', async () => {
    const fi = (await field(admin, 'integer')).name;
    const fn = (await field(admin, 'number')).name;
    const ft = (await field(admin, 'text')).name;
    const tag = uniq();
    const values = [3, 1, 3, null, 2, 3, null, 1];
    const numbers = ['2.5', '10', null, '-1', '2.50', '100', '0.5', null];
    const made = [];
    for (let i = 0; i < values.length; i++) {
      const custom = { [ft]: tag };
      if (values[i] !== null) custom[fi] = values[i];
      if (numbers[i] !== null) custom[fn] = numbers[i];
      made.push({ ...(await account(admin, custom)), v: values[i], n: numbers[i] === null ? null : Number(numbers[i]) });
    }
    const by = (key, desc) => (x, y) => {
      if (x[key] === null || y[key] === null) {
        if (x[key] === y[key]) return desc ? (x.id < y.id ? 1 : -1) : (x.id < y.id ? -1 : 1);
        return x[key] === null ? 1 : -1; // blanks last in both directions
      }
      if (x[key] !== y[key]) return desc ? y[key] - x[key] : x[key] - y[key];
      return desc ? (x.id < y.id ? 1 : -1) : (x.id < y.id ? -1 : 1);
    };
    const filter = { [`custom.${ft}`]: tag };
    for (const [key, name] of [['v', fi], ['n', fn]]) {
      for (const desc of [false, true]) {
        const expected = [...made].sort(by(key, desc)).map((a) => a.id);
        const got = await pages(admin, { ...filter, sort: (desc ? '-' : '') + `custom.${name}` }, 2);
        assert.deepEqual(got, expected, `sort ${desc ? '-' : ''}${name}`);
      }
    }
    // A cursor carries its sort: reused with another one it is refused.
    const first = await admin.get('/api/v1/accounts' + qs({ ...filter, sort: `custom.${fi}`, limit: 2 }));
    const other = await admin.get('/api/v1/accounts' + qs({ ...filter, sort: `-custom.${fi}`, limit: 2, cursor: first.json.next_cursor }));
    assertProblem(other, 400, 'cursor_mismatch', 'cursor with another sort');
  });
});

describe('search, export, validation, OpenAPI', () => {
  test('search finds a record by a custom text value, a Chinese fragment included', async () => {
    const ft = (await field(admin, 'text')).name;
    const word = 'zq' + uniq();
    const rec = await account(admin, { [ft]: `华东区域大客户 ${word}` });
    const find = async (q) => (await admin.get('/api/v1/accounts' + qs({ q }))).json.data.map((a) => a.id);
    assert.ok((await find('区域大客')).includes(rec.id), 'Chinese fragment');
    assert.ok((await find(word.slice(0, 6))).includes(rec.id), 'Latin prefix');
    const global = await admin.get('/api/v1/search' + qs({ q: word }));
    assert.deepEqual(global.json.accounts.data.map((a) => a.id), [rec.id]);
    // A changed value is searched by its new words only.
    const changed = await admin.patch(`/api/v1/accounts/${rec.id}`, { custom: { [ft]: 'other words' } });
    assert.equal(changed.status, 200, changed.text);
    assert.ok(!(await find(word)).includes(rec.id), 'old words no longer match');
  });

  test('export has a column per custom field, with the values', async () => {
    const fi = (await field(admin, 'integer')).name;
    const fs = (await field(admin, 'select', { options: ['a', 'b'] })).name;
    const rec = await account(admin, { [fi]: 42, [fs]: 'b' });
    const r = await admin.get('/api/v1/accounts/export' + qs({ [`custom.${fi}`]: '42' }));
    assert.equal(r.status, 200, r.text);
    const lines = r.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    const header = lines[0].split(',');
    assert.equal(lines.length, 2, 'one record exported: the filter applies');
    const row = lines[1].split(',');
    assert.equal(row[header.indexOf('id')], rec.id);
    assert.equal(row[header.indexOf(`custom.${fi}`)], '42');
    assert.equal(row[header.indexOf(`custom.${fs}`)], 'b');
  });

  test('values are validated as fields of their type, under custom.NAME', async () => {
    const fi = (await field(admin, 'integer')).name;
    const fm = (await field(admin, 'money')).name;
    const fb = (await field(admin, 'boolean')).name;
    const r = await admin.post('/api/v1/accounts', { name: 'Bad ' + uniq(), custom: { [fi]: 1.5, [fm]: -3, [fb]: 'yes' } });
    assertProblem(r, 422, 'validation_failed', 'bad custom values');
    const byField = Object.fromEntries(r.json.errors.map((e) => [e.field, e.code]));
    assert.equal(byField[`custom.${fi}`], 'must_be_integer');
    assert.equal(byField[`custom.${fm}`], 'out_of_range');
    assert.equal(byField[`custom.${fb}`], 'invalid_type');
  });

  test('the OpenAPI document describes the custom fields of each entity and their filters', async () => {
    const fi = (await field(admin, 'integer')).name;
    const fs = (await field(admin, 'select', { options: ['x', 'y'], required: false })).name;
    const doc = (await admin.get('/api/v1/openapi.json')).json;
    const custom = doc.components.schemas.account.properties.custom;
    assert.equal(custom.properties[fi].type, 'integer');
    assert.deepEqual(custom.properties[fs].enum, ['x', 'y']);
    assert.equal(doc.components.schemas.account_create.properties.custom.additionalProperties, false);
    const params = doc.paths['/api/v1/accounts'].get.parameters.map((p) => p.name);
    assert.ok(params.includes(`custom.${fi}`), 'list filter documented');
    const exportParams = doc.paths['/api/v1/accounts/export'].get.parameters.map((p) => p.name);
    assert.ok(exportParams.includes(`custom.${fs}`), 'export filter documented');
    // Another entity's schema is not touched.
    assert.equal(doc.components.schemas.contact.properties.custom.properties?.[fi], undefined);
  });
});

describe('the life of a custom field', () => {
  test('an index while it exists; once deleted it is no longer filterable or sortable', async () => {
    const { name, id } = await field(admin, 'integer');
    const index = `cf_accounts_${name}_integer`;
    assert.ok(indexExists(server, index), 'expression index created with the field');
    await account(admin, { [name]: 7 });
    assert.equal((await admin.get('/api/v1/accounts' + qs({ [`custom.${name}`]: '7' }))).json.data.length, 1);
    const del = await admin.del(`/api/v1/custom-fields/${id}`);
    assert.equal(del.status, 204, del.text);
    assert.ok(!indexExists(server, index), 'index dropped with the field');
    assertProblem(await admin.get('/api/v1/accounts' + qs({ [`custom.${name}`]: '7' })), 400, 'unknown_parameter', 'deleted field');
    assertProblem(await admin.get('/api/v1/accounts' + qs({ sort: `custom.${name}` })), 400, 'invalid_sort', 'deleted field sort');
  });

  test('the list uses the index (query plan)', async () => {
    const { name } = await field(admin, 'integer');
    const index = `cf_accounts_${name}_integer`;
    const expr = DB_KIND === 'postgres'
      ? `(CASE WHEN jsonb_typeof((custom::jsonb -> '${name}')) = 'number' THEN (custom::jsonb ->> '${name}')::numeric END)`
      : `(CASE WHEN json_type(custom, '$.${name}') = 'integer' THEN json_extract(custom, '$.${name}') END)`;
    const sql = `SELECT id FROM accounts WHERE deleted_at IS NULL AND ${expr} = 3 ORDER BY ${expr}, id`;
    const plan = DB_KIND === 'postgres'
      ? rawSql(server, `SET enable_seqscan = off; EXPLAIN ${sql}`)
      : rawSql(server, `EXPLAIN QUERY PLAN ${sql}`);
    assert.match(plan, new RegExp(index), plan);
  });

  test('a second server sees a field created, and then deleted, through the first', async () => {
    // Several servers share one PostgreSQL; on SQLite one server owns the database.
    const other = DB_KIND === 'postgres' ? await startServer({ databaseUrl: server.databaseUrl, admin: server.admin }) : server;
    try {
      const admin2 = other === server ? admin : await adminClient(other);
      // The second server has cached the current definitions (it answered a list on them).
      assert.equal((await admin2.get('/api/v1/accounts' + qs({ limit: 1 }))).status, 200);
      const { name, id } = await field(admin, 'text');
      const rec = await admin2.post('/api/v1/accounts', { name: 'Second ' + uniq(), custom: { [name]: 'seen' } });
      assert.equal(rec.status, 201, rec.text);
      assert.deepEqual(await ids(admin2, { [`custom.${name}`]: 'seen' }), [rec.json.id]);
      const doc = (await admin2.get('/api/v1/openapi.json')).json;
      assert.ok(doc.components.schemas.account.properties.custom.properties[name], 'described by the second server');
      assert.equal((await admin.del(`/api/v1/custom-fields/${id}`)).status, 204);
      assertProblem(await admin2.get('/api/v1/accounts' + qs({ [`custom.${name}`]: 'seen' })), 400, 'unknown_parameter', 'deleted on the first');
      const refused = await admin2.patch(`/api/v1/accounts/${rec.json.id}`, { custom: { [name]: 'again' } });
      assertProblem(refused, 422, 'validation_failed', 'writes refuse a deleted field');
    } finally {
      if (other !== server) await other.stop();
    }
  });
});

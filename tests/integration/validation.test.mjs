// Validation: every kind of bad input gets its documented status and stable code, names the
// field, is an RFC 9457 problem document without internals (SQL, file names), and changes
// nothing. Clients build their error messages and retries on these codes, so they are contract.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, adminClient, qs } from './harness.mjs';

let server, admin;

// ---- helpers ------------------------------------------------------------------------------

const uniq = () => randomUUID().slice(0, 8);
const RANDOM_V7 = () => '01a20f00-0000-7000-8000-' + randomUUID().replaceAll('-', '').slice(0, 12);
const LEAK = /SQLITE|syntax error at|sqlite3|libpq|\bpq\b|postgres|\bSELECT\b.*\bFROM\b|INSERT INTO|UPDATE \w+ SET|at .*\.cc|\.cc:\d+|std::|boost::/i;

// Asserts r is the problem document for `status`/`code`; with `field`, that one of its errors
// is on that field (with `fieldCode`, that exact code). Returns the matching field error.
function expectProblem(r, status, code, field, fieldCode) {
  const where = `${r.status} ${r.text.slice(0, 400)}`;
  assert.equal(r.status, status, where);
  assert.match(r.headers.get('content-type') || '', /^application\/problem\+json/, where);
  const p = r.json;
  assert.ok(p, `problem body is JSON: ${where}`);
  assert.equal(p.code, code, where);
  assert.equal(p.status, status, where);
  assert.equal(p.type, `https://keel.dev/problems/${code}`, where);
  assert.equal(typeof p.title, 'string');
  assert.ok(p.title.length > 0);
  assert.equal(typeof p.request_id, 'string');
  assert.ok(p.request_id.length > 0, `request_id must be set: ${where}`);
  assert.equal(r.headers.get('x-request-id'), p.request_id, 'the header and the body name the same request');
  assert.doesNotMatch(r.text, LEAK, 'no SQL or source locations leak into errors');
  if (field === undefined) return null;
  assert.ok(Array.isArray(p.errors), `errors[] present: ${where}`);
  const e = p.errors.find((x) => x.field === field);
  assert.ok(e, `an error names field ${field}: ${where}`);
  if (fieldCode) assert.equal(e.code, fieldCode, `code of ${field}: ${where}`);
  assert.equal(typeof e.message, 'string');
  return e;
}

// Asserts a 422 with exactly these field errors (as {field: code}).
function expectInvalid(r, fields) {
  expectProblem(r, 422, 'validation_failed');
  const got = Object.fromEntries(r.json.errors.map((e) => [e.field, e.code]));
  assert.deepEqual(got, fields, r.text);
}

async function count(entity) {
  const r = await admin.get(`/api/v1/${entity}` + qs({ limit: 1 }));
  assert.equal(r.status, 200, r.text);
  return r.json.total;
}

// Runs fn (which sends rejected writes) and asserts the entity's record count did not change.
async function createsNothing(entity, fn) {
  const before = await count(entity);
  await fn();
  assert.equal(await count(entity), before, `no ${entity} record was created`);
}

const post = (entity, body) => admin.post(`/api/v1/${entity}`, body);
// With type null no Content-Type is sent (fetch adds text/plain to string bodies, not to bytes).
const postRaw = (entity, raw, type = 'application/json') =>
  admin.request('POST', `/api/v1/${entity}`, type ? { raw, headers: { 'content-type': type } } : { raw: Buffer.from(raw) });

// ---- server -------------------------------------------------------------------------------

before(async () => {
  server = await startServer();
  admin = await adminClient(server);
});

after(async () => {
  await server?.stop();
  server?.cleanup();
});

// ---- the body ------------------------------------------------------------------------------

describe('request bodies', () => {
  test('malformed JSON is 400 malformed_json', async () => {
    await createsNothing('contacts', async () => {
      for (const raw of ['{"first_name": "Ada"', '{first_name: "Ada"}', '{"first_name":"Ada",}', '', 'null', '[{"first_name":"Ada"}]', '"Ada"']) {
        expectProblem(await postRaw('contacts', raw), 400, 'malformed_json');
      }
    });
  });

  test('a body that is not declared as JSON is 415 unsupported_media_type', async () => {
    await createsNothing('contacts', async () => {
      const body = JSON.stringify({ first_name: 'Ada' });
      expectProblem(await postRaw('contacts', body, 'text/plain'), 415, 'unsupported_media_type');
      expectProblem(await postRaw('contacts', body, 'application/x-www-form-urlencoded'), 415, 'unsupported_media_type');
      expectProblem(await postRaw('contacts', body, null), 415, 'unsupported_media_type');
    });
    // With parameters the JSON type is still recognised.
    const ok = await postRaw('contacts', JSON.stringify({ first_name: 'Ada', last_name: uniq() }), 'application/json; charset=utf-8');
    assert.equal(ok.status, 201, ok.text);
  });

  test('a body over 1 MiB is 413 payload_too_large, a problem document like any other', async () => {
    await createsNothing('contacts', async () => {
      const raw = JSON.stringify({ first_name: 'a', description: 'x'.repeat(1024 * 1024) });
      expectProblem(await postRaw('contacts', raw), 413, 'payload_too_large');
    });
    // Just under the limit, the field limit applies instead (422, not 413).
    const near = JSON.stringify({ first_name: 'a', description: 'x'.repeat(1000 * 1000) });
    expectProblem(await postRaw('contacts', near), 422, 'validation_failed', 'description', 'too_long');
  });

  test('invalid UTF-8 bytes in a body are 400 malformed_json, never a 500, and store nothing', async () => {
    const cases = [
      Buffer.from([0xff, 0xfe]),              // never valid in UTF-8
      Buffer.from([0xc0, 0xaf]),              // overlong "/"
      Buffer.from([0xed, 0xa0, 0x80]),        // an encoded surrogate (CESU-8)
      Buffer.from([0xe7, 0x8e]),              // truncated 3-byte sequence
      Buffer.from([0xf4, 0x90, 0x80, 0x80]),  // above U+10FFFF
    ];
    await createsNothing('contacts', async () => {
      for (const bad of cases) {
        const raw = Buffer.concat([Buffer.from('{"first_name":"'), bad, Buffer.from('","last_name":"王"}')]);
        // The body as a whole is not UTF-8 JSON (RFC 8259 section 8.1): 400 malformed_json.
        expectProblem(await postRaw('contacts', raw), 400, 'malformed_json');
      }
      // A lone surrogate written as a JSON escape is not text either.
      expectProblem(await postRaw('contacts', '{"first_name":"\\ud800","last_name":"王"}'), 400, 'malformed_json');
    });
  });

  test('deeply nested JSON is refused without crashing', async () => {
    const deep = '{"custom":' + '['.repeat(10000) + ']'.repeat(10000) + '}';
    const r = await postRaw('contacts', deep);
    expectProblem(r, 400, 'malformed_json');
    assert.equal((await admin.get('/healthz')).status, 200, 'the server is still up');
  });
});

// ---- fields --------------------------------------------------------------------------------

describe('fields', () => {
  test('unknown fields are named, all problems are reported at once', async () => {
    await createsNothing('contacts', async () => {
      const r = await post('contacts', { first_name: 'Ada', foo: 1, emails: ['not-an-email'], phones: ['12'] });
      expectInvalid(r, { foo: 'unknown_field', 'emails[0]': 'invalid_format', 'phones[0]': 'invalid_format' });
    });
  });

  test('system and computed fields are read-only', async () => {
    await createsNothing('contacts', async () => {
      expectInvalid(await post('contacts', { first_name: 'A', created_at: '2020-01-01T00:00:00Z' }), { created_at: 'read_only' });
      expectInvalid(await post('contacts', { first_name: 'A', name: 'Forced' }), { name: 'read_only' });
      expectInvalid(await post('contacts', { first_name: 'A', deleted_at: null }), { deleted_at: 'read_only' });
    });
    await createsNothing('deals', async () => {
      expectInvalid(await post('deals', { name: 'D', status: 'won' }), { status: 'read_only' });
    });
  });

  test('required fields: missing, null or blank', async () => {
    await createsNothing('accounts', async () => {
      expectInvalid(await post('accounts', { city: '上海' }), { name: 'required' });
      expectInvalid(await post('accounts', { name: null }), { name: 'required' });
      expectInvalid(await post('accounts', { name: '   ' }), { name: 'required' });
    });
    await createsNothing('contacts', async () => {
      expectInvalid(await post('contacts', { title: 'CEO' }), { last_name: 'required' });
    });
    await createsNothing('products', async () => {
      expectInvalid(await post('products', { name: 'P' }), { currency: 'required' });
    });
    await createsNothing('orders', async () => {
      expectInvalid(await post('orders', { currency: 'CNY' }), { items: 'required' });
      expectInvalid(await post('orders', { currency: 'CNY', items: [] }), { items: 'required' });
    });
    await createsNothing('activities', async () => {
      expectInvalid(await post('activities', { subject: 'x' }), { type: 'required' });
    });
  });

  test('a required field cannot be cleared by PATCH, and the rejected PATCH changes nothing', async () => {
    const acc = (await post('accounts', { name: `Keep me ${uniq()}` })).json;
    expectInvalid(await admin.patch(`/api/v1/accounts/${acc.id}`, { name: '', city: '杭州' }), { name: 'required' });
    expectInvalid(await admin.patch(`/api/v1/accounts/${acc.id}`, { city: '杭州', website: 'ftp://x.example' }),
      { website: 'invalid_format' });
    const g = await admin.get(`/api/v1/accounts/${acc.id}`);
    assert.equal(g.json.version, 1);
    assert.equal(g.json.name, acc.name);
    assert.equal(g.json.city, null, 'the valid part of a rejected PATCH was not applied either');
  });

  test('too_long counts characters, not bytes (Chinese and astral characters count one each)', async () => {
    await createsNothing('accounts', async () => {
      expectInvalid(await post('accounts', { name: '明'.repeat(201) }), { name: 'too_long' });
      expectInvalid(await post('accounts', { name: '𠮷'.repeat(201) }), { name: 'too_long' });
      expectInvalid(await post('accounts', { name: 'a'.repeat(201) }), { name: 'too_long' });
    });
    // Exactly at the limit: 200 characters = 600 or 800 bytes, accepted.
    for (const ch of ['明', '𠮷']) {
      const r = await post('accounts', { name: ch.repeat(200) });
      assert.equal(r.status, 201, r.text);
      assert.equal([...r.json.name].length, 200);
    }
    await createsNothing('contacts', async () => {
      expectInvalid(await post('contacts', { first_name: '王'.repeat(101), last_name: '李' }), { first_name: 'too_long' });
      expectInvalid(await post('contacts', { last_name: 'x', tags: ['标'.repeat(51)] }), { 'tags[0]': 'too_long' });
      expectInvalid(await post('contacts', { last_name: 'x', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }),
        { tags: 'too_many_items' });
      expectInvalid(await post('contacts', { last_name: 'x', emails: Array.from({ length: 11 }, (_, i) => `a${i}@example.com`) }),
        { emails: 'too_many_items' });
    });
  });

  test('formats: email, phone, url, date, datetime, currency', async () => {
    await createsNothing('leads', async () => {
      for (const email of ['ada', 'ada@', '@example.com', 'ada@example', 'a b@example.com', 'ada@@example.com', 'ada..x@example.com'])
        expectInvalid(await post('leads', { last_name: 'L', email }), { email: 'invalid_format' });
      for (const phone of ['12', 'call me', '+86 138 0013 8000 0000 0000', '555-CALL'])
        expectInvalid(await post('leads', { last_name: 'L', phone }), { phone: 'invalid_format' });
    });
    await createsNothing('accounts', async () => {
      for (const website of ['example.com', 'ftp://example.com', 'javascript:alert(1)', 'http://', 'https:///path'])
        expectInvalid(await post('accounts', { name: 'A', website }), { website: 'invalid_format' });
    });
    await createsNothing('deals', async () => {
      for (const d of ['2026-02-30', '2023-02-29', '2026-13-01', '26-01-01', '2026/01/01', '2026-1-1', 'tomorrow'])
        expectInvalid(await post('deals', { name: 'D', expected_close_date: d }), { expected_close_date: 'invalid_date' });
      for (const currency of ['XXX', 'cny', 'RMB', 'US'])
        expectInvalid(await post('deals', { name: 'D', amount_minor: 1, currency }), { currency: 'invalid_currency' });
      expectProblem(await post('deals', { name: 'D', amount_minor: 1, currency: 'EURO' }), 422, 'validation_failed', 'currency');
    });
    await createsNothing('activities', async () => {
      for (const at of ['yesterday', '2026-11-24 25:00', '2026-11-31T10:00:00Z', '2026-11-24T10:00:00+25:00'])
        expectInvalid(await post('activities', { type: 'call', occurred_at: at }), { occurred_at: 'invalid_datetime' });
    });
    // The valid forms are accepted as people write them.
    const ok = await post('leads', { last_name: 'L', email: 'xm.wang+crm@例子.公司', phone: '+86 (21) 5555-0100 ext. 12' });
    assert.equal(ok.status, 201, ok.text);
    const leap = await post('deals', { name: `Leap ${uniq()}`, expected_close_date: '2024-02-29' });
    assert.equal(leap.status, 201, leap.text);
  });

  test('select fields accept only their choices', async () => {
    await createsNothing('leads', async () => {
      const r = await post('leads', { last_name: 'L', status: 'won' });
      const e = expectProblem(r, 422, 'validation_failed', 'status', 'invalid_choice');
      assert.match(e.message, /new, contacted, qualified, disqualified, converted/, 'the message lists the choices');
      expectInvalid(await post('leads', { last_name: 'L', status: 'New' }), { status: 'invalid_choice' });
    });
    await createsNothing('tasks', async () => {
      expectInvalid(await post('tasks', { title: 'T', priority: 'urgent' }), { priority: 'invalid_choice' });
      expectProblem(await post('tasks', { title: 'T', related_entity: 'users', related_id: RANDOM_V7() }), 422, 'validation_failed',
        'related_entity', 'invalid_choice');
    });
    await createsNothing('activities', async () => {
      expectInvalid(await post('activities', { type: 'fax' }), { type: 'invalid_choice' });
    });
  });

  test('wrong JSON types are invalid_type', async () => {
    await createsNothing('contacts', async () => {
      expectInvalid(await post('contacts', { first_name: 123, last_name: 'x' }), { first_name: 'invalid_type' });
      expectInvalid(await post('contacts', { last_name: 'x', emails: 'a@example.com' }), { emails: 'invalid_type' });
      expectInvalid(await post('contacts', { last_name: 'x', consent_email: 'yes' }), { consent_email: 'invalid_type' });
      expectInvalid(await post('contacts', { last_name: 'x', custom: [] }), { custom: 'invalid_type' });
    });
    const c = (await post('contacts', { last_name: `V ${uniq()}` })).json;
    expectInvalid(await admin.patch(`/api/v1/contacts/${c.id}`, { title: 'x', version: '1' }), { version: 'invalid_type' });
  });

  test('control characters are refused in one-line text', async () => {
    await createsNothing('contacts', async () => {
      expectInvalid(await post('contacts', { first_name: 'A\u0000B', last_name: 'x' }), { first_name: 'invalid_characters' });
      expectInvalid(await post('contacts', { first_name: 'A\nB', last_name: 'x' }), { first_name: 'invalid_characters' });
    });
  });

  test('references must exist, be live and be ids', async () => {
    const acc = (await post('accounts', { name: `Gone ${uniq()}` })).json;
    assert.equal((await admin.del(`/api/v1/accounts/${acc.id}`)).status, 200);
    await createsNothing('contacts', async () => {
      expectInvalid(await post('contacts', { last_name: 'x', account_id: RANDOM_V7() }), { account_id: 'reference_not_found' });
      expectInvalid(await post('contacts', { last_name: 'x', account_id: acc.id }), { account_id: 'reference_not_found' });
      expectInvalid(await post('contacts', { last_name: 'x', account_id: 'abc' }), { account_id: 'invalid_format' });
      expectInvalid(await post('contacts', { last_name: 'x', owner_id: RANDOM_V7() }), { owner_id: 'reference_not_found' });
    });
    await createsNothing('deals', async () => {
      expectInvalid(await post('deals', { name: 'D', contact_ids: [RANDOM_V7()] }), { 'contact_ids[0]': 'reference_not_found' });
      expectInvalid(await post('deals', { name: 'D', pipeline_id: RANDOM_V7() }), { pipeline_id: 'reference_not_found' });
      expectInvalid(await post('deals', { name: 'D', stage_id: RANDOM_V7() }), { stage_id: 'invalid_choice' });
    });
    await createsNothing('orders', async () => {
      expectInvalid(await post('orders', { currency: 'CNY', items: [{ product_id: RANDOM_V7(), quantity: 1 }] }),
        { 'items[0].product_id': 'reference_not_found' });
      expectInvalid(await post('orders', { currency: 'CNY', items: [{ name: 'x', quantity: 0, unit_price_minor: 1 }] }),
        { 'items[0].quantity': 'out_of_range' });
    });
    await createsNothing('tasks', async () => {
      expectInvalid(await post('tasks', { title: 'T', related_entity: 'deals', related_id: RANDOM_V7() }), { related_id: 'reference_not_found' });
    });
  });
});

// ---- custom fields -------------------------------------------------------------------------

describe('custom fields', () => {
  const names = {};

  before(async () => {
    const u = uniq().replace(/[^a-z]/g, 'x');
    const defs = [
      { key: 'nick', body: { type: 'text', label: '昵称', max_length: 5 } },
      { key: 'budget', body: { type: 'number', label: '预算' } },
      { key: 'since', body: { type: 'date', label: 'Customer since' } },
      { key: 'tier', body: { type: 'select', label: 'Tier', options: ['金牌', 'silver'] } },
    ];
    for (const d of defs) {
      names[d.key] = `${d.key}_${u}`;
      const r = await admin.post('/api/v1/custom-fields', { entity: 'contacts', name: names[d.key], ...d.body });
      assert.equal(r.status, 201, r.text);
    }
  });

  test('valid values are stored exactly (numbers as exact decimal strings)', async () => {
    const custom = {
      [names.nick]: '小明明明明',
      [names.budget]: '123456789012345678901234.50',
      [names.since]: '2024-02-29',
      [names.tier]: '金牌',
    };
    const r = await post('contacts', { last_name: `Custom ${uniq()}`, custom });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.json.custom, custom);
    assert.deepEqual((await admin.get(`/api/v1/contacts/${r.json.id}`)).json.custom, custom);
    // A whole JSON number is kept as its exact decimal string.
    const whole = await post('contacts', { last_name: 'W', custom: { [names.budget]: 1250 } });
    assert.equal(whole.status, 201, whole.text);
    assert.equal(whole.json.custom[names.budget], '1250');
  });

  test('invalid values get the same codes as built-in fields', async () => {
    await createsNothing('contacts', async () => {
      expectInvalid(await post('contacts', { last_name: 'x', custom: {
        [names.nick]: '小明明明明明',        // 6 characters, limit 5
        [names.budget]: 12.5,               // a float could already be rounded
        [names.since]: '2023-02-29',
        [names.tier]: 'gold',
        nope: 'x',
      } }), {
        [`custom.${names.nick}`]: 'too_long',
        [`custom.${names.budget}`]: 'use_decimal_string',
        [`custom.${names.since}`]: 'invalid_date',
        [`custom.${names.tier}`]: 'invalid_choice',
        'custom.nope': 'unknown_field',
      });
      for (const bad of ['1e5', 'abc', '1.2.3', '', '12.'])
        expectInvalid(await post('contacts', { last_name: 'x', custom: { [names.budget]: bad } }), { [`custom.${names.budget}`]: 'invalid_number' });
    });
  });

  test('a PATCH with an invalid custom value leaves the stored values alone', async () => {
    const c = (await post('contacts', { last_name: `CP ${uniq()}`, custom: { [names.tier]: 'silver' } })).json;
    expectInvalid(await admin.patch(`/api/v1/contacts/${c.id}`, { custom: { [names.tier]: 'bronze' } }), { [`custom.${names.tier}`]: 'invalid_choice' });
    const g = await admin.get(`/api/v1/contacts/${c.id}`);
    assert.deepEqual(g.json.custom, { [names.tier]: 'silver' });
    assert.equal(g.json.version, 1);
  });

  test('a custom field definition is itself validated', async () => {
    const bad = await admin.post('/api/v1/custom-fields', { entity: 'contacts', name: 'Bad Name', label: 'x', type: 'colour' });
    expectProblem(bad, 422, 'validation_failed', 'name', 'invalid_format');
    expectProblem(bad, 422, 'validation_failed', 'type', 'invalid_choice');
    const noOptions = await admin.post('/api/v1/custom-fields', { entity: 'contacts', name: 'sel', label: 'x', type: 'select' });
    expectProblem(noOptions, 422, 'validation_failed', 'options', 'required');
    const clash = await admin.post('/api/v1/custom-fields', { entity: 'contacts', name: 'title', label: 'x', type: 'text' });
    expectProblem(clash, 422, 'validation_failed', 'name', 'duplicate');
    const again = await admin.post('/api/v1/custom-fields', { entity: 'contacts', name: names.tier, label: 'x', type: 'text' });
    expectProblem(again, 409, 'name_taken');
  });
});

// ---- query parameters, headers and paths ---------------------------------------------------

describe('query parameters', () => {
  test('an unknown or misspelt parameter is 400 unknown_parameter, naming it', async () => {
    expectProblem(await admin.get('/api/v1/contacts?curser=abc'), 400, 'unknown_parameter', 'curser', 'unknown_parameter');
    expectProblem(await admin.get('/api/v1/contacts?sortt=name'), 400, 'unknown_parameter', 'sortt');
    // A field that exists but cannot be filtered is refused too, rather than ignored.
    expectProblem(await admin.get('/api/v1/contacts' + qs({ description: 'x' })), 400, 'unknown_parameter', 'description');
    const c = (await post('contacts', { last_name: `Q ${uniq()}` })).json;
    expectProblem(await admin.get(`/api/v1/contacts/${c.id}?fields=name`), 400, 'unknown_parameter', 'fields');
    await createsNothing('contacts', async () => {
      expectProblem(await admin.post('/api/v1/contacts?dry_run=1', { last_name: 'x' }), 400, 'unknown_parameter', 'dry_run');
    });
  });

  test('invalid sort, operator, filter value, limit and trashed are 400 with their codes', async () => {
    expectProblem(await admin.get('/api/v1/contacts?sort=emails'), 400, 'invalid_sort', 'sort');
    expectProblem(await admin.get('/api/v1/contacts' + qs({ sort: '-nope' })), 400, 'invalid_sort', 'sort');
    expectProblem(await admin.get('/api/v1/contacts' + qs({ sort: 'name; DROP TABLE contacts' })), 400, 'invalid_sort', 'sort');
    expectProblem(await admin.get('/api/v1/deals' + qs({ 'name[like]': 'x' })), 400, 'invalid_operator', 'name[like]');
    expectProblem(await admin.get('/api/v1/deals' + qs({ 'amount_minor[gte]': 'abc' })), 400, 'invalid_parameter', 'amount_minor[gte]');
    expectProblem(await admin.get('/api/v1/deals' + qs({ 'amount_minor[gte]': '1.5' })), 400, 'invalid_parameter', 'amount_minor[gte]');
    expectProblem(await admin.get('/api/v1/deals' + qs({ expected_close_date: '2026-02-30' })), 400, 'invalid_parameter', 'expected_close_date');
    expectProblem(await admin.get('/api/v1/deals' + qs({ 'created_at[gte]': 'last week' })), 400, 'invalid_parameter', 'created_at[gte]');
    expectProblem(await admin.get('/api/v1/deals' + qs({ 'currency[null]': 'yes' })), 400, 'invalid_parameter', 'currency[null]');
    expectProblem(await admin.get('/api/v1/contacts' + qs({ consent_email: 'maybe' })), 400, 'invalid_parameter', 'consent_email');
    expectProblem(await admin.get('/api/v1/contacts' + qs({ account_id: 'abc' })), 400, 'invalid_parameter', 'account_id');
    expectProblem(await admin.get('/api/v1/contacts' + qs({ trashed: 'yes' })), 400, 'invalid_parameter', 'trashed');
    for (const limit of ['0', '201', '-1', 'ten', '', '1e2'])
      expectProblem(await admin.get('/api/v1/contacts' + qs({ limit })), 400, 'invalid_parameter', 'limit');
    expectProblem(await admin.get('/api/v1/contacts' + qs({ q: 'x'.repeat(201) })), 400, 'too_long', 'q');
  });

  test('a filter value is data, never SQL', async () => {
    const r = await admin.get('/api/v1/accounts' + qs({ industry: "x' OR '1'='1" }));
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.total, 0);
  });

  test('a malformed or tampered cursor is 400 invalid_cursor, never a 500', async () => {
    const b64 = (o) => Buffer.from(typeof o === 'string' ? o : JSON.stringify(o)).toString('base64url');
    const cursors = [
      'abc', '!!!!', b64('not json'), b64([1, 2]), b64({}),
      b64({ id: 'x', v: 1 }),                         // members missing
      b64({ id: 5, v: 1, s: 'created_at', d: true }),
    ];
    for (const cursor of cursors)
      expectProblem(await admin.get('/api/v1/contacts' + qs({ cursor })), 400, 'invalid_cursor', 'cursor');
  });

  test('a cursor whose position has the wrong types is refused, never a 500', async () => {
    for (let i = 0; i < 3; i++) await post('deals', { name: `Cur ${uniq()}`, amount_minor: 100 + i, currency: 'CNY' });
    const first = await admin.get('/api/v1/deals' + qs({ sort: 'amount_minor', limit: 1 }));
    assert.ok(first.json.next_cursor, first.text);
    const raw = JSON.parse(Buffer.from(first.json.next_cursor, 'base64url').toString());
    // An id that is not an id, or a position value that is not a whole number for a money
    // sort, is refused as a whole.
    const changes = [{ id: 42 }, { id: null }, { id: ['x'] }, { v: 'not a number' }, { v: { a: 1 } }, { v: 1e300 }, { v: 1.5 }, { v: true }];
    for (const change of changes) {
      const cursor = Buffer.from(JSON.stringify({ ...raw, ...change })).toString('base64url');
      const r = await admin.get('/api/v1/deals' + qs({ sort: 'amount_minor', cursor }));
      expectProblem(r, 400, 'invalid_cursor', 'cursor');
    }
  });

  test('search text that is not valid UTF-8 is refused, not silently ignored', async () => {
    // Ignoring it would answer with every record, as if no search had been asked for.
    const r = await admin.get('/api/v1/contacts?q=%FF%FE');
    expectProblem(r, 400, 'invalid_parameter', 'q');
    expectProblem(await admin.get('/api/v1/accounts?industry=%FF%FE'), 400, 'invalid_parameter', 'industry');
  });
});

describe('headers and paths', () => {
  test('an If-Match that is not a version is 400 invalid_if_match, and nothing changes', async () => {
    const c = (await post('contacts', { last_name: `IM ${uniq()}` })).json;
    for (const im of ['abc', '"1.0"', '"-1"', '""', '"99999999999999999999"', '"two"']) {
      const r = await admin.patch(`/api/v1/contacts/${c.id}`, { title: 'x' }, { headers: { 'if-match': im } });
      expectProblem(r, 400, 'invalid_if_match', 'If-Match');
    }
    expectProblem(await admin.del(`/api/v1/contacts/${c.id}`, { headers: { 'if-match': 'v1' } }), 400, 'invalid_if_match');
    const g = await admin.get(`/api/v1/contacts/${c.id}`);
    assert.equal(g.status, 200);
    assert.equal(g.json.version, 1);
    assert.equal(g.json.title, null);
  });

  test('an id in the path that is not a UUID is 404 not_found on every route', async () => {
    for (const id of ['not-a-uuid', '123', '01a20f00-0000-7000-8000-00000000000z', encodeURIComponent("' OR 1=1 --"), '%E7%8E%8B']) {
      expectProblem(await admin.get(`/api/v1/contacts/${id}`), 404, 'not_found');
      expectProblem(await admin.patch(`/api/v1/contacts/${id}`, { title: 'x' }), 404, 'not_found');
      expectProblem(await admin.del(`/api/v1/contacts/${id}`), 404, 'not_found');
      expectProblem(await admin.post(`/api/v1/contacts/${id}/restore`), 404, 'not_found');
      expectProblem(await admin.get(`/api/v1/contacts/${id}/history`), 404, 'not_found');
    }
    // A well-formed id of no record is the same 404.
    expectProblem(await admin.get(`/api/v1/contacts/${RANDOM_V7()}`), 404, 'not_found');
  });

  test('unknown routes and methods', async () => {
    // An API path that does not exist is an API error, whatever the web app serves at other paths.
    expectProblem(await admin.get('/api/v1/widgets'), 404, 'no_such_route');
    expectProblem(await admin.post('/api/v1/widgets', {}), 404, 'no_such_route');
    const r = await admin.request('PUT', '/api/v1/contacts');
    expectProblem(r, 405, 'method_not_allowed');
    assert.match(r.headers.get('allow') || '', /GET/);
    assert.match(r.headers.get('allow') || '', /POST/);
  });

  test('a request id sent by the client is echoed in errors', async () => {
    const r = await admin.get('/api/v1/contacts?curser=1', { headers: { 'x-request-id': 'trace-abc-123' } });
    expectProblem(r, 400, 'unknown_parameter');
    assert.equal(r.json.request_id, 'trace-abc-123');
  });
});

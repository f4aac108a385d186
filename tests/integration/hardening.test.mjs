// Hostile clients: request smuggling and framing, oversized bodies against clients that write
// before they read, bytes that are not UTF-8, unbounded filters and search, search through
// records the caller cannot read, routing of literal segments, metric labels, malformed
// composite bodies, and replays racing each other. Runs on SQLite and on PostgreSQL.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { startServer, adminClient, userClient, Client, qs, DB_KIND } from './harness.mjs';

let server, admin;

before(async () => {
  server = await startServer();
  admin = await adminClient(server);
});

after(async () => {
  await server.stop();
  server.cleanup();
});

// Sends raw bytes on one connection and collects everything until the server closes it (or
// `ms` pass). Returns { text, closed }.
function raw(bytes, { ms = 5000, srv = server } = {}) {
  const { hostname, port } = new URL(srv.url);
  return new Promise((resolve, reject) => {
    const chunks = [];
    let closed = false;
    const s = net.connect(Number(port), hostname, () => s.write(bytes));
    const timer = setTimeout(() => { s.destroy(); resolve({ text: Buffer.concat(chunks).toString('latin1'), closed }); }, ms);
    s.on('data', (d) => chunks.push(d));
    s.on('end', () => { closed = true; });
    s.on('close', () => { clearTimeout(timer); resolve({ text: Buffer.concat(chunks).toString('latin1'), closed: true }); });
    s.on('error', (e) => { if (e.code !== 'ECONNRESET') reject(e); });
  });
}

// Status lines anywhere in the stream (a response follows the previous body without a newline).
const statusLines = (text) => [...text.matchAll(/HTTP\/1\.[01] (\d{3}) /g)].map((m) => Number(m[1]));

function problem(r, status, code, what = '') {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text}`);
  assert.equal(r.json?.code, code, `${what}: ${r.text}`);
}

describe('request framing (RFC 9112)', () => {
  // The body of each request below is itself a complete request: if the server read the first
  // as bodiless, it would answer the smuggled GET as a second response.
  const smuggled = 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n';
  const withTe = (te, extra = '') => `POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
    `Transfer-Encoding: ${te}\r\n${extra}\r\n${smuggled}`;

  for (const [te, status, code] of [
    ['xchunked', 501, 'not_implemented'],
    ['chunked, gzip', 400, 'malformed_request'],
    ['gzip', 400, 'malformed_request'],
    ['gzip, chunked', 501, 'not_implemented'],
    ['chunked, chunked', 400, 'malformed_request'],
    ['identity', 501, 'not_implemented'],
  ]) {
    test(`Transfer-Encoding: ${te} is ${status}, the connection closes, and the body is never a request`, async () => {
      const { text, closed } = await raw(withTe(te));
      assert.deepEqual(statusLines(text), [status], text);
      assert.match(text, new RegExp(`"code":"${code}"`));
      assert.match(text, /connection: close/i);
      assert.ok(closed, 'the server closes the connection');
    });
  }

  test('a transfer coding that is not UTF-8 is named in a UTF-8 answer', async () => {
    const { text } = await raw(Buffer.concat([Buffer.from('POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gz'),
      Buffer.from([0xff, 0xfe]), Buffer.from('\r\n\r\n')]));
    assert.deepEqual(statusLines(text), [501], text);
    const body = Buffer.from(text.slice(text.indexOf('\r\n\r\n') + 4), 'latin1');
    assert.ok(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body)).code === 'not_implemented');
  });

  test('Transfer-Encoding together with Content-Length is 400', async () => {
    const { text } = await raw(withTe('chunked', 'Content-Length: 5\r\n'));
    assert.deepEqual(statusLines(text), [400], text);
  });

  test('a well-formed chunked body is read as one request', async () => {
    const body = JSON.stringify({ email: server.admin.email, password: server.admin.password });
    const chunked = `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
    const { text } = await raw(`POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
      `Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunked}`);
    assert.deepEqual(statusLines(text), [200], text);
    assert.match(text, /"token":/);
  });

  test('an HTTP/1.1 request without Host, or with two, is 400; HTTP/1.0 needs none', async () => {
    assert.deepEqual(statusLines((await raw('GET /healthz HTTP/1.1\r\n\r\n')).text), [400]);
    assert.deepEqual(statusLines((await raw('GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n')).text), [400]);
    assert.deepEqual(statusLines((await raw('GET /healthz HTTP/1.0\r\n\r\n')).text), [200]);
  });

  test('pipelined requests on one connection are answered in order', async () => {
    const { text } = await raw('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /api/v1/nope HTTP/1.1\r\nHost: x\r\n\r\n' +
      'GET /api/v1/nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.deepEqual(statusLines(text), [200, 404, 404]);
  });

  test('HEAD answers with the headers of GET and no body', async () => {
    const { text } = await raw('HEAD /api/v1/openapi.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.deepEqual(statusLines(text), [200]);
    const length = Number(text.match(/content-length: (\d+)/i)?.[1]);
    assert.ok(length > 1000, `Content-Length is the GET body's: ${length}`);
    assert.equal(text.split('\r\n\r\n')[1], '', 'no body after the headers');
  });

  test('every 401 says how to authenticate (WWW-Authenticate: Bearer)', async () => {
    const anon = new Client(server.url);
    const none = await anon.get('/api/v1/me');
    problem(none, 401, 'unauthorized', 'no token');
    assert.match(none.headers.get('www-authenticate'), /^Bearer realm="keel"$/);
    const bad = await new Client(server.url, 'not-a-token').get('/api/v1/me');
    problem(bad, 401, 'invalid_token', 'bad token');
    assert.match(bad.headers.get('www-authenticate'), /^Bearer realm="keel", error="invalid_token"$/);
    const login = await anon.post('/api/v1/auth/login', { email: server.admin.email, password: 'wrong-password-1' });
    assert.equal(login.status, 401);
    assert.match(login.headers.get('www-authenticate'), /^Bearer/);
  });
});

describe('oversized bodies', () => {
  // Node's fetch writes the whole body before it reads the answer: the 413 must survive that.
  for (const size of [(1 << 20) + 1, 8 << 20]) {
    test(`a ${size}-byte body gets its 413 answer every time (20 tries), not a reset`, async () => {
      const body = 'x'.repeat(size);
      for (let i = 0; i < 20; i++) {
        const r = await admin.request('POST', '/api/v1/accounts', { raw: body, headers: { 'content-type': 'application/json' } });
        problem(r, 413, 'payload_too_large', `try ${i}`);
      }
    });
  }
});

describe('every response is UTF-8', () => {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (const path of ['/api/v1/accounts?sort=%FF', '/api/v1/accounts?%FF=1', '/api/v1/%FF', '/api/v1/accounts?city[%FE]=1',
    '/api/v1/accounts/%FF%FE', '/api/v1/search?q=%FF', '/api/v1/accounts?q=%C3']) {
    test(`GET ${path}: a 4xx whose body is valid UTF-8 JSON`, async () => {
      const res = await fetch(server.url + path, { headers: { authorization: `Bearer ${admin.token}` } });
      const bytes = new Uint8Array(await res.arrayBuffer());
      assert.ok(res.status >= 400 && res.status < 500, `${res.status}`);
      const text = decoder.decode(bytes);  // throws on ill-formed UTF-8
      assert.ok(JSON.parse(text).code, text);
    });
  }
});

describe('bounds on filters and search', () => {
  test('30 filters are answered; 31 are 400 too_many_filters; 1,000 are 400, not 500', async () => {
    const pairs = (n) => Array.from({ length: n }, () => ['city', 'a']);
    assert.equal((await admin.get('/api/v1/accounts' + qs(pairs(30)))).status, 200);
    const over = await admin.get('/api/v1/accounts' + qs(pairs(31)));
    problem(over, 400, 'too_many_filters', '31 filters');
    assert.equal(over.json.errors?.[0]?.field ?? over.json.field ?? 'city', 'city');
    problem(await admin.get('/api/v1/accounts' + qs(pairs(1000))), 400, 'too_many_filters', '1000 filters');
    problem(await admin.get('/api/v1/accounts/export' + qs(pairs(31))), 400, 'too_many_filters', 'export');
  });

  const words = (n) => Array.from({ length: n }, (_, i) => 'w' + i.toString(36)).join(' ');
  test('16 search words are answered; 17 are 400 too_many_search_terms, on every search path', async () => {
    for (const path of ['/api/v1/contacts', '/api/v1/search', '/api/v1/deals/export']) {
      assert.equal((await admin.get(path + qs({ q: words(16) }))).status, 200, path);
      problem(await admin.get(path + qs({ q: words(17) })), 400, 'too_many_search_terms', path);
    }
    // 1,200 distinct words (the probe that reached SQLite's expression depth limit)
    const many = await admin.get('/api/v1/search' + qs({ q: words(1200) }));
    assert.equal(many.status, 400, many.text);
  });

  test('search text over 200 bytes is 400 too_long on /search as on lists', async () => {
    const long = '明'.repeat(67) + 'x';  // 202 bytes
    for (const path of ['/api/v1/search', '/api/v1/accounts', '/api/v1/accounts/export']) {
      const r = await admin.get(path + qs({ q: long }));
      problem(r, 400, 'too_long', path);
      assert.equal(r.json.errors[0].field, 'q');
    }
    assert.equal((await admin.get('/api/v1/search' + qs({ q: '明'.repeat(66) }))).status, 200, '198 bytes');
  });
});

describe('search never matches text the caller cannot read', () => {
  let rep, secretWords, contact, deal, other;
  before(async () => {
    // A rep in no team reads only his own accounts; the account below belongs to the admin.
    rep = await userClient(server, admin, { role: 'sales' });
    secretWords = 'Zephyrine Quillmark';
    const account = (await admin.post('/api/v1/accounts', { name: `${secretWords} 秘密客户有限公司` })).json;
    contact = (await admin.post('/api/v1/contacts', { first_name: 'Own', last_name: 'Contact', account_id: account.id, owner_id: rep.user.id })).json;
    deal = (await admin.post('/api/v1/deals', { name: 'Own deal', account_id: account.id, owner_id: rep.user.id })).json;
    other = account;
    assert.ok(contact.id && deal.id, 'fixtures created');
    assert.equal((await rep.get(`/api/v1/accounts/${account.id}`)).status, 404, 'the rep cannot read the account');
    assert.equal((await rep.get(`/api/v1/contacts/${contact.id}`)).status, 200, 'but can read his contact');
  });

  for (const term of ['Zephyrine', 'zeph', 'Quillmark Zephyrine', '秘密', '密客户']) {
    test(`"${term}": nothing found through the hidden account, on lists, /search and exports`, async () => {
      for (const entity of ['contacts', 'deals']) {
        const list = await rep.get(`/api/v1/${entity}` + qs({ q: term }));
        assert.equal(list.status, 200);
        assert.deepEqual(list.json.data.map((r) => r.id), [], `${entity} list`);
        assert.equal(list.json.total, 0, `${entity} total`);
      }
      const search = await rep.get('/api/v1/search' + qs({ q: term }));
      assert.equal(search.status, 200);
      for (const [entity, group] of Object.entries(search.json)) assert.deepEqual(group.data, [], `/search ${entity}`);
      // The admin, who can read the account, finds the rep's records by its words.
      const seen = await admin.get('/api/v1/contacts' + qs({ q: term }));
      assert.deepEqual(seen.json.data.map((r) => r.id), [contact.id], 'control: a reader of the account finds it');
    });
  }

  test('exports with q match only what the caller could read', async () => {
    // The sales role cannot export; a custom role with export, reading own records only, can.
    const role = await admin.post('/api/v1/roles', {
      name: 'Exporter ' + randomUUID().slice(0, 6),
      permissions: { entities: { contacts: { read: 'own', create: true, export: true }, accounts: { read: 'own' } } },
    });
    assert.equal(role.status, 201, role.text);
    const exporter = await userClient(server, admin, { role: role.json.id });
    const mine = (await admin.post('/api/v1/contacts', { first_name: 'Exported', last_name: 'Person', account_id: other.id, owner_id: exporter.user.id })).json;
    const hidden = await exporter.get('/api/v1/contacts/export' + qs({ q: 'Zephyrine' }));
    assert.equal(hidden.status, 200, hidden.text);
    assert.doesNotMatch(hidden.text, new RegExp(mine.id));
    const byOwnWords = await exporter.get('/api/v1/contacts/export' + qs({ q: 'Exported' }));
    assert.match(byOwnWords.text, new RegExp(mine.id), 'control: found by its own words');
  });

  test('a trashed account no longer lends its name to search', async () => {
    const acct = (await admin.post('/api/v1/accounts', { name: 'Vanishing Brightwater' })).json;
    const c = (await admin.post('/api/v1/contacts', { first_name: 'Linked', last_name: 'One', account_id: acct.id })).json;
    assert.deepEqual((await admin.get('/api/v1/contacts' + qs({ q: 'Brightwater' }))).json.data.map((r) => r.id), [c.id]);
    assert.equal((await admin.del(`/api/v1/accounts/${acct.id}`)).status, 200);
    assert.deepEqual((await admin.get('/api/v1/contacts' + qs({ q: 'Brightwater' }))).json.data, []);
  });
});

describe('lead conversion validates account_id like any body', () => {
  for (const bad of [12, true, {}, [], 'not-a-uuid', '']) {
    test(`account_id ${JSON.stringify(bad)} is 422 naming account_id, and nothing is written`, async () => {
      const lead = (await admin.post('/api/v1/leads', { last_name: 'Lead ' + randomUUID().slice(0, 6), company: 'ConvertCo' })).json;
      const before = (await admin.get('/api/v1/changes?after=0&limit=1')).json;
      const r = await admin.post(`/api/v1/leads/${lead.id}/convert`, { account_id: bad });
      problem(r, 422, 'validation_failed', JSON.stringify(bad));
      assert.deepEqual(r.json.errors.map((e) => e.field), ['account_id']);
      assert.equal((await admin.get(`/api/v1/leads/${lead.id}`)).json.status, 'new');
      assert.equal((await admin.get('/api/v1/accounts' + qs({ q: 'ConvertCo' }))).json.total, 0, 'no account created');
      assert.ok(before);
    });
  }

  test('an unknown account_id is 422 reference_not_found; account_id with account is 422', async () => {
    const lead = (await admin.post('/api/v1/leads', { last_name: 'Lead ref', company: 'RefCo' })).json;
    const r = await admin.post(`/api/v1/leads/${lead.id}/convert`, { account_id: randomUUID() });
    problem(r, 422, 'validation_failed', 'unknown');
    assert.deepEqual(r.json.errors.map((e) => [e.field, e.code]), [['account_id', 'reference_not_found']]);
    const acct = (await admin.post('/api/v1/accounts', { name: 'Existing RefCo' })).json;
    const both = await admin.post(`/api/v1/leads/${lead.id}/convert`, { account_id: acct.id, account: { name: 'New' } });
    problem(both, 422, 'validation_failed', 'both');
    assert.deepEqual(both.json.errors.map((e) => e.field), ['account']);
  });
});

describe('routing', () => {
  test('a literal segment wins over {id} for every method; Allow lists each method once', async () => {
    const post = await admin.post('/api/v1/accounts/export', {});
    problem(post, 405, 'method_not_allowed', 'POST export');
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
    for (const method of ['PATCH', 'DELETE']) {
      const r = await admin.request(method, '/api/v1/accounts/export', method === 'PATCH' ? { body: { name: 'x' } } : {});
      problem(r, 405, 'method_not_allowed', method);
      assert.equal(r.headers.get('allow'), 'GET, HEAD');
    }
    const rec = await admin.request('PUT', '/api/v1/accounts/' + randomUUID(), { body: {} });
    problem(rec, 405, 'method_not_allowed', 'PUT record');
    assert.equal(rec.headers.get('allow'), 'GET, HEAD, PATCH, DELETE');
  });
});

describe('metrics', () => {
  test('made-up methods and paths add no time series', async () => {
    const before = await (await fetch(server.url + '/metrics')).text();
    const count = (t) => t.split('\n').filter((l) => l.startsWith('keel_http_requests_total{')).length;
    for (let i = 0; i < 30; i++) {
      const method = 'Z' + randomUUID().replaceAll('-', '').slice(0, 8).toUpperCase().replace(/[0-9]/g, 'Q');
      await raw(`${method} /x${i} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      await raw(`GET /api/v1/${randomUUID()}/${i} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    }
    const afterText = await (await fetch(server.url + '/metrics')).text();
    assert.doesNotMatch(afterText, /method="Z/);
    assert.match(afterText, /method="other"/);
    assert.ok(count(afterText) - count(before) <= 6, `${count(before)} -> ${count(afterText)} series`);
  });
});

describe('replays', () => {
  test('a replay repeats the first answer\'s status, body, Location and ETag', async () => {
    const key = randomUUID();
    const first = await admin.post('/api/v1/accounts', { name: 'Replay ' + key }, { headers: { 'idempotency-key': key } });
    assert.equal(first.status, 201);
    const again = await admin.post('/api/v1/accounts', { name: 'Replay ' + key }, { headers: { 'idempotency-key': key } });
    assert.equal(again.status, 201);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(again.text, first.text);
    assert.equal(again.headers.get('location'), first.headers.get('location'));
    assert.ok(first.headers.get('location'));
    assert.equal(again.headers.get('etag'), '"1"');
    assert.equal(again.headers.get('content-type'), first.headers.get('content-type'));
  });

  test('20 parallel creates with one client-chosen id: one 201, the rest 200 with that record (10 rounds)', async () => {
    for (let round = 0; round < 10; round++) {
      const id = randomUUID();
      const results = await Promise.all(Array.from({ length: 20 }, () => admin.post('/api/v1/contacts', { id, first_name: 'Race', last_name: String(round) })));
      const summary = results.map((r) => `${r.status}${r.json?.code ? ' ' + r.json.code : ''}`).join(', ');
      assert.equal(results.filter((r) => r.status === 201).length, 1, `round ${round}: ${summary}`);
      assert.equal(results.filter((r) => r.status === 200).length, 19, `round ${round}: ${summary}`);
      for (const r of results) assert.equal(r.json.id, id);
    }
  });

  test('50 parallel POSTs with one Idempotency-Key: one record, and every other answer is its replay', async () => {
    const key = randomUUID();
    const name = 'Fifty ' + key;
    const results = await Promise.all(Array.from({ length: 50 }, () =>
      admin.post('/api/v1/accounts', { name }, { headers: { 'idempotency-key': key } })));
    const summary = [...new Set(results.map((r) => `${r.status} ${r.json?.code ?? ''} ${r.headers.get('idempotent-replayed')}`))].join('; ');
    assert.equal(results.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') !== 'true').length, 1, summary);
    assert.equal(results.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') === 'true').length, 49, summary);
    assert.equal(new Set(results.map((r) => r.json.id)).size, 1);
    assert.equal((await admin.get('/api/v1/accounts' + qs({ q: name }))).json.total, 1);
  });
});

describe('statement timeout', () => {
  let slow, slowAdmin;
  const N = 20000;
  const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo',
    'lima', 'mike', 'november', 'oscar', 'papa'];

  // Many records that every one of 16 broad words matches, written straight into the database
  // (the API would take minutes): a search for all 16 is then one heavy statement.
  function seed(owner) {
    const ts = "'2026-01-01T00:00:00.000Z'";
    const cols = 'id, version, owner_id, created_at, created_by, updated_at, updated_by, custom, first_name, last_name, name';
    const wordsCte = `WITH w(term) AS (VALUES ${words.map((x) => `('${x}')`).join(', ')}) `;
    if (DB_KIND === 'postgres') {
      const sql = `INSERT INTO contacts (${cols}) SELECT '00000000-0000-7000-8000-' || lpad(i::text, 12, '0'), 1, '${owner}', ` +
        `${ts}, '${owner}', ${ts}, '${owner}', '{}', 'Slow', 'Person ' || i, 'Slow Person ' || i FROM generate_series(1, ${N}) AS i;` +
        `${wordsCte} INSERT INTO search_index (entity, term, record_id) SELECT 'contacts', w.term, c.id FROM contacts c, w WHERE c.first_name = 'Slow';` +
        'ANALYZE;';
      execFileSync('psql', [slow.databaseUrl, '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql], { stdio: 'pipe' });
    } else {
      const sql = `.timeout 10000\nINSERT INTO contacts (${cols}) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${N}) ` +
        `SELECT '00000000-0000-7000-8000-' || printf('%012d', i), 1, '${owner}', ${ts}, '${owner}', ${ts}, '${owner}', '{}', 'Slow', 'Person ' || i, 'Slow Person ' || i FROM n;\n` +
        `${wordsCte} INSERT INTO search_index (entity, term, record_id) SELECT 'contacts', w.term, c.id FROM contacts c, w WHERE c.first_name = 'Slow';\n`;
      execFileSync('sqlite3', [join(slow.dataDir, 'keel.db')], { input: sql, stdio: ['pipe', 'pipe', 'pipe'] });
    }
  }

  before(async () => {
    slow = await startServer({ env: { KEEL_STATEMENT_TIMEOUT_MS: '10' } });
    slowAdmin = await adminClient(slow);
    seed(slowAdmin.user.id);
  });
  after(async () => {
    await slow.stop();
    slow.cleanup();
  });

  test('a statement past the timeout is stopped: 503 query_timeout, and the server goes on serving', async () => {
    const r = await slowAdmin.get('/api/v1/contacts' + qs({ q: words.join(' ') }));
    problem(r, 503, 'query_timeout', 'heavy search');
    assert.equal((await slowAdmin.get('/api/v1/me')).status, 200, 'light requests still answered');
    assert.equal((await slowAdmin.get('/api/v1/contacts/00000000-0000-7000-8000-000000000007')).status, 200);
    const metrics = await (await fetch(slow.url + '/metrics')).text();
    assert.match(metrics, /keel_db_errors_total\{kind="timeout"\} [1-9]/);
  });
});

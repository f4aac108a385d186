// Operations surface: health and readiness, Prometheus metrics, request ids, rate limiting, the
// OpenAPI document checked against the live route table, routing errors and response headers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { startServer, adminClient, Client, ok, problem } from './harness.mjs';

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

// Sends raw bytes over one connection and returns { status, headers (lower-case), body }.
function rawRequest(url, bytes) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(port), hostname);
    const chunks = [];
    sock.on('connect', () => sock.write(bytes));
    sock.on('data', (d) => chunks.push(d));
    const timer = setTimeout(() => { sock.destroy(); reject(new Error('raw request timed out')); }, 10000);
    sock.on('error', (e) => { clearTimeout(timer); reject(e); });
    sock.on('end', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const [head, ...rest] = text.split('\r\n\r\n');
      const lines = head.split('\r\n');
      const headers = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      resolve({ status: Number(lines[0].split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
  });
}

// Parses Prometheus text into [{ name, labels: {..}, value }].
function parseMetrics(text) {
  const out = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/);
    assert.ok(m, `not a Prometheus sample line: ${line}`);
    const labels = {};
    if (m[2]) for (const [, k, v] of m[2].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[k] = v;
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

async function metrics() {
  const r = await new Client(server.url).get('/metrics');
  assert.equal(r.status, 200);
  return { text: r.text, samples: parseMetrics(r.text), headers: r.headers };
}

function sample(samples, name, labels) {
  const hit = samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return hit ? hit.value : 0;
}

// ---------------------------------------------------------------------------------------------
// Health, readiness, metrics

test('/healthz and /readyz answer without a token', async () => {
  const anon = new Client(server.url);
  const h = ok(await anon.get('/healthz'), 200, 'healthz');
  assert.equal(h.status, 'ok');
  assert.match(h.version, /^\d+\.\d+\.\d+/);
  const r = ok(await anon.get('/readyz'), 200, 'readyz');
  assert.equal(r.status, 'ready');
  assert.ok(Number.isInteger(r.schema_version) && r.schema_version >= 1);
  const head = await anon.request('HEAD', '/healthz');
  assert.equal(head.status, 200);
  assert.equal(head.text, '', 'HEAD has no body');
});

test('/metrics is Prometheus text with request counts by route template and status', async () => {
  const a = ok(await admin.post('/api/v1/accounts', { name: 'Metric A' }), 201, 'a');
  const b = ok(await admin.post('/api/v1/accounts', { name: 'Metric B' }), 201, 'b');
  const missing = randomUUID();
  const route = '/api/v1/accounts/{id}';
  const m0 = await metrics();
  ok(await admin.get(`/api/v1/accounts/${a.id}`), 200, 'get a');
  ok(await admin.get(`/api/v1/accounts/${b.id}`), 200, 'get b');
  assert.equal((await admin.get(`/api/v1/accounts/${missing}`)).status, 404);
  const m1 = await metrics();

  assert.match(m1.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  const key = (status) => ({ method: 'GET', route, status });
  assert.equal(sample(m1.samples, 'keel_http_requests_total', key('200')) - sample(m0.samples, 'keel_http_requests_total', key('200')), 2);
  assert.equal(sample(m1.samples, 'keel_http_requests_total', key('404')) - sample(m0.samples, 'keel_http_requests_total', key('404')), 1);
  // Labels carry the route template, never a raw id.
  for (const id of [a.id, b.id, missing]) assert.ok(!m1.text.includes(id), `metrics leak the id ${id}`);
  for (const s of m1.samples.filter((x) => x.labels.route)) assert.doesNotMatch(s.labels.route, /[0-9a-f]{8}-[0-9a-f]{4}-/);

  // The duration histogram: buckets never decrease, +Inf equals _count.
  const buckets = m1.samples.filter((s) => s.name === 'keel_http_request_duration_seconds_bucket' && s.labels.route === route);
  assert.ok(buckets.length >= 2, 'histogram buckets for the route');
  for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i].value >= buckets[i - 1].value);
  const inf = buckets.find((s) => s.labels.le === '+Inf');
  const count = sample(m1.samples, 'keel_http_request_duration_seconds_count', { route });
  assert.ok(inf && inf.value === count && count >= 3);
  assert.ok(sample(m1.samples, 'keel_http_request_duration_seconds_sum', { route }) > 0);

  // The in-flight gauge counts at least the /metrics request being answered.
  assert.match(m1.text, /# TYPE keel_http_in_flight_requests gauge/);
  assert.match(m1.text, /# TYPE keel_http_requests_total counter/);
  assert.match(m1.text, /# TYPE keel_http_request_duration_seconds histogram/);
  assert.ok(sample(m1.samples, 'keel_http_in_flight_requests', {}) >= 1);
  assert.ok(m1.samples.some((s) => s.name === 'keel_login_failures_total'));

  // Failed sign-ins are counted.
  const f0 = sample(m1.samples, 'keel_login_failures_total', {});
  assert.equal((await new Client(server.url).post('/api/v1/auth/login', { email: 'nobody@example.com', password: 'wrong-password' })).status, 401);
  assert.equal(sample((await metrics()).samples, 'keel_login_failures_total', {}) - f0, 1);
});

// ---------------------------------------------------------------------------------------------
// Request ids

test('every response carries an X-Request-Id; a sane client id is echoed', async () => {
  const r = await admin.get('/api/v1/me');
  assert.match(r.headers.get('x-request-id'), UUID);
  const p = await admin.get(`/api/v1/accounts/${randomUUID()}`);
  assert.match(p.headers.get('x-request-id'), UUID);
  assert.equal(p.json.request_id, p.headers.get('x-request-id'), 'problem body names the same request id');
  assert.notEqual(p.headers.get('x-request-id'), r.headers.get('x-request-id'));

  const mine = 'trace-' + randomUUID();
  const e = await admin.get('/api/v1/me', { headers: { 'x-request-id': mine } });
  assert.equal(e.headers.get('x-request-id'), mine);
  const e2 = await admin.get(`/api/v1/accounts/${randomUUID()}`, { headers: { 'x-request-id': mine } });
  assert.equal(e2.json.request_id, mine);
});

test('an oversized or malformed client request id is replaced, not echoed', async () => {
  for (const bad of ['x'.repeat(500), 'y'.repeat(101)]) {
    const r = await admin.get('/api/v1/me', { headers: { 'x-request-id': bad } });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('x-request-id'), UUID, 'a fresh id replaces the oversized one');
  }
  // Bytes fetch() refuses to send: a control character and invalid UTF-8.
  for (const bad of [Buffer.from('abc\x01def', 'latin1'), Buffer.from([0x61, 0xff, 0xfe, 0x62])]) {
    const req = Buffer.concat([
      Buffer.from(`GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Request-Id: `),
      bad,
      Buffer.from('\r\n\r\n'),
    ]);
    const r = await rawRequest(server.url, req);
    const echoed = r.headers['x-request-id'];
    if (r.status === 200) assert.match(echoed || '', UUID, `replaced id for ${bad.toString('hex')}`);
    else assert.equal(r.status, 400, 'the parser may reject the header outright');
    assert.ok(!echoed || !echoed.includes('abc') || UUID.test(echoed));
  }
});

test('a request the HTTP parser rejects still gets a request id', async () => {
  // The 400 for an unparseable request is logged like any other; the client needs the id to
  // quote it, and the problem document should not carry an empty request_id.
  const r = await rawRequest(server.url, Buffer.from('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Bad: a\x01b\r\n\r\n', 'latin1'));
  assert.equal(r.status, 400);
  assert.equal(JSON.parse(r.body).code, 'malformed_request');
  assert.match(r.headers['x-request-id'] || '', UUID, 'X-Request-Id on the 400');
  assert.equal(JSON.parse(r.body).request_id, r.headers['x-request-id']);
});

// ---------------------------------------------------------------------------------------------
// Rate limiting

test('requests beyond KEEL_RATE_LIMIT_PER_MINUTE get 429 rate_limited with Retry-After', async () => {
  const s = await startServer({ env: { KEEL_RATE_LIMIT_PER_MINUTE: '5' } });
  try {
    const a = await adminClient(s); // sign-in is public and not counted
    const other = await new Client(s.url).login(s.admin.email, s.admin.password); // a second session
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await a.get('/api/v1/me')).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200], 'a minute\'s allowance is available as a burst');
    const limited = await a.get('/api/v1/me');
    problem(limited, 429, 'rate_limited', 'sixth request');
    const retry = Number(limited.headers.get('retry-after'));
    assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 60, `Retry-After: ${limited.headers.get('retry-after')}`);
    problem(await a.post('/api/v1/accounts', { name: 'too fast' }), 429, 'rate_limited', 'writes too');
    // The limit is per session/token, and public endpoints are not limited.
    ok(await other.get('/api/v1/me'), 200, 'another session');
    for (let i = 0; i < 8; i++) ok(await a.get('/healthz'), 200, 'healthz');
    // Nothing was written by the limited POST.
    const list = ok(await other.get('/api/v1/accounts'), 200, 'list');
    assert.equal(list.total, 0);
  } finally {
    await s.stop();
    s.cleanup();
  }
});

// ---------------------------------------------------------------------------------------------
// OpenAPI

let docCache;
async function openapi() {
  if (!docCache) {
    const r = await new Client(server.url).get('/api/v1/openapi.json');
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    docCache = r.json;
  }
  return docCache;
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options', 'trace'];
function operations(doc) {
  const ops = [];
  for (const [path, item] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(item)) if (METHODS.includes(method)) ops.push({ path, method, op });
  return ops;
}

test('GET /api/v1/openapi.json is a valid OpenAPI 3 document', async () => {
  const doc = await openapi();
  assert.match(doc.openapi, /^3\.\d+\.\d+$/);
  assert.equal(typeof doc.info.title, 'string');
  assert.equal(typeof doc.info.version, 'string');
  assert.ok(Object.keys(doc.paths).length > 20);
  assert.equal(typeof doc.components.schemas, 'object');
  for (const s of ['account', 'contact', 'lead', 'pipeline', 'deal', 'activity', 'task', 'product', 'order', 'problem'])
    assert.ok(doc.components.schemas[s], `schema ${s}`);
  assert.equal(doc.components.securitySchemes.bearer.scheme, 'bearer');

  // Every $ref resolves inside the document.
  const refs = [];
  (function walk(v) {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (k === '$ref' ? refs.push(x) : walk(x));
  })(doc);
  assert.ok(refs.length > 0);
  for (const ref of refs) {
    assert.match(ref, /^#\//, ref);
    let node = doc;
    for (const part of ref.slice(2).split('/')) node = node?.[part];
    assert.ok(node, `unresolved $ref ${ref}`);
  }

  for (const { path, method, op } of operations(doc)) {
    const where = `${method.toUpperCase()} ${path}`;
    assert.ok(path.startsWith('/'), where);
    assert.equal(typeof op.summary, 'string', `${where} summary`);
    assert.ok(op.summary.length > 0, `${where} summary`);
    // Every {param} in the path is declared as a required path parameter, and nothing else is.
    const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    const declared = (op.parameters || []).filter((p) => p.in === 'path');
    assert.deepEqual(declared.map((p) => p.name).sort(), names.sort(), `${where} path parameters`);
    assert.ok(declared.every((p) => p.required === true), where);
    // A success response and the error responses, as problem documents.
    const codes = Object.keys(op.responses || {});
    assert.ok(codes.some((c) => /^2\d\d$/.test(c)), `${where} has no success response`);
    const errors = codes.filter((c) => c === 'default' || /^[45]\d\d$/.test(c));
    assert.ok(errors.length > 0, `${where} lists no error responses`);
    for (const c of errors) {
      const schema = op.responses[c].content?.['application/problem+json']?.schema;
      assert.equal(schema?.$ref, '#/components/schemas/problem', `${where} ${c} is not a problem document`);
    }
  }
});

test('the OpenAPI document marks public operations and describes records as served', async () => {
  const doc = await openapi();
  assert.deepEqual(doc.security, [{ bearer: [] }]);
  const pub = operations(doc).filter(({ op }) => Array.isArray(op.security) && op.security.length === 0)
    .map(({ path, method }) => `${method.toUpperCase()} ${path}`).sort();
  assert.deepEqual(pub, ['GET /api/v1/openapi.json', 'GET /healthz', 'GET /metrics', 'GET /readyz', 'POST /api/v1/auth/login'].sort());

  // A record as returned by the server has only properties its schema lists (additionalProperties
  // is false), and includes every required one.
  const acct = ok(await admin.post('/api/v1/accounts', { name: 'Schema check', tags: ['a'] }), 201, 'account');
  const deal = ok(await admin.post('/api/v1/deals', { name: 'Schema deal', amount_minor: 1, currency: 'CNY' }), 201, 'deal');
  const order = ok(await admin.post('/api/v1/orders', { currency: 'CNY', items: [{ name: 'x', quantity: 1, unit_price_minor: 1 }] }), 201, 'order');
  for (const [schemaName, rec] of [['account', acct], ['deal', deal], ['order', order]]) {
    const schema = doc.components.schemas[schemaName];
    for (const k of Object.keys(rec)) assert.ok(k in schema.properties, `${schemaName}.${k} is not in the schema`);
    for (const k of schema.required || []) assert.ok(k in rec, `${schemaName} lacks required ${k}`);
  }
  assert.equal(doc.components.schemas.order.properties.total_minor.readOnly, true);
  assert.equal(doc.components.schemas.deal.properties.amount_minor.type, 'integer');
});

test('every operation in the OpenAPI document is served (no 404 no_such_route, no 405)', async () => {
  const doc = await openapi();
  // Logging out revokes the token it is sent with, so it gets a session of its own.
  const throwaway = await new Client(server.url).login(server.admin.email, server.admin.password);
  const ops = operations(doc);
  const failures = [];
  for (const { path, method } of ops) {
    const url = path.replace(/\{[^}]+\}/g, () => randomUUID());
    const client = path === '/api/v1/auth/logout' ? throwaway : admin;
    const M = method.toUpperCase();
    const r = (M === 'POST' || M === 'PATCH' || M === 'PUT') ? await client.request(M, url, { body: {} }) : await client.request(M, url);
    if (r.status === 405 || (r.status === 404 && r.json?.code === 'no_such_route') || r.status >= 500)
      failures.push(`${M} ${path} -> ${r.status} ${r.text.slice(0, 120)}`);
  }
  assert.deepEqual(failures, []);
  // Each request reached the handler of its own route: the metrics count it under that
  // template (a catch-all answering instead would be counted under another route).
  const m = await metrics();
  for (const { path, method } of ops) {
    const hit = m.samples.some((s) => s.name === 'keel_http_requests_total' && s.labels.route === path && s.labels.method === method.toUpperCase());
    if (!hit) failures.push(`${method.toUpperCase()} ${path} was not dispatched to its route`);
  }
  assert.deepEqual(failures, []);
});

test('the routes the README names are all in the OpenAPI document', async () => {
  const doc = await openapi();
  const expected = [];
  for (const e of ['accounts', 'contacts', 'leads', 'pipelines', 'deals', 'activities', 'tasks', 'products', 'orders']) {
    expected.push(`get /api/v1/${e}`, `post /api/v1/${e}`, `get /api/v1/${e}/{id}`, `patch /api/v1/${e}/{id}`,
      `delete /api/v1/${e}/{id}`, `post /api/v1/${e}/{id}/restore`, `get /api/v1/${e}/{id}/history`,
      `post /api/v1/${e}/bulk`, `get /api/v1/${e}/export`);
  }
  expected.push('post /api/v1/auth/login', 'post /api/v1/auth/logout', 'get /api/v1/me', 'patch /api/v1/me',
    'get /api/v1/tokens', 'post /api/v1/tokens', 'get /api/v1/users', 'post /api/v1/users', 'get /api/v1/roles',
    'get /api/v1/teams', 'get /api/v1/custom-fields', 'post /api/v1/custom-fields', 'patch /api/v1/custom-fields/{id}', 'get /api/v1/audit', 'get /api/v1/changes', 'get /api/v1/search',
    'post /api/v1/leads/{id}/convert', 'get /api/v1/deals/{id}/stage-history', 'get /healthz', 'get /readyz',
    'get /metrics', 'get /api/v1/openapi.json');
  const have = new Set(operations(doc).map(({ path, method }) => `${method} ${path}`));
  assert.deepEqual(expected.filter((x) => !have.has(x)), []);
  // Entity routes are linked to their schemas.
  const create = doc.paths['/api/v1/contacts'].post;
  const createRef = create.requestBody.content['application/json'].schema.$ref;
  const createSchema = doc.components.schemas[createRef.split('/').pop()];
  assert.ok(createSchema?.properties?.first_name, `create body ${createRef}`);
  assert.equal(create.responses['201'].content['application/json'].schema.$ref, '#/components/schemas/contact');
  assert.equal(doc.paths['/api/v1/contacts'].get.responses['200'].content['application/json'].schema.properties.data.items.$ref,
    '#/components/schemas/contact');
});

test('every documented query parameter is accepted by its route', async () => {
  // A parameter the document lists but the route rejects as unknown_parameter is drift.
  const doc = await openapi();
  const value = (name, schema) => {
    if (/^(limit|after)$/.test(name)) return name === 'after' ? '0' : '1';
    if (name === 'before') return '1000000';
    if (name === 'sort') return 'created_at';
    if (name === 'entity') return 'accounts';
    if (/_id$/.test(name)) return admin.user.id;
    if (/_at$/.test(name)) return '2026-01-01T00:00:00Z';
    if (schema?.type === 'boolean') return 'true';
    if (schema?.type === 'integer') return '1';
    if (schema?.enum) return schema.enum[0];
    return 'abc';
  };
  const failures = [];
  let checked = 0;
  for (const { path, method, op } of operations(doc)) {
    if (method !== 'get') continue;
    for (const p of (op.parameters || []).filter((x) => x.in === 'query')) {
      const url = path.replace(/\{[^}]+\}/g, () => randomUUID()) + '?' + new URLSearchParams({ [p.name]: value(p.name, p.schema) });
      const r = await admin.get(url);
      checked++;
      if (r.json?.code === 'unknown_parameter' || r.status >= 500) failures.push(`GET ${path}?${p.name} -> ${r.status} ${r.json?.code}`);
    }
  }
  assert.ok(checked > 50, `only ${checked} parameters documented`);
  assert.deepEqual(failures, []);
});

// ---------------------------------------------------------------------------------------------
// Routing errors

test('wrong method on a known route is 405 method_not_allowed with an Allow header', async () => {
  const allow = (r) => new Set(r.headers.get('allow').split(',').map((s) => s.trim()));
  const id = randomUUID();
  const cases = [
    ['PUT', '/api/v1/accounts', ['GET', 'HEAD', 'POST']],
    ['DELETE', '/api/v1/accounts', ['GET', 'HEAD', 'POST']],
    ['PUT', `/api/v1/accounts/${id}`, ['GET', 'HEAD', 'PATCH', 'DELETE']],
    ['POST', `/api/v1/accounts/${id}`, ['GET', 'HEAD', 'PATCH', 'DELETE']],
    ['GET', `/api/v1/leads/${id}/convert`, ['POST']],
    ['DELETE', '/api/v1/changes', ['GET', 'HEAD']],
    ['POST', '/healthz', ['GET', 'HEAD']],
  ];
  for (const [method, path, methods] of cases) {
    const r = await admin.request(method, path);
    problem(r, 405, 'method_not_allowed', `${method} ${path}`);
    assert.ok(r.headers.get('allow'), `${method} ${path} has no Allow header`);
    assert.deepEqual([...allow(r)].sort(), [...methods].sort(), `${method} ${path} Allow: ${r.headers.get('allow')}`);
  }
});

test('an unknown API path is 404 no_such_route whatever the method', async () => {
  // The web app's catch-all routes must not answer for /api/ paths: a client that misspells an
  // endpoint should learn that the endpoint does not exist, not get "No such page" or a 405.
  const failures = [];
  const cases = [
    ['GET', '/api/v1/nope'],
    ['GET', '/api/v1/acounts'],
    ['GET', `/api/v1/nope/${randomUUID()}`],
    ['GET', '/api/v2/accounts'],
    ['POST', '/api/v1/nope'],
    ['DELETE', '/api/v1/acounts'],
    ['GET', `/api/v1/accounts/${randomUUID()}/nope/x`],
    ['PATCH', '/api/v1/accounts/a/b/c/d/e'],
  ];
  for (const [method, path] of cases) {
    const r = await admin.request(method, path, method === 'POST' ? { body: {} } : {});
    if (r.status !== 404 || r.json?.code !== 'no_such_route') failures.push(`${method} ${path} -> ${r.status} ${r.json?.code}`);
  }
  // Allow lists each method once.
  const r = await admin.request('PUT', '/api/v1/accounts');
  const methods = r.headers.get('allow').split(',').map((s) => s.trim());
  if (new Set(methods).size !== methods.length) failures.push(`Allow repeats methods: ${r.headers.get('allow')}`);
  assert.deepEqual(failures, []);
});

// ---------------------------------------------------------------------------------------------
// Response headers

test('responses do not reveal the server version', async () => {
  for (const path of ['/healthz', '/api/v1/me', '/api/v1/openapi.json', '/metrics', `/api/v1/accounts/${randomUUID()}`, '/']) {
    const r = await admin.get(path);
    const srv = r.headers.get('server');
    assert.ok(srv === null || !/\d/.test(srv), `${path}: Server: ${srv}`);
    assert.equal(r.headers.get('x-powered-by'), null);
  }
});

test('API responses carry X-Content-Type-Options: nosniff', async () => {
  const missing = [];
  for (const path of ['/healthz', '/api/v1/me', '/api/v1/openapi.json', '/metrics', `/api/v1/accounts/${randomUUID()}`, '/api/v1/nope/x/y/z/w', '/']) {
    const r = await admin.get(path);
    if (r.headers.get('x-content-type-options') !== 'nosniff') missing.push(`${path} (${r.status})`);
  }
  assert.deepEqual(missing, []);
});

test('responses that carry credentials or records are not cacheable', async () => {
  // A sign-in answer holds a bearer token and /me holds personal data: shared caches and the
  // browser's disk cache must not keep them.
  const login = await new Client(server.url).post('/api/v1/auth/login', { email: server.admin.email, password: server.admin.password });
  assert.equal(login.status, 200);
  assert.match(login.headers.get('cache-control') || '', /no-store/, `login Cache-Control: ${login.headers.get('cache-control')}`);
  const me = await admin.get('/api/v1/me');
  assert.match(me.headers.get('cache-control') || '', /no-store|private/, `/me Cache-Control: ${me.headers.get('cache-control')}`);
});

test('the HTML page at / cannot be framed by other sites', async () => {
  const r = await new Client(server.url).get('/');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  const xfo = r.headers.get('x-frame-options');
  const csp = r.headers.get('content-security-policy') || '';
  assert.ok(/^(deny|sameorigin)$/i.test(xfo || '') || /frame-ancestors/.test(csp), `X-Frame-Options: ${xfo}; CSP: ${csp}`);
});

// The OpenAPI document against the server: bodies derived from the document alone. For every
// create (POST /api/v1/X), change (PATCH /api/v1/X/{id}), bulk action (POST /api/v1/X/bulk) and
// lead conversion (POST /api/v1/leads/{id}/convert) it describes, a minimal valid body is
// built from the schema's required members; then, member by member, values at the edges the
// document states (maxLength characters, minimum, maximum, maxItems, and long text or large
// numbers where it states no bound) must be accepted (2xx), and values that break each stated
// constraint (one past a bound, a wrong type, a value outside the enum, a broken pattern or
// format, null for a non-nullable member, a member the schema does not have, a missing required
// member) must be refused with 422 naming that member. So a limit a handler enforces but the
// document does not state fails here, and so does a stated limit the handler does not enforce.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, adminClient } from './harness.mjs';

let server, admin, doc;
before(async () => {
  server = await startServer();
  admin = await adminClient(server);
  doc = (await admin.get('/api/v1/openapi.json')).json;
});
after(async () => { await server?.stop(); });

// Routes whose bodies are not "a resource's members": sign-in, the caller's own profile.
const SKIP = new Set(['/api/v1/auth/login', '/api/v1/me']);
// Members whose valid values depend on the stored resource, which the document states in words:
// a custom field's options exist only on select fields, and its type cannot change.
const STATEFUL = new Set(['PATCH /api/v1/custom-fields/{id} options']);

const uniq = () => randomUUID().replace(/-/g, '').slice(0, 10);

function resolve(schema) {
  let s = schema;
  while (s && s.$ref) s = doc.components.schemas[s.$ref.replace('#/components/schemas/', '')];
  return s;
}

// An id of an existing record or resource of `entity`, made through the API when there is none.
const refCache = new Map();
async function refId(entity) {
  if (refCache.has(entity)) return refCache.get(entity);
  let id;
  if (entity === 'users') id = admin.user.id;
  else if (entity === 'roles') id = 'sales';
  else {
    const path = entity === 'teams' ? '/api/v1/teams' : `/api/v1/${entity}`;
    const op = doc.paths[path]?.post;
    assert.ok(op, `no create for ${entity}, which a reference needs`);
    const r = await admin.post(path, await validBody(resolve(op.requestBody.content['application/json'].schema)));
    assert.ok(r.status === 201 || r.status === 200, `create ${entity} for a reference: ${r.status} ${r.text}`);
    id = r.json.id;
  }
  refCache.set(entity, id);
  return id;
}

// A valid string of exactly `n` code points (Chinese, so code points and bytes differ), unique.
function text(n) {
  const u = uniq();
  return n <= u.length ? u.slice(0, n) : u + '客'.repeat(n - u.length);
}

async function validValue(s, { long = false } = {}) {
  s = resolve(s);
  if (s.oneOf) return validValue(s.oneOf[0], { long });  // any one of the forms will do
  if (s.enum) return s.enum[0];
  if (s['x-ref']) return s.type === 'array' ? [] : refId(s['x-ref']);
  switch (s.type) {
    case 'string':
      switch (s.format) {
        case 'email': return `c${uniq()}@example.com`;
        case 'date': return '2026-03-05';
        case 'date-time': return '2026-03-05T08:00:00Z';
        case 'uuid': return randomUUID();
        case 'phone': return `+86 138 ${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
        case 'uri': return `https://example.com/${uniq()}`;
        case 'time-zone': return 'Asia/Shanghai';
        case 'password': return 'p'.repeat(long ? s.maxLength ?? 200 : s.minLength ?? 10);
      }
      if (s.pattern === '^[A-Z]{3}$') return 'CNY';
      if (s.pattern) return 'f' + uniq().toLowerCase().replace(/[^a-z0-9]/g, 'a');
      return text(long ? (s.maxLength ?? 300) : Math.min(s.maxLength ?? 12, 12));
    case 'integer': return long ? (s.maximum ?? 2 ** 53 - 1) : (s.minimum ?? 0);
    case 'boolean': return false;
    case 'array': {
      const n = long ? (s.maxItems ?? 20) : (s.minItems ?? 0);
      const out = [];
      for (let i = 0; i < n; i++) out.push(await validValue(s.items));
      return out;
    }
    case 'object': return s.properties ? validBody(s) : {};
  }
  return 'x';
}

// The required members, and those of the last x-any-of-required list (an entity rule such as "a
// first or a last name"; the last one needs no other record).
async function validBody(s) {
  s = resolve(s);
  const body = {};
  const names = [...(s.required ?? []), ...(s['x-any-of-required']?.at(-1) ?? [])];
  for (const name of names) body[name] = await validValue(s.properties[name]);
  return body;
}

// Values that break one stated constraint of `s`, each with what it breaks.
function invalidValues(s) {
  s = resolve(s);
  const out = [];
  const wrongType = { string: 12345, integer: 'x', boolean: 'yes', array: 'x', object: 'x' }[s.type];
  if (wrongType !== undefined) out.push(['type', wrongType]);
  if (s.enum) out.push(['enum', 'not-a-choice']);
  if (s.type === 'string' && s.maxLength !== undefined && !s.enum) out.push(['maxLength', (s.format === 'password' ? 'p' : '客').repeat(s.maxLength + 1)]);
  if (s.type === 'string' && s.minLength) out.push(['minLength', 'p'.repeat(s.minLength - 1)]);
  if (s.type === 'string' && s.pattern) out.push(['pattern', '!!']);
  if (s.type === 'string' && ['email', 'date', 'date-time', 'uuid', 'phone', 'uri', 'time-zone'].includes(s.format)) out.push(['format', 'not valid']);
  if (s.type === 'integer' && s.minimum !== undefined) out.push(['minimum', s.minimum - 1]);
  if (s.type === 'integer' && s.maximum !== undefined && s.maximum < 2 ** 53) out.push(['maximum', s.maximum + 1]);
  if (s.type === 'integer') out.push(['integer', 1.5]);
  if (s.type === 'array' && s.maxItems !== undefined) out.push(['maxItems', Array(s.maxItems + 1).fill(null)]);
  if (s.type === 'array' && s.minItems) out.push(['minItems', []]);
  if (s.nullable === false) out.push(['nullable', null]);
  return out;
}

// The members to vary: top-level ones, and those of the first element of arrays of objects.
function members(s) {
  s = resolve(s);
  const out = [];
  for (const [name, p] of Object.entries(s.properties ?? {})) {
    const ps = resolve(p);
    if (ps.readOnly || name === 'version' || name === 'custom' || name === 'id') continue;
    out.push({ path: [name], schema: ps });
    const items = ps.type === 'array' ? resolve(ps.items) : null;
    if (items?.type === 'object' && items.properties)
      for (const [sub, q] of Object.entries(items.properties)) out.push({ path: [name, 0, sub], schema: resolve(q), parent: items });
  }
  return out;
}

const fieldName = (path) => path.map((p, i) => (typeof p === 'number' ? `[${p}]` : (i ? '.' : '') + p)).join('');

// `base` with one member set; members the document says it needs (x-needs) come along.
async function withMember(base, m, value, schema) {
  const body = structuredClone(base);
  if (m.path.length === 1) {
    body[m.path[0]] = value;
    // {member: [members it needs]} or {member: {member: the value it needs}}
    const needs = schema['x-needs']?.[m.path[0]] ?? [];
    if (Array.isArray(needs)) {
      for (const needed of needs) {
        if (needed in body) continue;
        const ns = resolve(schema.properties[needed]);
        const via = ns['x-ref'] && schema.properties[ns['x-ref']];  // a link whose entity a sibling names
        if (via) {
          const choices = resolve(via).enum;  // the entity the sibling names, or (not one) the first
          body[needed] = await refId(choices.includes(body[ns['x-ref']]) ? body[ns['x-ref']] : choices[0]);
          if (!(ns['x-ref'] in body)) body[ns['x-ref']] = choices[0];
        } else body[needed] = await validValue(ns);
      }
    } else Object.assign(body, needs);
  } else {
    const [arr, i, sub] = m.path;
    if (!Array.isArray(body[arr]) || body[arr].length === 0) body[arr] = [await validBody(m.parent)];
    body[arr][i] = { ...body[arr][i], [sub]: value };
  }
  return body;
}

// What is sent: a create at `path`, a change of a fresh resource made with `createPath`, a bulk
// action on records of an entity, or the conversion of a fresh lead.
function targets() {
  const out = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    if (SKIP.has(path)) continue;
    if (/^\/api\/v1\/[a-z-]+\/bulk$/.test(path) && item.post?.requestBody) out.push({ kind: 'bulk', path, op: item.post });
    if (path === '/api/v1/leads/{id}/convert' && item.post?.requestBody)
      out.push({ kind: 'convert', path, op: item.post, createPath: '/api/v1/leads' });
    const m = /^\/api\/v1\/([a-z-]+)$/.exec(path);
    if (m && item.post?.requestBody && (item.post.responses['201'])) out.push({ kind: 'create', path, op: item.post });
    const p = /^\/api\/v1\/([a-z-]+)\/\{id\}$/.exec(path);
    if (p && item.patch?.requestBody && doc.paths[`/api/v1/${p[1]}`]?.post) out.push({ kind: 'change', path, op: item.patch, createPath: `/api/v1/${p[1]}` });
  }
  return out;
}

// A create or a bulk action sends `body` over a fresh minimal body (unique names and emails each
// time); a change or a conversion sends it for a resource made for it (a lead converts once).
async function send(t, body, schema) {
  if (t.kind === 'create' || t.kind === 'bulk') return admin.post(t.path, { ...(await validBody(schema)), ...body });
  const createOp = doc.paths[t.createPath].post;
  const created = await admin.post(t.createPath, await validBody(createOp.requestBody.content['application/json'].schema));
  assert.ok(created.status === 201, `create for ${t.path}: ${created.status} ${created.text}`);
  const path = t.path.replace('{id}', created.json.id);
  return t.kind === 'convert' ? admin.post(path, { ...(await validBody(schema)), ...body }) : admin.patch(path, body);
}
const method = (t) => (t.kind === 'change' ? 'PATCH' : 'POST');

test('the document describes creates and changes to derive bodies from', () => {
  const ts = targets();
  assert.ok(ts.filter((t) => t.kind === 'create').length >= 12, ts.map((t) => t.path).join(' '));
  assert.ok(ts.filter((t) => t.kind === 'change').length >= 12, ts.map((t) => t.path).join(' '));
  // Every entity's bulk route and the lead conversion are described by their field tables.
  const bulk = ts.filter((t) => t.kind === 'bulk').map((t) => t.path);
  for (const e of ['accounts', 'contacts', 'leads', 'deals', 'activities', 'tasks', 'products', 'orders', 'pipelines'])
    assert.ok(bulk.includes(`/api/v1/${e}/bulk`), `no bulk body for ${e}: ${bulk.join(' ')}`);
  assert.deepEqual(ts.filter((t) => t.kind === 'convert').map((t) => t.path), ['/api/v1/leads/{id}/convert']);
});

test('bodies derived from the OpenAPI document: stated limits hold, and no unstated one exists', async () => {
  const problems = [];
  let sent = 0;
  for (const t of targets()) {
    const schema = resolve(t.op.requestBody.content['application/json'].schema);
    const base = {};
    const where = `${method(t)} ${t.path}`;
    const ok = await send(t, base, schema);
    sent++;
    if (ok.status >= 300) { problems.push(`${where} minimal body ${JSON.stringify(base)}: ${ok.status} ${ok.text}`); continue; }

    if (t.kind === 'create' || t.kind === 'bulk')
      for (const name of schema.required ?? []) {
        const body = await validBody(schema);
        delete body[name];
        const r = await admin.post(t.path, body);
        sent++;
        if (r.status !== 422 || !r.json.errors?.some((e) => e.field === name)) problems.push(`${where} without required ${name}: ${r.status} ${r.text}`);
      }
    if (schema.additionalProperties === false) {
      const r = await send(t, { ...base, not_a_member: 1 }, schema);
      sent++;
      if (r.status !== 422 || !r.json.errors?.some((e) => e.field === 'not_a_member')) problems.push(`${where} with an unknown member: ${r.status} ${r.text}`);
    }

    for (const m of members(schema)) {
      const name = fieldName(m.path);
      if (STATEFUL.has(`${where} ${name}`)) continue;
      if (!m.schema['x-ref'] && !m.schema.enum && m.schema.type !== 'object') {
        const edge = await validValue(m.schema, { long: true });
        const r = await send(t, await withMember(base, m, edge, schema), schema);
        sent++;
        if (r.status >= 300) problems.push(`${where} ${name} at its edge (${JSON.stringify(edge).slice(0, 60)}): ${r.status} ${r.text.slice(0, 300)}`);
      }
      for (const [what, value] of invalidValues(m.schema)) {
        const r = await send(t, await withMember(base, m, value, schema), schema);
        sent++;
        const named = r.json?.errors?.some((e) => e.field === name || e.field.startsWith(name + '[') || e.field.startsWith(name + '.'));
        if (r.status !== 422 || !named) problems.push(`${where} ${name} breaking ${what} (${JSON.stringify(value).slice(0, 40)}): ${r.status} ${r.text.slice(0, 300)}`);
      }
    }
  }
  assert.ok(sent > 300, `only ${sent} requests`);
  assert.deepEqual(problems, [], problems.join('\n'));
});

// Administration resources through their services: a stale change is 412 with the current
// resource, bodies are checked against their tables, and the profile path does not need admin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, adminClient, userClient } from './harness.mjs';

let server, admin, rep;
before(async () => {
  server = await startServer();
  admin = await adminClient(server);
  rep = await userClient(server, admin, { role: 'sales' });
});
after(async () => { await server?.stop(); });

const uniq = () => randomUUID().slice(0, 8);

function assert412WithCurrent(r, expected) {
  assert.equal(r.status, 412, r.text);
  assert.equal(r.json.code, 'version_conflict');
  assert.equal(r.json.current_version, expected.version, r.text);
  assert.equal(r.json.current.id, expected.id);
  assert.equal(r.json.current.version, expected.version);
}

test('a stale change to a role, a custom field or a user is 412 with `current`', async () => {
  const role = (await admin.post('/api/v1/roles', { name: `r_${uniq()}`, permissions: {} })).json;
  const renamed = await admin.patch(`/api/v1/roles/${role.id}`, { description: 'first', version: role.version });
  assert.equal(renamed.status, 200, renamed.text);
  const stale = await admin.patch(`/api/v1/roles/${role.id}`, { description: 'second', version: role.version });
  assert412WithCurrent(stale, renamed.json);
  assert.equal(stale.json.current.description, 'first');

  const field = (await admin.post('/api/v1/custom-fields', { entity: 'accounts', name: `f_${uniq()}`, label: 'A', type: 'text' })).json;
  const relabel = await admin.patch(`/api/v1/custom-fields/${field.id}`, { label: 'B', version: 1 });
  assert.equal(relabel.status, 200, relabel.text);
  const staleField = await admin.patch(`/api/v1/custom-fields/${field.id}`, { label: 'C', version: 1 });
  assert412WithCurrent(staleField, relabel.json);
  assert.equal(staleField.json.current.label, 'B');

  const user = (await admin.get(`/api/v1/users/${rep.user.id}`)).json;
  const staleUser = await admin.patch(`/api/v1/users/${rep.user.id}`, { name: 'X', version: user.version - 1 });
  assert412WithCurrent(staleUser, user);
});

test('bodies are checked against their tables: every problem at once, nothing written', async () => {
  const r = await admin.post('/api/v1/teams', { name: 'x'.repeat(101), colour: 'red' });
  assert.equal(r.status, 422, r.text);
  assert.deepEqual(r.json.errors.map((e) => [e.field, e.code]).sort(), [['colour', 'unknown_field'], ['name', 'too_long']]);
  const cf = await admin.patch('/api/v1/custom-fields/' + randomUUID(), { position: null, max_length: 0 });
  assert.equal(cf.status, 422, cf.text);
  assert.deepEqual(cf.json.errors.map((e) => [e.field, e.code]).sort(), [['max_length', 'out_of_range'], ['position', 'invalid_type']]);
  const teams = (await admin.get('/api/v1/teams')).json.data;
  assert.equal(teams.filter((t) => t.name.startsWith('xxxx')).length, 0);
});

test('a rep changes their own profile without being an administrator, but not their role', async () => {
  const own = await rep.patch('/api/v1/me', { name: '王小明', time_zone: 'Asia/Shanghai' });
  assert.equal(own.status, 200, own.text);
  assert.equal(own.json.name, '王小明');
  assert.equal(own.json.time_zone, 'Asia/Shanghai');
  const role = await rep.patch('/api/v1/me', { role_id: 'admin' });
  assert.equal(role.status, 422, role.text);
  assert.deepEqual(role.json.errors.map((e) => [e.field, e.code]), [['role_id', 'unknown_field']]);
  const other = await rep.patch(`/api/v1/users/${rep.user.id}`, { name: 'Y' });
  assert.equal(other.status, 403, other.text);
  const audit = await admin.get(`/api/v1/audit?entity=users&user_id=${rep.user.id}`);
  assert.equal(audit.status, 200, audit.text);
  assert.ok(audit.json.data.some((e) => e.action === 'update' && e.record_id === rep.user.id), audit.text);
});

// Saved views of the lists: personal by default; shared ones are seen by the owner's team and
// only team managers and administrators share; only the owner (or an administrator) changes or
// deletes one; stale versions are 412 with the current view; every write is audited; a view's
// query runs as the list's own query.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, adminClient, userClient, qs } from './harness.mjs';

const server = await startServer();
after(() => server.close());
const admin = await adminClient(server);

const teamA = (await admin.post('/api/v1/teams', { name: 'Views A' })).json;
const teamB = (await admin.post('/api/v1/teams', { name: 'Views B' })).json;
const manager = await userClient(server, admin, { role: 'manager', team_id: teamA.id, name: 'Manager A' });
await admin.patch(`/api/v1/teams/${teamA.id}`, { manager_id: manager.user.id });
const repA = await userClient(server, admin, { role: 'sales', team_id: teamA.id, name: 'Rep A' });
const repB = await userClient(server, admin, { role: 'sales', team_id: teamB.id, name: 'Rep B' });

const names = (r) => r.json.data.map((v) => v.name);

test('a personal view is seen by its owner only, and its query runs as the list\'s', async () => {
  const made = await repA.post('/api/v1/saved-views', { entity: 'deals', name: 'My big deals', query: '?amount_minor[gte]=1000000&sort=-amount_minor', columns: ['name', 'amount_minor', 'stage_id'] });
  assert.equal(made.status, 201, made.text);
  assert.equal(made.json.query, 'amount_minor[gte]=1000000&sort=-amount_minor', 'the leading ? is dropped');
  assert.equal(made.json.shared, false);
  assert.equal(made.json.owner_name, 'Rep A');
  assert.equal(made.json.version, 1);
  assert.deepEqual(names(await repA.get('/api/v1/saved-views?entity=deals')), ['My big deals']);
  assert.deepEqual(names(await repB.get('/api/v1/saved-views?entity=deals')), []);
  assert.deepEqual(names(await manager.get('/api/v1/saved-views?entity=deals')), []);
  assert.equal((await repB.get(`/api/v1/saved-views/${made.json.id}`)).status, 404);
  const list = await repA.get('/api/v1/deals?' + made.json.query);
  assert.equal(list.status, 200, list.text);
  assert.ok(list.json.data.every((d) => d.amount_minor >= 1000000));
});

test('sharing: managers and administrators share with the team; others may not', async () => {
  const refused = await repA.post('/api/v1/saved-views', { entity: 'contacts', name: 'Shared by a rep', shared: true });
  assert.equal(refused.status, 403, refused.text);
  const shared = await manager.post('/api/v1/saved-views', { entity: 'contacts', name: 'Team A hot list', query: 'tags=vip', shared: true });
  assert.equal(shared.status, 201, shared.text);
  assert.deepEqual(names(await repA.get('/api/v1/saved-views?entity=contacts')), ['Team A hot list']);
  assert.deepEqual(names(await repB.get('/api/v1/saved-views?entity=contacts')), [], 'another team does not see it');
  // An administrator in no team shares with everyone.
  const everyone = await admin.post('/api/v1/saved-views', { entity: 'contacts', name: 'Company list', shared: true });
  assert.equal(everyone.status, 201, everyone.text);
  assert.deepEqual(names(await repB.get('/api/v1/saved-views?entity=contacts')), ['Company list']);
  // Own views come first, then shared ones, each by name.
  await repA.post('/api/v1/saved-views', { entity: 'contacts', name: 'Zed mine' });
  assert.deepEqual(names(await repA.get('/api/v1/saved-views?entity=contacts')), ['Zed mine', 'Company list', 'Team A hot list']);
  // Someone who sees a shared view cannot change it.
  const edit = await repA.patch(`/api/v1/saved-views/${shared.json.id}`, { name: 'Mine now' });
  assert.equal(edit.status, 403, edit.text);
  assert.equal((await repA.del(`/api/v1/saved-views/${shared.json.id}`)).status, 403);
});

test('changes carry a version: a stale one is 412 with the current view; each write is audited', async () => {
  const v = (await repA.post('/api/v1/saved-views', { entity: 'accounts', name: 'Shanghai' , query: 'city=上海' })).json;
  const ok = await repA.patch(`/api/v1/saved-views/${v.id}`, { name: 'Shanghai accounts', version: 1 });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.version, 2);
  const stale = await repA.patch(`/api/v1/saved-views/${v.id}`, { name: 'Old', version: 1 });
  assert.equal(stale.status, 412, stale.text);
  assert.equal(stale.json.code, 'version_conflict');
  assert.equal(stale.json.current.name, 'Shanghai accounts');
  const staleHeader = await repA.request('PATCH', `/api/v1/saved-views/${v.id}`, { body: { name: 'Old' }, headers: { 'if-match': '"1"' } });
  assert.equal(staleHeader.status, 412);
  const fixed = await repA.patch(`/api/v1/saved-views/${v.id}`, { entity: 'contacts' });
  assert.equal(fixed.status, 422, fixed.text);
  assert.equal(fixed.json.errors[0].field, 'entity');
  assert.equal((await repA.del(`/api/v1/saved-views/${v.id}`, { headers: { 'if-match': '"1"' } })).status, 412);
  assert.equal((await repA.del(`/api/v1/saved-views/${v.id}`)).status, 204);
  assert.equal((await repA.get(`/api/v1/saved-views/${v.id}`)).status, 404);
  const audit = await admin.get('/api/v1/audit' + qs({ entity: 'saved_views', record_id: v.id }));
  assert.deepEqual(audit.json.data.map((e) => e.action), ['delete', 'update', 'create']);
  assert.deepEqual(audit.json.data[1].changes.name, ['Shanghai', 'Shanghai accounts']);
});

test('bad input: names, queries, columns, entities and duplicates are refused with their field', async () => {
  const bad = async (body, field, code) => {
    const r = await repA.post('/api/v1/saved-views', body);
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    assert.ok(r.json.errors.some((e) => e.field.startsWith(field) && (!code || e.code === code)), r.text);
  };
  await bad({ entity: 'contacts' }, 'name', 'required');
  await bad({ entity: 'nope', name: 'x' }, 'entity');
  await bad({ entity: 'contacts', name: 'x'.repeat(101) }, 'name', 'too_long');
  await bad({ entity: 'contacts', name: 'Paged', query: 'cursor=abc&sort=name' }, 'query', 'invalid_format');
  await bad({ entity: 'contacts', name: 'Cols', columns: ['name', 'DROP TABLE'] }, 'columns', 'invalid_format');
  await bad({ entity: 'contacts', name: 'Many', columns: Array.from({ length: 51 }, (_, i) => `f${i}`) }, 'columns', 'too_many_items');
  assert.equal((await repA.post('/api/v1/saved-views', { entity: 'leads', name: 'Twice' })).status, 201);
  const dup = await repA.post('/api/v1/saved-views', { entity: 'leads', name: 'Twice' });
  assert.equal(dup.status, 409);
  assert.equal(dup.json.code, 'name_taken');
  // The same name on another list, or by another person, is fine.
  assert.equal((await repA.post('/api/v1/saved-views', { entity: 'deals', name: 'Twice' })).status, 201);
  assert.equal((await repB.post('/api/v1/saved-views', { entity: 'leads', name: 'Twice' })).status, 201);
  const noEntity = await repA.get('/api/v1/saved-views');
  assert.equal(noEntity.status, 400);
  assert.equal(noEntity.json.code, 'invalid_parameter');
});

test('a role that may not read an entity has no views of it', async () => {
  const roles = (await admin.get('/api/v1/roles')).json.data;
  const base = roles.find((r) => r.id === 'read_only');
  const permissions = structuredClone(base.permissions);
  permissions.entities.deals = { ...permissions.entities.deals, read: 'none' };
  const role = await admin.post('/api/v1/roles', { name: 'No deals', permissions });
  assert.equal(role.status, 201, role.text);
  const blind = await userClient(server, admin, { role: role.json.id });
  assert.equal((await blind.get('/api/v1/saved-views?entity=deals')).status, 403);
  assert.equal((await blind.post('/api/v1/saved-views', { entity: 'deals', name: 'x' })).status, 403);
  assert.equal((await blind.get('/api/v1/saved-views?entity=contacts')).status, 200);
});

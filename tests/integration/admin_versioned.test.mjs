// Users, roles, teams and custom field definitions are written like CRM records, through the one
// versioned write (service/versioned_write.h): every create, change and delete checks the version
// (a stale body "version" or If-Match is 412 version_conflict with `current`), bumps it, and
// writes one audit entry and one change-log entry (owner_id null) in the same transaction. Their
// change-log entries are readable by every signed-in user, as their lists are.
//
// Tests in this file run one after another against one server, so "the entries after seq N" are
// the writes a test made after reading N.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, adminClient, userClient, qs, ok } from './harness.mjs';

let server, admin, rep;

before(async () => {
  server = await startServer();
  admin = await adminClient(server);
  rep = await userClient(server, admin, { role: 'sales' });
});

after(async () => {
  await server?.stop();
  server?.cleanup();
});

const uniq = () => randomUUID().slice(0, 8);
const RUN = uniq(); // team names are unique: this run's changes carry it
const ifMatch = (v) => ({ headers: { 'if-match': `"${v}"` } });

// All change-log entries after `after` that `client` may read, following next_after.
async function changesAfter(after, client = admin) {
  const entries = [];
  for (;;) {
    const r = ok(await client.get('/api/v1/changes' + qs({ after, limit: 1000 })), 200, 'changes');
    entries.push(...r.data);
    after = r.next_after;
    if (!r.has_more) return { entries, head: after };
  }
}
const head = async () => (await changesAfter(0)).head;

async function auditOf(entity, id) {
  const data = ok(await admin.get('/api/v1/audit' + qs({ entity, limit: 500 })), 200, 'audit').data;
  return data.filter((e) => e.record_id === id).reverse(); // oldest first
}

// The four resources: how to make one, change it, and read it back as GET would show it.
const RESOURCES = {
  users: {
    path: '/api/v1/users',
    create: () => ({ email: `v-${uniq()}@example.com`, name: 'Versioned user', password: 'password-' + uniq(), role_id: 'sales' }),
    change: (n) => ({ name: `Renamed ${n}` }),
    read: async (id) => ok(await admin.get(`/api/v1/users/${id}`), 200, 'get user'),
    deletable: false,
  },
  roles: {
    path: '/api/v1/roles',
    create: () => ({ name: `vr_${uniq()}`, description: 'v', permissions: { entities: { accounts: { read: 'own' } } } }),
    change: (n) => ({ description: `described ${n}` }),
    read: async (id) => ok(await admin.get('/api/v1/roles'), 200, 'roles').data.find((x) => x.id === id),
    deletable: true,
  },
  teams: {
    path: '/api/v1/teams',
    create: () => ({ name: `Versioned team ${uniq()}` }),
    change: (n) => ({ name: `Renamed team ${n} ${RUN}` }),
    read: async (id) => ok(await admin.get('/api/v1/teams'), 200, 'teams').data.find((x) => x.id === id),
    deletable: true,
  },
  custom_fields: {
    path: '/api/v1/custom-fields',
    create: () => ({ entity: 'accounts', name: `vf_${uniq()}`, label: 'Versioned', type: 'text' }),
    change: (n) => ({ label: `Label ${n}` }),
    read: async (id) => ok(await admin.get('/api/v1/custom-fields'), 200, 'fields').data.find((x) => x.id === id),
    deletable: true,
  },
};

function assertConflict(r, current, what) {
  assert.equal(r.status, 412, `${what}: ${r.text}`);
  assert.equal(r.json.code, 'version_conflict', what);
  assert.equal(r.json.current_version, current.version, what);
  assert.deepEqual(r.json.current, current, `${what}: the conflict carries the resource as stored`);
}

for (const [entity, res] of Object.entries(RESOURCES)) {
  test(`${entity}: versioned changes, 412 on a stale version or If-Match, one audit and change-log entry per write`, async () => {
    const start = await head();
    const created = ok(await admin.post(res.path, res.create()), 201, 'create');
    assert.equal(created.version, 1);
    const id = created.id;

    // A stale version in the body: 412 with the current resource; nothing is written.
    const v1 = await res.read(id);
    assert.equal(v1.version, 1);
    const v2 = ok(await admin.patch(`${res.path}/${id}`, { ...res.change(1), version: 1 }), 200, 'change with version 1');
    assert.equal(v2.version, 2, 'the version moves on by one');
    assert.deepEqual(await res.read(id), v2, 'the answer is what is stored');
    assertConflict(await admin.patch(`${res.path}/${id}`, { ...res.change(2), version: 1 }), v2, 'stale body version');

    // The same with If-Match, which wins over a body version.
    assertConflict(await admin.patch(`${res.path}/${id}`, res.change(3), ifMatch(1)), v2, 'stale If-Match');
    assertConflict(await admin.patch(`${res.path}/${id}`, { ...res.change(3), version: 2 }, ifMatch(1)), v2,
      'stale If-Match with a current body version');
    const v3 = ok(await admin.patch(`${res.path}/${id}`, res.change(4), ifMatch(2)), 200, 'change with If-Match 2');
    assert.equal(v3.version, 3);
    assert.deepEqual(await res.read(id), v3);

    // A change that changes nothing is not a write: no new version, no entries.
    const same = ok(await admin.patch(`${res.path}/${id}`, res.change(4)), 200, 'no-op change');
    assert.equal(same.version, 3);

    // A body version that is not a number is refused as such (422 naming version), not taken.
    const badVersion = await admin.patch(`${res.path}/${id}`, { ...res.change(5), version: 'three' });
    assert.equal(badVersion.status, 422, badVersion.text);
    assert.deepEqual(badVersion.json.errors.map((e) => e.field), ['version']);

    const writes = [['create', 1], ['update', 2], ['update', 3]];
    if (res.deletable) {
      assertConflict(await admin.del(`${res.path}/${id}`, ifMatch(2)), v3, 'stale DELETE');
      assert.deepEqual(await res.read(id), v3, 'a refused delete deletes nothing');
      ok(await admin.del(`${res.path}/${id}`, ifMatch(3)), 204, 'delete with If-Match 3');
      assert.equal(await res.read(id), undefined, 'gone');
      writes.push(['delete', 4]); // the deletion is the last version
    }

    // The change log: exactly the writes that happened, without owner, by the admin.
    const { entries } = await changesAfter(start);
    const mine = entries.filter((e) => e.record_id === id);
    assert.deepEqual(mine.map((e) => [e.entity, e.action, e.version]), writes.map(([a, v]) => [entity, a, v]));
    assert.deepEqual(entries.filter((e) => e.record_id !== id), [], 'no other entries');
    for (const e of mine) {
      assert.equal(e.owner_id, null);
      assert.equal(e.user_id, admin.user.id);
    }

    // The audit log: one entry per write, with what changed.
    const audit = await auditOf(entity, id);
    assert.deepEqual(audit.map((e) => e.action), writes.map(([a]) => a));
    assert.ok(audit.every((e) => e.user_id === admin.user.id));
    const [changedKey] = Object.keys(res.change(1));
    assert.deepEqual(audit[1].changes[changedKey], [v1[changedKey], v2[changedKey]]);
    assert.equal(audit[0].changes.version, undefined, 'bookkeeping members are left out');
    if (res.deletable) assert.deepEqual(audit[3].changes.id, [id, null], 'a delete lists what was deleted');
  });
}

test('concurrent changes without a version all apply, one version each', async () => {
  // Writers of one row queue up on it (PostgreSQL: the row is read FOR UPDATE), so a change that
  // named no version is never refused by a version check it did not ask for.
  const role = ok(await admin.post('/api/v1/roles', { name: `busy_${uniq()}`, permissions: {} }), 201, 'role');
  const results = await Promise.all(Array.from({ length: 10 }, (_, i) =>
    admin.patch(`/api/v1/roles/${role.id}`, { description: `edit ${i}` })));
  assert.deepEqual(results.map((r) => r.status), Array(10).fill(200), results.map((r) => r.text).join('\n'));
  assert.deepEqual(results.map((r) => r.json.version).sort((a, b) => a - b), Array.from({ length: 10 }, (_, i) => i + 2));
  const audit = await auditOf('roles', role.id);
  assert.equal(audit.length, 11);
});

test('password resets and changes are versioned writes of the user, and the hash is never logged', async () => {
  const u = await userClient(server, admin, { role: 'sales' });
  const start = await head();
  const before = ok(await admin.get(`/api/v1/users/${u.user.id}`), 200, 'user');
  const reset = ok(await admin.post(`/api/v1/users/${u.user.id}/reset-password`), 200, 'reset');
  const fresh = await admin.login(u.user.email, reset.password);
  const newPassword = 'changed-' + uniq();
  ok(await fresh.patch('/api/v1/me', { password: newPassword, current_password: reset.password }), 200, 'own change');
  const after = ok(await admin.get(`/api/v1/users/${u.user.id}`), 200, 'user');
  assert.equal(after.version, before.version + 2);

  const mine = (await changesAfter(start)).entries.filter((e) => e.record_id === u.user.id);
  assert.deepEqual(mine.map((e) => [e.action, e.version, e.user_id]),
    [['update', before.version + 1, admin.user.id], ['update', before.version + 2, u.user.id]]);
  const audit = (await auditOf('users', u.user.id)).slice(-2);
  assert.deepEqual(audit.map((e) => [e.action, e.user_id]), [['reset_password', admin.user.id], ['change_password', u.user.id]]);
  const text = JSON.stringify(audit);
  assert.ok(!text.includes('argon2') && !text.includes(newPassword) && !text.includes(reset.password), text);
});

test('a sales rep reads the change-log entries of users, roles, teams and custom fields, and nothing more of them', async () => {
  const start = await head();
  const team = ok(await admin.post('/api/v1/teams', { name: `Rep sees ${uniq()}` }), 201, 'team');
  const role = ok(await admin.post('/api/v1/roles', { name: `rep_sees_${uniq()}`, permissions: {} }), 201, 'role');
  const field = ok(await admin.post('/api/v1/custom-fields', { entity: 'contacts', name: `rs_${uniq()}`, label: 'Rep sees', type: 'text' }), 201, 'field');
  const user = ok(await admin.post('/api/v1/users', { email: `rs-${uniq()}@example.com`, name: 'Rep sees', role_id: 'sales' }), 201, 'user');
  // A record the rep may not read: its entry stays hidden.
  const hidden = ok(await admin.post('/api/v1/accounts', { name: 'Not for the rep' }), 201, 'account');

  const forRep = await changesAfter(start, rep);
  assert.deepEqual(forRep.entries.map((e) => [e.entity, e.record_id, e.action, e.version]), [
    ['teams', team.id, 'create', 1], ['roles', role.id, 'create', 1],
    ['custom_fields', field.id, 'create', 1], ['users', user.id, 'create', 1]]);
  for (const e of forRep.entries) {
    assert.deepEqual(Object.keys(e).sort(), ['action', 'at', 'entity', 'owner_id', 'record_id', 'seq', 'user_id', 'version'],
      'an entry carries no field values');
    assert.equal(e.owner_id, null);
  }
  assert.ok(!JSON.stringify(forRep.entries).includes(hidden.id));
  assert.ok(!JSON.stringify(forRep.entries).includes(user.initial_password), 'no password');
  assert.equal(forRep.head, await head(), 'the rep moves past what they may not see');
  // What the rep sees there, the lists already show them.
  assert.ok(ok(await rep.get('/api/v1/users'), 200, 'users').data.some((x) => x.id === user.id && x.version === 1));
  assert.ok(ok(await rep.get('/api/v1/teams'), 200, 'teams').data.some((x) => x.id === team.id));
  // The audit log (which holds the values) stays for administrators.
  assert.equal((await rep.get('/api/v1/audit')).status, 403);
});

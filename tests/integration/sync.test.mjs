// The sync protocol (GET /api/v1/sync/pull, POST /api/v1/sync/push, devices): snapshots and
// catch-up under concurrent writers, scope changes, tombstones, cursors, replays, the
// merge/conflict matrix, revocation and retention. Both engines.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, adminClient, userClient, listAll, ok, problem } from './harness.mjs';
import { Device, mutation, SYNC_ENTITIES } from './sync_device.mjs';

let server, admin;
before(async () => {
  server = await startServer({ testClock: true, threads: 8 });
  admin = await adminClient(server);
});
after(async () => { await server?.close(); });

const contact = (c, extra = {}) => c.post('/api/v1/contacts', { first_name: '测试', last_name: randomUUID().slice(0, 6), ...extra });

// Every record the client may list of every synced entity (the trash left out): what a device's
// replica must equal after a full sync.
async function serverView(client) {
  const out = new Map();
  for (const e of SYNC_ENTITIES) for (const [id, r] of await listAll(client, e)) out.set(`${e}/${id}`, r);
  return out;
}
function recordsOf(device) {
  return new Map([...device.replica].filter(([k]) => !k.startsWith('users/') && !k.startsWith('teams/')));
}

test('a first sync pages the working set while others write, and ends equal to the server', async () => {
  const rep = await userClient(server, admin, { role: 'sales' });
  for (let i = 0; i < 12; i++) ok(await contact(rep), 201, 'create');
  ok(await rep.post('/api/v1/accounts', { name: '华为 ' + randomUUID().slice(0, 4) }), 201, 'account');
  const colleague = await userClient(server, admin, { role: 'sales' });
  const theirs = ok(await contact(colleague), 201, 'a colleague\'s contact');

  const device = new Device(rep);
  const mine = [...(await listAll(rep, 'contacts')).values()];
  let n = 0;
  const pages = await device.sync({
    limit: 4,
    // Between pages: a new record, an edit of one already sent, an edit of one not yet sent.
    between: async () => {
      if (n++ > 6) return;
      ok(await contact(rep), 201, 'create while paging');
      const a = mine[n % mine.length];
      const r = ok(await rep.patch(`/api/v1/contacts/${a.id}`, { title: 'v' + n }), 200, 'edit while paging');
      mine[n % mine.length] = r;
    },
  });
  assert.ok(pages.length > 4, `paged: ${pages.length} pages`);
  assert.ok(pages[0].snapshot && !pages.at(-1).snapshot, 'snapshot, then catch-up');
  const view = await serverView(rep);
  assert.deepEqual([...recordsOf(device).keys()].sort(), [...view.keys()].sort(), 'the same records as the server');
  for (const [k, r] of view) assert.equal(device.replica.get(k).version, r.version, `${k} at the server's version`);
  assert.ok(!device.get('contacts', theirs.id), 'a colleague\'s record (own scope) is not sent');
  assert.ok(device.get('users', rep.user.id), 'the user list comes along');
  assert.ok(device.get('pipelines', (await listAll(rep, 'pipelines')).keys().next().value), 'pipelines come along');
});

test('a catch-up answers every committed change once, in order, across page boundaries', async () => {
  const rep = await userClient(server, admin, { role: 'sales' });
  const ids = [];
  for (let i = 0; i < 9; i++) ids.push(ok(await contact(rep), 201, 'create').id);
  const device = new Device(rep);
  await device.sync();
  // Nine edits on nine records from two writers at once, then a catch-up three entries a page.
  await Promise.all(ids.map((id, i) => (i % 2 ? admin : rep).patch(`/api/v1/contacts/${id}`, { title: 't' + i })));
  const pages = await device.sync({ limit: 3 });
  const ups = pages.flatMap((p) => p.changes).filter((c) => c.entity === 'contacts');
  assert.deepEqual(ups.map((c) => c.id).sort(), [...ids].sort(), 'each changed record once');
  for (const c of ups) assert.equal(c.version, 2);
  const again = await device.sync();
  assert.deepEqual(again.flatMap((p) => p.changes), [], 'nothing twice');
  assert.equal(again.at(-1).lag, 0);
});

test('trash and restore reach the device; a record leaving scope is gone, and only from devices that had it', async () => {
  const rep = await userClient(server, admin, { role: 'sales' });
  const other = await userClient(server, admin, { role: 'sales' });
  const a = ok(await contact(rep), 201, 'a');
  const b = ok(await contact(rep), 201, 'b');
  const device = new Device(rep);
  await device.sync();
  const watcher = new Device(other);
  await watcher.sync();

  ok(await rep.del(`/api/v1/contacts/${a.id}`), 200, 'delete');
  let changes = (await device.sync()).flatMap((p) => p.changes);
  assert.deepEqual(changes.filter((c) => c.id === a.id).map((c) => c.op), ['delete']);
  ok(await rep.post(`/api/v1/contacts/${a.id}/restore`, {}), 200, 'restore');
  changes = (await device.sync()).flatMap((p) => p.changes);
  assert.deepEqual(changes.filter((c) => c.id === a.id).map((c) => c.op), ['upsert']);

  // The admin gives b to another user: it leaves the rep's scope.
  ok(await admin.patch(`/api/v1/contacts/${b.id}`, { owner_id: other.user.id }), 200, 'reassign');
  changes = (await device.sync()).flatMap((p) => p.changes);
  assert.deepEqual(changes.filter((c) => c.id === b.id), [{ op: 'gone', entity: 'contacts', id: b.id }]);
  assert.ok(!device.get('contacts', b.id));
  // The new owner's device gets it; a third user's device hears nothing of it.
  changes = (await watcher.sync()).flatMap((p) => p.changes);
  assert.deepEqual(changes.filter((c) => c.id === b.id).map((c) => c.op), ['upsert']);
  const third = new Device(await userClient(server, admin, { role: 'sales' }));
  await third.sync();
  ok(await admin.patch(`/api/v1/contacts/${a.id}`, { owner_id: admin.user.id }), 200, 'reassign a');
  changes = (await third.sync()).flatMap((p) => p.changes);
  assert.ok(!changes.some((c) => c.id === a.id), 'no "gone" for a record the device was never sent');
});

test('a role change restarts the snapshot: what the role no longer reads is gone, what it now reads arrives', async () => {
  const role = ok(await admin.post('/api/v1/roles', {
    name: 'no contacts ' + randomUUID().slice(0, 6),
    permissions: { entities: { accounts: { read: 'own', create: true, update: 'own' } } },
  }), 201, 'role');
  const rep = await userClient(server, admin, { role: 'sales' });
  const c = ok(await contact(rep), 201, 'contact');
  const acc = ok(await rep.post('/api/v1/accounts', { name: 'Acme ' + randomUUID().slice(0, 4) }), 201, 'account');
  const device = new Device(rep);
  await device.sync();
  assert.ok(device.get('contacts', c.id));
  ok(await admin.patch(`/api/v1/users/${rep.user.id}`, { role_id: role.id }), 200, 'role change');
  // A role change ends the user's sessions; signed in again, the same device pulls on.
  device.client = await rep.login(rep.user.email, rep.password);
  const pages = await device.sync();
  assert.ok(pages[0].snapshot, 'a new snapshot');
  const changes = pages.flatMap((p) => p.changes);
  assert.ok(changes.some((x) => x.op === 'gone' && x.id === c.id), 'the contact is gone');
  assert.ok(!device.get('contacts', c.id));
  assert.ok(device.get('accounts', acc.id), 'the account stays');
  // And back: the contact arrives again.
  ok(await admin.patch(`/api/v1/users/${rep.user.id}`, { role_id: 'sales' }), 200, 'role back');
  device.client = await rep.login(rep.user.email, rep.password);
  await device.sync();
  assert.ok(device.get('contacts', c.id));
});

test('cursors and devices belong to one user: malformed 400, another\'s 403, never a 500', async () => {
  const rep = await userClient(server, admin, { role: 'sales' });
  const other = await userClient(server, admin, { role: 'sales' });
  const device = new Device(rep);
  await device.sync();
  problem(await new Device(other, { id: device.id }).pullOnce(), 403, 'device_not_yours', 'another user\'s device id');
  const mine = new Device(other);
  problem(await mine.pullOnce({ cursor: device.cursor }), 403, 'cursor_not_yours', 'another user\'s cursor');
  for (const bad of ['x', 'eyJ2IjoxfQ', Buffer.from('{"v":1,"d":1}').toString('base64url'), '%%%'])
    problem(await device.pullOnce({ cursor: bad }), 400, 'invalid_cursor', bad);
  problem(await rep.get('/api/v1/sync/pull?device=nope'), 400, 'invalid_parameter', 'device not a UUID');
  problem(await rep.get('/api/v1/sync/pull'), 400, 'invalid_parameter', 'no device');
  problem(await rep.get(`/api/v1/sync/pull?device=${device.id}&limit=0`), 400, 'invalid_parameter', 'limit 0');
  problem(await rep.get(`/api/v1/sync/pull?device=${device.id}&since=1`), 400, 'unknown_parameter');
});

test('pull answers are gzip-compressed when the client accepts it', async () => {
  const device = new Device(admin);
  const res = await fetch(`${server.url}/api/v1/sync/pull?device=${device.id}`, {
    headers: { authorization: `Bearer ${admin.token}`, 'accept-encoding': 'gzip' },
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-encoding'), 'gzip');
  const body = await res.json(); // fetch has undone the gzip
  assert.ok(Array.isArray(body.changes) && body.cursor);
});

test('push: creates, replays, merges of different fields, conflicts on the same field', async () => {
  const rep = await userClient(server, admin, { role: 'sales' });
  const phone = new Device(rep, { name: 'phone' });
  const id = randomUUID();
  const create = mutation('contacts', 'create', id, { fields: { first_name: '王', last_name: '小明', title: 'CEO' } });
  const log = mutation('activities', 'create', randomUUID(), { fields: { type: 'call', subject: '首次拜访', contact_id: id } });
  const first = ok(await phone.push([create, log]), 200, 'push').results;
  assert.deepEqual(first.map((r) => r.status), ['applied', 'applied']);
  assert.equal(first[0].version, 1);
  // The same batch again (its answer was lost): nothing twice, the same answers.
  const again = ok(await phone.push([create, log]), 200, 'replay').results;
  assert.deepEqual(again.map((r) => r.status), ['applied', 'applied']);
  assert.ok(again.every((r) => r.replay === true));
  assert.deepEqual(again.map((r) => r.version), first.map((r) => r.version));
  const acts = [...(await listAll(rep, 'activities', { contact_id: id })).values()];
  assert.equal(acts.length, 1, 'one activity');

  // Two people edit the record from version 1: different fields merge, the same field conflicts.
  ok(await admin.patch(`/api/v1/contacts/${id}`, { title: 'CTO', description: '董事会' }), 200, 'colleague edits');
  const [merged, conflict] = ok(await phone.push([
    mutation('contacts', 'update', id, { base_version: 1, fields: { tags: ['重点客户'] }, base: { tags: null } }),
    mutation('contacts', 'update', id, { base_version: 1, fields: { title: 'COO' }, base: { title: 'CEO' } }),
  ]), 200, 'edits').results;
  assert.equal(merged.status, 'merged', JSON.stringify(merged));
  assert.deepEqual(merged.record.tags, ['重点客户']);
  assert.equal(merged.record.title, 'CTO', 'the colleague\'s field is kept');
  assert.equal(conflict.status, 'conflict', JSON.stringify(conflict));
  assert.equal(conflict.reason, 'changed');
  assert.deepEqual(conflict.conflicts, [{ field: 'title', base: 'CEO', client: 'COO', server: 'CTO' }]);
  assert.equal(conflict.server.version, 3);
  const now = ok(await rep.get(`/api/v1/contacts/${id}`), 200, 'get');
  assert.equal(now.title, 'CTO', 'a conflict writes nothing');
  assert.equal(now.version, 3);
  // The user chooses theirs: a new write based on the server's version.
  const [resolved] = ok(await phone.push([
    mutation('contacts', 'update', id, { base_version: 3, fields: { title: 'COO' }, base: { title: 'CTO' } }),
  ]), 200, 'resolution').results;
  assert.equal(resolved.status, 'applied');
  assert.equal(resolved.version, 4);
  // Every applied mutation is in the audit log, made by the rep.
  const audit = ok(await admin.get(`/api/v1/audit?record_id=${id}`), 200, 'audit').data;
  assert.deepEqual(audit.filter((e) => e.user_id === rep.user.id).map((e) => e.action).sort(), ['create', 'update', 'update']);
});

test('push: delete against an edit, an edit of a trashed record, restore, custom and base-less fields', async () => {
  const rep = await userClient(server, admin, { role: 'sales' });
  const phone = new Device(rep);
  const c = ok(await contact(rep, { title: 'a' }), 201, 'contact');
  ok(await admin.patch(`/api/v1/contacts/${c.id}`, { title: 'b' }), 200, 'edit');
  let [r] = ok(await phone.push([mutation('contacts', 'delete', c.id, { base_version: 1 })]), 200, 'delete').results;
  assert.equal(r.status, 'conflict');
  assert.equal(r.reason, 'changed');
  assert.equal(r.server.title, 'b');
  [r] = ok(await phone.push([mutation('contacts', 'delete', c.id, { base_version: 2 })]), 200, 'delete').results;
  assert.equal(r.status, 'applied');
  assert.ok(r.record.deleted_at);
  [r] = ok(await phone.push([mutation('contacts', 'update', c.id, { base_version: 2, fields: { title: 'c' }, base: { title: 'b' } })]), 200, 'edit trashed').results;
  assert.equal(r.status, 'conflict');
  assert.equal(r.reason, 'deleted');
  [r] = ok(await phone.push([mutation('contacts', 'restore', c.id, { base_version: 3 })]), 200, 'restore').results;
  assert.equal(r.status, 'applied');
  assert.equal(r.record.deleted_at, null);
  // A field changed on the server that the device sent no base for is a conflict, unless equal.
  ok(await admin.patch(`/api/v1/contacts/${c.id}`, { title: 'd' }), 200, 'edit');
  [r] = ok(await phone.push([mutation('contacts', 'update', c.id, { base_version: 2, fields: { title: 'e' } })]), 200, 'no base').results;
  assert.equal(r.status, 'conflict');
  [r] = ok(await phone.push([mutation('contacts', 'update', c.id, { base_version: 2, fields: { title: 'd' } })]), 200, 'same value').results;
  assert.equal(r.status, 'merged');
});

test('push refuses per mutation: validation, another\'s id, a record out of scope; the batch itself with 422', async () => {
  const rep = await userClient(server, admin, { role: 'sales' });
  const phone = new Device(rep);
  const theirs = ok(await contact(admin), 201, 'admin\'s contact');
  const good = mutation('contacts', 'create', randomUUID(), { fields: { first_name: 'ok' } });
  const results = ok(await phone.push([
    mutation('contacts', 'create', randomUUID(), { fields: { emails: ['not an email'] } }),
    mutation('contacts', 'create', theirs.id, { fields: { first_name: 'steal' } }),
    mutation('contacts', 'update', theirs.id, { base_version: 1, fields: { title: 'x' } }),
    good,
  ]), 200, 'push').results;
  assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected', 'rejected', 'applied']);
  assert.equal(results[0].code, 'validation_failed');
  assert.ok(results[0].errors.some((e) => e.field.startsWith('emails')), JSON.stringify(results[0]));
  assert.equal(results[1].code, 'id_conflict');
  assert.equal(results[2].code, 'not_found', 'a record the caller cannot read is not found');
  assert.equal(ok(await admin.get(`/api/v1/contacts/${theirs.id}`), 200, 'get').title ?? null, null, 'nothing written');

  const bad = (body, field, code) => async () => {
    const r = await rep.post('/api/v1/sync/push', body);
    problem(r, 422, 'validation_failed', JSON.stringify(body).slice(0, 80));
    assert.ok(r.json.errors.some((e) => e.field === field && e.code === code), `${field} ${code}: ${r.text}`);
  };
  await bad({ mutations: [good] }, 'device', 'required')();
  await bad({ device: phone.id, mutations: [] }, 'mutations', 'required')();
  await bad({ device: phone.id, mutations: [{ ...good, op: 'merge' }] }, 'mutations[0].op', 'invalid_choice')();
  await bad({ device: phone.id, mutations: [{ ...good, entity: 'users' }] }, 'mutations[0].entity', 'invalid_choice')();
  await bad({ device: phone.id, mutations: [{ ...good, record_id: 'x' }] }, 'mutations[0].record_id', 'invalid_format')();
  await bad({ device: phone.id, mutations: [{ ...good, op: 'update' }] }, 'mutations[0].base_version', 'required')();
  await bad({ device: phone.id, mutations: [good, good] }, 'mutations[1].id', 'duplicate')();
  await bad({ device: phone.id, mutations: [{ ...good, extra: 1 }] }, 'mutations[0].extra', 'unknown_field')();
  const many = Array.from({ length: 501 }, () => mutation('contacts', 'create', randomUUID(), { fields: { first_name: 'x' } }));
  await bad({ device: phone.id, mutations: many }, 'mutations', 'too_many_items')();
});

test('lead conversion offline: the lead and the records it made come back', async () => {
  const rep = await userClient(server, admin, { role: 'sales' });
  const lead = ok(await rep.post('/api/v1/leads', { last_name: '李', company: '小米 ' + randomUUID().slice(0, 4) }), 201, 'lead');
  const phone = new Device(rep);
  const [r] = ok(await phone.push([mutation('leads', 'convert', lead.id, { fields: { deal: { amount_minor: 100000, currency: 'CNY' } } })]), 200, 'convert').results;
  assert.equal(r.status, 'applied', JSON.stringify(r));
  assert.equal(r.record.status, 'converted');
  assert.ok(r.related.accounts.id && r.related.contacts.id && r.related.deals.id);
  const [again] = ok(await phone.push([mutation('leads', 'convert', lead.id, {})]), 200, 'again').results;
  assert.equal(again.status, 'rejected');
  assert.equal(again.code, 'already_converted');
});

test('devices page, revocation, and a deactivated user', async () => {
  const rep = await userClient(server, admin, { role: 'sales' });
  const phone = new Device(rep, { name: 'Chrome on Android' });
  await phone.sync();
  ok(await phone.push([mutation('contacts', 'create', randomUUID(), { fields: { emails: ['bad'] } })]), 200, 'push');
  const list = ok(await admin.get('/api/v1/admin/devices'), 200, 'devices').data;
  const row = list.find((d) => d.id === phone.id);
  assert.ok(row, 'listed');
  assert.equal(row.name, 'Chrome on Android');
  assert.equal(row.user_id, rep.user.id);
  assert.equal(row.rejected, 1);
  assert.ok(row.pulls >= 1 && row.pushes === 1 && row.last_pull_at && !row.stale);
  const problems = ok(await admin.get(`/api/v1/admin/devices/${phone.id}/problems`), 200, 'problems').data;
  assert.equal(problems.length, 1);
  assert.equal(problems[0].code, 'validation_failed');
  problem(await rep.get('/api/v1/admin/devices'), 403, 'forbidden', 'not for reps');

  const metrics = (await fetch(`${server.url}/metrics`).then((r) => r.text()));
  assert.match(metrics, /keel_sync_mutations_total\{outcome="rejected"\} [1-9]/);
  assert.match(metrics, /keel_sync_devices\{state="active"\} [1-9]/);
  assert.match(metrics, /keel_sync_pulls_total\{phase="snapshot"\} [1-9]/);

  assert.equal((await admin.post(`/api/v1/admin/devices/${phone.id}/revoke`, {})).status, 204);
  problem(await phone.pullOnce(), 401, 'invalid_token', 'the session ended');
  // Signed in again on the same device: the device itself stays revoked, so the app wipes.
  const again = await rep.login(rep.user.email, rep.password);
  problem(await new Device(again, { id: phone.id }).pullOnce(), 401, 'device_revoked');
  assert.equal(ok(await admin.get('/api/v1/admin/devices'), 200, 'devices').data.find((d) => d.id === phone.id).revoked_at !== null, true);

  const gone = await userClient(server, admin, { role: 'sales' });
  const d2 = new Device(gone);
  await d2.sync();
  ok(await admin.patch(`/api/v1/users/${gone.user.id}`, { active: false }), 200, 'deactivate');
  problem(await d2.pullOnce(), 401, 'invalid_token', 'a deactivated user');
});

test('retention: superseded entries are compacted, a stale device gets 410 and starts over, an active one carries on', async () => {
  const rep = await userClient(server, admin, { role: 'sales' });
  const c = ok(await contact(rep), 201, 'contact');
  for (let i = 0; i < 3; i++) ok(await rep.patch(`/api/v1/contacts/${c.id}`, { title: 't' + i }), 200, 'edit');
  const stale = new Device(rep);
  await stale.sync();
  const active = new Device(rep);
  await active.sync();
  // Sessions expire over the months this test spans: each step signs in again.
  const later = async (days) => {
    await server.clock.advance(days * 86400_000);
    const c2 = await rep.login(rep.user.email, rep.password);
    active.client = stale.client = c2;
    admin = await adminClient(server);
    return c2;
  };
  let me = await later(40);
  await active.sync();
  ok(await me.patch(`/api/v1/contacts/${c.id}`, { title: 'after' }), 200, 'edit');
  me = await later(60);
  await active.sync();
  const rep2 = ok(await admin.post('/api/v1/admin/sync/compact', {}), 200, 'compact');
  assert.ok(rep2.log_entries_removed >= 3, JSON.stringify(rep2));
  assert.ok(rep2.devices_expired >= 1);
  // The record keeps its latest entry (keel check would otherwise fail) ...
  const entries = [];
  for (let after = 0; ;) {
    const r = ok(await admin.get(`/api/v1/changes?after=${after}&limit=1000`), 200, 'changes');
    entries.push(...r.data.filter((e) => e.record_id === c.id));
    if (!r.has_more) break;
    after = r.next_after;
  }
  assert.deepEqual(entries.map((e) => e.version), [5], 'only the latest entry of the record');
  // ... the active device goes on from its cursor, the stale one is told to start over.
  ok(await me.patch(`/api/v1/contacts/${c.id}`, { title: 'later' }), 200, 'edit');
  await active.sync();
  assert.equal(active.get('contacts', c.id).title, 'later');
  problem(await stale.pullOnce(), 410, 'cursor_expired');
  stale.cursor = null;
  stale.replica.clear();
  await stale.sync();
  assert.equal(stale.get('contacts', c.id).title, 'later');
});

// The role × entity × action matrix. One server; before() builds two teams, one user per
// built-in role (plus a second sales user in team A, a sales user in team B, and a manager of
// team B who is in no team himself) and a custom role, and seeds one record of every entity
// owned by every one of them. The tests then check, for each viewer × entity × owner, what the
// viewer may do with that record (get, history, update, delete, restore), and for each viewer ×
// entity what lists, totals, filters, search, create and the change log reveal. Expectations
// are computed from the role table below (README "Users, roles and teams" and
// src/auth/permissions.cc), which a test first checks against what the server reports.
//
// Out of scope reads are 404 not_found (the server never says "it exists but is not yours");
// an in-scope record the role may not change or delete is 403 forbidden.
import { test, describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, adminClient, userClient, qs } from './harness.mjs';

// ---------------------------------------------------------------------------------------------
// Expected permissions

const ENTITIES = ['accounts', 'contacts', 'leads', 'deals', 'activities', 'tasks', 'products', 'orders'];
// Not CRM records: administration data every signed-in user may list (and see in the change log).
const ADMIN_RESOURCES = ['users', 'roles', 'teams', 'custom_fields'];
const CRM = ['accounts', 'contacts', 'leads', 'deals', 'activities', 'tasks', 'orders'];
const NONE = { read: 'none', update: 'none', delete: 'none', create: false, export: false };
const P = (read, update, del, create, exp = false) => ({ read, update, delete: del, create, export: exp });

const ROLE_TABLE = {
  admin: Object.fromEntries([...ENTITIES, 'pipelines'].map((e) => [e, P('all', 'all', 'all', true, true)])),
  manager: {
    ...Object.fromEntries(CRM.map((e) => [e, P('team', 'team', 'team', true, true)])),
    products: P('all', 'all', 'all', true, true),
    pipelines: P('all', 'none', 'none', false, true),
  },
  sales: {
    accounts: P('team', 'own', 'own', true),
    contacts: P('team', 'own', 'own', true),
    ...Object.fromEntries(['leads', 'deals', 'activities', 'tasks', 'orders'].map((e) => [e, P('own', 'own', 'own', true)])),
    products: P('all', 'none', 'none', false),
    pipelines: P('all', 'none', 'none', false),
  },
  support: {
    accounts: P('all', 'own', 'none', false),
    contacts: P('all', 'own', 'none', false),
    orders: P('all', 'own', 'none', false),
    activities: P('all', 'own', 'own', true),
    tasks: P('all', 'own', 'own', true),
    products: P('all', 'none', 'none', false),
    pipelines: P('all', 'none', 'none', false),
  },
  read_only: {
    ...Object.fromEntries(CRM.map((e) => [e, P('team', 'none', 'none', false)])),
    products: P('all', 'none', 'none', false),
    pipelines: P('all', 'none', 'none', false),
  },
};
// The custom role: read own contacts and create contacts, nothing else (an action not given is
// none / false).
const CUSTOM_PERMS = { admin: false, entities: { contacts: { read: 'own', create: true } } };
const CUSTOM_TABLE = { contacts: P('own', 'none', 'none', true) };

// Who is who. `team` is the team the user belongs to; `manages` the team they manage.
const ACTORS = {
  admin: { role: 'admin', team: null },
  mgr_a: { role: 'manager', team: 'A', manages: 'A' },
  mgr_b: { role: 'manager', team: null, manages: 'B' },
  sales_a: { role: 'sales', team: 'A' },
  sales_a2: { role: 'sales', team: 'A' },
  sales_b: { role: 'sales', team: 'B' },
  support: { role: 'support', team: null },
  ro_a: { role: 'read_only', team: 'A' },
  custom_a: { role: 'custom', team: 'A' },
};
const NAMES = Object.keys(ACTORS);

const permsOf = (name) => (ACTORS[name].role === 'custom' ? CUSTOM_TABLE : ROLE_TABLE[ACTORS[name].role]);
const perm = (name, entity) => permsOf(name)[entity] ?? NONE;

// The team rule from the README, on names (static: actors never change team).
function inScopeStatic(viewer, scope, owner) {
  if (scope === 'all') return true;
  if (scope === 'none') return false;
  if (owner === viewer) return true;
  if (scope === 'own') return false;
  const t = ACTORS[owner].team;
  return t !== null && (t === ACTORS[viewer].team || t === ACTORS[viewer].manages);
}

// The same rule on ids against the server's current users and teams (for records owned by
// users other than the actors, e.g. in the change log).
async function world() {
  const users = (await admin.get('/api/v1/users')).json.data;
  const teams = (await admin.get('/api/v1/teams')).json.data;
  return { teamOf: new Map(users.map((u) => [u.id, u.team_id])), managerOf: new Map(teams.map((t) => [t.id, t.manager_id])) };
}
function inScopeIds(w, viewerId, scope, ownerId) {
  if (scope === 'all') return true;
  if (!scope || scope === 'none') return false;
  if (ownerId === viewerId) return true;
  if (scope === 'own') return false;
  const t = w.teamOf.get(ownerId);
  return !!t && (t === w.teamOf.get(viewerId) || w.managerOf.get(t) === viewerId);
}

// ---------------------------------------------------------------------------------------------
// Record bodies

const TOKEN = 'rbx' + randomUUID().replaceAll('-', '').slice(0, 10); // a search word only seeded records carry

function body(entity, label) {
  switch (entity) {
    case 'accounts': return { name: `${label} account` };
    case 'contacts': return { first_name: label, last_name: 'Contact' };
    case 'leads': return { first_name: label, last_name: 'Lead', company: 'Lead Co' };
    case 'deals': return { name: `${label} deal`, amount_minor: 100000, currency: 'CNY' };
    case 'activities': return { type: 'note', subject: `${label} note` };
    case 'tasks': return { title: `${label} task` };
    case 'products': return { name: `${label} product`, currency: 'CNY', price_minor: 500 };
    case 'orders': return { number: `${label}-order`, currency: 'CNY', items: [{ name: 'widget', quantity: 2, unit_price_minor: 150 }] };
  }
  throw new Error(entity);
}
// A harmless field each test may change.
const FREE_FIELD = { accounts: 'description', contacts: 'description', leads: 'description', deals: 'description',
  activities: 'body', tasks: 'description', products: 'description', orders: 'notes' };

// ---------------------------------------------------------------------------------------------
// Setup

let server;
let admin;
const U = {}; // name → { client, id }
const teams = {}; // 'A' | 'B' → id
let customRole;
const seeded = {}; // entity → owner name → record
let W; // world snapshot after setup

function assertProblem(r, status, code, what = '') {
  assert.equal(r.status, status, `${what}: expected ${status} ${code}, got ${r.status} ${r.text}`);
  assert.equal(r.json?.code, code, `${what}: code in ${r.text}`);
}
const withoutRequestId = ({ request_id, ...rest }) => rest;
const uniq = (p) => `${p}${randomUUID().replaceAll('-', '').slice(0, 8)}`;
const ownerName = (id) => NAMES.find((n) => U[n].id === id) ?? id;

async function ok(promise, status = 200, what = '') {
  const r = await promise;
  assert.equal(r.status, status, `${what} ${r.text}`);
  return r;
}

before(async () => {
  server = await startServer();
  admin = await adminClient(server);
  U.admin = { client: admin, id: admin.user.id };
  for (const t of ['A', 'B']) teams[t] = (await ok(admin.post('/api/v1/teams', { name: uniq(`team ${t} `) }), 201)).json.id;
  const cr = await ok(admin.post('/api/v1/roles', { name: uniq('contacts-own-'), permissions: CUSTOM_PERMS }), 201);
  customRole = cr.json.id;
  for (const name of NAMES) {
    if (name === 'admin') continue;
    const a = ACTORS[name];
    const role = a.role === 'custom' ? customRole : a.role;
    const c = await userClient(server, admin, { role, team_id: a.team ? teams[a.team] : null, name });
    U[name] = { client: c, id: c.user.id };
  }
  for (const name of NAMES) {
    if (ACTORS[name].manages) await ok(admin.patch('/api/v1/teams/' + teams[ACTORS[name].manages], { manager_id: U[name].id }));
  }
  for (const e of ENTITIES) {
    seeded[e] = {};
    for (const owner of NAMES) {
      const r = await ok(admin.post('/api/v1/' + e, { ...body(e, `${TOKEN} ${owner}`), owner_id: U[owner].id }), 201, `seed ${e}/${owner}`);
      seeded[e][owner] = r.json;
    }
  }
  W = await world();
});

after(async () => {
  if (server) {
    await server.stop();
    server.cleanup();
  }
});

// ---------------------------------------------------------------------------------------------
// The table in this file is the server's

test('the built-in roles on the server match the role table these tests use', async () => {
  const roles = (await admin.get('/api/v1/roles')).json.data;
  for (const [id, table] of Object.entries(ROLE_TABLE)) {
    const r = roles.find((x) => x.id === id);
    assert.ok(r, `role ${id} exists`);
    assert.equal(r.builtin, true);
    assert.equal(r.permissions.admin, id === 'admin', `${id}.admin`);
    for (const e of [...ENTITIES, 'pipelines']) {
      const got = r.permissions.entities[e] ?? NONE;
      assert.deepEqual(got, table[e] ?? NONE, `${id} on ${e}`);
    }
  }
});

test('every actor\'s /me reports the permissions the matrix expects', async () => {
  for (const name of NAMES) {
    const me = (await U[name].client.get('/api/v1/me')).json;
    assert.equal(me.id, U[name].id);
    for (const e of [...ENTITIES, 'pipelines']) assert.deepEqual(me.permissions.entities[e] ?? NONE, permsOf(name)[e] ?? NONE, `${name} on ${e}`);
  }
});

test('a custom role\'s update/delete scopes are clamped to its read scope', async () => {
  const r = await ok(admin.post('/api/v1/roles', {
    name: uniq('clamp-'),
    permissions: { entities: { leads: { read: 'own', update: 'all', delete: 'team', create: true } } },
  }), 201);
  assert.deepEqual(r.json.permissions.entities.leads, P('own', 'own', 'own', true));
  const bad = await admin.post('/api/v1/roles', { name: uniq('bad-'), permissions: { entities: { leads: { read: 'everything' }, widgets: {} } } });
  assertProblem(bad, 422, 'validation_failed', 'bad scope and unknown entity');
  const fields = bad.json.errors.map((e) => [e.field, e.code]).sort();
  assert.deepEqual(fields, [['permissions.entities.leads.read', 'invalid_choice'], ['permissions.entities.widgets', 'unknown_entity']]);
});

// ---------------------------------------------------------------------------------------------
// One record: get, history, stage history, update, delete, restore

function describeAbilities(r, u, d) {
  const yes = [], no = [];
  (r ? yes : no).push('read');
  (u ? yes : no).push('update');
  (d ? yes : no).push('delete/restore');
  if (!no.length) return `can ${yes.join(', ')}`;
  if (!yes.length) return `cannot ${no.join(', ')}`;
  return `can ${yes.join(', ')} but cannot ${no.join(', ')}`;
}

for (const viewer of NAMES) {
  describe(`as ${viewer} (${ACTORS[viewer].role}${ACTORS[viewer].team ? ', team ' + ACTORS[viewer].team : ''}): single records`, () => {
    for (const e of ENTITIES) {
      for (const owner of NAMES) {
        const p = perm(viewer, e);
        const canRead = inScopeStatic(viewer, p.read, owner);
        const canUpdate = canRead && inScopeStatic(viewer, p.update, owner);
        const canDelete = canRead && inScopeStatic(viewer, p.delete, owner);
        it(`${viewer} ${describeAbilities(canRead, canUpdate, canDelete)} ${e} owned by ${owner}`, async () => {
          const c = U[viewer].client;
          const rec = seeded[e][owner];
          const path = `/api/v1/${e}/${rec.id}`;
          const field = FREE_FIELD[e];

          // Get by id.
          const g = await c.get(path);
          if (canRead) {
            assert.equal(g.status, 200, `GET ${g.text}`);
            assert.equal(g.json.id, rec.id);
            assert.equal(g.json.owner_id, U[owner].id);
          } else {
            assertProblem(g, 404, 'not_found', 'GET out of scope');
            assert.ok(!g.text.includes(TOKEN), 'the 404 does not carry the record');
          }

          // The same id spelt in upper case is the same record, under the same rule.
          const gu = await c.get(`/api/v1/${e}/${rec.id.toUpperCase()}`);
          assert.equal(gu.status, canRead ? 200 : 404, `GET upper-case id: ${gu.text}`);

          // History (the audit trail of the record).
          const h = await c.get(path + '/history');
          if (canRead) {
            assert.equal(h.status, 200, h.text);
            assert.equal(h.json.data[0].action, 'create');
          } else {
            assertProblem(h, 404, 'not_found', 'history out of scope');
          }

          if (e === 'deals') {
            const sh = await c.get(path + '/stage-history');
            if (canRead) {
              assert.equal(sh.status, 200, sh.text);
              assert.ok(sh.json.data.length >= 1);
              assert.equal(sh.json.data[0].to_stage_id, rec.stage_id);
            } else {
              assertProblem(sh, 404, 'not_found', 'stage history out of scope');
            }
          }

          // A stale If-Match must not turn into a 412 that hands out the current record.
          const stale = await c.patch(path, { [field]: 'stale' }, { headers: { 'if-match': '"999"' } });
          if (!canRead) assertProblem(stale, 404, 'not_found', 'stale PATCH out of scope');
          else if (!canUpdate) assertProblem(stale, 403, 'forbidden', 'stale PATCH without update right');
          else assertProblem(stale, 412, 'version_conflict', 'stale PATCH');

          // Update.
          const before = (await admin.get(path)).json;
          const marker = `${viewer} edited ${randomUUID().slice(0, 6)}`;
          const u = await c.patch(path, { [field]: marker });
          const afterU = (await admin.get(path)).json;
          if (canUpdate) {
            assert.equal(u.status, 200, `PATCH ${u.text}`);
            assert.equal(u.json[field], marker);
            assert.equal(afterU[field], marker);
            assert.equal(afterU.version, before.version + 1);
          } else {
            if (canRead) assertProblem(u, 403, 'forbidden', 'PATCH without update right');
            else assertProblem(u, 404, 'not_found', 'PATCH out of scope');
            assert.equal(afterU.version, before.version, 'a refused PATCH wrote nothing');
            assert.equal(afterU[field], before[field]);
          }

          // A stale If-Match on DELETE is no oracle either.
          const staleDel = await c.del(path, { headers: { 'if-match': '"999"' } });
          if (!canRead) assertProblem(staleDel, 404, 'not_found', 'stale DELETE out of scope');
          else if (!canDelete) assertProblem(staleDel, 403, 'forbidden', 'stale DELETE without delete right');
          else assertProblem(staleDel, 412, 'version_conflict', 'stale DELETE');

          // Delete (and restore it if it worked).
          try {
            const d = await c.del(path);
            if (canDelete) {
              assert.equal(d.status, 200, `DELETE ${d.text}`);
              assert.ok(d.json.deleted_at, 'deleted_at set');
              assertProblem(await admin.get(path), 404, 'not_found', 'trashed record');
              const rs = await c.post(path + '/restore');
              assert.equal(rs.status, 200, `restore by the deleter: ${rs.text}`);
              assert.equal(rs.json.deleted_at, null);
            } else {
              if (canRead) assertProblem(d, 403, 'forbidden', 'DELETE without delete right');
              else assertProblem(d, 404, 'not_found', 'DELETE out of scope');
              assert.equal((await admin.get(path)).status, 200, 'a refused DELETE left the record alive');
            }

            // Someone else trashes it: is it in the viewer's trash list, and may they restore it?
            await ok(admin.del(path), 200, 'admin trashes');
            const trash = await c.get(`/api/v1/${e}` + qs({ owner_id: U[owner].id, trashed: 'true', limit: '200' }));
            if (p.read === 'none') assertProblem(trash, 403, 'forbidden', 'trash list without read');
            else {
              assert.equal(trash.status, 200, trash.text);
              assert.equal(trash.json.data.some((x) => x.id === rec.id), canRead, 'trash list shows it iff in scope');
            }
            const rs = await c.post(path + '/restore');
            if (canDelete) assert.equal(rs.status, 200, `restore: ${rs.text}`);
            else if (canRead) assertProblem(rs, 403, 'forbidden', 'restore without delete right');
            else assertProblem(rs, 404, 'not_found', 'restore out of scope');
          } finally {
            // Leave the record live for the other tests.
            if ((await admin.get(path)).status === 404) await ok(admin.post(path + '/restore'), 200, 'admin restores');
          }
        });
      }
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Lists, totals, filters, search, create

// Pages through a list; returns the ids, their owners, and the total of the first page.
async function listAll(c, entity, params) {
  const ids = [];
  const owners = [];
  let total;
  let cursor;
  for (let page = 0; page < 100; page++) {
    const r = await c.get(`/api/v1/${entity}` + qs(cursor ? { ...params, cursor } : params));
    assert.equal(r.status, 200, r.text);
    if (page === 0) {
      total = r.json.total;
      assert.equal(r.json.total_exact, true);
    } else assert.equal(r.json.total, undefined, 'total only on the first page');
    for (const x of r.json.data) {
      ids.push(x.id);
      owners.push(x.owner_id);
    }
    if (!r.json.next_cursor) break;
    cursor = r.json.next_cursor;
  }
  return { ids, owners, total };
}

const expectedOwners = (viewer, e) => NAMES.filter((o) => inScopeStatic(viewer, perm(viewer, e).read, o));

for (const viewer of NAMES) {
  describe(`as ${viewer}: lists, search and create`, () => {
    for (const e of ENTITIES) {
      const p = perm(viewer, e);
      const owners = expectedOwners(viewer, e);
      if (p.read === 'none') {
        it(`${viewer} cannot list or search ${e} at all (403)`, async () => {
          const c = U[viewer].client;
          assertProblem(await c.get(`/api/v1/${e}`), 403, 'forbidden', 'list');
          assertProblem(await c.get(`/api/v1/${e}` + qs({ q: TOKEN })), 403, 'forbidden', 'q=');
          assertProblem(await c.get(`/api/v1/${e}` + qs({ trashed: 'true' })), 403, 'forbidden', 'trash');
          assertProblem(await c.get(`/api/v1/${e}` + qs({ owner_id: U[viewer].id })), 403, 'forbidden', 'own filter');
        });
      } else {
        it(`${viewer} lists exactly the ${e} owned by [${owners.join(', ')}], with matching totals`, async () => {
          const c = U[viewer].client;
          const want = owners.map((o) => seeded[e][o].id).sort();
          // q= search over the list, one page and two-at-a-time paging.
          const one = await c.get(`/api/v1/${e}` + qs({ q: TOKEN, limit: '200' }));
          assert.equal(one.status, 200, one.text);
          assert.deepEqual(one.json.data.map((x) => ownerName(x.owner_id)).sort(), [...owners].sort(), 'owners of the visible records');
          assert.deepEqual(one.json.data.map((x) => x.id).sort(), want);
          assert.equal(one.json.total, want.length, 'total counts only what the caller may see');
          assert.equal(one.json.next_cursor, null);
          const paged = await listAll(c, e, { q: TOKEN, limit: '2' });
          assert.deepEqual([...paged.ids].sort(), want, 'paging yields the same records');
          assert.equal(new Set(paged.ids).size, paged.ids.length, 'no record twice');
          assert.equal(paged.total, want.length);

          // The unfiltered list (records of other tests included): every record is in scope,
          // and the total equals what can be paged through.
          const all = await listAll(c, e, { limit: '200' });
          const w = await world();
          for (const o of all.owners) {
            assert.ok(inScopeIds(w, U[viewer].id, p.read, o), `${viewer} got a ${e} owned by ${ownerName(o)}`);
          }
          assert.equal(all.total, all.ids.length, 'total = number of records that can be paged through');
          for (const id of want) assert.ok(all.ids.includes(id));

          // Filtering on an owner never widens the scope.
          for (const o of NAMES) {
            const r = await c.get(`/api/v1/${e}` + qs({ owner_id: U[o].id, q: TOKEN }));
            assert.equal(r.status, 200, r.text);
            assert.equal(r.json.total, owners.includes(o) ? 1 : 0, `owner_id=${o}`);
            assert.equal(r.json.data.length, r.json.total);
          }
          // A search for a word of an invisible record finds nothing.
          for (const o of NAMES.filter((x) => !owners.includes(x))) {
            const r = await c.get(`/api/v1/${e}` + qs({ q: `${TOKEN} ${o}` }));
            assert.equal(r.status, 200, r.text);
            assert.ok(!r.json.data.some((x) => x.id === seeded[e][o].id), `q finds ${o}'s ${e}`);
          }
        });
      }

      it(`${viewer} ${p.create ? 'can' : 'cannot'} create ${e}`, async () => {
        const c = U[viewer].client;
        const id = randomUUID();
        const r = await c.post(`/api/v1/${e}`, { ...body(e, uniq(`created by ${viewer} `)), id });
        if (p.create) {
          assert.equal(r.status, 201, r.text);
          assert.equal(r.json.id, id);
          assert.equal(r.json.owner_id, U[viewer].id, 'the creator owns it');
          assert.equal(r.json.created_by, U[viewer].id);
          assert.equal((await c.get(`/api/v1/${e}/${id}`)).status, 200, 'the creator can read what they created');
          // Creating on someone's behalf is limited to the update scope.
          for (const other of ['sales_a2', 'sales_b']) {
            if (other === viewer) continue;
            const allowed = inScopeStatic(viewer, p.update, other);
            const r2 = await c.post(`/api/v1/${e}`, { ...body(e, uniq('on behalf ')), owner_id: U[other].id });
            if (allowed) {
              assert.equal(r2.status, 201, `for ${other}: ${r2.text}`);
              assert.equal(r2.json.owner_id, U[other].id);
            } else {
              assertProblem(r2, 422, 'validation_failed', `for ${other}`);
              assert.deepEqual(r2.json.errors.map((x) => [x.field, x.code]), [['owner_id', 'not_allowed']]);
            }
          }
        } else {
          assertProblem(r, 403, 'forbidden', 'create');
          assertProblem(await admin.get(`/api/v1/${e}/${id}`), 404, 'not_found', 'nothing was written');
        }
      });
    }

    it(`${viewer}: /api/v1/search returns only in-scope accounts, contacts, leads and deals`, async () => {
      const c = U[viewer].client;
      const r = await c.get('/api/v1/search' + qs({ q: TOKEN, limit: '50' }));
      assert.equal(r.status, 200, r.text);
      for (const e of ['accounts', 'contacts', 'leads', 'deals']) {
        if (perm(viewer, e).read === 'none') {
          assert.ok(!(e in r.json), `${e} is not searched for a role that cannot read it`);
          continue;
        }
        const want = expectedOwners(viewer, e).map((o) => seeded[e][o].id).sort();
        assert.deepEqual(r.json[e].data.map((x) => x.id).sort(), want, `search ${e}`);
        assert.equal(r.json[e].total, want.length, `search ${e} total`);
      }
    });

    it(`${viewer}: /api/v1/changes shows only changes of in-scope records`, async () => {
      const c = U[viewer].client;
      const w = await world();
      const seen = new Set();
      let after = 0;
      for (let i = 0; i < 100; i++) {
        const r = await c.get('/api/v1/changes' + qs({ after: String(after), limit: '1000' }));
        assert.equal(r.status, 200, r.text);
        for (const ch of r.json.data) {
          assert.ok(ch.seq > after, 'in order');
          // Users, roles, teams and custom fields are listed to every signed-in user, and so are
          // their change-log entries; they have no owner, so the record scope does not apply.
          if (ADMIN_RESOURCES.includes(ch.entity)) {
            assert.equal(ch.owner_id, null, `${ch.entity} ${ch.record_id} has no owner`);
            continue;
          }
          const scope = perm(viewer, ch.entity).read;
          assert.ok(inScopeIds(w, U[viewer].id, scope, ch.owner_id),
            `${viewer} sees a ${ch.action} of ${ch.entity} ${ch.record_id} owned by ${ownerName(ch.owner_id)}`);
          seen.add(ch.record_id);
        }
        assert.ok(r.json.next_after >= after);
        after = r.json.next_after;
        if (!r.json.has_more) break;
      }
      for (const e of ENTITIES) {
        for (const o of NAMES) {
          const visible = inScopeStatic(viewer, perm(viewer, e).read, o);
          assert.equal(seen.has(seeded[e][o].id), visible, `change log ${visible ? 'misses' : 'leaks'} ${e} owned by ${o}`);
        }
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Pipelines: everyone but the custom role reads them; only admins change them

test('pipelines: read by every built-in role, created and changed only by admins', async () => {
  const pipelines = (await admin.get('/api/v1/pipelines')).json.data;
  const def = pipelines[0];
  for (const name of NAMES) {
    const c = U[name].client;
    const p = perm(name, 'pipelines');
    const g = await c.get('/api/v1/pipelines/' + def.id);
    assert.equal(g.status, p.read === 'all' ? 200 : 404, `${name} GET pipeline`);
    const stages = [{ name: 'Open', probability: 10 }, { name: 'Won', probability: 100, is_won: true }];
    const cr = await c.post('/api/v1/pipelines', { name: uniq(`${name} pipe `), position: 500, stages });
    if (p.create) assert.equal(cr.status, 201, cr.text);
    else assertProblem(cr, 403, 'forbidden', `${name} creates a pipeline`);
    const up = await c.patch('/api/v1/pipelines/' + def.id, { name: def.name });
    if (p.update === 'all') assert.equal(up.status, 200, up.text);
    else if (p.read === 'all') assertProblem(up, 403, 'forbidden', `${name} renames a pipeline`);
    else assertProblem(up, 404, 'not_found', `${name} renames an invisible pipeline`);
  }
});

// ---------------------------------------------------------------------------------------------
// Links to other records

test('linking to a record the caller cannot see is 422 reference_not_found, indistinguishable from a missing one', async () => {
  const c = U.sales_a.client;
  const hidden = seeded.accounts.sales_b.id; // team B: outside sales_a's team scope
  const id1 = randomUUID();
  const r1 = await c.post('/api/v1/deals', { id: id1, name: 'link to hidden', account_id: hidden });
  assertProblem(r1, 422, 'validation_failed', 'hidden account');
  assert.deepEqual(r1.json.errors.map((e) => [e.field, e.code]), [['account_id', 'reference_not_found']]);
  const r2 = await c.post('/api/v1/deals', { name: 'link to hidden', account_id: randomUUID() });
  assert.deepEqual(withoutRequestId(r1.json), withoutRequestId(r2.json), 'same answer as for an id that does not exist');
  assertProblem(await admin.get('/api/v1/deals/' + id1), 404, 'not_found', 'nothing written');

  // A team-mate's account is visible to sales (team read on accounts), so linking to it works.
  const ok1 = await c.post('/api/v1/deals', { name: 'link to team account', account_id: seeded.accounts.sales_a2.id });
  assert.equal(ok1.status, 201, ok1.text);

  // Lists of links: each hidden element is reported by index.
  const r3 = await c.post('/api/v1/deals', { name: 'contacts', contact_ids: [seeded.contacts.sales_a.id, seeded.contacts.sales_b.id] });
  assertProblem(r3, 422, 'validation_failed');
  assert.deepEqual(r3.json.errors.map((e) => [e.field, e.code]), [['contact_ids[1]', 'reference_not_found']]);

  // Leads and deals are "own" for sales: a team-mate's are as invisible as another team's.
  const r4 = await c.post('/api/v1/activities', { type: 'call', lead_id: seeded.leads.sales_a2.id, deal_id: seeded.deals.sales_b.id });
  assertProblem(r4, 422, 'validation_failed');
  assert.deepEqual(r4.json.errors.map((e) => [e.field, e.code]).sort(), [['deal_id', 'reference_not_found'], ['lead_id', 'reference_not_found']]);
  const r5 = await c.post('/api/v1/tasks', { title: 'follow up', related_entity: 'deals', related_id: seeded.deals.sales_a2.id });
  assertProblem(r5, 422, 'validation_failed');
  assert.deepEqual(r5.json.errors.map((e) => [e.field, e.code]), [['related_id', 'reference_not_found']]);
  const ok2 = await c.post('/api/v1/tasks', { title: 'follow up', related_entity: 'deals', related_id: seeded.deals.sales_a.id });
  assert.equal(ok2.status, 201, ok2.text);
  const r6 = await c.post('/api/v1/orders', { ...body('orders', 'x'), account_id: hidden, contact_id: seeded.contacts.mgr_b.id });
  assertProblem(r6, 422, 'validation_failed');
  assert.deepEqual(r6.json.errors.map((e) => [e.field, e.code]).sort(), [['account_id', 'reference_not_found'], ['contact_id', 'reference_not_found']]);

  // Changing a link of one's own record to a hidden record is refused the same way.
  const mine = seeded.deals.sales_a.id;
  const before = (await admin.get('/api/v1/deals/' + mine)).json;
  const r7 = await c.patch('/api/v1/deals/' + mine, { account_id: hidden });
  assertProblem(r7, 422, 'validation_failed');
  assert.deepEqual(r7.json.errors.map((e) => [e.field, e.code]), [['account_id', 'reference_not_found']]);
  const afterR = (await admin.get('/api/v1/deals/' + mine)).json;
  assert.equal(afterR.account_id, before.account_id);
  assert.equal(afterR.version, before.version);

  // Other roles: support reads all accounts but no deals; a manager sees their team only.
  const s = U.support.client;
  const r8 = await s.post('/api/v1/activities', { type: 'call', account_id: hidden, deal_id: seeded.deals.sales_a.id });
  assertProblem(r8, 422, 'validation_failed');
  assert.deepEqual(r8.json.errors.map((e) => [e.field, e.code]), [['deal_id', 'reference_not_found']]);
  assert.equal((await s.post('/api/v1/activities', { type: 'call', account_id: hidden })).status, 201);
  const m = U.mgr_a.client;
  assert.equal((await m.post('/api/v1/deals', { name: 'mgr ok', account_id: seeded.accounts.sales_a.id })).status, 201);
  const r9 = await m.post('/api/v1/deals', { name: 'mgr hidden', account_id: hidden });
  assertProblem(r9, 422, 'validation_failed');
  // Trashed records cannot be linked either, even by the admin.
  const trashed = (await ok(admin.post('/api/v1/accounts', { name: 'to be trashed' }), 201)).json.id;
  await ok(admin.del('/api/v1/accounts/' + trashed));
  const r10 = await admin.post('/api/v1/contacts', { last_name: 'x', account_id: trashed });
  assertProblem(r10, 422, 'validation_failed');
  assert.equal(r10.json.errors[0].code, 'reference_not_found');
});

test('a record\'s links do not leak anything of linked records the caller cannot see', async () => {
  const secretAcct = `Secretacct${randomUUID().slice(0, 8)}`;
  const secretPerson = `Secretperson${randomUUID().slice(0, 8)}`;
  const acct = (await ok(admin.post('/api/v1/accounts', { name: secretAcct, phone: '+86 138 0000 4242', owner_id: U.sales_b.id }), 201)).json;
  const person = (await ok(admin.post('/api/v1/contacts', { first_name: secretPerson, last_name: 'X', owner_id: U.sales_b.id }), 201)).json;
  const mine = U.sales_a.id;
  const made = {
    contacts: (await ok(admin.post('/api/v1/contacts', { last_name: 'Linked', account_id: acct.id, owner_id: mine }), 201)).json,
    deals: (await ok(admin.post('/api/v1/deals', { name: 'Linked deal', account_id: acct.id, contact_ids: [person.id], owner_id: mine }), 201)).json,
    activities: (await ok(admin.post('/api/v1/activities', { type: 'call', account_id: acct.id, contact_id: person.id, owner_id: mine }), 201)).json,
    orders: (await ok(admin.post('/api/v1/orders', { ...body('orders', 'Linked'), account_id: acct.id, contact_id: person.id, owner_id: mine }), 201)).json,
    tasks: (await ok(admin.post('/api/v1/tasks', { title: 'Linked task', related_entity: 'accounts', related_id: acct.id, owner_id: mine }), 201)).json,
  };
  const c = U.sales_a.client;
  // The phone as it is stored, not only its last digits: four digits alone also turn up in ids
  // and times of unrelated records, which made this check fail at random.
  const secrets = [secretAcct, secretPerson, '0000 4242'];
  const clean = (r, what) => {
    assert.equal(r.status, 200, `${what}: ${r.text}`);
    for (const s of secrets) assert.ok(!r.text.includes(s), `${what} leaks ${s}`);
  };
  for (const [e, rec] of Object.entries(made)) {
    clean(await c.get(`/api/v1/${e}/${rec.id}`), `GET ${e}`);
    clean(await c.get(`/api/v1/${e}/${rec.id}/history`), `history ${e}`);
    clean(await c.get(`/api/v1/${e}` + qs({ limit: '200' })), `list ${e}`);
  }
  clean(await c.get('/api/v1/search' + qs({ q: 'Linked' })), 'search');
  // The linked records themselves stay hidden, and searching their words finds nothing.
  assertProblem(await c.get('/api/v1/accounts/' + acct.id), 404, 'not_found');
  assertProblem(await c.get('/api/v1/contacts/' + person.id), 404, 'not_found');
  const s = await c.get('/api/v1/search' + qs({ q: secretAcct }));
  assert.equal(s.json.accounts.total, 0);
  const s2 = await c.get('/api/v1/search' + qs({ q: '4242' }));
  assert.equal(s2.json.accounts.total, 0, 'phone tail search');
  // Nor does the change log carry them.
  let after = 0;
  for (;;) {
    const r = await c.get('/api/v1/changes' + qs({ after: String(after), limit: '1000' }));
    assert.ok(!r.json.data.some((x) => x.record_id === acct.id || x.record_id === person.id), 'change log leaks linked records');
    after = r.json.next_after;
    if (!r.json.has_more) break;
  }
});

// ---------------------------------------------------------------------------------------------
// Ownership changes, team changes

test('a manager reassigns within the team only; sales cannot give records away', async () => {
  const deal = (await ok(U.sales_a.client.post('/api/v1/deals', { name: uniq('handover ') }), 201)).json;
  const path = '/api/v1/deals/' + deal.id;
  assertProblem(await U.sales_a.client.patch(path, { owner_id: U.sales_a2.id }), 422, 'validation_failed', 'sales gives away');
  assert.equal((await admin.get(path)).json.owner_id, U.sales_a.id);

  const m = U.mgr_a.client;
  const out = await m.patch(path, { owner_id: U.sales_b.id });
  assertProblem(out, 422, 'validation_failed', 'manager hands to another team');
  assert.deepEqual(out.json.errors.map((e) => [e.field, e.code]), [['owner_id', 'not_allowed']]);
  const r = await m.patch(path, { owner_id: U.sales_a2.id });
  assert.equal(r.status, 200, r.text);
  // Visibility follows the owner on the very next request.
  assertProblem(await U.sales_a.client.get(path), 404, 'not_found', 'old owner');
  assert.equal((await U.sales_a2.client.get(path)).status, 200, 'new owner');
  assert.equal((await U.sales_a2.client.get('/api/v1/deals/' + deal.id + '/stage-history')).status, 200);
  assertProblem(await U.sales_a.client.get('/api/v1/deals/' + deal.id + '/stage-history'), 404, 'not_found');
  // The reassigned owner's change-log entry is visible to the new owner, not to the old one.
  const lastFor = async (c) => {
    const all = [];
    let after = 0;
    for (;;) {
      const x = await c.get('/api/v1/changes' + qs({ after: String(after), limit: '1000' }));
      all.push(...x.json.data.filter((y) => y.record_id === deal.id));
      after = x.json.next_after;
      if (!x.json.has_more) break;
    }
    return all;
  };
  assert.ok((await lastFor(U.sales_a2.client)).some((x) => x.action === 'update' && x.owner_id === U.sales_a2.id));
  assert.ok(!(await lastFor(U.sales_a.client)).some((x) => x.action === 'update'), 'old owner does not see later changes');
});

test('moving a user to another team changes what everyone sees on the next request', async () => {
  const mover = await userClient(server, admin, { role: 'sales', team_id: teams.A, name: 'mover' });
  const acct = (await ok(mover.post('/api/v1/accounts', { name: uniq('mover account ') }), 201)).json;
  const lead = (await ok(mover.post('/api/v1/leads', { last_name: uniq('moverlead') }), 201)).json;
  const a = `/api/v1/accounts/${acct.id}`;
  const l = `/api/v1/leads/${lead.id}`;
  const st = async (c, p) => (await c.get(p)).status;

  assert.equal(await st(U.sales_a.client, a), 200, 'team-mate in A sees it');
  assert.equal(await st(U.mgr_a.client, a), 200, 'manager of A sees it');
  assert.equal(await st(U.mgr_a.client, l), 200, 'manager of A sees the lead');
  assert.equal(await st(U.ro_a.client, a), 200, 'read_only in A sees it');
  assert.equal(await st(U.sales_b.client, a), 404, 'B does not');
  assert.equal(await st(U.mgr_b.client, a), 404, 'manager of B does not');
  assert.equal(await st(mover, `/api/v1/accounts/${seeded.accounts.sales_a.id}`), 200, 'mover sees A');
  assert.equal(await st(mover, `/api/v1/accounts/${seeded.accounts.sales_b.id}`), 404, 'mover does not see B');

  const r = await admin.patch('/api/v1/users/' + mover.user.id, { team_id: teams.B });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.team_id, teams.B);

  // A team change is not a sign-out: the mover's token keeps working.
  const me = await mover.get('/api/v1/me');
  assert.equal(me.status, 200, me.text);
  assert.equal(me.json.team_id, teams.B);
  assert.equal(await st(U.sales_a.client, a), 404, 'former team-mate no longer sees it');
  assert.equal(await st(U.mgr_a.client, a), 404, 'former manager no longer sees the account');
  assert.equal(await st(U.mgr_a.client, l), 404, 'former manager no longer sees the lead');
  assert.equal(await st(U.ro_a.client, a), 404);
  assert.equal(await st(U.sales_b.client, a), 200, 'new team-mate sees it');
  assert.equal(await st(U.mgr_b.client, a), 200, 'new manager sees the account');
  assert.equal(await st(U.mgr_b.client, l), 200, 'new manager sees the lead');
  assert.equal(await st(mover, `/api/v1/accounts/${seeded.accounts.sales_a.id}`), 404, 'mover no longer sees A');
  assert.equal(await st(mover, `/api/v1/accounts/${seeded.accounts.sales_b.id}`), 200, 'mover sees B');
  const lb = await U.sales_b.client.get('/api/v1/accounts' + qs({ owner_id: mover.user.id }));
  assert.equal(lb.json.total, 1, 'lists follow too');
  const la = await U.sales_a.client.get('/api/v1/accounts' + qs({ owner_id: mover.user.id }));
  assert.equal(la.json.total, 0);
  // And so does the manager's right to change the lead.
  assertProblem(await U.mgr_a.client.patch(l, { title: 'x' }), 404, 'not_found', 'former manager edits');
  assert.equal((await U.mgr_b.client.patch(l, { title: 'checked by new manager' })).status, 200);
});

test('making someone a team\'s manager (and taking it back) applies on their next request', async () => {
  const team = (await ok(admin.post('/api/v1/teams', { name: uniq('team C ') }), 201)).json;
  const member = await userClient(server, admin, { role: 'sales', team_id: team.id });
  const boss = await userClient(server, admin, { role: 'manager' });
  const acct = (await ok(member.post('/api/v1/accounts', { name: uniq('team C account ') }), 201)).json;
  const p = `/api/v1/accounts/${acct.id}`;
  assertProblem(await boss.get(p), 404, 'not_found', 'before becoming manager');
  await ok(admin.patch('/api/v1/teams/' + team.id, { manager_id: boss.user.id }));
  assert.equal((await boss.get(p)).status, 200, 'manager of the team sees members\' records');
  assert.equal((await boss.get('/api/v1/accounts' + qs({ owner_id: member.user.id }))).json.total, 1);
  await ok(admin.patch('/api/v1/teams/' + team.id, { manager_id: null }));
  assertProblem(await boss.get(p), 404, 'not_found', 'after losing the team');
});

// ---------------------------------------------------------------------------------------------
// Lead conversion goes through the same checks

test('lead conversion respects read, create and update permissions', async () => {
  // read_only sees a team-mate's lead but may create nothing: 403, and nothing is written.
  const lead = (await ok(U.sales_a.client.post('/api/v1/leads', { last_name: uniq('convertme'), company: uniq('Convco ') }), 201)).json;
  const path = `/api/v1/leads/${lead.id}/convert`;
  assertProblem(await U.ro_a.client.post(path, {}), 403, 'forbidden', 'read_only converts');
  // Another team's sales user cannot even see it.
  assertProblem(await U.sales_b.client.post(path, {}), 404, 'not_found', 'sales_b converts');
  // sales_a2 (same team, but leads are "own" for sales) cannot see it either.
  assertProblem(await U.sales_a2.client.post(path, {}), 404, 'not_found', 'sales_a2 converts');
  const still = (await admin.get('/api/v1/leads/' + lead.id)).json;
  assert.equal(still.status, 'new');
  assert.equal(still.version, lead.version);
  const acc = await admin.get('/api/v1/accounts' + qs({ q: lead.company }));
  assert.equal(acc.json.total, 0, 'no account was left behind by the refused conversions');

  // Converting onto an account the caller cannot see answers as for a missing account.
  const hidden = await U.sales_a.client.post(path, { account_id: seeded.accounts.sales_b.id });
  const missing = await U.sales_a.client.post(path, { account_id: randomUUID() });
  assert.ok(hidden.status >= 400, hidden.text);
  assert.deepEqual([hidden.status, hidden.json.code, hidden.json.errors], [missing.status, missing.json.code, missing.json.errors]);
  assert.equal((await admin.get('/api/v1/leads/' + lead.id)).json.status, 'new');

  // The manager of the team may convert it.
  const done = await U.mgr_a.client.post(path, { deal: { amount_minor: 5000, currency: 'CNY' } });
  assert.equal(done.status, 200, done.text);
  assert.equal(done.json.lead.status, 'converted');
  assert.equal(done.json.account.owner_id, U.mgr_a.id);
});

test('converting a lead needs the right to change it: a role that can only read leads cannot convert them', async () => {
  const role = (await ok(admin.post('/api/v1/roles', {
    name: uniq('lead-reader-'),
    permissions: { entities: { leads: { read: 'all' }, accounts: { read: 'own', create: true }, contacts: { read: 'own', create: true }, deals: { read: 'own', create: true } } },
  }), 201)).json;
  const c = await userClient(server, admin, { role: role.id });
  const lead = (await ok(admin.post('/api/v1/leads', { last_name: uniq('readonlylead'), company: uniq('Rolco ') }), 201)).json;
  // Updating the lead directly is forbidden ...
  assertProblem(await c.patch(`/api/v1/leads/${lead.id}`, { status: 'converted' }), 403, 'forbidden', 'direct update');
  // ... so converting it (which sets its status and links) must be forbidden too.
  const r = await c.post(`/api/v1/leads/${lead.id}/convert`, {});
  const after = (await admin.get(`/api/v1/leads/${lead.id}`)).json;
  assertProblem(r, 403, 'forbidden', 'convert without update right on the lead');
  assert.equal(after.status, 'new', 'the lead was not changed');
});

test('a conversion that needs a permission the role lacks is refused as a whole: nothing is half-converted', async () => {
  const role = (await ok(admin.post('/api/v1/roles', {
    name: uniq('no-deals-'),
    permissions: { entities: { leads: { read: 'own', update: 'own', create: true }, accounts: { read: 'own', create: true }, contacts: { read: 'own', create: true } } },
  }), 201)).json;
  const c = await userClient(server, admin, { role: role.id });
  const company = uniq('Halfco ');
  const lead = (await ok(c.post('/api/v1/leads', { last_name: uniq('halflead'), company }), 201)).json;
  // The account and contact would be allowed, the deal is not: 403, and the account and contact
  // created earlier in the same conversion are rolled back.
  assertProblem(await c.post(`/api/v1/leads/${lead.id}/convert`, { deal: { amount_minor: 100, currency: 'CNY' } }), 403, 'forbidden', 'convert with deal');
  assert.equal((await admin.get('/api/v1/accounts' + qs({ q: company }))).json.total, 0, 'no account left behind');
  assert.equal((await admin.get('/api/v1/contacts' + qs({ q: lead.last_name }))).json.total, 0, 'no contact left behind');
  const same = (await admin.get('/api/v1/leads/' + lead.id)).json;
  assert.equal(same.status, 'new');
  assert.equal(same.version, lead.version);
  // Without the deal it goes through, and the new records belong to the converter.
  const r = await c.post(`/api/v1/leads/${lead.id}/convert`, {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.account.owner_id, c.user.id);
  assert.equal(r.json.contact.owner_id, c.user.id);
  assert.equal(r.json.deal, null);
});

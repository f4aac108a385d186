// GET /api/v1/pipelines/{id}/summary: per stage, the count of deals and their totals per currency
// (plain and probability-weighted), computed by the server over every matching deal the caller
// may read, not over the first page a board column loads. Also the owner_team_id filter the board
// uses ("deals owned by members of the team"), on the deals list and on another entity.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, adminClient, userClient, qs } from './harness.mjs';

let server, admin, pipeline, teamA, teamB, repA1, repA2, repB, manager;
const stage = (name) => pipeline.stages.find((s) => s.name === name).id;

// Creates a deal as the admin, owned by `owner`; returns it.
async function deal(fields) {
  const r = await admin.post('/api/v1/deals', { pipeline_id: pipeline.id, ...fields });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

async function summary(client, params = {}) {
  const r = await client.get(`/api/v1/pipelines/${pipeline.id}/summary` + qs(params));
  assert.equal(r.status, 200, r.text);
  return Object.fromEntries(r.json.data.map((s) => [s.stage_id, s]));
}

// The expected entry of one stage from the deals themselves, with BigInt (exact) sums and the
// documented rounding: Σ amount × probability / 100, once, halves away from zero.
function expected(deals) {
  const by = new Map();
  for (const d of deals) {
    if (d.amount_minor == null) continue;
    const t = by.get(d.currency) ?? { amount: 0n, x100: 0n };
    t.amount += BigInt(d.amount_minor);
    t.x100 += BigInt(d.amount_minor) * BigInt(d.probability);
    by.set(d.currency, t);
  }
  const totals = [...by.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, t]) => {
    const q = t.x100 / 100n, r = t.x100 % 100n;
    return { currency, amount_minor: Number(t.amount), weighted_minor: Number(r * 2n >= 100n ? q + 1n : q) };
  });
  return { count: deals.length, totals };
}

before(async () => {
  server = await startServer();
  admin = await adminClient(server);
  const p = await admin.post('/api/v1/pipelines', {
    name: 'Summary test',
    position: 50,
    stages: [
      { name: 'Many', probability: 10 },
      { name: 'Third', probability: 33 },
      { name: 'Half', probability: 50 },
      { name: 'Won', probability: 100, is_won: true },
      { name: 'Lost', probability: 0, is_lost: true },
    ],
  });
  assert.equal(p.status, 201, p.text);
  pipeline = p.json;
  teamA = (await admin.post('/api/v1/teams', { name: 'Summary A' })).json;
  teamB = (await admin.post('/api/v1/teams', { name: 'Summary B' })).json;
  repA1 = await userClient(server, admin, { role: 'sales', team_id: teamA.id });
  repA2 = await userClient(server, admin, { role: 'sales', team_id: teamA.id });
  repB = await userClient(server, admin, { role: 'sales', team_id: teamB.id });
  manager = await userClient(server, admin, { role: 'manager', team_id: teamA.id });
});

after(async () => server && server.close());

describe('pipeline summary', () => {
  const many = [];
  before(async () => {
    // 60 deals in one stage (more than a board column's first page of 50), in two currencies,
    // owned by three reps in two teams, 4 without an amount; amounts that a float would not add.
    const owners = () => [repA1, repA2, repB];
    for (let i = 0; i < 60; i++) {
      const owner = owners()[i % 3].user.id;
      const amount = i % 15 === 14 ? null : 1_000_000_000_007 + i * 1013;
      many.push(await deal({
        name: `Many ${i}`,
        stage_id: stage('Many'),
        owner_id: owner,
        ...(amount == null ? {} : { amount_minor: amount, currency: i % 2 ? 'USD' : 'CNY' }),
        expected_close_date: i < 30 ? '2026-03-15' : '2026-07-01',
        tags: i % 4 === 0 ? ['vip'] : [],
      }));
    }
  });

  it('sums every deal of a stage exactly, per currency, beyond the first 50', async () => {
    const s = await summary(admin);
    assert.deepEqual(Object.keys(s), pipeline.stages.map((x) => x.id), 'one entry per stage, in order');
    assert.equal(s[stage('Many')].count, 60);
    assert.deepEqual(s[stage('Many')], { stage_id: stage('Many'), ...expected(many) });
    assert.equal(s[stage('Many')].totals.length, 2, 'CNY and USD apart, never added together');
    assert.deepEqual(s[stage('Lost')], { stage_id: stage('Lost'), count: 0, totals: [] });
    // The list agrees on the count (its total), and its first page holds only 50 of them.
    const page = await admin.get('/api/v1/deals' + qs({ pipeline_id: pipeline.id, stage_id: stage('Many'), limit: 50 }));
    assert.equal(page.json.total, 60);
    assert.equal(page.json.data.length, 50);
  });

  it('rounds a weighted total once, halves away from zero', async () => {
    // 333 at 33% = 109.89 -> 110; 1 at 50% = 0.5 -> 1; three of 1 JPY at 50% = 1.5 -> 2 (rounding
    // each deal would give 3); 101 + 102 at 33% = 66.99 -> 67.
    const made = [
      await deal({ name: 'R1', stage_id: stage('Third'), amount_minor: 333, currency: 'CNY' }),
      await deal({ name: 'R2', stage_id: stage('Third'), amount_minor: 101, currency: 'EUR' }),
      await deal({ name: 'R3', stage_id: stage('Third'), amount_minor: 102, currency: 'EUR' }),
      await deal({ name: 'R4', stage_id: stage('Half'), amount_minor: 1, currency: 'USD' }),
      await deal({ name: 'R5', stage_id: stage('Half'), amount_minor: 1, currency: 'JPY' }),
      await deal({ name: 'R6', stage_id: stage('Half'), amount_minor: 1, currency: 'JPY' }),
      await deal({ name: 'R7', stage_id: stage('Half'), amount_minor: 1, currency: 'JPY' }),
      await deal({ name: 'R8', stage_id: stage('Won'), amount_minor: 9_000_000_000_000_000, currency: 'USD' }),
      await deal({ name: 'R9', stage_id: stage('Won'), amount_minor: 8_999_999_999_999_999, currency: 'USD' }),
    ];
    const s = await summary(admin, { q: 'R' });
    assert.deepEqual(s[stage('Third')].totals, [
      { currency: 'CNY', amount_minor: 333, weighted_minor: 110 },
      { currency: 'EUR', amount_minor: 203, weighted_minor: 67 },
    ]);
    assert.deepEqual(s[stage('Half')].totals, [
      { currency: 'JPY', amount_minor: 3, weighted_minor: 2 },
      { currency: 'USD', amount_minor: 1, weighted_minor: 1 },
    ]);
    // 17999999999999999 in all, odd and beyond a double's 53 bits: every digit as the server wrote it (read from the
    // text, not through JSON.parse's doubles), and at 100% the weighted total is the amount.
    assert.equal(s[stage('Won')].count, 2);
    const raw = await admin.get(`/api/v1/pipelines/${pipeline.id}/summary?q=R`);
    assert.match(raw.text, /"amount_minor":17999999999999999,"weighted_minor":17999999999999999/);
    for (const d of made) assert.equal((await admin.del(`/api/v1/deals/${d.id}`)).status, 200);
  });

  it('applies the deals list filters: owner, team, expected close date, tags', async () => {
    const check = async (params, keep) => {
      const s = await summary(admin, params);
      assert.deepEqual(s[stage('Many')], { stage_id: stage('Many'), ...expected(many.filter(keep)) }, JSON.stringify(params));
      const list = await admin.get('/api/v1/deals' + qs({ ...params, pipeline_id: pipeline.id, stage_id: stage('Many') }));
      assert.equal(list.json.total, many.filter(keep).length, 'the list counts the same deals');
    };
    await check({ owner_id: repA2.user.id }, (d) => d.owner_id === repA2.user.id);
    await check({ owner_team_id: teamA.id }, (d) => d.owner_id !== repB.user.id);
    await check({ owner_team_id: teamB.id }, (d) => d.owner_id === repB.user.id);
    await check({ 'owner_team_id[in]': `${teamA.id},${teamB.id}` }, () => true);
    await check({ 'expected_close_date[gte]': '2026-03-01', 'expected_close_date[lte]': '2026-03-31' },
      (d) => d.expected_close_date === '2026-03-15');
    await check({ tags: 'vip' }, (d) => d.tags.includes('vip'));
    await check({ tags: 'vip', owner_id: repA1.user.id }, (d) => d.tags.includes('vip') && d.owner_id === repA1.user.id);
  });

  it('goes through the read scope: a rep sums their own deals, a manager their team\'s', async () => {
    const own = await summary(repA1);
    assert.deepEqual(own[stage('Many')], { stage_id: stage('Many'), ...expected(many.filter((d) => d.owner_id === repA1.user.id)) });
    const team = await summary(manager);
    assert.deepEqual(team[stage('Many')], { stage_id: stage('Many'), ...expected(many.filter((d) => d.owner_id !== repB.user.id)) });
    // A filter cannot widen the scope: the rep asking for team B's deals gets none.
    const other = await summary(repA1, { owner_id: repB.user.id });
    assert.deepEqual(other[stage('Many')], { stage_id: stage('Many'), count: 0, totals: [] });
  });

  it('leaves out deals in the trash', async () => {
    const before = await summary(admin);
    const gone = many[0];
    assert.equal((await admin.del(`/api/v1/deals/${gone.id}`)).status, 200);
    const now = await summary(admin);
    assert.equal(now[stage('Many')].count, before[stage('Many')].count - 1);
    assert.deepEqual(now[stage('Many')], { stage_id: stage('Many'), ...expected(many.slice(1)) });
    assert.equal((await admin.post(`/api/v1/deals/${gone.id}/restore`)).status, 200);
    assert.deepEqual((await summary(admin))[stage('Many')], before[stage('Many')]);
  });

  it('refuses what a sum does not take, and pipelines it cannot see', async () => {
    for (const key of ['limit', 'cursor', 'sort', 'trashed', 'pipeline_id']) {
      const r = await admin.get(`/api/v1/pipelines/${pipeline.id}/summary?${key}=1`);
      assert.equal(r.status, 400, key);
      assert.equal(r.json.code, 'unknown_parameter');
      assert.equal(r.json.errors[0].field, key);
    }
    const bad = await admin.get(`/api/v1/pipelines/${pipeline.id}/summary?expected_close_date[gte]=soon`);
    assert.equal(bad.status, 400);
    assert.equal(bad.json.code, 'invalid_parameter');
    assert.equal(bad.json.errors[0].field, 'expected_close_date[gte]');
    const missing = await admin.get('/api/v1/pipelines/00000000-0000-7000-8000-000000000000/summary');
    assert.equal(missing.status, 404);
    const anon = await new (admin.constructor)(server.url).get(`/api/v1/pipelines/${pipeline.id}/summary`);
    assert.equal(anon.status, 401);
  });
});

describe('owner_team_id filter', () => {
  it('lists records owned by members of a team, on any entity', async () => {
    const mine = (await repA2.post('/api/v1/contacts', { first_name: 'TeamFilterA' })).json;
    const theirs = (await repB.post('/api/v1/contacts', { first_name: 'TeamFilterB' })).json;
    const names = async (params) => (await admin.get('/api/v1/contacts' + qs({ q: 'TeamFilter', ...params }))).json.data.map((c) => c.id);
    assert.deepEqual(await names({ owner_team_id: teamA.id }), [mine.id]);
    assert.deepEqual(await names({ owner_team_id: teamB.id }), [theirs.id]);
    assert.deepEqual(new Set(await names({ 'owner_team_id[in]': `${teamA.id},${teamB.id}` })), new Set([mine.id, theirs.id]));
    assert.deepEqual(await names({ 'owner_team_id[null]': 'true' }), [], 'both owners are in a team');
    const adminsOwn = (await admin.post('/api/v1/contacts', { first_name: 'TeamFilterNone' })).json;
    assert.deepEqual(await names({ 'owner_team_id[null]': 'true' }), [adminsOwn.id], 'the admin is in no team');
  });

  it('refuses other operators and values that are not ids', async () => {
    const ne = await admin.get('/api/v1/deals' + qs({ 'owner_team_id[ne]': teamA.id }));
    assert.equal(ne.status, 400);
    assert.equal(ne.json.code, 'invalid_operator');
    assert.equal(ne.json.errors[0].field, 'owner_team_id[ne]');
    const junk = await admin.get('/api/v1/deals' + qs({ owner_team_id: 'team-a' }));
    assert.equal(junk.status, 400);
    assert.equal(junk.json.code, 'invalid_parameter');
  });
});

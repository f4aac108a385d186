// The company's language (keel serve --locale / KEEL_LOCALE): a database created in Chinese has
// a Chinese pipeline, a Chinese-speaking first admin and a Chinese demo company; in English,
// English; not chosen, English with the admin's language left to the browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, adminClient, listAll, qs } from './harness.mjs';

const HAN = /[\u4e00-\u9fff]/;

async function company(opts) {
  const server = await startServer({ demo: true, ...opts });
  try {
    const admin = await adminClient(server);
    const pipelines = (await admin.get('/api/v1/pipelines' + qs({ sort: 'position', limit: 1 }))).json.data;
    const tasks = [...(await listAll(admin, 'tasks')).values()];
    const accounts = [...(await listAll(admin, 'accounts')).values()];
    const activities = [...(await listAll(admin, 'activities')).values()];
    const deals = [...(await listAll(admin, 'deals')).values()];
    return { pipeline: pipelines[0], tasks, accounts, activities, deals, admin: admin.user };
  } finally {
    await server.close();
  }
}

test('--locale zh-CN: Chinese pipeline, stages, demo data, and a zh-CN admin', async () => {
  const c = await company({ locale: 'zh-CN' });
  assert.equal(c.pipeline.name, '销售流程');
  assert.deepEqual(c.pipeline.stages.map((s) => s.name), ['初步接触', '需求确认', '方案报价', '商务谈判', '赢单', '输单']);
  assert.ok(c.tasks.length > 0);
  for (const t of c.tasks) assert.match(t.title, HAN, `task title ${t.title}`);
  for (const t of c.tasks) assert.doesNotMatch(t.title, /[A-Za-z]/, `task title ${t.title} has no English`);
  for (const a of c.accounts) assert.match(a.industry, HAN, `industry ${a.industry}`);
  for (const a of c.activities) assert.match(a.subject, HAN, `subject ${a.subject}`);
  for (const a of c.activities) assert.doesNotMatch(a.body, /[A-Za-z]{3}/, `body ${a.body}`);
  for (const d of c.deals) assert.match(d.name, /年部署$/, `deal ${d.name}`);
  assert.equal(c.admin.locale, 'zh-CN');
});

test('--locale en: English pipeline, stages, demo data, and an en admin', async () => {
  const c = await company({ locale: 'en' });
  assert.equal(c.pipeline.name, 'Sales');
  assert.deepEqual(c.pipeline.stages.map((s) => s.name), ['Qualification', 'Needs analysis', 'Proposal', 'Negotiation', 'Won', 'Lost']);
  assert.ok(c.tasks.length > 0);
  for (const t of c.tasks) assert.doesNotMatch(t.title, HAN, `task title ${t.title}`);
  for (const a of c.accounts) assert.doesNotMatch(a.industry, HAN, `industry ${a.industry}`);
  for (const a of c.activities) assert.doesNotMatch(a.subject + a.body, HAN, `activity ${a.subject}`);
  for (const d of c.deals) assert.match(d.name, /2027 rollout$/, `deal ${d.name}`);
  // A real Chinese company's CRM holds Chinese customers in English too.
  assert.ok(c.accounts.some((a) => HAN.test(a.name)), 'Chinese customer names stay');
  assert.equal(c.admin.locale, 'en');
});

test('KEEL_LOCALE sets the language; unset, English with the admin following the browser', async () => {
  const zh = await company({ env: { KEEL_LOCALE: 'zh-CN' } });
  assert.equal(zh.pipeline.name, '销售流程');
  assert.equal(zh.admin.locale, 'zh-CN');
  const dflt = await company({ env: { KEEL_LOCALE: '' } });
  assert.equal(dflt.pipeline.name, 'Sales');
  assert.equal(dflt.admin.locale, null);
});

test('an unknown locale is refused at start-up', async () => {
  await assert.rejects(startServer({ env: { KEEL_LOCALE: 'fr' } }), /KEEL_LOCALE must be one of en, zh-CN/);
  await assert.rejects(startServer({ locale: 'de' }), /--locale/);
});

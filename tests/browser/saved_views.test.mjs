// Saved views on a list: a team manager saves the list as it is (search and sort) and shares
// it; choosing it later applies it; a rep of the team finds it under "Shared with my team" and
// cannot delete it; a rep saves only personal views; the view in use shows as chosen until the
// list leaves it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appServerAndBrowser, expectCount, login, newPage, withScreenshotOnFailure } from './helpers.mjs';

const ctx = appServerAndBrowser();
const shot = (name, fn) => withScreenshotOnFailure(name, () => ctx.pages, fn);

async function person(role, teamId, name) {
  const email = `views-${role}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
  const password = 'views-password-1';
  const r = await ctx.api.post('/api/v1/users', { email, name, password, role_id: role, team_id: teamId, locale: 'en' });
  assert.equal(r.status, 201, r.text);
  const page = await newPage(ctx.browser);
  ctx.pages.push(page);
  await login(page, ctx.server, email, password);
  return { page, id: r.json.id };
}

async function chooseView(page, label) {
  await page.getByRole('combobox', { name: 'Saved views' }).click();
  await page.locator('.ant-select-dropdown:visible').getByText(label, { exact: true }).click();
}

test('a manager shares a view with the team; a rep of the team applies it and cannot delete it', () => shot('views-share', async () => {
  const team = (await ctx.api.post('/api/v1/teams', { name: `Views team ${Date.now()}` })).json;
  const manager = await person('manager', team.id, 'Views Manager');
  assert.equal((await ctx.api.patch(`/api/v1/teams/${team.id}`, { manager_id: manager.id })).status, 200);
  // Owned by the manager: a team's manager and reps read their team's records.
  for (const name of ['Saved View Alpha', 'Saved View Beta', 'Other Company']) {
    const a = await ctx.api.post('/api/v1/accounts', { name, owner_id: manager.id });
    assert.equal(a.status, 201, a.text);
  }

  const m = manager.page;
  await m.goto(ctx.server.url + '/accounts?q=' + encodeURIComponent('Saved View'));
  await m.getByTestId('row-link').filter({ hasText: 'Saved View Alpha' }).waitFor();
  await m.getByTestId('save-view').click();
  await m.getByTestId('view-name').fill('Saved view accounts');
  await m.getByTestId('view-shared').check();
  await m.getByRole('button', { name: 'Save', exact: true }).click();
  await m.getByText('View "Saved view accounts" saved.').waitFor();
  // In use: the list's query is the view's.
  await m.getByTestId('saved-views').getByText('Saved view accounts').waitFor();

  const rep = await person('sales', team.id, 'Views Rep');
  const r = rep.page;
  await r.goto(ctx.server.url + '/accounts');
  await r.getByTestId('row-link').first().waitFor();
  await chooseView(r, 'Saved view accounts · Views Manager');
  await r.waitForURL((u) => u.searchParams.get('q') === 'Saved View');
  await r.getByTestId('row-link').filter({ hasText: 'Saved View Beta' }).waitFor();
  // The list of all accounts gives way to the view's (wait for it: the old rows stay until then).
  await expectCount(r.getByTestId('row-link').filter({ hasText: 'Other Company' }), 0);
  assert.equal(await r.getByTestId('delete-view').count(), 0, 'a rep cannot delete the manager\'s view');
  // A rep saves personal views only.
  await r.getByTestId('save-view').click();
  await r.getByTestId('view-name').waitFor();
  assert.equal(await r.getByTestId('view-shared').count(), 0);
  await r.getByRole('button', { name: 'Cancel' }).click();

  // Leaving the view by hand shows that the list is no longer the view.
  await r.getByTestId('list-search').fill('Other');
  await r.getByTestId('list-search').press('Enter');
  await r.waitForURL((u) => u.searchParams.get('q') === 'Other');
  assert.equal(await r.getByTestId('saved-views').getByText('Saved view accounts').count(), 0);

  // The manager deletes it; it is gone for the team.
  await m.getByTestId('delete-view').click();
  await m.getByRole('button', { name: 'Delete', exact: true }).click();
  await m.getByText('View "Saved view accounts" deleted.').waitFor();
  const left = await ctx.api.get('/api/v1/audit?entity=saved_views&action=delete');
  assert.equal(left.json.data[0].changes.name[0], 'Saved view accounts');
}));

test('in Chinese the views control is translated, and a name already used is said on the field', () => shot('views-zh', async () => {
  const email = `views-zh-${Date.now()}@example.com`;
  const r = await ctx.api.post('/api/v1/users', { email, name: '视图用户', password: 'views-password-1', role_id: 'sales', locale: 'zh-CN' });
  assert.equal(r.status, 201, r.text);
  const page = await newPage(ctx.browser, { locale: 'zh-CN' });
  ctx.pages.push(page);
  await login(page, ctx.server, email, 'views-password-1');
  await page.goto(ctx.server.url + '/contacts?sort=-created_at');
  await page.getByRole('button', { name: '保存视图' }).click();
  await page.getByTestId('view-name').fill('最新联系人');
  await page.getByRole('dialog').getByRole('button', { name: /保\s*存/ }).click();
  await page.getByText('视图“最新联系人”已保存。').waitFor();
  await page.goto(ctx.server.url + '/contacts?sort=name');
  await page.getByRole('button', { name: '保存视图' }).click();
  await page.getByTestId('view-name').fill('最新联系人');
  await page.getByRole('dialog').getByRole('button', { name: /保\s*存/ }).click();
  await page.getByText('你已有同名视图。').waitFor();
}));

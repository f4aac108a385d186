// What two people at once, and people with smaller roles, see: a role that may not delete or
// export sees neither; two browser sessions editing one record get the conflict shown with both
// versions; an administrator editing a custom field meets a concurrent edit and a refusal.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { adminClient, Client, DEMO_PASSWORD, launchBrowser, login, newPage, startAppServer, userClient, withScreenshotOnFailure } from './helpers.mjs';

let server, browser, api;
const pages = [];

before(async () => {
  server = await startAppServer();
  api = await adminClient(server);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  server?.cleanup();
});

async function pageFor(email, password) {
  const page = await newPage(browser);
  pages.push(page);
  await login(page, server, email, password);
  return page;
}

const shot = (name, fn) => withScreenshotOnFailure(name, () => pages, fn);

test('a role that may not delete sees no delete actions', () => shot('no-delete', async () => {
  const page = await pageFor('support@demo.keel', DEMO_PASSWORD);
  const me = (await new Client(server.url).login('support@demo.keel', DEMO_PASSWORD)).user;
  assert.equal(me.permissions.entities.accounts.delete, 'none');
  await page.goto(server.url + '/accounts');
  await page.getByTestId('row-link').first().waitFor();
  // Support may change their own accounts (so rows can be selected to assign), never delete.
  await page.locator('[data-testid="record-table"] tbody input[type=checkbox]').first().check();
  await page.getByTestId('bulk-actions').waitFor();
  assert.equal(await page.getByTestId('bulk-delete').count(), 0);
  assert.equal(await page.getByText('Show the trash').count(), 0);
  assert.equal(await page.getByTestId('new-record').count(), 0, 'support may not create accounts');
  assert.equal(me.permissions.entities.accounts.export, false);
  assert.equal(await page.getByTestId('export-csv').count(), 0, 'support may not export accounts');
  await page.getByTestId('row-link').first().click();
  await page.getByTestId('record-title').waitFor();
  await page.getByTestId('timeline').waitFor();
  assert.equal(await page.getByTestId('delete-record').count(), 0);
  assert.equal(await page.getByTestId('edit-record').count(), 0, 'support may not change accounts');
  // Support may log activities: the quick log is there.
  await page.getByTestId('log-call').waitFor();
  await page.context().close();
}));

test('a salesperson may delete only their own deals', () => shot('own-delete', async () => {
  // Built-in sales: other people's deals are out of scope altogether (404 to the API and the page).
  const wang = await new Client(server.url).login('wang.wei@demo.keel', DEMO_PASSWORD);
  const deals = (await api.get('/api/v1/deals?limit=200')).json.data;
  const own = deals.find((d) => d.owner_id === wang.user.id);
  const others = deals.find((d) => d.owner_id !== wang.user.id);
  assert.ok(own && others, 'the demo has deals of wang.wei and of others');
  assert.equal((await wang.get(`/api/v1/deals/${others.id}`)).status, 404);
  assert.equal((await wang.del(`/api/v1/deals/${others.id}`)).status, 404);
  const page = await pageFor('wang.wei@demo.keel', DEMO_PASSWORD);
  await page.goto(`${server.url}/deals/${own.id}`);
  await page.getByTestId('delete-record').waitFor();
  await page.goto(`${server.url}/deals/${others.id}`);
  // wang.wei's profile language is Chinese, and it follows him into this browser.
  await page.getByText('此记录不存在，或您无权查看。').waitFor();
  assert.equal(await page.getByTestId('delete-record').count(), 0);
  await page.context().close();

  // A role that reads every deal but changes and deletes only its own: another person's deal
  // is shown in full, without delete (or edit), and the API refuses the delete.
  const role = await api.post('/api/v1/roles', {
    name: `deal-reader-${Date.now()}`,
    permissions: {
      entities: {
        deals: { read: 'all', update: 'own', delete: 'own', create: true, export: false },
        pipelines: { read: 'all' }, accounts: { read: 'all' }, contacts: { read: 'all' },
        activities: { read: 'own', update: 'own', delete: 'own', create: true },
      },
    },
  });
  assert.equal(role.status, 201, role.text);
  const rep = await userClient(server, api, { role: role.json.id });
  const mine = await rep.post('/api/v1/deals', { name: 'Deal of the reader' });
  assert.equal(mine.status, 201, mine.text);
  const theirs = (await api.get(`/api/v1/deals/${own.id}`)).json; // wang.wei's
  assert.equal((await rep.get(`/api/v1/deals/${theirs.id}`)).status, 200, 'readable under read: all');
  const refused = await rep.del(`/api/v1/deals/${theirs.id}`, { headers: { 'if-match': `"${theirs.version}"` } });
  assert.equal(refused.status, 403, refused.text);
  assert.equal(refused.json.code, 'forbidden');
  const still = (await api.get(`/api/v1/deals/${theirs.id}`)).json;
  assert.deepEqual([still.deleted_at, still.version], [null, theirs.version], 'nothing was written');

  const repPage = await pageFor(rep.user.email, rep.password);
  await repPage.goto(`${server.url}/deals/${mine.json.id}`);
  await repPage.getByTestId('delete-record').waitFor();
  await repPage.getByTestId('edit-record').waitFor();
  await repPage.goto(`${server.url}/deals/${theirs.id}`);
  await repPage.getByTestId('record-title').getByText(theirs.name).waitFor();
  await repPage.getByTestId('timeline').waitFor();
  assert.equal(await repPage.getByTestId('delete-record').count(), 0, 'no delete on a deal of someone else');
  assert.equal(await repPage.getByTestId('edit-record').count(), 0, 'no edit on a deal of someone else');
  await repPage.context().close();
}));

test('two sessions editing one record: the conflict shows both versions', () => shot('conflict', async () => {
  const created = await api.post('/api/v1/accounts', { name: '冲突测试公司', city: '上海' });
  const id = created.json.id;
  const a = await pageFor(server.admin.email, server.admin.password);
  const b = await pageFor(server.admin.email, server.admin.password);
  for (const p of [a, b]) {
    await p.goto(`${server.url}/accounts/${id}`);
    await p.getByTestId('edit-record').click();
  }
  await a.locator('[data-testid="record-form"] #city').fill('北京');
  await a.getByTestId('save-record').click();
  await a.locator('[data-field="city"]').getByText('北京').waitFor();

  await b.locator('[data-testid="record-form"] #city').fill('杭州');
  await b.locator('[data-testid="record-form"] #phone').fill('+86 571 8888 0000');
  await b.getByTestId('save-record').click();
  const dialog = b.getByTestId('conflict-dialog');
  await dialog.waitFor();
  await dialog.getByTestId('mine-city').getByText('杭州').waitFor();
  await dialog.getByTestId('theirs-city').getByText('北京').waitFor();
  await dialog.getByTestId('mine-phone').getByText('+86 571 8888 0000').waitFor();
  await dialog.getByText('Saved version (version 2)').first().waitFor();
  // Nothing was written yet.
  assert.equal((await api.get(`/api/v1/accounts/${id}`)).json.city, '北京');

  await b.getByTestId('keep-mine').click();
  await b.getByText('Your version was saved.').waitFor();
  let now = (await api.get(`/api/v1/accounts/${id}`)).json;
  assert.equal(now.city, '杭州');
  assert.equal(now.phone, '+86 571 8888 0000');
  assert.equal(now.version, 3);

  // Session A still shows version 2; its next edit conflicts, and it takes theirs.
  await a.getByTestId('edit-record').click();
  await a.locator('[data-testid="record-form"] #city').fill('南京');
  await a.getByTestId('save-record').click();
  await a.getByTestId('conflict-dialog').getByTestId('theirs-city').getByText('杭州').waitFor();
  await a.getByTestId('take-theirs').click();
  await a.locator('[data-field="city"]').getByText('杭州').waitFor();
  now = (await api.get(`/api/v1/accounts/${id}`)).json;
  assert.equal(now.city, '杭州');
  assert.equal(now.version, 3);
}));

test('an administrator edits a custom field; a concurrent edit and a refusal are explained', () => shot('custom-field-edit', async () => {
  const created = await api.post('/api/v1/custom-fields', { entity: 'accounts', name: 'tier', label: 'Tier', type: 'select', options: ['A', 'B'] });
  assert.equal(created.status, 201);
  const id = created.json.id;
  const page = await pageFor(server.admin.email, server.admin.password);
  await page.goto(`${server.url}/admin/custom-fields`);
  const row = page.locator('.ant-table-row', { hasText: 'tier' });
  const form = page.getByTestId('custom-field-form');
  const save = () => page.locator('.ant-modal:visible .ant-btn-primary').click();

  // Relabel it and add an option; the key and type cannot change.
  await row.getByTestId('edit-field').click();
  assert.ok(await form.locator('#name').isDisabled());
  await form.locator('#label').fill('Customer tier');
  await form.locator('#options').fill('C');
  await form.locator('#options').press('Enter');
  await save();
  await page.locator('.ant-table-row', { hasText: 'Customer tier' }).waitFor();
  let now = (await api.get('/api/v1/custom-fields')).json.data.find((f) => f.id === id);
  assert.deepEqual([now.label, now.options, now.version], ['Customer tier', ['A', 'B', 'C'], 2]);

  // Someone else saves first: the form shows their version and says so; nothing is overwritten.
  await row.getByTestId('edit-field').click();
  await form.locator('#position').fill('5');
  assert.equal((await api.patch(`/api/v1/custom-fields/${id}`, { label: 'Tier (2026)', version: 2 })).status, 200);
  await save();
  await page.getByText('Someone else changed this field meanwhile.', { exact: false }).waitFor();
  assert.equal(await form.locator('#label').inputValue(), 'Tier (2026)');
  now = (await api.get('/api/v1/custom-fields')).json.data.find((f) => f.id === id);
  assert.deepEqual([now.label, now.position], ['Tier (2026)', 0]);
  await form.locator('#position').fill('5');
  await save();
  // The row already reads "Tier (2026)" since the conflict refetch: wait for the dialog to close,
  // which it does only once the second save is answered.
  await page.locator('.ant-modal:visible').waitFor({ state: 'detached' });
  now = (await api.get('/api/v1/custom-fields')).json.data.find((f) => f.id === id);
  assert.deepEqual([now.label, now.position, now.version], ['Tier (2026)', 5, 4]);

  // Accounts exist, so the field cannot become required: the reason, translated.
  await row.getByTestId('edit-field').click();
  await form.locator('#required').click();
  await save();
  await page.getByText('Records already exist: add the field as optional, fill it in, then make it required.').waitFor();
  assert.equal((await api.get('/api/v1/custom-fields')).json.data.find((f) => f.id === id).required, false);
}));

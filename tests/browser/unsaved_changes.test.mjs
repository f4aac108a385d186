// A form with changes the server has not received asks before the user leaves it: in-app
// navigation (the router's blocker) and closing or reloading the tab (beforeunload). A save that
// failed for the network says "not saved", never "kept".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appServerAndBrowser, login, newPage, withScreenshotOnFailure } from './helpers.mjs';

const ctx = appServerAndBrowser();
const shot = (name, fn) => withScreenshotOnFailure(name, () => ctx.pages, fn);

async function signedIn() {
  const page = await newPage(ctx.browser);
  ctx.pages.push(page);
  await login(page, ctx.server, ctx.server.admin.email, ctx.server.admin.password);
  return page;
}

const navTo = (page, name) => page.locator('nav').getByRole('menuitem', { name }).click();

// Opens an account from the list (in-app navigation, so the browser's back button stays in the
// app) and types into its name; returns the account as the server has it and the input.
async function editName(page, suffix) {
  await navTo(page, 'Accounts');
  await page.getByTestId('row-link').first().click();
  await page.getByTestId('edit-record').click();
  const id = new URL(page.url()).pathname.split('/').pop();
  const account = (await ctx.api.get(`/api/v1/accounts/${id}`)).json;
  const input = page.getByTestId('record-form').locator('input#name');
  await input.fill(account.name + suffix);
  return { account, input };
}

test('leaving a record being edited asks first; staying keeps what was typed', () => shot('unsent-in-app', async () => {
  const page = await signedIn();
  const { account, input } = await editName(page, ' (edited)');
  const path = new URL(page.url()).pathname;

  await navTo(page, 'Contacts');
  await page.getByTestId('stay-on-page').waitFor();
  assert.match(await page.locator('.ant-modal-content').innerText(), /not been saved/);
  await page.getByTestId('stay-on-page').click();
  await page.getByTestId('stay-on-page').waitFor({ state: 'hidden' });
  assert.equal(new URL(page.url()).pathname, path);
  assert.equal(await input.inputValue(), account.name + ' (edited)');

  // The browser's back button is asked about too.
  await page.goBack();
  await page.getByTestId('leave-anyway').waitFor();
  await page.getByTestId('stay-on-page').click();
  assert.equal(new URL(page.url()).pathname, path);

  await navTo(page, 'Contacts');
  await page.getByTestId('leave-anyway').click();
  await page.waitForURL((u) => u.pathname === '/contacts');
  const after = (await ctx.api.get(`/api/v1/accounts/${account.id}`)).json;
  assert.equal(after.name, account.name, 'nothing was saved');

  // Without changes nothing asks: editing opened and cancelled, then leaving.
  await page.goto(`${ctx.server.url}/accounts/${account.id}`);
  await page.getByTestId('edit-record').click();
  await navTo(page, 'Leads');
  await page.waitForURL((u) => u.pathname === '/leads');
  assert.equal(await page.getByTestId('leave-anyway').isVisible(), false);
  await page.context().close();
}));

test('a create form with typed values asks before leaving; a successful create does not', () => shot('unsent-create', async () => {
  const page = await signedIn();
  await navTo(page, 'Accounts');
  await page.getByTestId('new-record').click();
  const name = `Unsent ${Date.now()}`;
  await page.getByTestId('create-form').locator('input#name').fill(name);
  // The form covers the page: the way out is the browser's back button.
  await page.goBack();
  await page.getByTestId('stay-on-page').click();
  assert.equal(new URL(page.url()).pathname, '/accounts');
  await page.getByTestId('create-submit').click();
  await page.getByTestId('record-title').filter({ hasText: name }).waitFor();
  assert.equal(await page.getByTestId('leave-anyway').isVisible(), false, 'no question after the create succeeded');
  await page.context().close();
}));

test('a save the network drops is kept on the device, shown, and sent when the network is back', () => shot('unsent-failed-save', async () => {
  const page = await signedIn();
  const { account } = await editName(page, ' (offline edit)');
  const refuse = (route) => (route.request().method() === 'PATCH' ? route.abort('connectionrefused') : route.fallback());
  await page.route('**/api/v1/accounts/*', refuse);
  // And the way back to the server (its probe, the sync), until the network returns below.
  const away = (url) => url.pathname === '/healthz' || url.pathname.startsWith('/api/v1/sync/');
  const refuseAll = (route) => route.abort('connectionrefused');
  await page.route(away, refuseAll);
  await page.getByTestId('save-record').click();
  // Not lost and not "saved" on the server: kept on this device, and said so.
  await page.getByText('Saved on this device').first().waitFor();
  await page.getByTestId('edit-record').waitFor();
  await page.locator('[data-field="name"]').getByText(account.name + ' (offline edit)').waitFor();
  await page.getByTestId('sync-status').and(page.locator('[aria-label*="waiting"]')).waitFor();
  assert.equal((await ctx.api.get(`/api/v1/accounts/${account.id}`)).json.name, account.name, 'not on the server yet');

  // The outbox survives the tab: closing it does not ask.
  let asked = false;
  page.once('dialog', (dl) => {
    asked = true;
    void dl.accept();
  });
  await page.unroute('**/api/v1/accounts/*', refuse);
  await page.unroute(away, refuseAll);
  // The network back (the next probe or sync sends it), once.
  for (let i = 0; i < 100; i++) {
    if ((await ctx.api.get(`/api/v1/accounts/${account.id}`)).json.name !== account.name) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const now = (await ctx.api.get(`/api/v1/accounts/${account.id}`)).json;
  assert.equal(now.name, account.name + ' (offline edit)');
  assert.equal(now.version, account.version + 1);
  await page.close({ runBeforeUnload: true });
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(asked, false);
}));

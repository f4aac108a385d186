// Offline-first on the phone (issue 9), on a phone-sized screen with the service worker: after
// one sign-in with the network, a rep creates a contact and logs a call with none, closes and
// reopens the app with none and still sees them, and when the network is back they arrive once;
// an edit that meets a colleague's edit of the same field lands in the conflict inbox, which
// shows the value both started from, the rep's and the server's, and resolves it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { appServerAndBrowser, login, newPage, PHONE, userClient, waitSynced, withScreenshotOnFailure } from './helpers.mjs';

const ctx = appServerAndBrowser();
const pages = [];
const shot = (name, fn) => withScreenshotOnFailure(name, () => pages, fn);

async function rep() {
  const client = await userClient(ctx.server, ctx.api, { role: 'sales' });
  const page = await newPage(ctx.browser, { ...PHONE, serviceWorkers: 'allow' });
  pages.push(page);
  await login(page, ctx.server, client.user.email, client.password);
  await page.getByTestId('user-menu').waitFor();
  await page.evaluate(async () => !!(await navigator.serviceWorker.ready).active);
  await page.reload(); // from now on served by the service worker
  await page.getByTestId('user-menu').waitFor();
  await waitSynced(page);
  return { client, page };
}

// The app's own client-side navigation (no request for the page itself).
const go = (page, path) => page.evaluate((p) => { history.pushState({}, '', p); dispatchEvent(new PopStateEvent('popstate')); }, path);

test('a contact and a call made offline survive a reload offline and arrive once', () => shot('offline-create', async () => {
  const { client, page } = await rep();
  const last = '离线' + randomUUID().slice(0, 4);
  await page.context().setOffline(true);

  await go(page, '/contacts');
  await page.getByTestId('new-record').click();
  await page.locator('[data-testid="create-form"] #last_name').fill(last);
  await page.locator('[data-testid="create-form"] #first_name').fill('小红');
  await page.getByTestId('create-submit').click();
  await page.getByTestId('record-title').filter({ hasText: last + '小红' }).waitFor();
  const contactId = page.url().split('/').pop();
  await page.getByTestId('log-call').click();
  await page.getByTestId('activity-subject').fill('地铁里的电话');
  await page.getByTestId('save-activity').click();
  await page.getByTestId('sync-status').and(page.locator('[aria-label*="2 waiting"]')).waitFor();

  // Closed and opened again, still without a network: both are there.
  await page.reload();
  await page.getByTestId('user-menu').waitFor();
  await go(page, `/contacts?q=${encodeURIComponent(last)}`);
  await page.getByTestId('row-link').filter({ hasText: last + '小红' }).waitFor();
  await page.getByTestId('row-link').filter({ hasText: last + '小红' }).click();
  await page.getByText('地铁里的电话').first().waitFor();
  // The sync panel lists what waits.
  await go(page, '/sync');
  await page.getByTestId('sync-pending').filter({ hasText: '2' }).waitFor();
  await page.getByTestId('sync-outbox').getByText(`Call · ${last}小红`).waitFor();
  await page.getByTestId('sync-outbox').getByText(`New · ${last}小红`).waitFor();

  // The network back: sent, once each.
  await page.context().setOffline(false);
  await page.getByTestId('sync-pending').filter({ hasText: /^0$/ }).waitFor({ timeout: 30000 });
  await waitSynced(page);
  const contacts = (await client.get(`/api/v1/contacts?q=${encodeURIComponent(last)}`)).json.data;
  assert.deepEqual(contacts.map((c) => c.id), [contactId], 'the contact, once, with the id the phone gave it');
  const calls = (await client.get(`/api/v1/activities?contact_id=${contactId}`)).json.data;
  assert.deepEqual(calls.map((a) => [a.type, a.subject]), [['call', '地铁里的电话']]);
}));

test('the same field changed on the phone and by a colleague: the conflict inbox shows both and resolves it', () => shot('offline-conflict', async () => {
  const { client, page } = await rep();
  const contact = (await client.post('/api/v1/contacts', { first_name: 'Lei', last_name: 'Chen ' + randomUUID().slice(0, 4), title: 'Buyer' })).json;
  // Bring the phone's copy up to date with it.
  await go(page, '/sync');
  await page.getByTestId('sync-now').click();
  await waitSynced(page);

  await page.context().setOffline(true);
  await go(page, `/contacts/${contact.id}`);
  await page.getByTestId('edit-record').click();
  await page.locator('[data-testid="record-form"] #title').fill('Head of purchasing');
  await page.getByTestId('save-record').click();
  await page.locator('[data-field="title"]').getByText('Head of purchasing').waitFor();
  // Meanwhile a colleague (here: the admin, online) changes the same field.
  const colleague = await ctx.api.patch(`/api/v1/contacts/${contact.id}`, { title: 'Procurement lead' });
  assert.equal(colleague.status, 200);

  await page.context().setOffline(false);
  await page.getByTestId('sync-status').and(page.locator('[aria-label*="needs your attention"]')).waitFor({ timeout: 30000 });
  assert.equal((await client.get(`/api/v1/contacts/${contact.id}`)).json.title, 'Procurement lead', 'nothing overwritten');
  await page.getByTestId('sync-status').click();
  const card = page.getByTestId('sync-conflict');
  await card.waitFor();
  const row = card.locator('tr', { hasText: 'Title' });
  await row.getByText('Buyer').waitFor();
  await row.getByText('Head of purchasing').waitFor();
  await row.getByText('Procurement lead').waitFor();
  await card.getByTestId('keep-mine-title').check();
  await card.getByTestId('resolve-conflict').click();
  await card.waitFor({ state: 'detached' });
  await waitSynced(page);
  const after = (await client.get(`/api/v1/contacts/${contact.id}`)).json;
  assert.equal(after.title, 'Head of purchasing', 'the rep\'s choice, written as a new change');
  assert.equal(after.version, 3);
}));

// When the server is away: lists, search and record pages are answered from the device's copy
// (sync/), and what it does not keep says "not available offline"; when the server returns, the banner clears and queued writes are sent within seconds (the server is probed
// with backoff from 1 s), not after a 30 s timer. The first test really stops the server and
// starts it again on the same port and storage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appServerAndBrowser, DEMO_PASSWORD, expectCount, login, newPage, waitSynced, withScreenshotOnFailure } from './helpers.mjs';

const ctx = appServerAndBrowser();
const pages = ctx.pages;

// A test that failed with the server stopped leaves it running for the next one.
const shot = (name, fn) => withScreenshotOnFailure(name, () => pages, fn).finally(async () => {
  if (ctx.server.proc.exitCode !== null || ctx.server.proc.signalCode !== null) await restartServer();
});

async function signedIn() {
  const page = await newPage(ctx.browser);
  pages.push(page);
  await login(page, ctx.server, ctx.server.admin.email, ctx.server.admin.password); // English (the demo manager reads Chinese)
  return page;
}

// The same server again, on the same port and data: the page's address stays valid.
async function restartServer() {
  ctx.server = await ctx.server.restart({ port: Number(new URL(ctx.server.url).port) });
  return Date.now();
}

async function waitGone(locator, timeout) {
  await locator.waitFor({ state: 'detached', timeout });
}

test('lists, records and search with the server stopped: answered from the device\'s copy, what it lacks says so', () => shot('server-away', async () => {
  const page = await signedIn();
  await waitSynced(page);
  await page.goto(ctx.server.url + '/contacts');
  const rows = page.getByTestId('row-link');
  await rows.first().waitFor();
  const shownBefore = await rows.count();
  assert.ok(shownBefore >= 2, 'the demo has contacts');
  const firstName = await rows.first().innerText();
  const secondName = await rows.nth(1).innerText();
  // Open one record (so the record screen's code is loaded: no service worker in this test),
  // then back to the list.
  await rows.first().click();
  await page.getByTestId('record-title').filter({ hasText: firstName }).waitFor();
  await page.goBack();
  await rows.first().waitFor();
  // And the audit log's screen, which the device does not keep data for.
  await page.evaluate(() => { history.pushState({}, '', '/admin/audit'); dispatchEvent(new PopStateEvent('popstate')); });
  await page.locator('#main h1', { hasText: 'Audit' }).waitFor();
  await page.goBack();
  await rows.first().waitFor();

  await ctx.server.kill();

  // Header search with the server down: answered from the device's copy.
  await page.getByTestId('global-search').fill(firstName.slice(0, 2));
  await page.locator('.ant-select-item-option', { hasText: firstName }).first().waitFor();
  assert.equal(await page.getByTestId('search-unavailable').count(), 0);
  await page.getByTestId('global-search').fill('');
  await page.keyboard.press('Escape');

  // The banner says the server is away; the list is the device's, and its search works.
  await page.getByTestId('list-search').fill(secondName);
  await page.getByTestId('list-search').press('Enter');
  await page.getByTestId('connection-banner').filter({ hasText: /Cannot reach the server/ }).waitFor();
  await rows.filter({ hasText: secondName }).first().waitFor();
  assert.equal(await page.getByTestId('unreachable').count(), 0);
  await page.getByTestId('list-search').fill('');
  await page.getByTestId('list-search').press('Enter');
  await expectCount(rows, shownBefore);

  // A record never opened before: on the device all the same.
  await rows.nth(1).click();
  await page.getByTestId('record-title').filter({ hasText: secondName }).waitFor();
  await page.locator('[data-field]').first().waitFor();
  // What the device does not keep (the audit log, here a view of it not loaded before) says so
  // rather than spinning.
  await page.evaluate(() => { history.pushState({}, '', '/admin/audit?entity=contacts'); dispatchEvent(new PopStateEvent('popstate')); });
  await page.locator('#main').getByText(/Not available offline/).first().waitFor();

  // The server returns: the banner goes.
  await restartServer();
  await waitGone(page.getByTestId('connection-banner'), 20000);
  await page.context().close();
}));

test('when the server returns, the banner clears and queued writes are sent within about 2 s', () => shot('server-returns', async () => {
  const page = await signedIn();
  const accounts = (await ctx.api.get('/api/v1/accounts?limit=1')).json.data;
  await page.goto(`${ctx.server.url}/accounts/${accounts[0].id}`);
  await page.getByTestId('log-call').waitFor();

  // The server away for this page: every API request and probe refused (a restart of the real
  // server takes a varying 2-6 s here, which would blur the timing measured below).
  const away = (url) => url.pathname.startsWith('/api/') || url.pathname === '/healthz';
  const refuse = (route) => route.abort('connectionrefused');
  await page.route(away, refuse);
  const subject = `Queued call ${Date.now()}`;
  await page.getByTestId('log-call').click();
  await page.getByTestId('activity-subject').fill(subject);
  await page.getByTestId('save-activity').click();
  const banner = page.getByTestId('connection-banner');
  await banner.filter({ hasText: /Cannot reach the server/ }).waitFor();
  await banner.filter({ hasText: /1 change/ }).waitFor();

  await page.unroute(away, refuse);
  const back = Date.now();
  await waitGone(banner, 6000);
  const cleared = Date.now() - back;
  // The queue was sent: the call exists on the ctx.server.
  const found = (await ctx.api.get(`/api/v1/activities?account_id=${accounts[0].id}&limit=200`)).json.data;
  assert.ok(found.some((a) => a.subject === subject), 'the queued call was sent');
  console.log(`banner cleared and queue sent ${cleared} ms after the server was back`);
  // Out for a second or two, the server is probed 1 s and then 2 s apart: back within ~2 s (the
  // old 30 s timer, or a banner waiting for the browser's "online" event, fails this).
  assert.ok(cleared < 3000, `took ${cleared} ms`);
  await page.context().close();
}));

test('the browser going offline and online is a hint: the banner follows what the server answers', () => shot('online-hint', async () => {
  const page = await signedIn();
  await page.goto(ctx.server.url + '/contacts');
  await page.getByTestId('row-link').first().waitFor();
  await page.context().setOffline(true);
  await page.getByTestId('connection-banner').waitFor();
  const t0 = Date.now();
  await page.context().setOffline(false);
  await waitGone(page.getByTestId('connection-banner'), 2000);
  assert.ok(Date.now() - t0 < 2000);
  await page.context().close();
}));

test('queued changes belong to who made them: signing out warns, another user on the device does not send them, their author does', () => shot('queue-per-user', async () => {
  const page = await signedIn();
  const me = (await ctx.api.get('/api/v1/me')).json;
  const account = (await ctx.api.get('/api/v1/accounts?limit=1')).json.data[0];
  await page.goto(`${ctx.server.url}/accounts/${account.id}`);
  await page.getByTestId('log-call').waitFor();
  const away = (url) => url.pathname.startsWith('/api/') || url.pathname === '/healthz';
  const refuse = (route) => route.abort('connectionrefused');
  await page.route(away, refuse);
  const subject = `Call of the first user ${Date.now()}`;
  await page.getByTestId('log-call').click();
  await page.getByTestId('activity-subject').fill(subject);
  await page.getByTestId('save-activity').click();
  await page.getByTestId('connection-banner').filter({ hasText: /1 change/ }).waitFor();

  // Signing out with a change waiting: said first.
  await page.getByTestId('user-menu').click();
  await page.locator('.menu-popup').getByRole('menuitem', { name: 'Sign out' }).click();
  const dialog = page.locator('.ant-modal-confirm');
  await dialog.locator('.ant-modal-confirm-title', { hasText: '1 change has not been sent yet' }).waitFor();
  await dialog.getByRole('button', { name: 'Sign out' }).click();
  await page.locator('input[autocomplete="username"]').waitFor();
  await page.unroute(away, refuse);

  // Someone else signs in on this device: the first user's call is not sent under their name.
  const sent = async () => (await ctx.api.get(`/api/v1/activities?account_id=${account.id}&limit=200`)).json.data.filter((a) => a.subject === subject);
  await login(page, ctx.server, 'wang.wei@demo.keel', DEMO_PASSWORD);
  await page.getByTestId('user-menu').waitFor();
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(1500);
  assert.deepEqual(await sent(), [], 'another user sent the first user\'s queued call');
  await page.getByTestId('user-menu').click();
  await page.locator('.menu-popup').getByRole('menuitem', { name: /退出|Sign out/ }).click();
  await page.locator('.ant-modal-confirm').getByRole('button', { name: /退出|Sign out/ }).click();
  await page.locator('input[autocomplete="username"]').waitFor();

  // Its author signs in again: sent once, as theirs.
  await login(page, ctx.server, ctx.server.admin.email, ctx.server.admin.password);
  await page.getByTestId('user-menu').waitFor();
  let found = [];
  for (let i = 0; i < 50 && found.length === 0; i++) {
    found = await sent();
    if (!found.length) await page.waitForTimeout(200);
  }
  assert.equal(found.length, 1, 'the queued call was sent once');
  assert.equal(found[0].created_by, me.id);
  await page.context().close();
}));

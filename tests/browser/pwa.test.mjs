// The installable app (issue 9, "An installable app that works with no network"): a web app
// manifest with icons the server serves, a service worker that precaches the built app, and,
// after one sign-in with the network, the app opening with none: the user's shell, with the
// "cannot reach the server" banner, and screens that say what they cannot show instead of
// claiming there is nothing. On a phone-sized screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appServerAndBrowser, login, newPage, PHONE, waitSynced, withScreenshotOnFailure } from './helpers.mjs';

const ctx = appServerAndBrowser();
const pages = [];
const shot = (name, fn) => withScreenshotOnFailure(name, () => pages, fn);

async function phoneWithServiceWorker() {
  const page = await newPage(ctx.browser, { ...PHONE, serviceWorkers: 'allow' });
  pages.push(page);
  return page;
}

// Until the service worker has installed (precached the app) and is active.
const serviceWorkerActive = (page) => page.evaluate(async () => !!(await navigator.serviceWorker.ready).active);

test('the app can be installed: a manifest with its name and icons, and a service worker', () => shot('pwa-manifest', async () => {
  const page = await phoneWithServiceWorker();
  await page.goto(ctx.server.url + '/login');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  assert.ok(href, 'the page links a manifest');
  const res = await page.request.get(new URL(href, ctx.server.url).href);
  assert.equal(res.status(), 200);
  assert.match(res.headers()['content-type'], /^application\/manifest\+json/);
  const manifest = await res.json();
  assert.equal(manifest.name, 'Keel CRM');
  assert.equal(manifest.display, 'standalone');
  assert.equal(manifest.start_url, '/');
  const sizes = manifest.icons.map((i) => `${i.sizes} ${i.purpose}`);
  for (const want of ['192x192 any', '512x512 any', '512x512 maskable']) assert.ok(sizes.includes(want), `icon ${want} in ${sizes}`);
  const icons = [...manifest.icons.map((i) => i.src), await page.locator('link[rel="apple-touch-icon"]').getAttribute('href')];
  for (const src of icons) {
    const icon = await page.request.get(new URL(src, ctx.server.url).href);
    assert.equal(icon.status(), 200, src);
    assert.equal(icon.headers()['content-type'], 'image/png', src);
  }
  assert.equal(await serviceWorkerActive(page), true);
}));

test('after one sign-in with the network, the app opens without it and shows the device\'s copy', () => shot('pwa-offline', async () => {
  const page = await phoneWithServiceWorker();
  await login(page, ctx.server, ctx.server.admin.email, ctx.server.admin.password);
  await page.getByTestId('user-menu').waitFor();
  assert.equal(await serviceWorkerActive(page), true);
  await waitSynced(page);
  // The worker controls the pages loaded after it was installed.
  await page.reload();
  await page.getByTestId('user-menu').waitFor();
  assert.equal(await page.evaluate(() => !!navigator.serviceWorker.controller), true, 'the page is served by the service worker');

  await page.context().setOffline(true);
  await page.goto(ctx.server.url + '/accounts');
  // The signed-in shell, from the device: not the browser's offline page, not the sign-in form.
  await page.getByTestId('user-menu').waitFor();
  await page.getByTestId('connection-banner').filter({ hasText: /Cannot reach the server/ }).waitFor();
  // The accounts, from the device's copy, as many as the server has.
  const total = (await ctx.api.get('/api/v1/accounts?limit=1')).json.total;
  await page.getByTestId('record-table').getByTestId('row-link').first().waitFor();
  await page.getByTestId('list-total').filter({ hasText: new RegExp(`\\b${total}\\b`) }).waitFor();
  await page.getByTestId('record-table').getByTestId('row-link').first().click();
  await page.getByTestId('record-title').waitFor();

  // The network back: the banner goes, without reloading the page.
  await page.context().setOffline(false);
  await page.getByTestId('connection-banner').waitFor({ state: 'detached' });
}));

test('signing out forgets the user on the device: with no network the sign-in form opens', () => shot('pwa-signed-out', async () => {
  const page = await phoneWithServiceWorker();
  await login(page, ctx.server, ctx.server.admin.email, ctx.server.admin.password);
  await page.getByTestId('user-menu').waitFor();
  assert.ok(await page.evaluate(() => localStorage.getItem('keel.me')), 'the user is kept for opening offline');
  await serviceWorkerActive(page);
  await page.getByTestId('user-menu').click();
  await page.locator('.menu-popup').getByRole('menuitem', { name: 'Sign out' }).click();
  await page.locator('.ant-modal-confirm').getByRole('button', { name: 'Sign out' }).click();
  await page.locator('input[autocomplete="username"]').waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem('keel.me')), null);
  await page.context().setOffline(true);
  await page.reload();
  await page.locator('input[autocomplete="username"]').waitFor();
  await page.context().setOffline(false);
}));

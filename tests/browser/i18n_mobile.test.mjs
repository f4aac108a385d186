// The Chinese interface (chosen from the browser's language, switchable, remembered) leaves no
// English or message keys on the main screens; a 375 px phone can navigate, read and log
// activities without sideways scrolling.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  adminClient, DEMO_PASSWORD, horizontalOverflow, KEY_PATTERN, launchBrowser, login, newPage, PHONE, startAppServer, withScreenshotOnFailure,
} from './helpers.mjs';

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

const shot = (name, fn) => withScreenshotOnFailure(name, () => pages, fn);

// Words of the English interface that must not show in the Chinese one (demo data has English
// company names, so only interface words are checked).
const ENGLISH_UI = [
  'Today', 'My tasks', 'Pipeline', 'Accounts', 'Contacts', 'Leads', 'Deals', 'Activities', 'Products', 'Orders',
  'Administration', 'My settings', 'Filters', 'Columns', 'Previous page', 'Next page', 'Show the trash', 'Details',
  'Timeline', 'Related', 'Move to trash', 'Drag a card', 'Overdue', 'Open deals', 'Recent activities', 'Search',
  'records', 'Loading', 'Owner', 'Created', 'Name',
];

async function assertChinese(page, path) {
  await page.goto(server.url + path);
  await page.waitForLoadState('networkidle');
  await page.locator('.ant-spin-spinning').first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => {});
  const text = await page.locator('body').innerText();
  assert.doesNotMatch(text, KEY_PATTERN, `${path} shows a message key`);
  for (const word of ENGLISH_UI) assert.ok(!new RegExp(`\\b${word}\\b`).test(text), `${path} shows English "${word}"`);
  assert.match(text, /[\u4e00-\u9fff]/);
}

test('the Chinese interface renders on the main screens', () => shot('chinese', async () => {
  const page = await newPage(browser, { locale: 'zh-CN' });
  pages.push(page);
  await page.goto(server.url + '/');
  await page.getByRole('heading', { name: '登录 Keel' }).waitFor(); // picked from the browser language
  await login(page, server, server.admin.email, server.admin.password);
  const account = (await api.get('/api/v1/accounts?q=' + encodeURIComponent('明远'))).json.data[0];
  const deal = (await api.get('/api/v1/deals?limit=1')).json.data[0];
  for (const path of ['/', '/accounts', `/accounts/${account.id}`, `/deals/${deal.id}`, '/deals/board', '/my-tasks', '/contacts', '/orders', '/admin/users', '/admin/roles']) {
    await assertChinese(page, path);
  }
  // Dates and money follow the language too.
  await page.goto(server.url + '/deals/board');
  await page.getByText(/¥[\d,]+\.\d\d/).first().waitFor();

  // Switch to English; the choice is remembered across a reload.
  await page.goto(server.url + '/settings');
  await page.getByTestId('language-switch').first().click();
  await page.locator('.ant-select-item-option', { hasText: 'English' }).click();
  await page.getByRole('heading', { name: 'My settings' }).waitFor();
  await page.reload();
  await page.getByRole('heading', { name: 'My settings' }).waitFor();
  assert.equal((await api.get('/api/v1/me')).status, 200);
}));

test('a 375 px phone: navigation, lists and records without sideways scrolling', () => shot('phone', async () => {
  const page = await newPage(browser, PHONE);
  pages.push(page);
  await login(page, server, 'wang.wei@demo.keel', DEMO_PASSWORD);
  assert.ok(await horizontalOverflow(page) <= 0, 'start page overflows');

  // The menu is behind a button and works by touch.
  await page.getByTestId('nav-toggle').tap();
  await page.locator('.ant-drawer .ant-menu-item', { hasText: 'Contacts' }).tap();
  await page.waitForURL(/\/contacts$/);
  await page.getByTestId('row-link').first().waitFor();
  assert.ok(await horizontalOverflow(page) <= 0, 'contact list overflows');

  await page.getByTestId('row-link').first().tap();
  await page.getByTestId('record-title').waitFor();
  await page.getByTestId('timeline').waitFor();
  assert.ok(await horizontalOverflow(page) <= 0, 'record page overflows');
  const contactId = page.url().split('/').pop();

  // Log a note in two taps.
  await page.getByTestId('log-note').tap();
  await page.getByTestId('save-activity').tap();
  await page.getByText('Note logged.').waitFor();
  const notes = (await api.get(`/api/v1/activities?contact_id=${contactId}&type=note`)).json.data;
  assert.equal(notes.length, 1);

  for (const path of ['/deals/board', '/my-tasks', '/deals']) {
    await page.goto(server.url + path);
    await page.waitForLoadState('networkidle');
    assert.ok(await horizontalOverflow(page) <= 0, `${path} overflows`);
  }
}));

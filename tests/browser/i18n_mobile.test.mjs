// The Chinese interface (chosen from the browser's language, switchable, saved in the profile
// and followed by the user's other browsers) leaves no English or message keys on the main
// screens; a 375 px phone can navigate, read and log activities without sideways scrolling.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  adminClient, Client, DEMO_PASSWORD, horizontalOverflow, KEY_PATTERN, launchBrowser, login, newPage, PHONE, startAppServer, withScreenshotOnFailure,
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
}));

test('the language chosen is saved in the profile and follows the user to a new browser', () => shot('language-profile', async () => {
  // A user whose profile says Chinese, in a browser that asks for Chinese.
  const email = `lang-${Date.now()}@example.com`;
  const password = 'password-lang-1';
  const created = await api.post('/api/v1/users', { email, name: '语言测试', password, role_id: 'sales', locale: 'zh-CN' });
  assert.equal(created.status, 201, created.text);
  const user = await new Client(server.url).login(email, password);
  const profileLocale = async () => (await user.get('/api/v1/me')).json.locale;
  assert.equal(await profileLocale(), 'zh-CN');

  const page = await newPage(browser, { locale: 'zh-CN' });
  pages.push(page);
  await login(page, server, email, password);
  await page.goto(server.url + '/settings');
  await page.getByRole('heading', { name: '个人设置' }).waitFor();

  // Switch to English: the user's own profile on the server says so ...
  await page.getByTestId('language-switch').first().click();
  await page.locator('.ant-select-item-option', { hasText: 'English' }).click();
  await page.getByRole('heading', { name: 'My settings' }).waitFor();
  const until = Date.now() + 5000;
  while ((await profileLocale()) !== 'en' && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  assert.equal(await profileLocale(), 'en', 'the choice is saved in the profile');
  // ... this browser keeps it across a reload ...
  await page.reload();
  await page.getByRole('heading', { name: 'My settings' }).waitFor();
  await page.context().close();

  // ... and a new browser (nothing stored on the device) that asks for Chinese comes up in
  // English once the user has signed in.
  const other = await newPage(browser, { locale: 'zh-CN' });
  pages.push(other);
  await other.goto(server.url + '/');
  assert.equal(await other.evaluate(() => localStorage.getItem('keel.language')), null, 'nothing stored on this device');
  await login(other, server, email, password);
  await other.goto(server.url + '/settings');
  const heading = other.getByRole('heading', { name: /^(My settings|个人设置)$/ });
  await heading.waitFor();
  await other.waitForLoadState('networkidle');
  assert.equal(await heading.innerText(), 'My settings', 'the language saved in the profile, not the browser\'s, after sign-in');
  assert.equal(await other.evaluate(() => document.documentElement.lang), 'en');
  await other.context().close();
}));

test('a 375 px phone: navigation, lists and records without sideways scrolling', () => shot('phone', async () => {
  const page = await newPage(browser, PHONE);
  pages.push(page);
  await login(page, server, 'wang.wei@demo.keel', DEMO_PASSWORD);
  assert.ok(await horizontalOverflow(page) <= 0, 'start page overflows');

  // The menu is behind a button and works by touch.
  await page.getByTestId('nav-toggle').tap();
  // wang.wei's profile says Chinese, so his phone shows Chinese whatever its browser prefers.
  await page.locator('.ant-drawer .ant-menu-item', { hasText: '联系人' }).tap();
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
  await page.getByText('已记录备注。').waitFor();
  const notes = (await api.get(`/api/v1/activities?contact_id=${contactId}&type=note`)).json.data;
  assert.equal(notes.length, 1);

  for (const path of ['/deals/board', '/my-tasks', '/deals']) {
    await page.goto(server.url + path);
    await page.waitForLoadState('networkidle');
    assert.ok(await horizontalOverflow(page) <= 0, `${path} overflows`);
  }
}));

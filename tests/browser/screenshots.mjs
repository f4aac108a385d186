#!/usr/bin/env node
// Screenshots of the main screens for the README, written to docs/screenshots/*.png:
//   cd web && npm run build && npm run screenshots
// Starts its own keel (KEEL_BIN, else build/release|asan|dev/keel) with the demo company.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { adminClient, DEMO_PASSWORD, launchBrowser, login, newPage, PHONE, repoRoot, startAppServer } from './helpers.mjs';

const outDir = join(repoRoot, 'docs', 'screenshots');
mkdirSync(outDir, { recursive: true });

const server = await startAppServer();
const browser = await launchBrowser();
const api = await adminClient(server);
const written = [];

async function settle(page) {
  await page.waitForLoadState('networkidle');
  await page.locator('.ant-spin-spinning').first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => {});
  await page.waitForTimeout(300); // let antd finish its enter animations
}

async function capture(page, name, path, { fullPage = false } = {}) {
  if (path) await page.goto(server.url + path);
  await settle(page);
  const file = join(outDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  written.push(file);
}

try {
  const account = (await api.get('/api/v1/accounts?q=' + encodeURIComponent('明远'))).json.data[0];
  const deal = (await api.get(`/api/v1/deals?account_id=${account.id}`)).json.data[0];
  const contact = (await api.get(`/api/v1/contacts?account_id=${account.id}`)).json.data[0];

  // Desktop, English, as the sales manager (team records, Chinese and English names).
  const desk = await newPage(browser, { viewport: { width: 1366, height: 860 } });
  await desk.goto(server.url + '/');
  await capture(desk, 'login', null);
  await login(desk, server, 'manager@demo.keel', DEMO_PASSWORD);
  await desk.evaluate(() => localStorage.setItem('keel.language', 'en'));
  await desk.reload();
  await capture(desk, 'today', '/');
  await capture(desk, 'accounts-list', '/accounts');
  await capture(desk, 'deal-record', `/deals/${deal.id}`, { fullPage: true });
  await capture(desk, 'pipeline-board', '/deals/board');
  await capture(desk, 'my-tasks', '/my-tasks');
  await desk.goto(`${server.url}/deals/${deal.id}`);
  await desk.getByTestId('log-call').click();
  await desk.getByTestId('activity-body').fill('Walked through the rollout plan; they want a quote by Friday.');
  await capture(desk, 'log-activity', null);

  // A version conflict: another session saved first.
  await desk.goto(`${server.url}/accounts/${account.id}`);
  await desk.getByTestId('edit-record').click();
  const current = (await api.get(`/api/v1/accounts/${account.id}`)).json;
  await api.patch(`/api/v1/accounts/${account.id}`, { phone: '+86 21 6666 0001', industry: 'Smart manufacturing' }, { headers: { 'if-match': `"${current.version}"` } });
  await desk.locator('[data-testid="record-form"] #industry').fill('Industrial IoT');
  await desk.getByTestId('save-record').click();
  await desk.getByTestId('conflict-dialog').waitFor();
  await capture(desk, 'conflict', null);
  await desk.context().close();

  // Chinese interface (the browser asks for Chinese).
  const zh = await newPage(browser, { locale: 'zh-CN', viewport: { width: 1366, height: 860 } });
  await login(zh, server, 'wang.wei@demo.keel', DEMO_PASSWORD);
  await capture(zh, 'chinese-account-record', `/accounts/${account.id}`, { fullPage: true });
  await capture(zh, 'chinese-pipeline-board', '/deals/board');
  await zh.context().close();

  // Administration.
  const adm = await newPage(browser, { viewport: { width: 1366, height: 860 } });
  await login(adm, server, server.admin.email, server.admin.password);
  await adm.goto(server.url + '/admin/roles');
  await settle(adm);
  await adm.getByRole('button', { name: 'Sales', exact: true }).click();
  await capture(adm, 'admin-roles', null, { fullPage: true });
  // A backup made from the screen, shown verified; then the audit log that records it.
  await adm.goto(server.url + '/admin/backups');
  await adm.getByRole('button', { name: 'Back up now' }).click();
  await adm.locator('.ant-table-tbody tr', { hasText: 'Verified' }).waitFor({ timeout: 60000 });
  await capture(adm, 'admin-backups', null);
  await capture(adm, 'admin-audit', '/admin/audit');
  await adm.context().close();

  // Phone, 375 px wide, Chinese.
  const phone = await newPage(browser, { ...PHONE, locale: 'zh-CN' });
  await login(phone, server, 'wang.wei@demo.keel', DEMO_PASSWORD);
  await capture(phone, 'phone-contact', `/contacts/${contact.id}`);
  await phone.getByTestId('nav-toggle').tap();
  await capture(phone, 'phone-menu', null);
  await capture(phone, 'phone-tasks', '/my-tasks');
  await capture(phone, 'phone-deals', '/deals');
  await capture(phone, 'phone-deal', `/deals/${deal.id}`);
  await phone.context().close();
} finally {
  await browser.close();
  await server.stop();
  server.cleanup();
}
console.log(`screenshots: wrote ${written.length} files to docs/screenshots/`);

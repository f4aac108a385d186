// The audit log and backup screens (administrators): a backup made from the screen finishes and
// shows as verified with its file; the audit log shows who changed what, filters by record and
// action (kept in the address), reads in Chinese, and fits a phone. Others are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  appServerAndBrowser, expectCount, horizontalOverflow, KEY_PATTERN, login, newPage, userClient, withScreenshotOnFailure,
} from './helpers.mjs';

const ctx = appServerAndBrowser();
const shot = (name, fn) => withScreenshotOnFailure(name, () => ctx.pages, fn);

async function adminPage(opts = {}) {
  const page = await newPage(ctx.browser, opts);
  ctx.pages.push(page);
  await login(page, ctx.server, ctx.server.admin.email, ctx.server.admin.password);
  return page;
}

test('backing up from the screen: the new backup runs, then shows as verified with its file on disk', () => shot('backups-now', async () => {
  const page = await adminPage();
  await page.goto(ctx.server.url + '/admin/backups');
  await page.getByRole('heading', { name: 'Backups' }).waitFor();
  assert.match(await page.title(), /^Backups · Keel/);
  await page.getByText('There is no backup yet').waitFor();
  await page.getByRole('button', { name: 'Back up now' }).click();
  // The list follows the running backup until it is verified, without a reload.
  const row = page.locator('.ant-table-tbody tr', { hasText: 'Verified' });
  await row.waitFor({ timeout: 60000 });
  await expectCount(page.locator('.ant-table-tbody tr.ant-table-row'), 1);
  const text = await row.innerText();
  assert.match(text, /By /);
  const file = text.match(/keel-\d{8}T\d{6}Z-[0-9a-f]{8}\.(db|dump)/)?.[0];
  assert.ok(file, `a file name in: ${text}`);
  assert.ok(existsSync(join(ctx.server.dataDir, 'backups', file)), 'the file shown is on disk');
  assert.equal(await page.getByText('There is no backup yet').count(), 0);
  assert.ok(await page.getByRole('button', { name: 'Back up now' }).isEnabled());
}));

test('the audit log shows who changed what, and filters by record and action in the address', () => shot('audit-filters', async () => {
  const acc = await ctx.api.post('/api/v1/accounts', { name: 'Audited Ltd' });
  assert.equal(acc.status, 201, acc.text);
  const upd = await ctx.api.patch(`/api/v1/accounts/${acc.json.id}`, { name: 'Audited Holdings', version: 1 });
  assert.equal(upd.status, 200, upd.text);
  const page = await adminPage();
  await page.goto(ctx.server.url + '/admin/audit');
  await page.getByRole('heading', { name: 'Audit log' }).waitFor();
  // Narrow to the record from a row of the full log.
  const changed = page.locator('.ant-table-tbody tr', { hasText: 'Audited Holdings' }).first();
  await changed.waitFor();
  await changed.getByRole('button', { name: 'Only this record' }).click();
  await page.waitForURL((u) => u.searchParams.get('record_id') === acc.json.id);
  await expectCount(page.locator('.ant-table-tbody tr.ant-table-row'), 2);
  const rows = await page.locator('.ant-table-tbody tr.ant-table-row').allInnerTexts();
  assert.match(rows[0], /Changed/);
  assert.match(rows[0], /Audited Ltd/);
  assert.match(rows[0], /Audited Holdings/);
  assert.match(rows[1], /Created/);
  // Only updates; the filter survives a reload (it is in the address).
  await page.getByRole('combobox', { name: 'Action' }).click();
  await page.locator('.ant-select-dropdown:visible').getByText('Changed', { exact: true }).click();
  await page.waitForURL((u) => u.searchParams.get('action') === 'update');
  await expectCount(page.locator('.ant-table-tbody tr.ant-table-row'), 1);
  await page.reload();
  await expectCount(page.locator('.ant-table-tbody tr.ant-table-row'), 1);
  // The record link opens the account.
  await page.locator('.ant-table-tbody tr.ant-table-row').getByRole('link').click();
  await page.waitForURL(`**/accounts/${acc.json.id}`);
  await page.getByRole('heading', { name: 'Audited Holdings' }).waitFor();
}));

test('in Chinese on a phone: labels are translated and the page does not overflow', () => shot('audit-zh-phone', async () => {
  const email = `audit-zh-${Date.now()}@example.com`;
  const password = 'zh-admin-password-1';
  const r = await ctx.api.post('/api/v1/users', { email, name: '审计管理员', password, role_id: 'admin', locale: 'zh-CN' });
  assert.equal(r.status, 201, r.text);
  const page = await newPage(ctx.browser, { locale: 'zh-CN', viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  ctx.pages.push(page);
  await login(page, ctx.server, email, password);
  for (const [path, heading] of [['/admin/audit', '审计日志'], ['/admin/backups', '备份']]) {
    await page.goto(ctx.server.url + path);
    await page.getByRole('heading', { name: heading, exact: true }).waitFor();
    await page.locator('.ant-table').waitFor();
    const body = await page.locator('body').innerText();
    assert.doesNotMatch(body, KEY_PATTERN, `untranslated key on ${path}`);
    assert.ok((await horizontalOverflow(page)) <= 0, `${path} is wider than the phone`);
  }
}));

test('people who are not administrators are told the screens are not for them', () => shot('audit-forbidden', async () => {
  const rep = await userClient(ctx.server, ctx.api, { role: 'manager' });
  const page = await newPage(ctx.browser);
  ctx.pages.push(page);
  await login(page, ctx.server, rep.user.email, rep.password);
  for (const path of ['/admin/audit', '/admin/backups']) {
    await page.goto(ctx.server.url + path);
    await page.getByText('Only administrators can open this screen.').waitFor();
  }
  assert.equal(await page.getByRole('button', { name: 'Back up now' }).count(), 0);
}));

// The contact form warns before saving a contact whose email or phone another contact already
// holds, names it with a link, and lets the user create anyway or go back: in English and Chinese.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { appServerAndBrowser, expectCount, login, newPage, withScreenshotOnFailure, PHONE } from './helpers.mjs';

const ctx = appServerAndBrowser();
let page;
const shot = (name, fn) => withScreenshotOnFailure(name, () => [page], fn);

async function openForm(lastName) {
  await page.goto(ctx.server.url + '/contacts');
  await page.getByTestId('new-record').click();
  await page.locator('[data-testid="create-form"] #last_name').fill(lastName);
}

async function countNamed(lastName) {
  const r = await ctx.api.get('/api/v1/contacts?' + new URLSearchParams({ q: lastName, limit: '50' }));
  return r.json.data.filter((c) => c.last_name === lastName).length;
}

test('English: a phone written another way is found; Cancel keeps the form, Create anyway saves', () => shot('duplicate-en', async () => {
  const tail = String(10000000 + Math.floor(Math.random() * 89999999));
  const existing = (await ctx.api.post('/api/v1/contacts', { last_name: `Existing${tail}`, phones: [`+86 138 ${tail}`] })).json;
  page = await newPage(ctx.browser);
  await login(page, ctx.server, ctx.server.admin.email, ctx.server.admin.password);
  const name = `Newcomer${tail}`;
  await openForm(name);
  const phones = page.locator('[data-testid="create-form"] [data-field="phones"] input');
  await phones.fill(`138-${tail}`);
  await phones.press('Enter');
  await page.getByTestId('create-submit').click();
  const warning = page.getByTestId('duplicate-warning');
  await warning.filter({ hasText: 'A contact with this phone already exists:' }).waitFor();
  const link = warning.getByRole('link', { name: existing.name });
  assert.equal(await link.getAttribute('href'), `/contacts/${existing.id}`);
  assert.equal(await countNamed(name), 0, 'nothing saved while the warning shows');
  await page.getByTestId('duplicate-cancel').click();
  await expectCount(warning, 0);
  assert.equal(await page.locator('[data-testid="create-form"] #last_name').inputValue(), name, 'what was typed stays');
  await page.getByTestId('create-submit').click();
  await page.getByTestId('duplicate-create-anyway').click();
  await page.waitForURL(/\/contacts\/[0-9a-f-]{36}$/);
  assert.equal(await countNamed(name), 1);
}));

test('Chinese, at phone width: an email already held is named in Chinese', () => shot('duplicate-zh', async () => {
  const email = `dup.${randomUUID().slice(0, 8)}@example.cn`;
  const existing = (await ctx.api.post('/api/v1/contacts', { last_name: '李', first_name: '已有', emails: [email] })).json;
  await page.close();
  page = await newPage(ctx.browser, { locale: 'zh-CN', ...PHONE });
  await login(page, ctx.server, ctx.server.admin.email, ctx.server.admin.password);
  await openForm('张');
  const emails = page.locator('[data-testid="create-form"] [data-field="emails"] input');
  await emails.fill(email.toUpperCase());
  await emails.press('Enter');
  await page.getByTestId('create-submit').click();
  const warning = page.getByTestId('duplicate-warning');
  await warning.filter({ hasText: '已有联系人使用此邮箱：' }).waitFor();
  await warning.getByRole('link', { name: existing.name }).waitFor();
  assert.ok(await page.getByTestId('duplicate-create-anyway').filter({ hasText: '仍然创建' }).isVisible());
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  assert.equal(overflow, false, 'no sideways scrolling at 375 px');
}));

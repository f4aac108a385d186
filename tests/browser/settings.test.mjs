// My settings: name, time zone (searchable, readable names) and password. A wrong current
// password is refused on its field; after a change the user stays signed in here, other sessions
// are signed out, and the new password works for the next sign-in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appServerAndBrowser, Client, login, newPage, withScreenshotOnFailure } from './helpers.mjs';

const ctx = appServerAndBrowser();
const shot = (name, fn) => withScreenshotOnFailure(name, () => ctx.pages, fn);

async function newUser() {
  const email = `settings-${Date.now()}@example.com`;
  const password = 'first-password-1';
  const created = await ctx.api.post('/api/v1/users', { email, name: 'Settings Person', password, role_id: 'sales', locale: 'en', time_zone: 'Asia/Shanghai' });
  assert.equal(created.status, 201, created.text);
  return { email, password };
}

async function pageFor(email, password) {
  const page = await newPage(ctx.browser);
  ctx.pages.push(page);
  await login(page, ctx.server, email, password);
  await page.goto(ctx.server.url + '/settings');
  await page.getByRole('heading', { name: 'My settings' }).waitFor();
  return page;
}

const fieldError = (page, testId) =>
  page.locator('.ant-form-item', { has: page.getByTestId(testId) }).locator('.ant-form-item-explain-error');

test('changing the password: a wrong current one is refused on its field; the new one signs in next time', () => shot('settings-password', async () => {
  const { email, password } = await newUser();
  const otherSession = await new Client(ctx.server.url).login(email, password);
  const page = await pageFor(email, password);
  await page.getByText('At least 10 characters').waitFor(); // the rule, before typing

  const newPassword = 'second-password-2';
  await page.getByTestId('current-password').fill('not-my-password');
  await page.getByTestId('new-password').fill(newPassword);
  await page.getByTestId('confirm-password').fill(newPassword);
  await page.getByTestId('change-password').click();
  await fieldError(page, 'current-password').filter({ hasText: 'The current password is wrong' }).waitFor();
  assert.equal((await otherSession.get('/api/v1/me')).status, 200, 'nothing changed');

  // Too short: said on the field before anything is sent.
  await page.getByTestId('new-password').fill('short');
  await fieldError(page, 'new-password').filter({ hasText: 'at least 10' }).waitFor();

  await page.getByTestId('current-password').fill(password);
  await page.getByTestId('new-password').fill(newPassword);
  await page.getByTestId('confirm-password').fill(newPassword);
  await page.getByTestId('change-password').click();
  await page.getByTestId('password-changed').waitFor();
  assert.match(await page.getByTestId('password-changed').innerText(), /still signed in here.*other sessions/s);

  // Still signed in here (after a reload too); the other session was signed out.
  await page.reload();
  await page.getByRole('heading', { name: 'My settings' }).waitFor();
  assert.equal((await otherSession.get('/api/v1/me')).status, 401);

  // The next sign-in takes the new password and refuses the old one.
  const fresh = await newPage(ctx.browser);
  ctx.pages.push(fresh);
  await login(fresh, ctx.server, email, newPassword);
  const old = await new Client(ctx.server.url).request('POST', '/api/v1/auth/login', { body: { email, password } });
  assert.equal(old.status, 401);
  await fresh.context().close();
  await page.context().close();
}));

test('name and time zone: the zone is found by city and shown with offset and name', () => shot('settings-profile', async () => {
  const { email, password } = await newUser();
  const page = await pageFor(email, password);
  const user = await new Client(ctx.server.url).login(email, password);

  await page.getByTestId('settings-name').fill('Renamed Person');
  await page.getByTestId('save-profile').click();
  await page.getByTestId('user-menu').filter({ hasText: 'Renamed Person' }).waitFor();

  const zone = page.getByTestId('settings-time-zone');
  assert.match(await zone.innerText(), /UTC\+08:00 · Shanghai · China Standard Time/);
  await zone.click();
  await page.keyboard.type('tokyo');
  const option = page.locator('.ant-select-item-option', { hasText: 'Tokyo' });
  assert.match(await option.innerText(), /UTC\+09:00 · Tokyo · Japan/);
  await option.click();
  const until = Date.now() + 5000;
  let me;
  while (Date.now() < until) {
    me = (await user.get('/api/v1/me')).json;
    if (me.time_zone === 'Asia/Tokyo') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(me.time_zone, 'Asia/Tokyo');
  assert.equal(me.name, 'Renamed Person');
  await page.context().close();
}));

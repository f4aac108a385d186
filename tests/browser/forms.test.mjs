// Forms and record pages as people meet them (issue 8): the "first or last name" rule said as
// it is and cleared as soon as either is filled; phone, email and website inputs that bring up
// the right keyboard; the reason asked for when a deal is lost (required where the pipeline
// says so); money in the history with its currency; activities by when they happened; recent
// activities without a subject that still say what, about whom and by whom.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appServerAndBrowser, expectCount, login, newPage, withScreenshotOnFailure } from './helpers.mjs';

const ctx = appServerAndBrowser();
let page;
const shot = (name, fn) => withScreenshotOnFailure(name, () => [page], fn);
const ok = (r, status, what) => {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text}`);
  return r.json;
};

test('signs in', async () => {
  page = await newPage(ctx.browser);
  await login(page, ctx.server, ctx.server.admin.email, ctx.server.admin.password);
});

test('the contact form asks for a last or first name and clears the message when either is filled', () => shot('any-of-name', async () => {
  await page.goto(ctx.server.url + '/contacts');
  await page.getByTestId('new-record').click();
  await page.getByTestId('create-submit').click();
  const lastNameError = page.locator('[data-testid="create-form"] [data-field="last_name"] .ant-form-item-explain-error');
  await lastNameError.filter({ hasText: 'Enter Last name or First name; one of them is enough' }).waitFor();
  await page.locator('[data-testid="create-form"] #first_name').fill('Ada');
  await expectCount(lastNameError, 0);
  // Emptied again, the message comes back; filling the last name clears it as well.
  await page.locator('[data-testid="create-form"] #first_name').fill('');
  await lastNameError.waitFor();
  await page.locator('[data-testid="create-form"] #last_name').fill('Lovelace');
  await expectCount(lastNameError, 0);

  // The lists of addresses and numbers bring up the email keyboard and the number pad.
  const emails = page.locator('[data-testid="create-form"] [data-field="emails"] input');
  const phones = page.locator('[data-testid="create-form"] [data-field="phones"] input');
  assert.equal(await emails.getAttribute('inputmode'), 'email');
  assert.equal(await emails.getAttribute('autocomplete'), 'email');
  assert.equal(await phones.getAttribute('inputmode'), 'tel');
  assert.equal(await phones.getAttribute('type'), 'tel');
  await page.keyboard.press('Escape');
}));

test('single phone, email and website inputs have their type, keyboard and autofill', () => shot('input-types', async () => {
  await page.goto(ctx.server.url + '/accounts');
  await page.getByTestId('new-record').click();
  const website = page.locator('[data-testid="create-form"] #website');
  const phone = page.locator('[data-testid="create-form"] #phone');
  assert.deepEqual([await website.getAttribute('type'), await website.getAttribute('inputmode')], ['url', 'url']);
  assert.deepEqual([await phone.getAttribute('type'), await phone.getAttribute('inputmode'), await phone.getAttribute('autocomplete')], ['tel', 'tel', 'tel']);
  await page.keyboard.press('Escape');
  await page.goto(ctx.server.url + '/leads');
  await page.getByTestId('new-record').click();
  const email = page.locator('[data-testid="create-form"] #email');
  assert.deepEqual([await email.getAttribute('type'), await email.getAttribute('inputmode'), await email.getAttribute('autocomplete')], ['email', 'email', 'email']);
  // A malformed address is the app's translated message from the server, not a browser bubble.
  await page.locator('[data-testid="create-form"] #last_name').fill('Wang');
  await email.fill('not-an-address');
  await page.getByTestId('create-submit').click();
  await page.locator('[data-testid="create-form"] [data-field="email"] .ant-form-item-explain-error').waitFor();
  await page.keyboard.press('Escape');
}));

const STAGES = [
  { name: 'Qualify', probability: 10 },
  { name: 'Propose', probability: 50 },
  { name: 'Won', is_won: true },
  { name: 'Closed lost', is_lost: true },
];

test('moving a deal to a lost stage asks why; a pipeline that requires it will not move without one', () => shot('lost-reason', async () => {
  const api = ctx.api;
  const pipeline = ok(await api.post('/api/v1/pipelines', { name: 'Strict pipeline', position: 9000, stages: STAGES, require_lost_reason: true }), 201, 'pipeline');
  const lost = pipeline.stages.find((s) => s.is_lost);
  const deal = ok(await api.post('/api/v1/deals', { name: 'Harbour cranes', pipeline_id: pipeline.id }), 201, 'deal');

  // From the record page's stage select.
  await page.goto(`${ctx.server.url}/deals/${deal.id}`);
  await page.getByTestId('deal-stage-select').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: lost.name }).click();
  const dialog = page.locator('.ant-modal-content', { hasText: 'Why was it lost?' });
  await dialog.getByText(`Move Harbour cranes to ${lost.name}`).waitFor();
  await page.getByTestId('lost-reason-confirm').click();
  await dialog.locator('.ant-form-item-explain-error', { hasText: 'This pipeline asks for a reason when a deal is lost.' }).waitFor();
  assert.equal(ok(await api.get(`/api/v1/deals/${deal.id}`), 200, 'deal').status, 'open', 'not moved without a reason');
  await dialog.locator('textarea').fill('Went with a competitor');
  await page.getByTestId('lost-reason-confirm').click();
  await page.getByText(`Moved to ${lost.name}.`).first().waitFor();
  const saved = ok(await api.get(`/api/v1/deals/${deal.id}`), 200, 'deal');
  assert.deepEqual([saved.status, saved.lost_reason], ['lost', 'Went with a competitor']);

  // From the board's "Move to stage" menu: cancelling keeps the deal where it was.
  const other = ok(await api.post('/api/v1/deals', { name: 'Dock lighting', pipeline_id: pipeline.id }), 201, 'deal');
  await page.goto(`${ctx.server.url}/deals/board?pipeline=${pipeline.id}`);
  const menu = page.locator(`[data-deal-id="${other.id}"] [data-testid="move-deal"]`);
  await menu.click();
  await page.getByRole('menuitem', { name: lost.name }).click();
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(ok(await api.get(`/api/v1/deals/${other.id}`), 200, 'deal').status, 'open', 'cancel moves nothing');
  await page.locator(`[data-stage-id="${pipeline.stages[0].id}"] [data-deal-id="${other.id}"]`).waitFor();

  // Dragged onto the lost column: the same question.
  await page.locator(`[data-testid="deal-card"][data-deal-id="${other.id}"]`).dragTo(page.locator(`[data-testid="board-column"][data-stage-id="${lost.id}"]`));
  await dialog.waitFor();
  await dialog.locator('textarea').fill('Budget moved to next year');
  await page.getByTestId('lost-reason-confirm').click();
  await page.locator(`[data-stage-id="${lost.id}"] [data-deal-id="${other.id}"]`).waitFor();
  await page.getByText(`Moved to ${lost.name}.`).first().waitFor();
  assert.equal(ok(await api.get(`/api/v1/deals/${other.id}`), 200, 'deal').lost_reason, 'Budget moved to next year');

  // The pipeline edit form offers the setting.
  await page.goto(`${ctx.server.url}/admin/pipelines`);
  const card = page.locator('.ant-card', { has: page.locator('.ant-card-head-title', { hasText: 'Strict pipeline' }) });
  const box = card.getByRole('checkbox', { name: 'Ask for a reason when a deal is lost' });
  await box.waitFor();
  assert.equal(await box.isChecked(), true);
  await box.click();
  await card.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved.').first().waitFor();
  assert.equal(ok(await api.get(`/api/v1/pipelines/${pipeline.id}`), 200, 'pipeline').require_lost_reason, false);
}));

test('the history shows amounts as money in the record currency, custom money fields too', () => shot('history-money', async () => {
  const api = ctx.api;
  ok(await api.post('/api/v1/custom-fields', { entity: 'deals', name: 'budget', label: 'Budget', type: 'money' }), 201, 'custom field');
  const deal = ok(await api.post('/api/v1/deals', { name: 'Crane service', amount_minor: 20000000, currency: 'USD' }), 201, 'deal');
  ok(await api.patch(`/api/v1/deals/${deal.id}`, { amount_minor: 19500000, custom: { budget: 150000 } }, { headers: { 'if-match': '"1"' } }), 200, 'amount');
  await page.goto(`${ctx.server.url}/deals/${deal.id}`);
  const change = page.getByTestId('timeline-change').filter({ hasText: 'Amount' });
  await change.waitFor();
  const text = await change.innerText();
  assert.match(text, /Amount: \$200,000\.00\s*→\s*\$195,000\.00/, text);
  assert.match(text, /Budget: —\s*→\s*\$1,500\.00/, text);
}));

test('activities are listed by when they happened, newest first', () => shot('activities-order', async () => {
  const api = ctx.api;
  const account = ok(await api.post('/api/v1/accounts', { name: 'Ordering Co' }), 201, 'account');
  // Logged first but happened last, and the other way round.
  ok(await api.post('/api/v1/activities', { type: 'meeting', subject: 'Happened later', occurred_at: '2026-11-20T09:00:00Z', account_id: account.id }), 201, 'later');
  ok(await api.post('/api/v1/activities', { type: 'call', subject: 'Happened earlier', occurred_at: '2026-11-01T09:00:00Z', account_id: account.id }), 201, 'earlier');
  await page.goto(`${ctx.server.url}/activities?account_id=${account.id}`);
  const rows = page.getByTestId('row-link');
  await expectCount(rows, 2);
  assert.deepEqual(await rows.allInnerTexts(), ['Happened later', 'Happened earlier']);
  // The record's timeline too.
  await page.goto(`${ctx.server.url}/accounts/${account.id}`);
  const items = page.getByTestId('timeline-activity');
  await expectCount(items, 2);
  assert.match(await items.first().innerText(), /Happened later/);
}));

test('a recent activity without a subject says what it was, about whom, and who logged it', () => shot('recent-untitled', async () => {
  const api = ctx.api;
  const contact = ok(await api.post('/api/v1/contacts', { last_name: 'Zhou', first_name: 'Min' }), 201, 'contact');
  const a = ok(await api.post('/api/v1/activities', { type: 'note', contact_id: contact.id, occurred_at: '2099-01-01T02:30:00Z' }), 201, 'activity');
  // The user's zone, not the browser's (Asia/Shanghai here).
  ok(await api.patch('/api/v1/me', { time_zone: 'America/New_York' }), 200, 'time zone');
  await page.goto(ctx.server.url + '/');
  const entry = page.getByTestId('activity-summary').filter({ has: page.locator(`a[href="/activities/${a.id}"]`) });
  await entry.waitFor();
  const title = await entry.locator(`a[href="/activities/${a.id}"]`).innerText();
  assert.match(title, /^Note on Dec 31, 2098, 9:30\sPM$/, title);
  await entry.locator(`a[href="/contacts/${contact.id}"]`, { hasText: 'Min Zhou' }).waitFor();
  await entry.getByText('by Administrator').waitFor();
}));

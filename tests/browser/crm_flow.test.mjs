// The main path of a salesperson's day in the browser: sign in, create an account, a contact
// and a deal, move the deal across pipeline stages on the board, log a call and find it on the
// timeline, see a server validation error on the field, find linked records on record pages,
// work with lists (paging, bulk actions, CSV export), and get a clear message when the session
// ends.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { adminClient, expectCount, launchBrowser, login, newPage, startAppServer, withScreenshotOnFailure } from './helpers.mjs';

let server, browser, page, api;

before(async () => {
  server = await startAppServer();
  api = await adminClient(server);
  browser = await launchBrowser();
  page = await newPage(browser);
});

after(async () => {
  await browser?.close();
  await server?.stop();
  server?.cleanup();
});

const shot = (name, fn) => withScreenshotOnFailure(name, () => [page], fn);

// Picks a record in an antd search select: type part of its name, choose the option.
async function pickRecord(formSel, field, text) {
  const input = page.locator(`${formSel} #${field}`);
  await input.click();
  await input.fill(text);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text }).first().click();
}

let accountId, contactId, dealId;

// The API requests the page makes while fn runs ("GET /api/v1/accounts?id%5Bin%5D=...").
async function apiRequestsDuring(fn) {
  const seen = [];
  const listener = (r) => { if (r.url().includes('/api/v1/')) seen.push(`${r.method()} ${r.url().slice(server.url.length)}`); };
  page.on('request', listener);
  try {
    await fn();
  } finally {
    page.off('request', listener);
  }
  return seen;
}

test('signs in with the administrator credentials', () => shot('sign-in', async () => {
  await page.goto(server.url + '/');
  await page.locator('input[autocomplete="username"]').fill(server.admin.email);
  await page.locator('input[autocomplete="current-password"]').fill('wrong-password');
  await page.locator('button[type="submit"]').click();
  await page.getByText('That email and password do not match.').waitFor();
  // The typed email is kept after a failed attempt.
  assert.equal(await page.locator('input[autocomplete="username"]').inputValue(), server.admin.email);
  await login(page, server, server.admin.email, server.admin.password);
  await page.getByRole('heading', { name: 'Hello, Administrator' }).waitFor();
}));

test('creates an account, a contact at it and a deal', () => shot('create-records', async () => {
  await page.goto(server.url + '/accounts');
  await page.getByTestId('new-record').click();
  await page.locator('[data-testid="create-form"] #name').fill('上海浦江测试有限公司');
  await page.locator('[data-testid="create-form"] #city').fill('上海');
  await page.getByTestId('create-submit').click();
  await page.getByTestId('record-title').filter({ hasText: '上海浦江测试有限公司' }).waitFor();
  accountId = page.url().split('/').pop();
  const account = await api.get(`/api/v1/accounts/${accountId}`);
  assert.equal(account.json.city, '上海');

  await page.goto(server.url + '/contacts');
  await page.getByTestId('new-record').click();
  await page.locator('[data-testid="create-form"] #last_name').fill('李');
  await page.locator('[data-testid="create-form"] #first_name').fill('明');
  await pickRecord('[data-testid="create-form"]', 'account_id', '浦江测试');
  await page.getByTestId('create-submit').click();
  await page.getByTestId('record-title').filter({ hasText: '李明' }).waitFor();
  contactId = page.url().split('/').pop();
  const contact = await api.get(`/api/v1/contacts/${contactId}`);
  assert.equal(contact.json.account_id, accountId);

  await page.goto(server.url + '/deals');
  await page.getByTestId('new-record').click();
  await page.locator('[data-testid="create-form"] #name').fill('浦江 — 传感器项目');
  await pickRecord('[data-testid="create-form"]', 'account_id', '浦江测试');
  await page.locator('[data-testid="create-form"] #amount_minor').fill('88,000.50');
  await page.getByTestId('create-submit').click();
  await page.getByTestId('record-title').filter({ hasText: '浦江 — 传感器项目' }).waitFor();
  dealId = page.url().split('/').pop();
  const deal = await api.get(`/api/v1/deals/${dealId}`);
  assert.equal(deal.json.amount_minor, 8800050);
  assert.equal(deal.json.currency, 'CNY');
  assert.equal(deal.json.account_id, accountId);
}));

test('moves the deal across stages on the board', () => shot('board-move', async () => {
  const pipeline = (await api.get('/api/v1/pipelines')).json.data[0];
  const [first, second, third] = pipeline.stages;
  assert.equal((await api.get(`/api/v1/deals/${dealId}`)).json.stage_id, first.id);

  await page.goto(server.url + '/deals/board');
  const card = page.locator(`[data-testid="deal-card"][data-deal-id="${dealId}"]`);
  await page.locator(`[data-stage-id="${first.id}"] [data-deal-id="${dealId}"]`).waitFor();
  // Drag with the mouse (HTML drag and drop) to the second stage.
  await card.dragTo(page.locator(`[data-testid="board-column"][data-stage-id="${second.id}"]`));
  await page.locator(`[data-stage-id="${second.id}"] [data-deal-id="${dealId}"]`).waitFor();
  await page.getByText(`Moved to ${second.name}.`).waitFor();
  assert.equal((await api.get(`/api/v1/deals/${dealId}`)).json.stage_id, second.id);

  // And with the card's "Move to stage" menu (keyboard and touch users).
  await page.locator(`[data-deal-id="${dealId}"] [data-testid="move-deal"]`).click();
  await page.getByRole('menuitem', { name: third.name }).click();
  await page.locator(`[data-stage-id="${third.id}"] [data-deal-id="${dealId}"]`).waitFor();
  await page.getByText(`Moved to ${third.name}.`).waitFor();
  const history = (await api.get(`/api/v1/deals/${dealId}/stage-history`)).json.data;
  assert.deepEqual(history.map((h) => h.to_stage_id), [first.id, second.id, third.id]);
}));

test('logs a call on the deal and shows it on the timeline', () => shot('log-activity', async () => {
  await page.goto(`${server.url}/deals/${dealId}`);
  await page.getByTestId('log-call').click();
  await page.getByTestId('activity-body').fill('Discussed the sensor pricing with 李明');
  await page.getByTestId('save-activity').click();
  await page.getByText('Call logged.').waitFor();
  await page.getByTestId('timeline').getByText('Discussed the sensor pricing with 李明').waitFor();
  const acts = (await api.get(`/api/v1/activities?deal_id=${dealId}`)).json.data;
  assert.equal(acts.length, 1);
  assert.equal(acts[0].type, 'call');
  assert.equal(acts[0].account_id, accountId); // also on the account's timeline
  // The stage moves are on the timeline too, from the audit history.
  assert.ok((await page.getByTestId('timeline-change').count()) >= 2);
  await page.goto(`${server.url}/accounts/${accountId}`);
  await page.getByTestId('timeline').getByText('Discussed the sensor pricing with 李明').waitFor();
}));

test('shows a server validation error on the field that is wrong', () => shot('field-error', async () => {
  await page.goto(`${server.url}/accounts/${accountId}`);
  await page.getByTestId('edit-record').click();
  await page.locator('[data-testid="record-form"] #website').fill('not a web address');
  await page.getByTestId('save-record').click();
  const item = page.locator('[data-testid="record-form"] [data-field="website"]');
  await item.getByText('Not in the expected format').waitFor();
  // What the user typed is still there to correct.
  assert.equal(await page.locator('[data-testid="record-form"] #website').inputValue(), 'not a web address');
  await page.locator('[data-testid="record-form"] #website').fill('https://pujiang.example.cn');
  await page.getByTestId('save-record').click();
  await page.locator('[data-field="website"]').getByText('https://pujiang.example.cn').waitFor();
}));

test('record pages list linked records: the deals of a contact, the contacts and deals of an account', () => shot('related', async () => {
  const deal = (await api.get(`/api/v1/deals/${dealId}`)).json;
  assert.equal((await api.patch(`/api/v1/deals/${dealId}`, { contact_ids: [contactId], version: deal.version })).status, 200);
  await page.goto(`${server.url}/contacts/${contactId}`);
  const related = page.getByTestId('related-records');
  await related.getByRole('tab', { name: 'Deals' }).click();
  await related.getByRole('link', { name: '浦江 — 传感器项目' }).waitFor();
  await page.goto(`${server.url}/accounts/${accountId}`);
  await related.getByRole('link', { name: '李明' }).waitFor(); // contacts: the first tab
  await related.getByRole('tab', { name: 'Deals' }).click();
  await related.getByRole('link', { name: '浦江 — 传感器项目' }).waitFor();
}));

test('a list names linked records with one request per linked entity', () => shot('ref-batch', async () => {
  const requests = await apiRequestsDuring(async () => {
    await page.goto(`${server.url}/deals?limit=100`);
    await page.getByTestId('record-table').getByRole('link', { name: '上海浦江测试有限公司' }).waitFor();
    await page.waitForLoadState('networkidle');
  });
  const accountReads = requests.filter((r) => r.startsWith('GET /api/v1/accounts'));
  assert.equal(accountReads.filter((r) => /^GET \/api\/v1\/accounts\/[0-9a-f-]{36}/.test(r)).length, 0, accountReads.join('\n'));
  assert.equal(accountReads.length, 1, accountReads.join('\n'));
  assert.match(accountReads[0], /id%5Bin%5D=/);
}));

test('a list searches, filters and pages with the cursor', () => shot('list', async () => {
  await page.goto(`${server.url}/accounts?limit=25`);
  await page.getByTestId('list-total').filter({ hasText: '13 records' }).waitFor();
  await page.getByTestId('list-search').fill('浦江');
  await page.getByTestId('list-search').press('Enter');
  await expectCount(page.getByTestId('row-link'), 1);
  await page.getByTestId('row-link').filter({ hasText: '上海浦江测试有限公司' }).waitFor();
  // Filters are in the URL; clearing the search brings the whole list back.
  await page.goto(`${server.url}/accounts?city=${encodeURIComponent('上海')}`);
  await expectCount(page.getByTestId('row-link'), 2);
  await page.getByTestId('filter-chips').getByText('City: 上海').waitFor();
  // Cursor paging: 30 matching records are two pages of 25.
  for (let i = 0; i < 30; i++) await api.post('/api/v1/accounts', { name: `Paging test ${String(i).padStart(2, '0')}` });
  await page.goto(`${server.url}/accounts?limit=25&q=Paging&sort=name`);
  await expectCount(page.getByTestId('row-link'), 25);
  await page.getByTestId('list-total').filter({ hasText: '30 records' }).waitFor();
  const firstPage = await page.getByTestId('row-link').allTextContents();
  assert.equal(firstPage[0], 'Paging test 00');
  await page.getByTestId('next-page').click();
  await expectCount(page.getByTestId('row-link'), 5);
  assert.equal(await page.getByTestId('row-link').first().textContent(), 'Paging test 25');
  assert.ok(await page.getByTestId('next-page').isDisabled());
  await page.getByTestId('prev-page').click();
  await expectCount(page.getByTestId('row-link'), 25);
  assert.deepEqual(await page.getByTestId('row-link').allTextContents(), firstPage);

  // Bulk: move two selected records to the trash in one request, with a summary.
  await page.locator('[data-testid="record-table"] tbody input[type=checkbox]').nth(0).check();
  await page.locator('[data-testid="record-table"] tbody input[type=checkbox]').nth(1).check();
  await page.getByTestId('bulk-actions').getByText('2 records selected').waitFor();
  const requests = await apiRequestsDuring(async () => {
    await page.getByTestId('bulk-delete').click();
    await page.locator('.ant-popconfirm .ant-btn-primary').click();
    await page.getByText('2 done, 0 not done').waitFor();
  });
  assert.deepEqual(requests.filter((r) => !r.startsWith('GET')), ['POST /api/v1/accounts/bulk']);
  const left = await api.get('/api/v1/accounts?q=Paging&limit=50');
  assert.equal(left.json.data.length, 28);
}));

test('a bulk action names the records it could not change, and why', () => shot('bulk-failures', async () => {
  await page.goto(`${server.url}/accounts?q=Paging&sort=name`);
  await expectCount(page.getByTestId('row-link'), 28);
  await page.locator('[data-testid="record-table"] tbody input[type=checkbox]').nth(0).check();
  await page.locator('[data-testid="record-table"] tbody input[type=checkbox]').nth(1).check();
  // Someone else changes the first one after the list was loaded.
  const first = (await api.get('/api/v1/accounts?q=Paging&sort=name&limit=1')).json.data[0];
  assert.equal((await api.patch(`/api/v1/accounts/${first.id}`, { city: '苏州', version: first.version })).status, 200);
  const manager = (await api.get('/api/v1/users')).json.data.find((u) => u.email === 'manager@demo.keel');
  await page.getByTestId('bulk-assign').click();
  await page.locator('.ant-popover:visible .ant-select').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: manager.name }).click();
  await page.getByText('1 done, 1 not done').waitFor();
  await page.getByTestId('bulk-failures').getByText(`${first.name}: Someone else changed this record meanwhile.`).waitFor();
  const after = (await api.get('/api/v1/accounts?q=Paging&sort=name&limit=2')).json.data;
  assert.equal(after[0].owner_id, first.owner_id); // not overwritten
  assert.equal(after[0].city, '苏州');
  assert.equal(after[1].owner_id, manager.id);
}));

test('exports the list as CSV with its filters, and explains a refused export', () => shot('export', async () => {
  await page.goto(`${server.url}/accounts?city=${encodeURIComponent('上海')}&sort=name`);
  await expectCount(page.getByTestId('row-link'), 2);
  let download;
  const requests = await apiRequestsDuring(async () => {
    [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  });
  // The list's filter and sort, without its paging (a sync of the device's copy may run meanwhile).
  assert.deepEqual(requests.filter((r) => !r.includes('/api/v1/sync/')), [`GET /api/v1/accounts/export?sort=name&city=${encodeURIComponent('上海')}`]);
  assert.equal(download.suggestedFilename(), 'accounts.csv');
  const chunks = [];
  for await (const c of await download.createReadStream()) chunks.push(c);
  const csv = Buffer.concat(chunks).toString('utf8');
  assert.ok(csv.startsWith('\uFEFFid,name,'), csv.slice(0, 40));
  const rows = csv.trim().split('\r\n').slice(1);
  assert.equal(rows.length, 2);
  assert.ok(rows.every((r) => r.includes('上海')));
  await page.getByText('Downloaded accounts.csv.').waitFor();

  // Refusals (more rows than the server exports at once; a role changed since sign-in) show
  // the translated reason, never the server's text.
  const refusals = [
    [413, 'export_too_large', 'Too many records to export at once; narrow the filters.'],
    [403, 'forbidden', 'Your role may not export Accounts.'],
  ];
  for (const [status, code, shown] of refusals) {
    await page.route('**/api/v1/accounts/export*', (route) => route.fulfill({
      status, contentType: 'application/problem+json', body: JSON.stringify({ status, code, title: 'server text' }),
    }));
    await page.getByTestId('export-csv').click();
    await page.getByText(shown).waitFor();
    await page.unroute('**/api/v1/accounts/export*');
  }
  assert.equal(await page.getByText('server text').count(), 0);
}));

test('without a connection a logged call is kept and sent when it returns', () => shot('offline', async () => {
  await page.goto(`${server.url}/accounts/${accountId}`);
  await page.getByTestId('timeline').waitFor();
  await page.context().setOffline(true);
  await page.getByTestId('log-note').click();
  await page.getByTestId('activity-body').fill('Written on the train');
  await page.getByTestId('save-activity').click();
  await page.getByText('No connection. Saved on this device').waitFor();
  await page.getByText('1 change waiting to be sent').or(page.getByText('You are offline')).first().waitFor();
  let notes = (await api.get(`/api/v1/activities?account_id=${accountId}&type=note`)).json.data;
  assert.equal(notes.length, 0);
  await page.context().setOffline(false); // the browser's "online" event sends the queue
  await page.getByText('Sent 1 change saved while offline.').waitFor();
  await page.getByTestId('timeline').getByText('Written on the train').waitFor();
  notes = (await api.get(`/api/v1/activities?account_id=${accountId}&type=note`)).json.data;
  assert.equal(notes.length, 1);
}));

test('says so when the session has ended', () => shot('session-expired', async () => {
  // Revoke the session behind the app's back, as an expiry or an administrator would.
  await page.evaluate(() => fetch('/api/v1/auth/logout', { method: 'POST', headers: { authorization: 'Bearer ' + localStorage.getItem('keel.token') } }));
  await page.goto(`${server.url}/accounts`);
  await page.getByTestId('session-expired').waitFor();
  await page.locator('input[autocomplete="username"]').waitFor();
}));

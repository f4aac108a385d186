// Custom fields of the new types in the browser: an administrator defines a whole-number, a money
// and a yes/no field on contacts; a salesperson fills them on a new contact (typed in major
// units, kept exactly in minor units), sees them formatted on the record page, and filters and
// sorts the contact list by them (custom.NAME parameters).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { adminClient, expectCount, launchBrowser, login, newPage, startAppServer, userClient, withScreenshotOnFailure } from './helpers.mjs';

let server, browser, api, adminPage, userPage, rep;

before(async () => {
  server = await startAppServer();
  api = await adminClient(server);
  rep = await userClient(server, api, { role: 'sales', name: 'Field Rep' });
  browser = await launchBrowser();
  adminPage = await newPage(browser);
  userPage = await newPage(browser);
});

after(async () => {
  await browser?.close();
  await server?.stop();
  server?.cleanup();
});

const shot = (name, fn) => withScreenshotOnFailure(name, () => [adminPage, userPage], fn);

const FIELDS = [
  { name: 'seats', label: 'Seats', type: 'integer', typeLabel: 'Whole number' },
  { name: 'budget', label: 'Budget', type: 'money', typeLabel: 'Money' },
  { name: 'vip', label: 'VIP', type: 'boolean', typeLabel: 'Yes / no' },
];

async function contactsWith(params) {
  const r = await api.get('/api/v1/contacts?' + new URLSearchParams(params));
  assert.equal(r.status, 200, r.text);
  return r.json.data;
}

test('an administrator adds a whole-number, a money and a yes/no field to contacts', () => shot('custom-fields-define', async () => {
  const page = adminPage;
  await login(page, server, server.admin.email, server.admin.password);
  await page.goto(`${server.url}/admin/custom-fields`);
  await page.getByRole('tab', { name: 'Contacts' }).click();
  const form = page.getByTestId('custom-field-form');
  for (const f of FIELDS) {
    await page.getByRole('button', { name: 'Add field' }).click();
    await form.locator('#label').fill(f.label);
    await form.locator('#name').fill(f.name);
    await form.locator('.ant-select:has(#type)').click();
    const options = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
    // Every type the server knows is offered.
    await expectCount(options, 7);
    assert.deepEqual(await options.allInnerTexts(),
      ['Text', 'Number (decimal)', 'Whole number', 'Money', 'Date', 'Choice', 'Yes / no']);
    await options.filter({ hasText: f.typeLabel }).click();
    if (f.type === 'money') await page.getByText('kept in minor units', { exact: false }).waitFor();
    await page.locator('.ant-modal:visible .ant-btn-primary').click();
    await page.locator('.ant-table-row', { hasText: f.name }).waitFor();
  }
  const defs = (await api.get('/api/v1/custom-fields')).json.data.filter((d) => d.entity === 'contacts');
  assert.deepEqual(defs.map((d) => [d.name, d.type, d.label]).sort(), FIELDS.map((f) => [f.name, f.type, f.label]).sort());
  await page.locator('.ant-table-row', { hasText: 'budget' }).getByText('Money').waitFor();
}));

let contactId;

test('a salesperson fills them on a new contact and sees them formatted', () => shot('custom-fields-fill', async () => {
  const page = userPage;
  // A yes/no field left alone in the form is saved as "no", as its switch shows.
  const agreed = await api.post('/api/v1/custom-fields', { entity: 'contacts', name: 'agreed', label: 'Agreed', type: 'boolean' });
  assert.equal(agreed.status, 201, agreed.text);
  await login(page, server, rep.user.email, rep.password);
  await page.goto(`${server.url}/contacts`);
  await page.getByTestId('new-record').click();
  const form = page.getByTestId('create-form');
  await form.locator('#last_name').fill('Custom');
  await form.locator('#first_name').fill('Carla');
  const seats = form.locator('[data-field="custom.seats"] input');
  assert.equal(await seats.getAttribute('inputmode'), 'numeric');
  await seats.fill('12');
  // More decimals than the currency has is refused on the field, never rounded.
  const budget = form.locator('[data-field="custom.budget"] input');
  await budget.fill('1,234.567');
  await page.getByTestId('create-submit').click();
  await form.locator('[data-field="custom.budget"]').getByText('Too many decimal places for this currency').waitFor();
  await budget.fill('1,234.50');
  await form.locator('[data-field="custom.vip"] button[role="switch"]').click();
  // The switch shows "yes" before the form is sent (under load a late re-render was suspected of
  // turning it back: this says so here rather than in the saved record).
  await form.locator('[data-field="custom.vip"] button[role="switch"][aria-checked="true"]').waitFor();
  await page.getByTestId('create-submit').click();
  await page.getByTestId('record-title').filter({ hasText: 'Carla' }).waitFor();
  contactId = page.url().split('/').pop();

  const saved = (await api.get(`/api/v1/contacts/${contactId}`)).json;
  assert.deepEqual(saved.custom, { seats: 12, budget: 123450, vip: true, agreed: false });
  const gone = await api.del(`/api/v1/custom-fields/${agreed.json.id}`, { headers: { 'if-match': `"${agreed.json.version}"` } });
  assert.equal(gone.status, 204, gone.text);
  // The page still shows the deleted field; saving the record sends its kept value back, unchanged.
  await page.locator('[data-field="custom.seats"]', { hasText: '12' }).waitFor();
  await page.locator('[data-field="custom.budget"]', { hasText: '¥1,234.50' }).waitFor();
  await page.locator('[data-field="custom.vip"]', { hasText: 'Yes' }).waitFor();

  // Edited in place: the money input shows the exact amount again, and "no" is a value too.
  await page.getByTestId('edit-record').click();
  const edit = page.getByTestId('record-form');
  assert.equal(await edit.locator('[data-field="custom.budget"] input').inputValue(), '1234.50');
  await edit.locator('[data-field="custom.vip"] button[role="switch"]').click();
  await page.getByTestId('save-record').click();
  await page.locator('[data-field="custom.vip"]', { hasText: 'No' }).waitFor();
  assert.equal((await api.get(`/api/v1/contacts/${contactId}`)).json.custom.vip, false);
  await page.getByTestId('edit-record').click();
  await edit.locator('[data-field="custom.vip"] button[role="switch"]').click();
  await page.getByTestId('save-record').click();
  await page.locator('[data-field="custom.vip"]', { hasText: 'Yes' }).waitFor();
}));

test('the contact list filters and sorts by the custom fields', () => shot('custom-fields-filter', async () => {
  const page = userPage;
  // Two more of the rep's contacts: one below the budget bound, one without values.
  for (const [last, custom] of [['Lowbudget', { seats: 30, budget: 50000, vip: true }], ['Novalues', {}]]) {
    const r = await rep.post('/api/v1/contacts', { last_name: last, first_name: 'Test', custom });
    assert.equal(r.status, 201, r.text);
  }
  await page.goto(`${server.url}/contacts`);
  await page.getByTestId('open-filters').click();
  const drawer = page.locator('.ant-drawer:visible');
  await drawer.getByText('Budget').waitFor();
  await drawer.getByText('Seats').waitFor();
  // Money: typed in yuan, sent as minor units.
  const from = drawer.getByLabel('Budget From');
  await from.fill('1000');
  await from.press('Enter');
  await page.waitForURL(/custom\.budget%5Bgte%5D=100000|custom\.budget\[gte\]=100000/);
  const rows = page.locator('[data-testid="record-table"] [data-testid="row-link"]');
  await expectCount(rows, 1);
  assert.equal(await rows.first().innerText(), 'Carla Custom');
  const expected = (await contactsWith({ 'custom.budget[gte]': '100000' })).map((c) => c.id);
  assert.deepEqual(expected, [contactId]);
  await page.getByTestId('filter-chips').getByText('Budget: ≥ CN¥1,000.00').waitFor();

  // Yes/no: a choice of yes or no, with the money bound removed.
  await from.fill('');
  await from.press('Enter');
  await expectCount(page.getByTestId('filter-chips'), 0);
  await drawer.locator('.ant-form-item', { hasText: 'VIP' }).locator('.ant-select').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'Yes' }).click();
  await page.waitForURL(/custom\.vip=true/);
  await expectCount(rows, 2);
  await drawer.locator('.ant-drawer-close').click();
  await expectCount(page.locator('.ant-drawer-open'), 0);

  // Sorting by a custom column: Seats shown from the column chooser, sorted from its header.
  await page.getByTestId('column-chooser').click();
  await page.locator('.ant-popover:visible .ant-checkbox-wrapper', { hasText: 'Seats' }).click();
  await page.keyboard.press('Escape');
  const header = page.getByTestId('record-table').getByRole('columnheader', { name: 'Seats' });
  await header.click();
  await page.waitForURL(/sort=custom\.seats/);
  await page.locator('[data-testid="record-table"] tbody tr', { hasText: 'Carla Custom' }).waitFor();
  const names = async () => (await rows.allInnerTexts());
  assert.deepEqual(await names(), ['Carla Custom', 'Test Lowbudget']);
  await header.click();
  await page.waitForURL(/sort=-custom\.seats/);
  await page.waitForFunction(() => document.querySelector('[data-testid="row-link"]')?.textContent?.includes('Lowbudget'));
  assert.deepEqual(await names(), ['Test Lowbudget', 'Carla Custom']);
}));

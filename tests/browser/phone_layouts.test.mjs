// A 375 px phone: the deals list shows each deal's amount and stage; the conflict dialog shows
// the saved version without cutting it off; an order's lines show quantity, price and total, and
// the total row its number; a deal's stages read in words instead of cut step titles; a record
// page keeps empty fields behind one link so the timeline is within reach. Nothing scrolls sideways.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appServerAndBrowser, expectCount, horizontalOverflow, login, newPage, PHONE, withScreenshotOnFailure } from './helpers.mjs';

const ctx = appServerAndBrowser();
const shot = (name, fn) => withScreenshotOnFailure(name, () => ctx.pages, fn);
const WIDTH = PHONE.viewport.width;

async function phonePage() {
  const page = await newPage(ctx.browser, PHONE);
  ctx.pages.push(page);
  await login(page, ctx.server, ctx.server.admin.email, ctx.server.admin.password);
  return page;
}

// The element lies inside the window horizontally (not cut off at the right edge).
async function assertInside(locator, what) {
  const box = await locator.boundingBox();
  assert.ok(box, `${what} is shown`);
  assert.ok(box.x >= 0 && box.x + box.width <= WIDTH + 0.5, `${what} lies within ${WIDTH} px: ${JSON.stringify(box)}`);
}

test('the deals list shows each deal\'s amount and stage under its name', () => shot('phone-deals', async () => {
  const pipelines = (await ctx.api.get('/api/v1/pipelines')).json.data;
  const p = pipelines[0];
  const stage = p.stages[1];
  const deal = await ctx.api.post('/api/v1/deals', { name: 'Phone list deal', amount_minor: 7300000, currency: 'CNY', pipeline_id: p.id, stage_id: stage.id });
  assert.equal(deal.status, 201, deal.text);
  const page = await phonePage();
  await page.goto(ctx.server.url + '/deals?q=' + encodeURIComponent('Phone list deal'));
  const row = page.locator('[data-testid="record-table"] tbody tr[data-row-key]', { hasText: 'Phone list deal' });
  await row.waitFor();
  const sub = row.getByTestId('row-sub');
  await sub.getByText('73,000.00').waitFor();
  await sub.getByText(stage.name).waitFor();
  await assertInside(sub, 'the amount and stage line');
  assert.ok(await horizontalOverflow(page) <= 0, 'the list scrolls sideways');
}));

test('the conflict dialog stacks both versions of each field', () => shot('phone-conflict', async () => {
  const acc = await ctx.api.post('/api/v1/accounts', { name: 'Phone conflict Co', city: 'Shanghai' });
  const page = await phonePage();
  await page.goto(`${ctx.server.url}/accounts/${acc.json.id}`);
  await page.getByTestId('edit-record').click();
  await page.locator('[data-testid="record-form"] #city').fill('Hangzhou');
  const other = await ctx.api.patch(`/api/v1/accounts/${acc.json.id}`, { city: 'Beijing', version: 1 });
  assert.equal(other.status, 200, other.text);
  await page.getByTestId('save-record').click();
  const dialog = page.getByTestId('conflict-dialog');
  await dialog.waitFor();
  const field = dialog.getByTestId('conflict-field-city');
  await field.getByTestId('mine-city').getByText('Hangzhou').waitFor();
  await field.getByTestId('theirs-city').getByText('Beijing').waitFor();
  await assertInside(field.getByTestId('theirs-city'), 'the saved version');
  await assertInside(page.getByTestId('take-theirs'), 'Take theirs');
  await assertInside(page.getByTestId('keep-mine'), 'Keep mine');
}));

test('an order\'s lines show quantity, price and line total, and the total row its number', () => shot('phone-order', async () => {
  const product = await ctx.api.post('/api/v1/products', { name: 'Phone sensor', price_minor: 120000, currency: 'CNY' });
  assert.equal(product.status, 201, product.text);
  const acc = await ctx.api.post('/api/v1/accounts', { name: 'Phone order Co' });
  const order = await ctx.api.post('/api/v1/orders', {
    number: `PH-${Date.now()}`, account_id: acc.json.id, currency: 'CNY',
    items: [{ product_id: product.json.id, quantity: 3 }, { name: 'Installation', quantity: 1, unit_price_minor: 50000 }],
  });
  assert.equal(order.status, 201, order.text);
  const page = await phonePage();
  await page.goto(`${ctx.server.url}/orders/${order.json.id}`);
  const lines = page.getByTestId('order-line');
  await expectCount(lines, 2);
  const first = lines.first();
  await first.getByText('3 × ').waitFor();
  await first.getByText('¥3,600.00').waitFor();
  await assertInside(first.getByText('¥3,600.00'), 'the line total');
  const total = page.getByTestId('order-total');
  assert.match(await total.innerText(), /¥4,100\.00$/);
  await assertInside(total, 'the order total');
  assert.ok(await horizontalOverflow(page) <= 0, 'the order page scrolls sideways');
}));

test('a deal\'s stage reads in words with a bar of the stages; empty fields wait behind a link', () => shot('phone-deal', async () => {
  const p = (await ctx.api.get('/api/v1/pipelines')).json.data[0];
  const deal = await ctx.api.post('/api/v1/deals', { name: 'Phone stage deal', pipeline_id: p.id, stage_id: p.stages[2].id });
  const page = await phonePage();
  await page.goto(`${ctx.server.url}/deals/${deal.json.id}`);
  const compact = page.getByTestId('stage-compact');
  await compact.getByText(`Stage 3 of ${p.stages.length}: ${p.stages[2].name}`).waitFor();
  assert.equal(await page.locator('.ant-steps').count(), 0, 'no step row to cut');
  assert.ok(await horizontalOverflow(page) <= 0, 'the deal page scrolls sideways');

  // Most fields of a new deal are empty: hidden until asked for, so the timeline comes sooner.
  const toggle = page.getByTestId('toggle-empty-fields');
  assert.match(await toggle.innerText(), /^Show \d+ empty fields$/);
  const timeline = page.getByText('Timeline', { exact: true });
  const collapsedY = (await timeline.boundingBox()).y;
  assert.equal(await page.locator('[data-field="expected_close_date"]').count(), 0);
  await toggle.click();
  await page.locator('[data-field="expected_close_date"]').waitFor();
  const expandedY = (await timeline.boundingBox()).y;
  assert.ok(expandedY > collapsedY + 100, `the timeline moved down by ${expandedY - collapsedY} px with the empty fields shown`);
  await page.getByRole('button', { name: 'Hide empty fields' }).click();
  assert.equal(await page.locator('[data-field="expected_close_date"]').count(), 0);
}));

// The pipeline board as people meet it: six stages fit a 1440 x 900 screen (won and lost
// included, no sideways scrolling to drop a deal on lost); a filter narrows every column and
// lives in the address; each column's count and total are the server's over every deal of the
// stage, not a sum of the 50 cards it loaded; a 375 px phone scrolls only inside the board.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appServerAndBrowser, expectCount, horizontalOverflow, login, newPage, PHONE, withScreenshotOnFailure } from './helpers.mjs';

const ctx = appServerAndBrowser();
const shot = (name, fn) => withScreenshotOnFailure(name, () => ctx.pages, fn);

async function boardPage(options, path = '/deals/board') {
  const page = await newPage(ctx.browser, options);
  ctx.pages.push(page);
  await login(page, ctx.server, ctx.server.admin.email, ctx.server.admin.password);
  await page.goto(ctx.server.url + path);
  await page.locator('[data-testid="board-column"]').first().waitFor();
  return page;
}

async function defaultPipeline() {
  const r = await ctx.api.get('/api/v1/pipelines?sort=position&limit=200');
  return r.json.data[0];
}

test('six stages fit within a 1440 x 900 window, won and lost included', () => shot('board-1440', async () => {
  const pipeline = await defaultPipeline();
  assert.equal(pipeline.stages.length, 6);
  const page = await boardPage({ viewport: { width: 1440, height: 900 } });
  const columns = page.locator('[data-testid="board-column"]');
  await expectCount(columns, 6);
  const width = await page.evaluate(() => document.documentElement.clientWidth);
  const names = [];
  for (let i = 0; i < 6; i++) {
    const box = await columns.nth(i).boundingBox();
    names.push(await columns.nth(i).getAttribute('aria-label'));
    assert.ok(box.x >= 0 && box.x + box.width <= width, `column ${i} (${names[i]}) spans ${box.x}..${box.x + box.width} of ${width}`);
    assert.ok(box.width >= 170, `column ${i} is ${box.width} px wide: too narrow for a card`);
  }
  assert.deepEqual(names, pipeline.stages.map((s) => s.name), 'won and lost among them');
  const board = page.locator('[data-testid="board"]');
  assert.ok(await board.evaluate((el) => el.scrollWidth <= el.clientWidth), 'the board does not scroll sideways');
}));

test('a filter by owner narrows every column and is in the address', () => shot('board-owner', async () => {
  const pipeline = await defaultPipeline();
  const deals = [];
  for (let cursor = null; ;) {
    const r = await ctx.api.get(`/api/v1/deals?pipeline_id=${pipeline.id}&limit=200${cursor ? `&cursor=${cursor}` : ''}`);
    deals.push(...r.json.data);
    if (!(cursor = r.json.next_cursor)) break;
  }
  const byOwner = new Map();
  for (const d of deals) byOwner.set(d.owner_id, [...(byOwner.get(d.owner_id) ?? []), d]);
  assert.ok(byOwner.size > 1, 'the demo company has deals of several owners');
  const [ownerId, owned] = [...byOwner].sort((a, b) => b[1].length - a[1].length)[0];
  const owner = (await ctx.api.get(`/api/v1/users/${ownerId}`)).json;

  const page = await boardPage({ viewport: { width: 1440, height: 900 } }, `/deals/board?pipeline=${pipeline.id}`);
  const owners = page.getByRole('combobox', { name: 'Owner' });
  await owners.click();
  await owners.fill(owner.name);
  await page.locator('.ant-select-item-option', { hasText: owner.name }).first().click();
  await page.waitForURL((url) => new URL(url).searchParams.get('owner') === ownerId);
  await page.getByTestId('board-filter-chips').getByText(`Owner: ${owner.name}`).waitFor();

  for (const stage of pipeline.stages) {
    const column = page.locator(`[data-testid="board-column"][data-stage-id="${stage.id}"]`);
    const mine = owned.filter((d) => d.stage_id === stage.id);
    const count = mine.length;
    await column.getByTestId('stage-count').getByText(count === 1 ? '1 deal' : `${count} deals`, { exact: true }).waitFor();
    const cards = column.locator('[data-testid="deal-card"]');
    await expectCount(cards, Math.min(count, 50));
    for (const id of await cards.evaluateAll((els) => els.map((e) => e.dataset.dealId)))
      assert.ok(mine.some((d) => d.id === id), `a card of another owner in ${stage.name}`);
  }
  // The address alone gives the same board: reload it.
  await page.reload();
  await page.getByTestId('board-filter-chips').getByText(`Owner: ${owner.name}`).waitFor();
  // Removing the chip brings every deal back.
  await page.getByTestId('board-filter-chips').getByLabel('Remove filter').first().click();
  await page.waitForURL((url) => !new URL(url).searchParams.has('owner'));
}));

test('a column\'s count and total are the server\'s, over all 55 deals of the stage', () => shot('board-55', async () => {
  const p = await ctx.api.post('/api/v1/pipelines', {
    name: 'Board 55', position: 9000,
    stages: [{ name: 'Crowded', probability: 50 }, { name: 'Won', probability: 100, is_won: true }, { name: 'Lost', probability: 0, is_lost: true }],
  });
  assert.equal(p.status, 201, p.text);
  const pipeline = p.json;
  let total = 0;
  for (let i = 0; i < 55; i++) {
    const amount = 100_003 + i;
    total += amount;
    const r = await ctx.api.post('/api/v1/deals', { name: `Crowd ${i}`, pipeline_id: pipeline.id, stage_id: pipeline.stages[0].id, amount_minor: amount, currency: 'CNY' });
    assert.equal(r.status, 201, r.text);
  }
  assert.equal(total, 5_501_650); // 55,016.50; weighted at 50%: 27,508.25
  const page = await boardPage({ viewport: { width: 1440, height: 900 } }, `/deals/board?pipeline=${pipeline.id}`);
  const column = page.locator(`[data-testid="board-column"][data-stage-id="${pipeline.stages[0].id}"]`);
  await column.getByTestId('stage-count').getByText('55 deals', { exact: true }).waitFor();
  await expectCount(column.locator('[data-testid="deal-card"]'), 50); // a page of cards, yet the count is all 55
  const totals = await column.getByTestId('stage-totals').innerText();
  assert.match(totals, /55,016\.50/);
  assert.match(totals, /weighted .*27,508\.25/);
}));

test('a 375 px phone scrolls sideways only inside the board', () => shot('board-phone', async () => {
  const page = await boardPage(PHONE);
  await page.locator('[data-testid="deal-card"]').first().waitFor();
  assert.ok(await horizontalOverflow(page) <= 0, 'the page is no wider than the phone');
  const board = page.locator('[data-testid="board"]');
  assert.ok(await board.evaluate((el) => el.scrollWidth > el.clientWidth), 'the board itself scrolls');
  const column = await page.locator('[data-testid="board-column"]').first().boundingBox();
  assert.ok(column.width >= 375 * 0.75 && column.width <= 375 * 0.85, `a column is about 80vw (${column.width})`);
}));

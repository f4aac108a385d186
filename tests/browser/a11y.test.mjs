// Text, screen-reader labels, keyboard and focus: counts in the plural the number needs, a
// readable page-size select, a page title per screen in the user's language, no English
// aria-label or title in the Chinese interface, time zones by their readable names, a visible
// focus ring on everything Tab reaches, and the board's "Move to stage" menu used from the
// keyboard alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appServerAndBrowser, expectCount, login, newPage, PHONE, withScreenshotOnFailure } from './helpers.mjs';

const ctx = appServerAndBrowser();
const shot = (name, fn) => withScreenshotOnFailure(name, () => ctx.pages, fn);

async function signedIn(options) {
  const page = await newPage(ctx.browser, options);
  ctx.pages.push(page);
  await login(page, ctx.server, ctx.server.admin.email, ctx.server.admin.password);
  return page;
}

async function settled(page) {
  await page.waitForLoadState('networkidle');
  await page.locator('.ant-spin-spinning').first().waitFor({ state: 'detached', timeout: 10000 }).catch(() => {});
}

// A pipeline of its own with exactly one deal in its first stage.
async function pipelineWithOneDeal(name) {
  const p = await ctx.api.post('/api/v1/pipelines', { name, stages: [{ name: `${name} A` }, { name: `${name} B` }, { name: `${name} C` }] });
  assert.equal(p.status, 201, p.text);
  const deal = await ctx.api.post('/api/v1/deals', { name: `${name} deal`, pipeline_id: p.json.id, stage_id: p.json.stages[0].id });
  assert.equal(deal.status, 201, deal.text);
  return { pipeline: p.json, deal: deal.json };
}

test('counts take the plural form the number needs', () => shot('plurals', async () => {
  const { pipeline } = await pipelineWithOneDeal('Plural');
  const page = await signedIn();
  await page.goto(`${ctx.server.url}/deals/board?pipeline=${pipeline.id}`);
  const first = page.locator(`[data-testid="board-column"][data-stage-id="${pipeline.stages[0].id}"] h2`);
  await first.getByText('1 deal', { exact: true }).waitFor();
  const second = page.locator(`[data-testid="board-column"][data-stage-id="${pipeline.stages[1].id}"] h2`);
  await second.getByText('0 deals', { exact: true }).waitFor();

  await page.goto(`${ctx.server.url}/deals?pipeline_id=${pipeline.id}`);
  await page.getByTestId('list-total').getByText('1 record', { exact: true }).waitFor();
  await page.getByRole('checkbox', { name: 'Select Plural deal' }).click();
  await page.getByText('1 record selected', { exact: true }).waitFor();
}));

test('the page-size select shows its whole label, on a desktop and on a phone, in both languages', () => shot('page-size', async () => {
  for (const [locale, label] of [['en-US', '50 per page'], ['zh-CN', '50 条/页']]) {
    for (const view of [{}, PHONE]) {
      const page = await signedIn({ locale, ...view });
      await page.goto(ctx.server.url + '/contacts');
      await settled(page);
      const item = page.locator('[data-testid="page-size"] .ant-select-selection-item');
      await item.waitFor();
      assert.equal((await item.innerText()).trim(), label);
      const cut = await item.evaluate((el) => el.scrollWidth - el.clientWidth);
      assert.ok(cut <= 0, `${locale} ${view.viewport?.width ?? 1280} px: the label is cut by ${cut} px`);
      await page.context().close();
    }
  }
}));

test('each screen has its own page title, in the user\'s language', () => shot('titles', async () => {
  const account = (await ctx.api.get('/api/v1/accounts?limit=1')).json.data[0];
  const page = await signedIn();
  const titleOf = async (path, expected) => {
    await page.goto(ctx.server.url + path);
    await page.waitForFunction((t) => document.title === t, expected, { timeout: 20000 }).catch(() => {});
    assert.equal(await page.title(), expected, path);
  };
  await titleOf('/contacts', 'Contacts · Keel');
  await titleOf('/deals/board', 'Pipeline · Keel');
  await titleOf('/my-tasks', 'My tasks · Keel');
  await titleOf('/settings', 'My settings · Keel');
  await titleOf(`/accounts/${account.id}`, `${account.name} · Keel`);

  const zh = await signedIn({ locale: 'zh-CN' });
  await zh.goto(ctx.server.url + '/contacts');
  await zh.waitForFunction(() => document.title === '联系人 · Keel', null, { timeout: 20000 }).catch(() => {});
  assert.equal(await zh.title(), '联系人 · Keel');
  await zh.goto(ctx.server.url + '/admin/users');
  await zh.waitForFunction(() => document.title === '用户 · Keel', null, { timeout: 20000 }).catch(() => {});
  assert.equal(await zh.title(), '用户 · Keel');
}));

// Words a Chinese screen may carry in Latin letters: the product's name and data (record and
// user names, e-mail addresses, currency codes), not interface text.
const LATIN_ALLOWED = [/\bKeel\b/g, /\bCSV\b/g, /\b[A-Z]{3}\b/g, /[\w.+-]+@[\w.-]+/g];

async function dataNames() {
  const names = new Set();
  for (const entity of ['accounts', 'contacts', 'leads', 'deals', 'products', 'orders', 'tasks', 'activities']) {
    const r = await ctx.api.get(`/api/v1/${entity}?limit=200`);
    for (const rec of r.json.data) for (const k of ['name', 'title', 'subject', 'number', 'body', 'description']) if (rec[k]) names.add(rec[k]);
  }
  for (const u of (await ctx.api.get('/api/v1/users')).json.data ?? []) names.add(u.name);
  for (const p of (await ctx.api.get('/api/v1/pipelines')).json.data ?? []) {
    names.add(p.name);
    for (const s of p.stages) names.add(s.name);
  }
  // Longest first, so "Acme Ltd" goes before "Acme".
  return [...names].filter(Boolean).sort((a, b) => b.length - a.length);
}

// Every aria-label and title the screen exposes (outside aria-hidden parts), with data and
// allowed words removed; what still has a Latin word is English interface text.
async function englishLabels(page, names) {
  const labels = await page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('[aria-label], [title]')) {
      if (el.closest('[aria-hidden="true"]')) continue;
      for (const attr of ['aria-label', 'title']) {
        const v = el.getAttribute(attr);
        if (v) out.push({ attr, v, html: el.outerHTML.slice(0, 120) });
      }
    }
    return out;
  });
  return labels.filter(({ v }) => {
    let rest = v;
    for (const n of names) rest = rest.split(n).join(' ');
    for (const re of LATIN_ALLOWED) rest = rest.replace(re, ' ');
    return /[A-Za-z]{2,}/.test(rest);
  });
}

test('the Chinese interface has no English screen-reader labels or titles', () => shot('zh-labels', async () => {
  const names = await dataNames();
  const account = (await ctx.api.get('/api/v1/accounts?limit=1')).json.data[0];
  const deal = (await ctx.api.get('/api/v1/deals?limit=1')).json.data[0];
  const product = (await ctx.api.get('/api/v1/products?limit=1')).json.data[0];
  for (const view of [{}, PHONE]) {
    const page = await signedIn({ locale: 'zh-CN', ...view });
    const found = [];
    const check = async (where) => {
      for (const l of await englishLabels(page, names)) found.push(`${where}: ${l.attr}="${l.v}" on ${l.html}`);
    };
    for (const path of ['/', '/my-tasks', '/accounts', '/contacts', '/deals', '/deals/board', `/accounts/${account.id}`,
      `/deals/${deal.id}`, `/products/${product.id}`, '/orders', '/admin/users', '/admin/roles', '/admin/pipelines', '/settings']) {
      await page.goto(ctx.server.url + path);
      await settled(page);
      await check(path);
    }
    // What opens on top: a create form (with number inputs and a close button) and the menu.
    await page.goto(ctx.server.url + '/deals');
    await settled(page);
    await page.getByTestId('new-record').click();
    await page.locator('.ant-modal-content').waitFor();
    await check('/deals new');
    await page.locator('.ant-modal-content').getByRole('button', { name: '关闭' }).click();
    await page.locator('.ant-modal-content').waitFor({ state: 'hidden' });
    if (view.viewport) {
      await page.getByTestId('nav-toggle').click();
      await page.locator('.ant-drawer-content').waitFor();
      await check('menu');
    }
    assert.deepEqual(found, [], `${view.viewport ? 'phone' : 'desktop'}:\n${found.join('\n')}`);
    await page.context().close();
  }
}));

test('time zones are shown by their readable names outside the settings page too', () => shot('time-zones', async () => {
  const page = await signedIn();
  await page.goto(ctx.server.url + '/admin/users');
  await settled(page);
  const table = page.locator('.ant-table');
  await table.getByText('UTC+08:00 · Shanghai · China Standard Time').first().waitFor();
  assert.equal(await table.getByText('Asia/Shanghai', { exact: true }).count(), 0);
}));

// The focus indicator of the focused element: a solid outline of at least 2 px whose colour has
// a contrast of at least 3:1 against white (WCAG 2.2 2.4.13). Where the focused element is not
// what the user sees (the hidden input of a checkbox, the input inside an input's frame or a
// select), the ring is looked for on the part that is seen.
async function focusRing(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const seen = el.matches('.ant-checkbox-input, .ant-radio-input') ? el.nextElementSibling
      : el.matches('.ant-segmented-item-input') ? el.closest('.ant-segmented-item')
      : el.tagName === 'INPUT' ? (el.closest('.ant-input-affix-wrapper, .ant-picker, .ant-input-number, .ant-select-selector') ?? el)
      : el;
    const s = getComputedStyle(seen);
    const rgb = (s.outlineColor.match(/[\d.]+/g) ?? []).map(Number);
    const lin = (c) => { const v = c / 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    const lum = 0.2126 * lin(rgb[0]) + 0.7152 * lin(rgb[1]) + 0.0722 * lin(rgb[2]);
    const contrast = 1.05 / (lum + 0.05);
    const opaque = rgb.length < 4 || rgb[3] === 1;
    const visible = s.outlineStyle === 'solid' && parseFloat(s.outlineWidth) >= 2 && opaque && contrast >= 3;
    const name = (el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 30);
    return { visible, desc: `${el.tagName.toLowerCase()}.${String(el.className).split(' ')[0]} "${name}": outline ${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}` };
  });
}

test('every element Tab reaches on a list page, a record page and Today shows a focus ring', () => shot('focus', async () => {
  const account = (await ctx.api.get('/api/v1/accounts?limit=1')).json.data[0];
  const page = await signedIn();
  for (const path of ['/contacts', `/accounts/${account.id}`, '/']) {
    await page.goto(ctx.server.url + path);
    await settled(page);
    const bad = [];
    let reached = 0;
    for (let i = 0; i < 45; i++) {
      await page.keyboard.press('Tab');
      // Ant Design animates its controls' outline and frame (0.2 s): read the ring once settled.
      let ring = await focusRing(page);
      for (let tries = 0; ring && !ring.visible && tries < 5; tries++) {
        await new Promise((r) => setTimeout(r, 200));
        ring = await focusRing(page);
      }
      if (!ring) continue;
      reached++;
      if (!ring.visible) bad.push(ring.desc);
    }
    assert.ok(reached > 20, `${path}: Tab reached only ${reached} elements`);
    assert.deepEqual(bad, [], `${path}: focused without a visible ring:\n${bad.join('\n')}`);
  }
}));

test('a deal moves to another stage with the keyboard alone', () => shot('keyboard-move', async () => {
  const { pipeline, deal } = await pipelineWithOneDeal('Keys');
  const page = await signedIn();
  await page.goto(`${ctx.server.url}/deals/board?pipeline=${pipeline.id}`);
  const button = page.locator(`[data-deal-id="${deal.id}"] [data-testid="move-deal"]`);
  await button.waitFor();
  assert.equal(await button.getAttribute('aria-haspopup'), 'menu');
  assert.equal(await button.getAttribute('aria-expanded'), 'false');
  await button.focus();

  // Enter opens the menu on its first item; Escape closes it and gives focus back.
  await page.keyboard.press('Enter');
  const menu = page.getByRole('menu', { name: 'Move to stage: Keys deal' });
  await menu.waitFor();
  assert.equal(await button.getAttribute('aria-expanded'), 'true');
  const items = menu.getByRole('menuitem');
  await expectCount(items, 2);
  assert.equal(await items.first().evaluate((el) => el === document.activeElement), true, 'the first item has the focus');
  await page.keyboard.press('Escape');
  await menu.waitFor({ state: 'detached' });
  assert.equal(await button.evaluate((el) => el === document.activeElement), true, 'focus is back on the button');
  assert.equal(await button.getAttribute('aria-expanded'), 'false');

  // Space opens it; ArrowDown moves to the second item (stage C), Enter chooses it.
  await page.keyboard.press('Space');
  await menu.waitFor();
  await page.keyboard.press('ArrowDown');
  assert.equal(await items.nth(1).evaluate((el) => el === document.activeElement), true, 'ArrowDown moves to the next item');
  assert.match(await items.nth(1).innerText(), /Keys C/);
  await page.keyboard.press('Enter');
  const target = page.locator(`[data-testid="board-column"][data-stage-id="${pipeline.stages[2].id}"] [data-deal-id="${deal.id}"]`);
  await target.waitFor();
  // The focus follows the card to its new column.
  await page.waitForFunction(({ id, stage }) => {
    const el = document.activeElement;
    return el?.getAttribute('data-testid') === 'move-deal' && !!el.closest(`[data-deal-id="${id}"]`) &&
      el.closest('[data-testid="board-column"]')?.getAttribute('data-stage-id') === stage;
  }, { id: deal.id, stage: pipeline.stages[2].id }, { timeout: 10000 });
  const end = Date.now() + 20000;
  let stage;
  while (Date.now() < end && stage !== pipeline.stages[2].id) {
    stage = (await ctx.api.get(`/api/v1/deals/${deal.id}`)).json.stage_id;
    if (stage !== pipeline.stages[2].id) await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(stage, pipeline.stages[2].id);
}));

test('dialogs animate only for people who have not asked their system for less motion', () => shot('reduced-motion', async () => {
  const seen = {};
  for (const reducedMotion of ['no-preference', 'reduce']) {
    const page = await signedIn({ reducedMotion });
    await page.goto(ctx.server.url + '/admin/teams');
    await page.getByRole('button', { name: 'Add team' }).waitFor();
    // Record whether any element goes through an animation's active phase from here on.
    await page.evaluate(() => {
      window.__motion = false;
      new MutationObserver((records) => {
        for (const r of records) {
          const el = r.target;
          if (el instanceof Element && /\bant-[a-z]+-(enter|appear|leave)-active\b/.test(el.className)) window.__motion = true;
        }
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] });
    });
    await page.getByRole('button', { name: 'Add team' }).click();
    await page.getByRole('dialog').waitFor();
    await page.waitForTimeout(500);
    seen[reducedMotion] = await page.evaluate(() => window.__motion);
  }
  assert.deepEqual(seen, { 'no-preference': true, reduce: false });
}));

test('the user menu opens and is used with the keyboard alone', () => shot('user-menu-keyboard', async () => {
  const page = await signedIn();
  const button = page.getByTestId('user-menu');
  assert.equal(await button.getAttribute('aria-haspopup'), 'menu');
  await button.focus();
  await page.keyboard.press('Enter');
  const settings = page.locator('.menu-popup').getByRole('menuitem', { name: 'My settings' });
  await settings.waitFor();
  assert.equal(await button.getAttribute('aria-expanded'), 'true');
  assert.equal(await settings.evaluate((el) => el === document.activeElement), true, 'the first item has the focus');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.locator('.menu-popup').getByRole('menuitem', { name: 'Sign out' }).evaluate((el) => el === document.activeElement), true);
  await page.keyboard.press('Escape');
  await settings.waitFor({ state: 'detached' });
  assert.equal(await button.evaluate((el) => el === document.activeElement), true, 'Escape gives the focus back');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForURL('**/settings');
  await page.getByRole('heading', { name: 'My settings' }).waitFor();
}));

// Browser test helpers: a Keel server serving the built web app (web/dist) with demo data, and
// Debian's headless chromium driven by playwright-core (from web/node_modules).
//
// Environment: KEEL_BIN (the keel binary; ctest sets it), KEEL_TEST_DB (sqlite by default).
import { after, before } from 'node:test';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '..', '..');
// Outside ctest (npm run screenshots, a developer's shell) use a locally built server.
if (!process.env.KEEL_BIN) {
  for (const dir of ['release', 'asan', 'dev']) {
    const bin = join(repoRoot, 'build', dir, 'keel');
    if (existsSync(bin)) {
      process.env.KEEL_BIN = bin;
      break;
    }
  }
}
const { startServer, adminClient, userClient, Client } = await import('../integration/harness.mjs');
export const webRoot = join(repoRoot, 'web', 'dist');
export const resultsDir = process.env.KEEL_TEST_RESULTS || join(repoRoot, 'test-results');
const require = createRequire(join(repoRoot, 'web', 'package.json'));
const { chromium } = require('playwright-core');

export const CHROMIUM = process.env.KEEL_CHROMIUM || '/usr/bin/chromium';
export const DEMO_PASSWORD = 'demo-password-1';

export async function startAppServer() {
  if (!existsSync(join(webRoot, 'index.html'))) throw new Error('web/dist is not built: run (cd web && npm ci && npm run build)');
  return startServer({ demo: true, env: { KEEL_WEB_ROOT: webRoot, KEEL_RATE_LIMIT_PER_MINUTE: '0' } });
}

export async function launchBrowser() {
  // playwright-core starts chromium with a fresh temporary user-data-dir of its own on every
  // launch (and refuses a --user-data-dir argument), so no profile state leaks between runs;
  // each context inside the browser is a separate session (cookies, storage).
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
    ],
  });
}

export const PHONE = { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true };

// Pages ask for reduced motion unless a test says otherwise: the app then opens dialogs and menus
// without animation, so a click never lands on a button still zooming into place (a loaded CI
// machine has missed "Take theirs" that way).
// The app's service worker is blocked unless a test asks for it (serviceWorkers: 'allow',
// pwa.test.mjs): a page it controls is served from its cache, and requests it handles are not
// seen by page.route, which the failure tests rely on.
export async function newPage(browser, { locale = 'en-US', viewport = { width: 1280, height: 860 }, timezoneId = 'Asia/Shanghai', isMobile = false, hasTouch = false, reducedMotion = 'reduce', serviceWorkers = 'block' } = {}) {
  const context = await browser.newContext({ locale, viewport, timezoneId, deviceScaleFactor: 1, isMobile, hasTouch, reducedMotion, serviceWorkers });
  // Generous: on a loaded 2-core machine (the ASan server, chromium and other suites sharing it)
  // a click on a screen that renders a large form has taken over 15 s to be acted on.
  context.setDefaultTimeout(30000);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  return page;
}

export async function login(page, server, email, password) {
  await page.goto(server.url + '/');
  await page.locator('input[autocomplete="username"]').fill(email);
  await page.locator('input[autocomplete="current-password"]').fill(password);
  await page.locator('button[type="submit"]').click();
  await page.locator('[data-testid="user-menu"]').waitFor();
}

// Runs a test body with a page; on failure saves a screenshot into test-results/ before
// rethrowing, so a red run shows what the browser showed.
export async function withScreenshotOnFailure(name, pages, fn) {
  try {
    await fn();
  } catch (err) {
    mkdirSync(resultsDir, { recursive: true });
    let i = 0;
    for (const p of pages()) {
      const file = join(resultsDir, `${name.replace(/[^a-z0-9-]+/gi, '_')}${i ? '-' + i : ''}.png`);
      await p.screenshot({ path: file, fullPage: true }).catch(() => {});
      console.error(`screenshot saved: ${file}`);
      i++;
    }
    throw err;
  }
}

export { adminClient, userClient, Client };

// Waits until a locator matches exactly n elements (lists refresh after the URL changes).
export async function expectCount(locator, n, timeout = 20000) {
  const end = Date.now() + timeout;
  let count;
  while (Date.now() < end) {
    count = await locator.count();
    if (count === n) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`expected ${n} elements, found ${count}`);
}

// Text on the page that looks like an untranslated message key ("nav.accounts").
export const KEY_PATTERN = /\b(app|nav|auth|entity|fields|choices|list|record|conflict|network|activity|tasks|home|board|admin|audit|backups|views|settings|unsaved|errors)\.[a-zA-Z_]+/;

// Whether the page is wider than the window (a horizontal scroll bar on a phone).
export function horizontalOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

// One server with the demo company and one browser for a test file: started before its tests,
// stopped after them. ctx.server may be replaced by a test (a restart on the same port).
// Until the header's sync indicator says the device's copy is in sync (its first download done,
// nothing waiting, no failure).
export async function waitSynced(page, timeout = 60000) {
  await page.waitForFunction(
    () => /: (Synced|已同步)/.test(document.querySelector('[data-testid="sync-status"]')?.getAttribute('aria-label') ?? ''),
    null, { timeout },
  );
}

export function appServerAndBrowser() {
  const ctx = { server: null, browser: null, api: null, pages: [] };
  before(async () => {
    ctx.server = await startAppServer();
    ctx.api = await adminClient(ctx.server);
    ctx.browser = await launchBrowser();
  });
  after(async () => {
    await ctx.browser?.close();
    await ctx.server?.stop();
    ctx.server?.cleanup();
  });
  return ctx;
}

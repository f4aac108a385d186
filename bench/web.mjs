// Browser benchmark of the web app (issue 8, "Speed on a phone network"): Debian's chromium,
// driven by playwright-core (from web/node_modules), against a keel server holding COUNT
// contacts loaded through the API (load_contacts.mjs). It measures:
//
//   sign-in page, cold cache, per network profile (CDP emulation, see PROFILES):
//     form    ms from navigation start to the frame in which the sign-in form's email field
//             is first in the layout (a MutationObserver, then the next animation frame)
//     fcp     first contentful paint (PerformanceObserver 'paint'), ms
//     js      bytes of JavaScript on the wire for the page (CDP encodedDataLength of every
//             Script response until the network is idle: compressed body plus headers)
//   contacts list, "Next page" (desktop: no throttling; phone CPU: 4x slowdown, no network
//   throttling): ms from the click to the frame in which the next page's first row is in the
//   table, for PAGES successive pages, after one page not counted (warm-up); with the part
//   before the list request is sent and the request itself (Resource Timing)
//
// Each sign-in figure is the median of RUNS fresh browser contexts (nothing cached).
//
// usage: node bench/web.mjs [--keel BIN] [--web-root DIR] [--data-dir DIR] [--count N]
//                           [--runs N] [--pages N] [--json FILE]
//   --keel      keel binary (default build/release/keel)
//   --web-root  built web app (default web/dist)
//   --data-dir  keep the database here; a directory that already holds a loaded database from
//               an earlier run (bench-web.json beside keel.db) is reused as it is, so two builds
//               can be measured on the same data
//   --count     contacts to load (default 100000)
//   --profile   FILE: also record a CPU profile of the desktop page turns (CDP Profiler) into
//               FILE.cpuprofile (open it in Chromium's DevTools, Performance panel) and print the
//               functions with the most time of their own; build the web app unminified for
//               readable names (npx vite build --minify false)
//   --only      signin or paging: run one half
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const KEEL = resolve(args.keel ?? join(root, 'build/release/keel'));
const WEB_ROOT = resolve(args['web-root'] ?? join(root, 'web/dist'));
const COUNT = Number(args.count ?? 100000);
const RUNS = Number(args.runs ?? 5);
const PAGES = Number(args.pages ?? 5);
const CHROMIUM = process.env.KEEL_CHROMIUM || '/usr/bin/chromium';
const require = createRequire(join(root, 'web', 'package.json'));
const { chromium } = require('playwright-core');

// The emulated networks. Chromium applies them per request (CDP Network.emulateNetworkConditions):
// each request waits `latency` ms, then its bytes flow at the given rate. 4G is WebPageTest's
// "4G" (9 Mbps both ways, 170 ms); slow 3G its "3G Slow" (400 kbps both ways, 400 ms). Both
// phone profiles slow the CPU 4x (CDP Emulation.setCPUThrottlingRate), a mid-range phone.
const kbps = (k) => (k * 1000) / 8; // bytes per second
const PROFILES = {
  desktop: { network: null, cpu: 1 },
  '4g': { network: { latency: 170, downloadThroughput: kbps(9000), uploadThroughput: kbps(9000) }, cpu: 4 },
  'slow-3g': { network: { latency: 400, downloadThroughput: kbps(400), uploadThroughput: kbps(400) }, cpu: 4 },
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function startKeel(dataDir, env = {}) {
  const proc = spawn(KEEL, ['serve', '--port', '0', '--data-dir', dataDir], {
    env: { ...process.env, KEEL_ACCESS_LOG: '0', KEEL_RATE_LIMIT_PER_MINUTE: '0', KEEL_WEB_ROOT: WEB_ROOT, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error('keel did not start:\n' + out)), 60000);
    const on = (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        res({ url: m[1], proc, out: () => out, stop: () => new Promise((r) => { proc.on('exit', r); proc.kill('SIGTERM'); }) });
      }
    };
    proc.stdout.on('data', on);
    proc.stderr.on('data', on);
    proc.on('exit', (c) => rej(new Error(`keel exited ${c}:\n${out}`)));
  });
}

async function prepareData() {
  const dataDir = resolve(args['data-dir'] ?? mkdtempSync(join(tmpdir(), 'keel-bench-web-')));
  const marker = join(dataDir, 'bench-web.json');
  if (existsSync(marker)) {
    const m = JSON.parse(readFileSync(marker, 'utf8'));
    if (m.count === COUNT) return { dataDir, ...m };
    throw new Error(`${dataDir} holds ${m.count} contacts, not ${COUNT}: use another --data-dir`);
  }
  mkdirSync(dataDir, { recursive: true });
  const server = await startKeel(dataDir);
  try {
    const email = server.out().match(/email:\s+(\S+)/)[1];
    const password = server.out().match(/password:\s+(\S+)/)[1];
    const login = await fetch(server.url + '/api/v1/auth/login', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }),
    }).then((r) => r.json());
    await new Promise((res, rej) => {
      const p = spawn(process.execPath, [join(here, 'load_contacts.mjs'), server.url, login.token, String(COUNT), join(dataDir, 'ids')], { stdio: 'inherit' });
      p.on('exit', (c) => (c === 0 ? res() : rej(new Error('load_contacts failed'))));
    });
    writeFileSync(marker, JSON.stringify({ count: COUNT, email, password }));
    return { dataDir, count: COUNT, email, password };
  } finally {
    await server.stop();
  }
}

async function throttle(page, profile) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  if (profile.network) await cdp.send('Network.emulateNetworkConditions', { offline: false, ...profile.network });
  if (profile.cpu > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpu });
  return cdp;
}

// Records the frame in which the email field of the sign-in form is first laid out.
const FORM_PROBE = () => {
  window.__bench = { form: null };
  const check = () => {
    if (window.__bench.form !== null || window.__bench.pending) return;
    const el = document.querySelector('input[autocomplete="username"]');
    if (el && el.getClientRects().length) {
      window.__bench.pending = true;
      requestAnimationFrame(() => { window.__bench.form = performance.now(); });
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
};

async function signInPage(browser, url, profile) {
  const phone = profile.cpu > 1;
  const context = await browser.newContext({
    viewport: phone ? { width: 375, height: 740 } : { width: 1280, height: 860 }, isMobile: phone, locale: 'en-US',
  });
  const page = await context.newPage();
  await page.addInitScript(FORM_PROBE);
  const cdp = await throttle(page, profile);
  const scripts = new Map(); // requestId -> url
  let jsBytes = 0;
  const jsFiles = [];
  cdp.on('Network.responseReceived', (e) => { if (e.type === 'Script') scripts.set(e.requestId, e.response.url); });
  cdp.on('Network.loadingFinished', (e) => {
    if (scripts.has(e.requestId)) {
      jsBytes += e.encodedDataLength;
      jsFiles.push([scripts.get(e.requestId).replace(/^.*\/assets\//, ''), e.encodedDataLength]);
    }
  });
  await page.goto(url + '/login', { waitUntil: 'load', timeout: 120000 });
  await page.waitForFunction(() => window.__bench.form !== null, null, { timeout: 120000 });
  await page.waitForLoadState('networkidle', { timeout: 120000 });
  const timing = await page.evaluate(() => ({
    form: window.__bench.form,
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
  }));
  await context.close();
  return { ...timing, js: jsBytes, jsFiles };
}

// A row of the list (antd's table and a plain one alike carry the record's id as data-row-key).
const ROW = '[data-testid="record-table"] tbody tr[data-row-key]';

async function nextPage(browser, url, data, profile) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US' });
  context.setDefaultTimeout(60000);
  const page = await context.newPage();
  await page.goto(url + '/login');
  await page.locator('input[autocomplete="username"]').fill(data.email);
  await page.locator('input[autocomplete="current-password"]').fill(data.password);
  await page.locator('button[type="submit"]').click();
  await page.locator('[data-testid="user-menu"]').waitFor();
  await page.goto(url + '/contacts');
  await page.locator(ROW).first().waitFor();
  const cdp = await throttle(page, profile);
  const profiling = args.profile && profile === PROFILES.desktop;
  if (profiling) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 }); // µs
    await cdp.send('Profiler.start');
  }
  const times = [];
  for (let i = 0; i <= PAGES; i++) {
    await page.locator('[data-testid="next-page"]:not([disabled])').waitFor();
    const turn = await page.evaluate(async () => {
      const first = () => document.querySelector('[data-testid="record-table"] tbody tr[data-row-key]')?.getAttribute('data-row-key');
      const before = first();
      const t0 = performance.now();
      document.querySelector('[data-testid="next-page"]').click();
      await new Promise((res) => {
        const obs = new MutationObserver(() => {
          const now = first();
          if (now && now !== before) { obs.disconnect(); res(); }
        });
        obs.observe(document.body, { subtree: true, childList: true, attributes: true });
      });
      await new Promise((res) => requestAnimationFrame(res));
      const total = performance.now() - t0;
      // The list request of this page turn (Resource Timing): when it was sent and answered.
      const req = performance.getEntriesByType('resource')
        .filter((e) => e.name.includes('/api/v1/contacts?') && e.startTime >= t0).pop();
      return { total, toRequest: req ? req.startTime - t0 : null, request: req ? req.responseEnd - req.startTime : null };
    });
    if (i > 0) times.push(turn); // the first page turn warms up code paths and is not counted
  }
  if (profiling) summariseProfile((await cdp.send('Profiler.stop')).profile);
  await context.close();
  return times;
}

// Self time per function (sampled), the top 25, and the whole profile to a file.
function summariseProfile(profile) {
  writeFileSync(`${args.profile}.cpuprofile`, JSON.stringify(profile));
  const dt = new Map(); // node id -> µs
  for (let i = 0; i < profile.samples.length; i++) dt.set(profile.samples[i], (dt.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
  const self = new Map();
  for (const n of profile.nodes) {
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\//, '')}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (dt.get(n.id) ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`profile: ${(total / 1000).toFixed(0)} ms sampled, written to ${args.profile}.cpuprofile; most self time:`);
  for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25))
    console.log(`  ${(us / 1000).toFixed(1).padStart(8)} ms  ${k}`);
}

const data = await prepareData();
const server = await startKeel(data.dataDir);
const browser = await chromium.launch({
  executablePath: CHROMIUM, headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const report = { keel: KEEL, webRoot: WEB_ROOT, contacts: data.count, runs: RUNS, cores: cpus().length, signIn: {}, nextPage: {} };
try {
  for (const name of args.only === 'paging' ? [] : ['desktop', '4g', 'slow-3g']) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await signInPage(browser, server.url, PROFILES[name]));
    report.signIn[name] = {
      form_ms: Math.round(median(runs.map((r) => r.form))),
      fcp_ms: Math.round(median(runs.map((r) => r.fcp))),
      js_bytes: median(runs.map((r) => r.js)),
      form_runs: runs.map((r) => Math.round(r.form)),
      js_files: runs[0].jsFiles,
    };
    console.log(`sign-in ${name}: form visible ${report.signIn[name].form_ms} ms, FCP ${report.signIn[name].fcp_ms} ms, ` +
      `JS ${(report.signIn[name].js_bytes / 1024).toFixed(1)} KiB on the wire (runs: ${report.signIn[name].form_runs.join(', ')} ms)`);
  }
  for (const [name, profile] of args.only === 'signin' ? [] : [['desktop', PROFILES.desktop], ['cpu-4x', { network: null, cpu: 4 }]]) {
    const turns = await nextPage(browser, server.url, data, profile);
    const part = (k) => Math.round(median(turns.map((t) => t[k] ?? 0)));
    report.nextPage[name] = {
      median_ms: part('total'), click_to_request_ms: part('toRequest'), request_ms: part('request'),
      runs: turns.map((t) => Math.round(t.total)),
    };
    const r = report.nextPage[name];
    console.log(`next page ${name}: median ${r.median_ms} ms (click to request ${r.click_to_request_ms} ms, ` +
      `request ${r.request_ms} ms, the rest rendering; runs ${r.runs.join(', ')} ms)`);
  }
} finally {
  await browser.close();
  await server.stop();
}
if (args.json) writeFileSync(args.json, JSON.stringify(report, null, 2));

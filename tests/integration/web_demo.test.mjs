// Serving the built web app (cache policy, security headers, client-side routes, no escape from
// the web root, API paths never swallowed by the app) and the demo company of `serve --demo`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { startServer, adminClient, Client, qs, listAll } from './harness.mjs';

let server, admin, webRoot, webParent;

before(async () => {
  // web root: <parent>/dist. Beside it, siblings whose paths start with the root's path, and
  // symlinks from inside the root to them: none of their content may ever be served.
  webParent = mkdtempSync(join(tmpdir(), 'keel-web-'));
  webRoot = join(webParent, 'dist');
  mkdirSync(join(webRoot, 'assets'), { recursive: true });
  mkdirSync(join(webParent, 'dist-old'));
  writeFileSync(join(webParent, 'dist-old', 'index.html'), 'sibling-old-secret');
  writeFileSync(join(webParent, 'dist.bak'), 'sibling-bak-secret');
  mkdirSync(join(webParent, 'dist-private', 'keys'), { recursive: true });
  writeFileSync(join(webParent, 'dist-private', 'keys', 'id.txt'), 'sibling-private-secret');
  symlinkSync(join(webParent, 'dist-private'), join(webRoot, 'private-link'));
  symlinkSync(join(webParent, 'dist.bak'), join(webRoot, 'bak-link.txt'));
  symlinkSync(join(webRoot, 'assets', 'index-3f9a1c.js'), join(webRoot, 'inside-link.js'));
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>Keel test app</title><div id="root"></div>');
  writeFileSync(join(webRoot, 'assets', 'index-3f9a1c.js'), 'console.log("app")');
  writeFileSync(join(tmpdir(), 'keel-outside-web-root.txt'), 'secret');
  server = await startServer({ demo: true, env: { KEEL_WEB_ROOT: webRoot } });
  admin = await adminClient(server);
});

after(async () => {
  await server.stop();
  server.cleanup();
  rmSync(webParent, { recursive: true, force: true });
});

// A raw GET, so that "..", "%2e%2e" and the like reach the server exactly as written.
function rawGet(path) {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const s = net.connect(Number(port), hostname, () => s.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
    let out = '';
    s.on('data', (d) => { out += d; });
    s.on('end', () => resolve(out));
    s.on('error', reject);
  });
}

test('the app page is never cached, cannot be framed, and loads code only from this server', async () => {
  const r = await fetch(server.url + '/');
  assert.equal(r.status, 200);
  assert.match(await r.text(), /Keel test app/);
  assert.equal(r.headers.get('cache-control'), 'no-cache');
  assert.equal(r.headers.get('x-frame-options'), 'DENY');
  assert.match(r.headers.get('content-security-policy'), /frame-ancestors 'none'/);
  assert.match(r.headers.get('content-security-policy'), /script-src 'self'/);
});

test('hashed assets are cached for a year; a missing asset is 404, not the app page', async () => {
  const r = await fetch(server.url + '/assets/index-3f9a1c.js');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/javascript/);
  assert.equal(r.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  const missing = await fetch(server.url + '/assets/index-000000.js');
  assert.equal(missing.status, 404, 'a stale bundle name must fail loudly, not run index.html as JavaScript');
});

test('client-side routes get the app page; API paths never do', async () => {
  for (const path of ['/contacts', '/deals/board', '/accounts/01a2/edit', '/admin/users/x/y/z']) {
    const r = await fetch(server.url + path);
    assert.equal(r.status, 200, path);
    assert.match(await r.text(), /Keel test app/, path);
  }
  for (const [method, path] of [['GET', '/api/v1/widgets'], ['POST', '/api/v1/widgets'], ['GET', '/api/v2/contacts']]) {
    const r = await admin.request(method, path, method === 'POST' ? { body: {} } : {});
    assert.equal(r.status, 404, `${method} ${path}`);
    assert.equal(r.json.code, 'no_such_route', `${method} ${path}`);
  }
});

test('paths cannot escape the web root', async () => {
  for (const path of ['/../keel-outside-web-root.txt', '/assets/../../keel-outside-web-root.txt',
    '/%2e%2e/keel-outside-web-root.txt', '/assets/%2e%2e/%2e%2e/keel-outside-web-root.txt']) {
    const out = await rawGet(path);
    assert.doesNotMatch(out, /secret/, path);
  }
});

test('absolute paths, sibling directories and symlinks out of the root are never served', async () => {
  const root = webRoot;  // e.g. /tmp/keel-web-XXXX/dist
  const siblings = [`${root}-old/index.html`, `${root}.bak`, `${root}-private/keys/id.txt`];
  const paths = [
    '//etc/passwd', '///etc/passwd', '/%2Fetc%2Fpasswd', '/%2F%2Fetc/passwd',
    ...siblings.map((p) => '/' + p), ...siblings.map((p) => '/' + encodeURIComponent(p)),
    ...siblings.map((p) => '//' + p.replace(/^\//, '')),
    '/../dist-old/index.html', '/%2e%2e/dist.bak', '/assets/../../dist-private/keys/id.txt',
    '/private-link/keys/id.txt', '/bak-link.txt', '/assets/%2e%2e/private-link/keys/id.txt',
  ];
  for (const path of paths) {
    const out = await rawGet(path);
    assert.doesNotMatch(out, /secret|root:x:0/, path);
    assert.match(out, /^HTTP\/1\.1 (200|404)/, path);
  }
  // A symlink that stays inside the root is served like the file it names.
  const inside = await fetch(server.url + '/inside-link.js');
  assert.equal(inside.status, 200);
  assert.match(await inside.text(), /console\.log\("app"\)/);
});

test('the demo company has Chinese and English contacts, deals across stages, activities and tasks', async () => {
  const contacts = [...(await listAll(admin, 'contacts')).values()];
  assert.ok(contacts.length >= 10, `${contacts.length} contacts`);
  assert.ok(contacts.some((c) => /[\u4e00-\u9fff]/.test(c.name)), 'a Chinese name');
  assert.ok(contacts.some((c) => /^[A-Za-z]+ [A-Za-z]+$/.test(c.name)), 'an English name');
  const deals = [...(await listAll(admin, 'deals')).values()];
  assert.ok(new Set(deals.map((d) => d.stage_id)).size >= 3, 'deals in at least three stages');
  assert.ok(deals.some((d) => d.status === 'won'), 'a won deal');
  for (const entity of ['accounts', 'activities', 'tasks', 'products', 'orders']) {
    const r = await admin.get(`/api/v1/${entity}` + qs({ limit: 1 }));
    assert.ok(r.json.total > 0, `${entity} present`);
  }
  // Search finds a demo contact by part of a Chinese name.
  const chinese = contacts.find((c) => /[\u4e00-\u9fff]/.test(c.name));
  const found = await admin.get('/api/v1/contacts' + qs({ q: chinese.name.slice(1) }));
  assert.ok(found.json.data.some((c) => c.id === chinese.id));
});

test('demo users sign in with the documented password and see only what their role allows', async () => {
  const sales = await new Client(server.url).login('wang.wei@demo.keel', 'demo-password-1');
  assert.equal(sales.user.role_id, 'sales');
  const all = (await admin.get('/api/v1/deals' + qs({ limit: 1 }))).json.total;
  const mine = (await sales.get('/api/v1/deals' + qs({ limit: 1 }))).json.total;
  assert.ok(mine < all, `a sales rep sees ${mine} of ${all} deals`);
});

test('restarting with --demo does not load the company twice', async () => {
  const before = (await admin.get('/api/v1/accounts' + qs({ limit: 1 }))).json.total;
  server = await server.restart();
  admin = await adminClient(server);
  assert.equal((await admin.get('/api/v1/accounts' + qs({ limit: 1 }))).json.total, before);
});

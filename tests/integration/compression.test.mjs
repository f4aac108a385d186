// Compression over HTTP (README "Compression"): the web app's files sent as the brotli or gzip
// copy the build wrote, chosen by Accept-Encoding (q-values, identity;q=0, *), with Vary, an
// ETag per copy and 304; API answers of 1 KiB or more gzip-compressed for clients that accept
// it, and never 204/304/HEAD bodies; the HTML pages a browser gets for any non-API path while
// the app is missing or being replaced; and a web root switched by renaming a symlink.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, symlinkSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, adminClient } from './harness.mjs';

// A request whose answer is not decoded: headers and the exact bytes on the wire.
function rawRequest(base, path, { method = 'GET', headers = {} } = {}) {
  const u = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = http.request(u, { method, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const decode = (r) => {
  const enc = r.headers['content-encoding'];
  if (enc === 'br') return zlib.brotliDecompressSync(r.body).toString();
  if (enc === 'gzip') return zlib.gunzipSync(r.body).toString();
  assert.equal(enc, undefined, `unexpected Content-Encoding ${enc}`);
  return r.body.toString();
};

const APP_JS = 'console.log("keel app");\n'.repeat(400);
const PLAIN_JS = 'export const big = "' + 'x'.repeat(3000) + '";\n';
const INDEX = '<!doctype html><title>Keel test app</title><div id="root"></div>' + '<!-- padding -->'.repeat(100);

function writeBuild(dir, marker) {
  mkdirSync(join(dir, 'assets'), { recursive: true });
  const index = INDEX.replace('Keel test app', `Keel test app ${marker}`);
  writeFileSync(join(dir, 'index.html'), index);
  writeFileSync(join(dir, 'index.html.br'), zlib.brotliCompressSync(index));
  writeFileSync(join(dir, 'index.html.gz'), zlib.gzipSync(index));
  writeFileSync(join(dir, 'assets', 'app-1a2b3c.js'), APP_JS);
  writeFileSync(join(dir, 'assets', 'app-1a2b3c.js.br'), zlib.brotliCompressSync(APP_JS));
  writeFileSync(join(dir, 'assets', 'app-1a2b3c.js.gz'), zlib.gzipSync(APP_JS));
  writeFileSync(join(dir, 'assets', 'plain-4d5e6f.js'), PLAIN_JS); // no copies: gzip made on the fly
  writeFileSync(join(dir, 'assets', 'logo-9f8e7d.png'), Buffer.alloc(4000, 7));
}

describe('the web app\'s files', () => {
  let server, parent, root;
  before(async () => {
    parent = mkdtempSync(join(tmpdir(), 'keel-web-z-'));
    root = join(parent, 'dist');
    writeBuild(root, 'A');
    server = await startServer({ env: { KEEL_WEB_ROOT: root } });
  });
  after(async () => {
    await server.close();
    rmSync(parent, { recursive: true, force: true });
  });

  test('the brotli or gzip copy is chosen by Accept-Encoding, q-values honoured', async () => {
    const cases = [
      ['br', 'br'], ['gzip', 'gzip'], ['gzip, deflate, br, zstd', 'br'], ['br;q=0.5, gzip;q=0.8', 'gzip'],
      ['br;q=0, gzip', 'gzip'], ['*', 'br'], ['identity;q=0, gzip', 'gzip'], ['deflate', undefined],
      ['gzip;q=0.5, identity', undefined], ['', undefined], [null, undefined], ['x-gzip', 'gzip'],
    ];
    for (const [accept, expected] of cases) {
      const r = await rawRequest(server.url, '/assets/app-1a2b3c.js', { headers: accept === null ? {} : { 'accept-encoding': accept } });
      assert.equal(r.status, 200, String(accept));
      assert.equal(r.headers['content-encoding'], expected, `Accept-Encoding: ${accept}`);
      assert.equal(r.headers.vary, 'Accept-Encoding', String(accept));
      assert.match(r.headers['content-type'], /^text\/javascript/, 'the type is the file\'s, not the coding\'s');
      assert.equal(r.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.equal(decode(r), APP_JS, String(accept));
      const file = join(root, 'assets', 'app-1a2b3c.js' + (expected === 'br' ? '.br' : expected === 'gzip' ? '.gz' : ''));
      assert.equal(r.body.length, statSync(file).size, 'the prepared copy is sent as it is');
    }
  });

  test('each copy has its own ETag; If-None-Match answers 304 with the headers and no body', async () => {
    const tags = {};
    for (const enc of ['br', 'gzip', 'identity']) {
      const r = await rawRequest(server.url, '/assets/app-1a2b3c.js', { headers: { 'accept-encoding': enc } });
      tags[enc] = r.headers.etag;
      assert.match(tags[enc], /^"[^"]+"$/);
    }
    assert.equal(new Set(Object.values(tags)).size, 3, JSON.stringify(tags));
    const hit = await rawRequest(server.url, '/assets/app-1a2b3c.js', { headers: { 'accept-encoding': 'br', 'if-none-match': tags.br } });
    assert.equal(hit.status, 304);
    assert.equal(hit.body.length, 0);
    assert.equal(hit.headers.etag, tags.br);
    assert.equal(hit.headers.vary, 'Accept-Encoding');
    assert.equal(hit.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(hit.headers['content-encoding'], undefined);
    const list = await rawRequest(server.url, '/assets/app-1a2b3c.js', { headers: { 'accept-encoding': 'gzip', 'if-none-match': `"nope", W/${tags.gzip}` } });
    assert.equal(list.status, 304, 'a list, and a weak tag, match');
    const other = await rawRequest(server.url, '/assets/app-1a2b3c.js', { headers: { 'accept-encoding': 'gzip', 'if-none-match': tags.br } });
    assert.equal(other.status, 200, 'the brotli tag does not validate the gzip copy');
    assert.equal(other.headers['content-encoding'], 'gzip');
    const star = await rawRequest(server.url, '/', { headers: { 'if-none-match': '*' } });
    assert.equal(star.status, 304);
  });

  test('HEAD answers with the copy\'s headers and length, and no body', async () => {
    const r = await rawRequest(server.url, '/assets/app-1a2b3c.js', { method: 'HEAD', headers: { 'accept-encoding': 'br' } });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-encoding'], 'br');
    assert.equal(Number(r.headers['content-length']), statSync(join(root, 'assets', 'app-1a2b3c.js.br')).size);
    assert.equal(r.body.length, 0);
  });

  test('the app page is compressed too and keeps its no-cache policy; client routes get it', async () => {
    for (const path of ['/', '/contacts', '/deals/board']) {
      const r = await rawRequest(server.url, path, { headers: { 'accept-encoding': 'gzip, br' } });
      assert.equal(r.status, 200, path);
      assert.equal(r.headers['content-encoding'], 'br', path);
      assert.equal(r.headers['cache-control'], 'no-cache', path);
      assert.match(r.headers['content-type'], /^text\/html/, path);
      assert.equal(r.headers['x-frame-options'], 'DENY', path);
      assert.match(decode(r), /Keel test app A/, path);
    }
  });

  test('a large text file without copies is gzipped when sent; images are sent as they are', async () => {
    const js = await rawRequest(server.url, '/assets/plain-4d5e6f.js', { headers: { 'accept-encoding': 'gzip, br' } });
    assert.equal(js.headers['content-encoding'], 'gzip');
    assert.equal(decode(js), PLAIN_JS);
    assert.match(js.headers.etag, /-gzip"$/);
    const png = await rawRequest(server.url, '/assets/logo-9f8e7d.png', { headers: { 'accept-encoding': 'gzip, br' } });
    assert.equal(png.headers['content-encoding'], undefined);
    assert.equal(png.headers.vary, undefined);
    assert.equal(png.body.length, 4000);
  });

  test('a missing asset is a 404 HTML page, not JSON', async () => {
    const r = await rawRequest(server.url, '/assets/gone-000000.js');
    assert.equal(r.status, 404);
    assert.match(r.headers['content-type'], /^text\/html/);
    assert.match(r.body.toString(), /No such page/);
  });

  test('a web root switched by renaming a new symlink over it is never seen half-built', async () => {
    const parent2 = mkdtempSync(join(tmpdir(), 'keel-web-swap-'));
    try {
      writeBuild(join(parent2, 'builds', 'a'), 'A');
      writeBuild(join(parent2, 'builds', 'b'), 'B');
      const link = join(parent2, 'dist');
      symlinkSync('builds/a', link);
      const swapping = await startServer({ env: { KEEL_WEB_ROOT: link } });
      try {
        let stop = false;
        const swaps = (async () => {
          for (let i = 0; !stop && i < 2000; i++) {
            const tmp = join(parent2, `dist.tmp-${i}`);
            symlinkSync(i % 2 ? 'builds/a' : 'builds/b', tmp);
            renameSync(tmp, link);
            await new Promise((r) => setImmediate(r));
          }
        })();
        const seen = new Set();
        for (let i = 0; i < 60; i++) {
          const rs = await Promise.all(['/', '/contacts', '/assets/app-1a2b3c.js'].map((p) =>
            rawRequest(swapping.url, p, { headers: { 'accept-encoding': 'br' } })));
          for (const r of rs) assert.equal(r.status, 200);
          const page = decode(rs[0]).match(/Keel test app (\w)/)[1];
          seen.add(page);
          assert.equal(decode(rs[2]), APP_JS);
        }
        stop = true;
        await swaps;
        assert.ok(seen.size >= 1);
      } finally {
        await swapping.close();
      }
    } finally {
      rmSync(parent2, { recursive: true, force: true });
    }
  });
});

describe('without an app in place', () => {
  test('while a deploy has no index.html, every non-API path is a 503 HTML "being updated" page', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'keel-web-up-'));
    const root = join(parent, 'dist');
    mkdirSync(join(root, 'assets'), { recursive: true }); // half-built: no index.html yet
    const server = await startServer({ env: { KEEL_WEB_ROOT: root } });
    try {
      for (const path of ['/', '/contacts', '/assets/app.js']) {
        const r = await rawRequest(server.url, path);
        assert.equal(r.status, 503, path);
        assert.match(r.headers['content-type'], /^text\/html/, path);
        assert.match(r.body.toString(), /Keel is being updated, reload in a moment/, path);
        assert.equal(r.headers['retry-after'], '5', path);
        assert.equal(r.headers['cache-control'], 'no-store', path);
      }
      const api = await rawRequest(server.url, '/api/v1/nothing');
      assert.equal(api.status, 404);
      assert.match(api.headers['content-type'], /json/, 'API paths keep their JSON answers');
    } finally {
      await server.close();
      rmSync(parent, { recursive: true, force: true });
    }
  });

  test('with no web app built, "/" says where the API is and other pages are HTML 404s', async () => {
    const server = await startServer({ env: { KEEL_WEB_ROOT: join(tmpdir(), 'keel-no-such-web-root-' + process.pid) } });
    try {
      const home = await rawRequest(server.url, '/');
      assert.equal(home.status, 200);
      assert.match(home.body.toString(), /openapi\.json/);
      const other = await rawRequest(server.url, '/contacts');
      assert.equal(other.status, 404);
      assert.match(other.headers['content-type'], /^text\/html/);
    } finally {
      await server.close();
    }
  });
});

describe('API answers', () => {
  let server, admin;
  before(async () => {
    server = await startServer();
    admin = await adminClient(server);
    for (let i = 0; i < 30; i++) await admin.post('/api/v1/accounts', { name: `Compression test account ${i} 压缩测试` });
  });
  after(() => server.close());

  const auth = () => ({ authorization: `Bearer ${admin.token}` });

  test('a JSON answer of 1 KiB or more is gzipped for a client that accepts gzip, and decodes to the same document', async () => {
    const plain = await rawRequest(server.url, '/api/v1/accounts?limit=30', { headers: auth() });
    assert.ok(plain.body.length > 1024, `the list is ${plain.body.length} bytes`);
    assert.equal(plain.headers['content-encoding'], undefined, 'no Accept-Encoding: identity');
    assert.equal(plain.headers.vary, 'Accept-Encoding');
    const z = await rawRequest(server.url, '/api/v1/accounts?limit=30', { headers: { ...auth(), 'accept-encoding': 'gzip, deflate, br' } });
    assert.equal(z.status, 200);
    assert.equal(z.headers['content-encoding'], 'gzip');
    assert.equal(z.headers.vary, 'Accept-Encoding');
    assert.equal(z.headers['content-type'], 'application/json');
    assert.equal(z.headers['cache-control'], 'no-store');
    assert.ok(z.body.length < plain.body.length / 2, `${z.body.length} of ${plain.body.length} bytes`);
    assert.equal(Number(z.headers['content-length']), z.body.length);
    assert.deepEqual(JSON.parse(decode(z)).data.map((a) => a.id), JSON.parse(plain.body).data.map((a) => a.id));
    // fetch() (undici) decodes it like a browser.
    const viaFetch = await admin.get('/api/v1/accounts?limit=30');
    assert.equal(viaFetch.json.data.length, 30);
  });

  test('the threshold is 1 KiB: 1023 bytes go as they are, 1024 are gzipped', async () => {
    // A 400 problem document echoes the unknown parameter's name (a few times) and the request id
    // (once): the name brings it near 1 KiB, the id's length sets it to the byte.
    const ask = (n, id, headers = {}) =>
      rawRequest(server.url, `/api/v1/accounts?${'p'.repeat(n)}=1`, { headers: { ...auth(), 'x-request-id': id, ...headers } });
    const size = async (n, idLen) => (await ask(n, 'r'.repeat(idLen))).body.length;
    const perLetter = (await size(11, 40)) - (await size(10, 40));
    assert.ok(perLetter >= 1 && perLetter <= 4, `grows by ${perLetter} bytes per letter`);
    const n = 10 + Math.floor((1024 - 50 - (await size(10, 40))) / perLetter);
    const idFor = async (target) => 'r'.repeat(40 + target - (await size(n, 40)));
    const under = await ask(n, await idFor(1023), { 'accept-encoding': 'gzip' });
    const over = await ask(n, await idFor(1024), { 'accept-encoding': 'gzip' });
    assert.equal(under.status, 400);
    assert.equal(under.headers['content-encoding'], undefined);
    assert.equal(under.body.length, 1023);
    assert.equal(under.headers.vary, 'Accept-Encoding');
    assert.equal(over.headers['content-encoding'], 'gzip');
    const doc = decode(over);
    assert.equal(Buffer.byteLength(doc), 1024);
    assert.equal(JSON.parse(doc).code, 'unknown_parameter');
    assert.equal(over.headers['content-type'], 'application/problem+json');
  });

  test('a compressed answer is valid UTF-8 inside: bytes echoed from the request are repaired first', async () => {
    const r = await rawRequest(server.url, `/api/v1/accounts?${'p'.repeat(700)}%FF%FE=1`, { headers: { ...auth(), 'accept-encoding': 'gzip' } });
    assert.equal(r.status, 400);
    assert.equal(r.headers['content-encoding'], 'gzip');
    const inner = zlib.gunzipSync(r.body);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(inner); // throws on ill-formed UTF-8
    assert.match(JSON.parse(text).title, /\uFFFD/);
  });

  test('a small answer is gzipped only when the client refuses identity; brotli alone gets identity', async () => {
    const small = await rawRequest(server.url, '/healthz', { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(small.headers['content-encoding'], undefined);
    const refused = await rawRequest(server.url, '/healthz', { headers: { 'accept-encoding': 'identity;q=0, gzip' } });
    assert.equal(refused.headers['content-encoding'], 'gzip');
    assert.equal(JSON.parse(decode(refused)).status, 'ok');
    const brOnly = await rawRequest(server.url, '/api/v1/accounts?limit=30', { headers: { ...auth(), 'accept-encoding': 'br' } });
    assert.equal(brOnly.headers['content-encoding'], undefined, 'dynamic answers are gzip or nothing');
    const gzipRefused = await rawRequest(server.url, '/api/v1/accounts?limit=30', { headers: { ...auth(), 'accept-encoding': 'gzip;q=0, *' } });
    assert.equal(gzipRefused.headers['content-encoding'], undefined);
  });

  test('HEAD, 204 and 304 carry no compressed body', async () => {
    const head = await rawRequest(server.url, '/api/v1/openapi.json', { method: 'HEAD', headers: { 'accept-encoding': 'gzip' } });
    const get = await rawRequest(server.url, '/api/v1/openapi.json');
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-encoding'], undefined);
    assert.equal(Number(head.headers['content-length']), get.body.length, 'the uncoded length');
    assert.equal(head.body.length, 0);
    const created = await admin.post('/api/v1/accounts', { name: 'To be deleted' });
    const del = await rawRequest(server.url, `/api/v1/accounts/${created.json.id}`, { method: 'DELETE', headers: { ...auth(), 'accept-encoding': 'gzip' } });
    assert.ok(del.status === 204 || del.status === 200, `delete answered ${del.status}`);
    if (del.status === 204) {
      assert.equal(del.headers['content-encoding'], undefined);
      assert.equal(del.body.length, 0);
    }
  });

  test('metrics count compressed answers by route and status as before', async () => {
    const count = async () => {
      const m = (await rawRequest(server.url, '/metrics')).body.toString();
      const line = m.split('\n').find((l) => l.startsWith('keel_http_requests_total') && l.includes('route="/api/v1/accounts"') && l.includes('method="GET"') && l.includes('status="200"'));
      return line ? Number(line.split(' ').pop()) : 0;
    };
    const before = await count();
    for (let i = 0; i < 3; i++) {
      const r = await rawRequest(server.url, '/api/v1/accounts?limit=30', { headers: { ...auth(), 'accept-encoding': 'gzip' } });
      assert.equal(r.headers['content-encoding'], 'gzip');
    }
    assert.equal(await count(), before + 3);
  });
});

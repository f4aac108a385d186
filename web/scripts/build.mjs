// `npm run build` (after the type check): builds the app into a fresh folder, writes a brotli
// and a gzip copy beside each compressible file, and only then switches web/dist to it, in one
// rename: a server serving web/dist never sees a half-built app.
//
//   web/builds/<id>/     one complete build (index.html, assets/, .vite/manifest.json, *.br, *.gz)
//   web/dist -> builds/<id>   a symlink, replaced atomically (rename(2) of a new link over it)
//
// The hashed files of the build being replaced are copied into the new one, so a browser still
// running the previous index.html can fetch the chunks it asks for next. The three newest builds
// are kept (requests in flight may still read an older one); older ones are deleted.
//
// Compression uses Node's own zlib (brotli at quality 11, gzip at level 9): no dependency, and
// the same library family the server's gzip uses. A copy that would not be smaller is not written.
import { build } from 'vite';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { promisify } from 'node:util';
import {
  copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync,
  statSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const builds = join(web, 'builds');
const dist = join(web, 'dist');
const KEEP = 3;
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|webmanifest|txt|map)$/;

const id = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '') + '-' + process.pid;
const out = join(builds, id);
mkdirSync(builds, { recursive: true });

await build({ root: web, logLevel: 'info', build: { outDir: out, emptyOutDir: true } });

function* files(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (e.isFile()) yield p;
  }
}

// The files a build made itself (its manifest), relative to the build folder.
function ownFiles(dir) {
  const manifest = join(dir, '.vite', 'manifest.json');
  if (!existsSync(manifest)) return [];
  const own = new Set();
  for (const chunk of Object.values(JSON.parse(readFileSync(manifest, 'utf8'))))
    for (const f of [chunk.file, ...(chunk.css ?? []), ...(chunk.assets ?? [])]) if (f) own.add(f);
  return [...own];
}

// Carry the previous build's hashed files over (never overwriting: names are content hashes).
let previous = null;
try {
  if (lstatSync(dist).isSymbolicLink()) previous = resolve(web, readlinkSync(dist));
  else if (lstatSync(dist).isDirectory()) previous = dist;
} catch { /* no dist yet */ }
let carried = 0;
if (previous && existsSync(previous)) {
  for (const f of ownFiles(previous)) {
    const from = join(previous, f);
    const to = join(out, f);
    if (!f.startsWith('assets/') || existsSync(to) || !existsSync(from)) continue;
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(from, to);
    for (const ext of ['.br', '.gz']) if (existsSync(from + ext)) copyFileSync(from + ext, to + ext);
    carried++;
  }
}

const br = promisify(brotliCompress);
const gz = promisify(gzip);
let raw = 0, brBytes = 0, gzBytes = 0;
await Promise.all([...files(out)].filter((p) => COMPRESSIBLE.test(p) && !p.includes('/.vite/') && !existsSync(p + '.br')).map(async (p) => {
  const data = readFileSync(p);
  const [b, g] = await Promise.all([
    br(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT } }),
    gz(data, { level: 9 }),
  ]);
  raw += data.length;
  if (b.length < data.length) { writeFileSync(p + '.br', b); brBytes += b.length; }
  if (g.length < data.length) { writeFileSync(p + '.gz', g); gzBytes += g.length; }
}));
const kb = (n) => (n / 1024).toFixed(1) + ' KiB';
console.log(`precompressed: ${kb(raw)} → brotli ${kb(brBytes)}, gzip ${kb(gzBytes)}`);
if (!existsSync(join(out, 'index.html'))) throw new Error(`build incomplete: no ${out}/index.html`);

// The switch: a new symlink renamed over web/dist. An older tree has web/dist as a real folder:
// it is moved into builds/ first (the one moment without a web/dist, a few microseconds; the
// server answers "being updated" then).
const tmp = join(web, `dist.tmp-${id}`);
symlinkSync(relative(web, out), tmp);
try {
  renameSync(tmp, dist);
} catch (e) {
  if (e.code !== 'EISDIR' && e.code !== 'ENOTEMPTY' && e.code !== 'EEXIST') throw e;
  renameSync(dist, join(builds, `${id}-replaced`));
  renameSync(tmp, dist);
}
console.log(`web/dist -> ${relative(web, out)}${carried ? ` (${carried} files of the previous build kept)` : ''}`);

const old = readdirSync(builds).filter((d) => statSync(join(builds, d)).isDirectory()).sort().reverse();
for (const d of old.slice(KEEP)) if (join(builds, d) !== out) rmSync(join(builds, d), { recursive: true, force: true });

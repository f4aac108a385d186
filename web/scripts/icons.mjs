// Renders the app's icons for the web app manifest and iOS home screens from public/favicon.svg's
// drawing, with Debian's chromium (playwright-core): public/icons/icon-192.png, icon-512.png
// (rounded, "any"), maskable-512.png (full bleed, the drawing inside the central 80% safe zone
// that Android's masks keep) and apple-touch-icon-180.png (full bleed: iOS rounds it itself).
// Run it after changing the drawing, and commit the PNGs:  node scripts/icons.mjs
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { chromium } = createRequire(join(web, 'package.json'))('playwright-core');
const out = join(web, 'public', 'icons');
mkdirSync(out, { recursive: true });

const GLYPH = '<path d="M6 20h20l-3 6H9z M15 6h2v13h-2z M17 7l7 9h-7z" fill="#fff"/>';
const svg = ({ rounded, scale }) => {
  const pad = (32 - 32 * scale) / 2;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">` +
    `<rect width="32" height="32" ${rounded ? 'rx="6"' : ''} fill="#1f4e79"/>` +
    `<g transform="translate(${pad} ${pad}) scale(${scale})">${GLYPH}</g></svg>`;
};
const ICONS = [
  ['icon-192.png', 192, { rounded: true, scale: 1 }],
  ['icon-512.png', 512, { rounded: true, scale: 1 }],
  ['maskable-512.png', 512, { rounded: false, scale: 0.7 }],
  ['apple-touch-icon-180.png', 180, { rounded: false, scale: 0.8 }],
];

const browser = await chromium.launch({ executablePath: process.env.KEEL_CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  for (const [name, size, style] of ICONS) {
    const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
    await page.setContent(`<html><body style="margin:0;background:transparent">` +
      `<img style="display:block;width:${size}px;height:${size}px" src="data:image/svg+xml;base64,${Buffer.from(svg(style)).toString('base64')}"></body></html>`);
    await page.locator('img').screenshot({ path: join(out, name), omitBackground: true });
    await page.close();
    console.log(`public/icons/${name}`);
  }
} finally {
  await browser.close();
}

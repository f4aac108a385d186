/// <reference types="vitest" />
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

// Icons are decorative (src/components/DecorativeIcon.tsx says why): the icons package's own
// `import AntdIcon from "../components/AntdIcon"` in each icon module, Ant Design's internal
// icons included, resolves to DecorativeIcon instead. The same swap is made for the build and
// tests (a Vite plugin) and for the development server's pre-bundled dependencies (an esbuild
// plugin), so the app reads the same everywhere.
const decorativeIcon = fileURLToPath(new URL('./src/components/DecorativeIcon.tsx', import.meta.url));
const ICON_IMPORT = /^\.\.\/components\/AntdIcon(\.js)?$/;
const fromIconsPackage = (importer: string | undefined) => !!importer && /[\\/]@ant-design[\\/]icons[\\/]/.test(importer);
const decorativeIcons: Plugin = {
  name: 'keel-decorative-icons',
  enforce: 'pre',
  resolveId(source, importer) {
    return ICON_IMPORT.test(source) && fromIconsPackage(importer) ? decorativeIcon : null;
  },
};

// In development the API runs on a separate keel server (KEEL_DEV_API, default :8080); the
// built app is served by keel itself from web/dist, so production needs no proxy.
const api = process.env.KEEL_DEV_API ?? 'http://127.0.0.1:8080';

// An installable app that opens with no network (README "Offline and installing"): a web app
// manifest, and a service worker (Workbox, generated at build time) that precaches the built
// app: index.html, every chunk, the styles and the icons. API answers are never cached by it
// (the app decides what it keeps); any page address falls back to the cached index.html, as
// the server's own fallback does. A new build waits until the user reloads (the app offers it,
// components/UpdateBanner.tsx) rather than swapping code under a form being filled in.
const pwa = VitePWA({
  registerType: 'prompt',
  injectRegister: null, // registered by main.tsx once the page has loaded
  includeAssets: ['favicon.svg', 'icons/apple-touch-icon-180.png'],
  manifest: {
    name: 'Keel CRM',
    short_name: 'Keel',
    description: 'Customers, deals, activities and tasks. 客户、商机、活动与任务。',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    background_color: '#ffffff',
    theme_color: '#1f4e79',
    icons: [
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
  },
  workbox: {
    globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
    navigateFallback: '/index.html',
    // Addresses the server answers itself, never with the app's page.
    navigateFallbackDenylist: [/^\/api\//, /^\/metrics/, /^\/healthz/, /^\/readyz/],
    maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
    cleanupOutdatedCaches: true,
  },
});

export default defineConfig({
  plugins: [decorativeIcons, react(), pwa],
  server: { proxy: { '/api': api } },
  optimizeDeps: {
    esbuildOptions: {
      plugins: [{
        name: 'keel-decorative-icons',
        setup(b) {
          b.onResolve({ filter: ICON_IMPORT }, (args) => (fromIconsPackage(args.importer) ? { path: decorativeIcon } : undefined));
        },
      }],
    },
  },
  build: {
    outDir: 'dist', // npm run build (scripts/build.mjs) builds into web/builds/<id> and switches dist to it
    sourcemap: false,
    // .vite/manifest.json: which file is which chunk, and which chunks are loaded on demand
    // (build.mjs keeps the previous build's files by it; the browser tests check by it that the
    // sign-in page loads no screen's chunk).
    manifest: true,
    rollupOptions: {
      output: {
        // Vendor code that every page needs and that changes rarely gets chunks of its own, which
        // stay cached across app deploys. Ant Design is deliberately not one chunk: its
        // components go with the screens that use them, so the sign-in page loads the few it
        // shows and not all of it (1.3 MB).
        manualChunks: {
          react: ['react', 'react-dom', 'react-router-dom'],
          query: ['@tanstack/react-query', 'i18next', 'react-i18next', 'dayjs'],
        },
      },
    },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});

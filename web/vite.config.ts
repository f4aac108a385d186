/// <reference types="vitest" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// In development the API runs on a separate keel server (KEEL_DEV_API, default :8080); the
// built app is served by keel itself from web/dist, so production needs no proxy.
const api = process.env.KEEL_DEV_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  server: { proxy: { '/api': api } },
  build: {
    outDir: 'dist',
    sourcemap: false,
    // The Ant Design vendor chunk is ~1.3 MB minified (~410 kB gzip) and changes only with an
    // upgrade; it is served with an immutable cache header, so browsers fetch it once. The
    // limit sits just above it so any other chunk growing large still warns.
    chunkSizeWarningLimit: 1400,
    rollupOptions: {
      output: {
        // Vendor code changes rarely; separate chunks stay cached across app deploys.
        manualChunks: {
          react: ['react', 'react-dom', 'react-router-dom'],
          antd: ['antd', '@ant-design/icons'],
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

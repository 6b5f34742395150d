import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

/** One config for the web build (root `web/`, output `dist/web`) and for Vitest (all of `tests/`). */
export default defineConfig({
  root: 'web',
  plugins: [vue()],
  build: { outDir: '../dist/web', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
  test: {
    root: '.',
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});

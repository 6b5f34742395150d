import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

/**
 * Libraries in chunks of their own, so a release that changes only the app's code leaves them
 * cached: Vue and its companions, MapLibre, deck.gl's core (its aggregation layers stay with the
 * heat map that loads them on demand), ECharts. Which page loads what is left to the imports.
 */
const VENDOR_CHUNKS = [
  { name: 'vue', test: /node_modules[\\/](vue|@vue|pinia|vue-router|vue-i18n|@intlify)[\\/]/ },
  { name: 'maplibre', test: /node_modules[\\/]maplibre-gl[\\/]/ },
  { name: 'deck', test: /node_modules[\\/](@deck\.gl[\\/](core|layers|mapbox)|@luma\.gl|@math\.gl|@loaders\.gl|@probe\.gl|mjolnir\.js)[\\/]/ },
  { name: 'echarts', test: /node_modules[\\/](echarts|zrender|vue-echarts)[\\/]/ },
  // Vite's helper for `import()` with preloads. A group takes its modules' dependencies along, and
  // deck.gl's loaders use `import()`, so without a chunk of its own the helper lands in deck.gl's
  // chunk and every page (the bulletin, the sign-in) downloads deck.gl before it can start.
  { name: 'preload-helper', test: /vite[\\/]preload-helper/, priority: 1 },
];

/** One config for the web build (root `web/`, output `dist/web`) and for Vitest (all of `tests/`). */
export default defineConfig({
  root: 'web',
  plugins: [vue()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rolldownOptions: { output: { codeSplitting: { groups: VENDOR_CHUNKS } } },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
  test: {
    root: '.',
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});

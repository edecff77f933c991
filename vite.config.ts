import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Facts behind these settings are in ../shared DESIGN §2: wasm packages stay out of
// dependency pre-bundling, assets are never inlined, and `base: './'` keeps the site relocatable.
export default defineConfig({
  base: './',
  plugins: [svelte()],
  optimizeDeps: {
    exclude: ['@duckdb/duckdb-wasm', 'parquet-wasm'],
  },
  build: {
    assetsInlineLimit: 0,
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
  },
  worker: {
    format: 'es',
  },
  server: { port: 5173, strictPort: false },
  preview: { port: 4173, strictPort: true },
});

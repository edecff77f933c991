import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The raw DuckDB-WASM reference page: no lakebook code, only the libraries, built the way the app
// builds them (wasm packages out of pre-bundling, assets never inlined, relative base). The output goes
// to bench/results/raw-site/ (git-ignored); bench/run.ts builds it on every run.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'warn',
  optimizeDeps: { exclude: ['@duckdb/duckdb-wasm', 'parquet-wasm'] },
  build: {
    outDir: fileURLToPath(new URL('../results/raw-site/', import.meta.url)),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    target: 'es2022',
    chunkSizeWarningLimit: 8192,
  },
});

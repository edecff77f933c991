import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

/**
 * Monaco's TypeScript mode starts its worker with `new Worker(new URL('ts.worker.js', import.meta.url))`,
 * which Vite would bundle as a second 7 MB TypeScript worker. ts cells use their own
 * (src/ui/editor/ts-language.worker.ts, also chosen by MonacoEnvironment.getWorker): the bare
 * specifier, which Vite resolves through its aliases, is pointed there.
 */
const TS_LANGUAGE_WORKER = { find: /^ts\.worker\.js$/, replacement: fileURLToPath(new URL('./src/ui/editor/ts-language.worker.ts', import.meta.url)) };

/**
 * The language workers' managers import `internal/common/workers.js`, which also loads some sixty editor
 * contributions, too late for the editor's services: src/ui/editor/monaco-web-worker.ts stands in for it.
 */
const MONACO_WEB_WORKER = { find: /^(\.\.\/)+internal\/common\/workers\.js$/, replacement: fileURLToPath(new URL('./src/ui/editor/monaco-web-worker.ts', import.meta.url)) };

// Facts behind these settings are in ../shared DESIGN §2: wasm packages stay out of
// dependency pre-bundling, assets are never inlined, and `base: './'` keeps the site relocatable.
export default defineConfig({
  base: './',
  plugins: [svelte()],
  resolve: { alias: [TS_LANGUAGE_WORKER, MONACO_WEB_WORKER] },
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

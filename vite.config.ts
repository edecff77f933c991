import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { appFilesPlugin, cspPlugin } from './scripts/vite-plugins';

const SERVICE_WORKER = 'sw.js';

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

/** Arrow's builders compile their null check with `new Function`; the CSP forbids eval (src/cells/ts/arrow-is-valid.ts). */
const ARROW_IS_VALID = { find: /^\.\/builder\/valid\.mjs$/, replacement: fileURLToPath(new URL('./src/cells/ts/arrow-is-valid.ts', import.meta.url)) };

// Facts behind these settings are in ../shared DESIGN §2: wasm packages stay out of
// dependency pre-bundling, assets are never inlined, and `base: './'` keeps the site relocatable.
// Offline, the manifest and the CSP are explained in docs/deploy.md.
export default defineConfig({
  base: './',
  plugins: [
    svelte(),
    cspPlugin(),
    appFilesPlugin(SERVICE_WORKER),
    VitePWA({
      strategies: 'generateSW',
      filename: SERVICE_WORKER,
      // Updates wait until every lakebook tab is closed (or the user accepts the update): a running
      // notebook is never swapped to new code under it. The first install claims the page at once.
      registerType: 'prompt',
      injectRegister: false,
      includeManifestIcons: false,
      manifest: {
        name: 'lakebook',
        short_name: 'lakebook',
        description: 'A data-engineering notebook that runs entirely in your browser: DuckDB, SQL cells, offline.',
        start_url: './',
        scope: './',
        display: 'standalone',
        background_color: '#f7f7f5',
        theme_color: '#2563eb',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: 'icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: 'icons/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
        ],
      },
      workbox: {
        globPatterns: ['**/*'],
        // DuckDB's mvp build (39 MB) is only for browsers without WebAssembly exceptions; those fetch it
        // on first use and keep it (runtime cache below). Everyone else would download it for nothing.
        globIgnores: ['**/duckdb-mvp*.wasm', '**/*.map'],
        // The eh wasm is 34 MB.
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
        inlineWorkboxRuntime: true,
        clientsClaim: true,
        skipWaiting: false,
        cleanupOutdatedCaches: true,
        navigateFallback: 'index.html',
        // The export's download worker (public/download-sw.js) answers navigations under ./__download/.
        navigateFallbackDenylist: [/\/__download\//],
        // `?sample=0` and the like are app state, not different pages.
        ignoreURLParametersMatching: [/.*/],
        runtimeCaching: [
          {
            urlPattern: ({ url, sameOrigin }) => sameOrigin && /\/duckdb-mvp[^/]*\.wasm$/.test(url.pathname),
            handler: 'CacheFirst',
            options: { cacheName: 'lakebook-duckdb-mvp', expiration: { maxEntries: 2 } },
          },
          {
            // A published bundle's notebook and data (src/share/publish.ts): fresh when online, cached for offline.
            urlPattern: ({ url, sameOrigin }) => sameOrigin && /\/published\//.test(url.pathname),
            handler: 'NetworkFirst',
            options: { cacheName: 'lakebook-published', networkTimeoutSeconds: 10 },
          },
        ],
      },
    }),
  ],
  resolve: { alias: [TS_LANGUAGE_WORKER, MONACO_WEB_WORKER, ARROW_IS_VALID] },
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

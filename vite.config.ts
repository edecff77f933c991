import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { appFilesPlugin, cspPlugin } from './scripts/vite-plugins';

const SERVICE_WORKER = 'sw.js';

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

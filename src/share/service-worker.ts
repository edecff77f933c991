/// <reference types="vite-plugin-pwa/vanillajs" />
import { registerSW } from 'virtual:pwa-register';

export interface OfflineEvents {
  /** The app is cached: from now on it starts without a network. */
  onOfflineReady(): void;
  /** A newer build is installed and waits; `apply()` switches to it and reloads the page. */
  onUpdateReady(apply: () => Promise<void>): void;
  onError(message: string): void;
}

/**
 * Registers the service worker built by vite-plugin-pwa (vite.config.ts). In `vite dev` the module is a
 * no-op. main.ts calls it once the page is quiet (no file loading, no cell running), so the precache
 * download (≈52 MB, mostly DuckDB's wasm) competes neither with the engine's start nor with the first
 * file and query.
 */
export function registerOffline(events: OfflineEvents): void {
  if (!('serviceWorker' in navigator)) return;
  const update = registerSW({
    immediate: false,
    onOfflineReady: () => events.onOfflineReady(),
    onNeedRefresh: () => events.onUpdateReady(() => update(true)),
    onRegisterError: (error: unknown) =>
      events.onError(`Offline use is unavailable: the service worker could not be registered (${error instanceof Error ? error.message : String(error)}).`),
  });
}

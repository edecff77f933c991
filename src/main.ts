import { mount } from 'svelte';
import App from './ui/App.svelte';
import './ui/global.css';
import { createBrowserEngine } from './engine/browser-engine';
import { Workspace } from './ui/workspace.svelte';
import { exportForBench } from './cells/export/bench-export';
import { registerOffline } from './share/service-worker';
import { preloadMonacoWhenIdle } from './ui/editor/load-monaco';
import { whenQuiet } from './ui/quiet';

const engine = createBrowserEngine();
const workspace = new Workspace(engine);
const params = new URLSearchParams(location.search);
const withSample = params.get('sample') !== '0';

/** Hooks for end-to-end tests (docs/testing.md). */
const hooks = {
  isReady: false,
  /** The editor preload is done and the offline cache registered: the page's background downloads are over or running in the service worker. */
  backgroundStarted: false,
  killWorker: () => engine.killBackendForTest(),
  /** The real engine, for `npm run bench` (bench/): addFile, run, fetchPage, query. */
  engine,
  /** For bench/export-bench.ts: an export cell's attributes, to a zip download or discarded. */
  exportForBench: (attributes: Record<string, string>, to: 'zip' | 'discard') => exportForBench(engine, attributes, to),
};
(window as unknown as { __lakebook: typeof hooks }).__lakebook = hooks;

mount(App, { target: document.getElementById('app')!, props: { workspace } });
/** How long the page must have loaded no file and run no cell before its background downloads start. */
const QUIET_MS = 3_000;

void workspace.start(withSample).finally(async () => {
  hooks.isReady = true;
  // The editor (3.4 MB of JS) and the offline cache (≈52 MB, the same DuckDB wasm among it) are fetched
  // once the page is quiet: on two cores either would otherwise slow the first file load and query.
  await whenQuiet(() => workspace.busy, QUIET_MS, 500);
  const editor = preloadMonacoWhenIdle();
  registerOffline({
    onOfflineReady: () => workspace.notify('info', 'lakebook is now stored in this browser: it starts and runs without a network.'),
    onUpdateReady: () =>
      workspace.notify('info', 'A new version of lakebook is installed. It takes over once every lakebook tab has been closed.'),
    onError: (message) => workspace.notify('error', message),
  });
  await editor;
  hooks.backgroundStarted = true;
});

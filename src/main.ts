import { mount } from 'svelte';
import App from './ui/App.svelte';
import './ui/global.css';
import { createBrowserEngine } from './engine/browser-engine';
import { Workspace } from './ui/workspace.svelte';
import { exportForBench } from './cells/export/bench-export';
import { registerOffline } from './share/service-worker';
import { preloadMonacoWhenIdle } from './ui/editor/load-monaco';

const engine = createBrowserEngine();
const workspace = new Workspace(engine);
const params = new URLSearchParams(location.search);
const withSample = params.get('sample') !== '0';

/** Hooks for end-to-end tests (docs/testing.md). */
const hooks = {
  isReady: false,
  killWorker: () => engine.killBackendForTest(),
  /** The real engine, for `npm run bench` (bench/): addFile, run, fetchPage, query. */
  engine,
  /** For bench/export-bench.ts: an export cell's attributes, to a zip download or discarded. */
  exportForBench: (attributes: Record<string, string>, to: 'zip' | 'discard') => exportForBench(engine, attributes, to),
};
(window as unknown as { __lakebook: typeof hooks }).__lakebook = hooks;

mount(App, { target: document.getElementById('app')!, props: { workspace } });
void workspace.start(withSample).finally(() => {
  hooks.isReady = true;
  preloadMonacoWhenIdle();
  // After the engine has started: the worker's first download (≈52 MB, the same DuckDB wasm among it)
  // then never competes with the engine compiling its wasm.
  registerOffline({
    onOfflineReady: () => workspace.notify('info', 'lakebook is now stored in this browser: it starts and runs without a network.'),
    onUpdateReady: () =>
      workspace.notify('info', 'A new version of lakebook is installed. It takes over once every lakebook tab has been closed.'),
    onError: (message) => workspace.notify('error', message),
  });
});

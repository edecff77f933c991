// What the benchmark installs in every page it opens (lakebook's app and the raw DuckDB-WASM page),
// through `context.addInitScript(installHarness)`: a long-task recorder, a timing wrapper, and a file
// input through which Playwright hands the data files to the page.
//
// This function is serialized into the page, so it must not refer to anything outside its body.
// (tsx/esbuild wrap named functions with `__name(…)`; the runner defines a no-op `__name` first.)

import type { Engine } from '../src/engine/engine';

export interface LongTaskStats {
  count: number;
  totalMs: number;
  maxMs: number;
}

export interface Measured<T> {
  ms: number;
  value: T;
  longTasks: LongTaskStats;
}

export interface BenchHarness {
  /** Runs `work`, timing it with performance.now(); then collects the long tasks that overlapped it. */
  measure<T>(work: () => Promise<T>): Promise<Measured<T>>;
  /** Long tasks that overlapped [from, to] (page clock). */
  longTasksBetween(from: number, to: number): LongTaskStats;
  /** The files set on the harness's `<input type=file>`, by file name (disk-backed, read lazily). */
  files: Record<string, File>;
  /** Creates the hidden `<input type=file multiple id=bench-file-input>` if it is not there yet. */
  ensureFileInput(): void;
  /** lakebook's app only: `window.__lakebook.isReady`. */
  appReady(): boolean;
  /**
   * lakebook's app only: ready, and its background downloads (the editor preload, the offline cache)
   * started. They wait for a quiet page; measurements wait for them so that they do not land inside one.
   */
  appSettled(): boolean;
  /** lakebook's app only: the real engine from `window.__lakebook.engine` (throws if the hook is missing). */
  appEngine(): Engine;
}

declare global {
  interface Window {
    __bench: BenchHarness;
  }
}

export function installHarness(): void {
  const tasks: { start: number; end: number }[] = [];
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) tasks.push({ start: entry.startTime, end: entry.startTime + entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // No long-task support: the stats stay at zero (the runner checks that Chromium reports some).
  }
  const longTasksBetween = (from: number, to: number): LongTaskStats => {
    let count = 0;
    let totalMs = 0;
    let maxMs = 0;
    for (const t of tasks) {
      if (t.end < from || t.start > to) continue;
      const overlap = Math.min(t.end, to) - Math.max(t.start, from);
      count++;
      totalMs += overlap;
      maxMs = Math.max(maxMs, t.end - t.start);
    }
    return { count, totalMs: Math.round(totalMs), maxMs: Math.round(maxMs) };
  };
  const harness: BenchHarness = {
    appReady: () => false,
    appSettled: () => false,
    appEngine: () => {
      throw new Error('not set');
    },
    files: {},
    longTasksBetween,
    async measure(work) {
      const t0 = performance.now();
      const value = await work();
      const t1 = performance.now();
      // Long-task entries are delivered after the task ends; give the observer a moment.
      await new Promise((resolve) => setTimeout(resolve, 60));
      return { ms: t1 - t0, value, longTasks: longTasksBetween(t0, t1) };
    },
    ensureFileInput() {
      if (document.getElementById('bench-file-input')) return;
      const input = document.createElement('input');
      input.type = 'file';
      input.multiple = true;
      input.id = 'bench-file-input';
      input.style.display = 'none';
      input.addEventListener('change', () => {
        for (const file of Array.from(input.files ?? [])) harness.files[file.name] = file;
      });
      document.body.appendChild(input);
    },
  };
  window.__bench = harness;
  type AppHooks = { isReady?: boolean; backgroundStarted?: boolean; engine?: Engine } | undefined;
  const hooks = () => (window as unknown as { __lakebook?: AppHooks }).__lakebook;
  harness.appReady = () => hooks()?.isReady === true;
  harness.appSettled = () => hooks()?.isReady === true && hooks()?.backgroundStarted === true;
  harness.appEngine = () => {
    const engine = hooks()?.engine;
    if (!engine) throw new Error('window.__lakebook.engine is missing: the app build has no `engine` test hook (src/main.ts)');
    return engine;
  };
}

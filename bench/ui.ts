// Measurements of the real UI (the built app, driven as a person would):
//   scrolling  — frame times while wheel-scrolling a 10M-row result grid, and how long rows take to
//                appear after jumping far (as when dragging the scrollbar).
//   cold start — page load → file added → first query result visible, on a 2M-row Parquet file; and the
//                JavaScript bytes the page loaded before the query was submitted (network log).

import type { Browser, Page } from '@playwright/test';
import { newBenchContext } from './browser';
import type { LongTaskStats } from './page-harness';
import { withTimeout } from './session';

/** A 10M-row, 5-column result made by SQL (no file needed): the grid pages it from the engine. */
export const SCROLL_ROWS = 10_000_000;
export const SCROLL_SQL = `SELECT i AS id, DATE '2024-01-01' + CAST(i % 365 AS INTEGER) AS day,
  'P' || lpad(CAST(i % 50 + 1 AS VARCHAR), 3, '0') AS product_id,
  CAST((i * 7919) % 100000 AS DECIMAL(10, 2)) / 100 AS amount, i % 7 = 0 AS flagged
FROM range(${SCROLL_ROWS}) t(i)`;

export interface FrameStats {
  frames: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  /** Frames that took longer than 50 ms (a visible hitch). */
  over50ms: number;
}

export interface ScrollResult {
  rows: number;
  /** Cell run time for the 10M-row query, as the app reports it (not part of the frame stats). */
  queryMs: number;
  wheel: FrameStats & { durationMs: number; scrolledRows: number; longTasks: LongTaskStats };
  /** After setting scrollTop far away: time until every visible row shows its values. */
  jumps: { count: number; medianMs: number; maxMs: number; longTasks: LongTaskStats };
}

export interface ColdStartResult {
  /** Navigation start → first result value visible. */
  totalMs: number;
  /** Navigation start → `window.__lakebook.isReady`. */
  readyMs: number;
  /** File chosen (input change) → its table listed with all its rows. */
  loadMs: number;
  /** Shift+Enter → first result value visible. */
  queryMs: number;
  /** What the page and its workers had loaded when Shift+Enter was pressed (response body bytes). */
  jsBytes: number;
  jsFiles: number;
  /** Of jsBytes: the editor (Monaco), preloaded while the page is idle. */
  editorJsBytes: number;
  /** Fetched by the offline service worker into its cache before the query (not counted above). */
  offlineCacheBytes: number;
  wasmBytes: number;
  otherBytes: number;
  scripts: { url: string; bytes: number }[];
}

/** `settled`: also wait for the page's background downloads, which a first visit (the cold start) does not. */
async function openApp(page: Page, appUrl: string, settled: boolean): Promise<void> {
  await page.goto(new URL('./?sample=0', appUrl).href);
  await page.waitForFunction((settled) => (settled ? window.__bench.appSettled() : window.__bench.appReady()), settled, { timeout: 120_000, polling: 'raf' });
}

/** Clicks add-sql-cell, waits for the new cell's editor to have focus, types `sql`; returns the cell's index. */
async function addSqlCell(page: Page, sql: string): Promise<number> {
  const cells = page.locator('[data-testid=cell]');
  const before = await cells.count();
  await page.locator('[data-testid=add-sql-cell]').click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=cell]').length > n, before);
  const editor = cells.nth(before).locator('[data-testid=cell-editor]');
  await page.waitForFunction(
    (el) => el !== null && el.contains(document.activeElement),
    await editor.elementHandle(),
    { timeout: 15_000 },
  ).catch(async () => {
    await editor.click();
  });
  await page.keyboard.insertText(sql);
  return before;
}

function frameStats(deltas: number[]): FrameStats {
  const sorted = [...deltas].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    frames: sorted.length,
    medianMs: round1(at(0.5)),
    p95Ms: round1(at(0.95)),
    maxMs: round1(sorted[sorted.length - 1] ?? 0),
    over50ms: sorted.filter((d) => d > 50).length,
  };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * One page, one 10M-row result; then `rounds` rounds of wheel-scrolling (60 notches) and 8 jumps, each
 * round in a part of the result not visited before (the grid keeps the pages it fetched).
 */
export async function measureScroll(browser: Browser, appUrl: string, timeoutMs: number, rounds: number): Promise<ScrollResult[]> {
  const { context } = await newBenchContext(browser, new URL(appUrl).origin);
  try {
    const page = await context.newPage();
    await openApp(page, appUrl, true);
    const index = await addSqlCell(page, SCROLL_SQL);
    const cell = page.locator('[data-testid=cell]').nth(index);
    await page.keyboard.press('Shift+Enter');
    const grid = cell.locator('[data-testid=cell-result] [role=grid]');
    const started = performance.now();
    await withTimeout(
      grid.and(page.locator(`[aria-rowcount="${SCROLL_ROWS + 1}"]`)).waitFor({ state: 'visible', timeout: timeoutMs }),
      timeoutMs + 1000,
      'the 10M-row result grid',
    );
    const queryMs = performance.now() - started;
    // First page in place before measuring.
    await grid.locator('[role=gridcell]').first().filter({ hasText: /./ }).waitFor({ timeout: 30_000 });
    const box = await grid.boundingBox();
    if (!box) throw new Error('the result grid has no box');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);

    const results: ScrollResult[] = [];
    for (let round = 0; round < rounds; round++) {
      // Start where this round's rows are: the top, then further down each round.
      const start = round / (rounds + 1);
      await jumpTo(page, index, [start]);

      // Wheel: 60 notches of 240 px, one per ~16 ms, while requestAnimationFrame records every frame.
      const t0 = await page.evaluate(() => {
        const w = window as unknown as { __frames: number[]; __framesOn: boolean };
        w.__frames = [];
        w.__framesOn = true;
        const loop = (t: number) => {
          w.__frames.push(t);
          if (w.__framesOn) requestAnimationFrame(loop);
        };
        requestAnimationFrame(loop);
        return performance.now();
      });
      const firstRowBefore = await firstVisibleRow(page, index);
      for (let i = 0; i < 60; i++) {
        await page.mouse.wheel(0, 240);
        await new Promise((resolve) => setTimeout(resolve, 16));
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      const wheel = await page.evaluate((t0) => {
        const w = window as unknown as { __frames: number[]; __framesOn: boolean };
        w.__framesOn = false;
        const t1 = performance.now();
        const deltas = w.__frames.slice(1).map((t, i) => t - w.__frames[i]!);
        return { deltas, durationMs: t1 - t0, longTasks: window.__bench.longTasksBetween(t0, t1) };
      }, t0);
      const firstRowAfter = await firstVisibleRow(page, index);

      // Jumps (as when dragging the scrollbar): 8 far positions, new ones each round.
      const shift = (round + 1) * 0.02;
      const jumps = await jumpTo(page, index, [0.5, 0.1, 0.9, 0.3, 0.7, 0.2, 0.8, 0.97].map((f) => f + shift * (f < 0.5 ? 1 : -1)));
      const sortedJumps = [...jumps.latencies].sort((a, b) => a - b);
      results.push({
        rows: SCROLL_ROWS,
        queryMs: Math.round(queryMs),
        wheel: {
          ...frameStats(wheel.deltas),
          durationMs: Math.round(wheel.durationMs),
          scrolledRows: firstRowAfter - firstRowBefore,
          longTasks: wheel.longTasks,
        },
        jumps: {
          count: sortedJumps.length,
          medianMs: round1(sortedJumps[Math.floor(sortedJumps.length / 2)] ?? 0),
          maxMs: round1(sortedJumps[sortedJumps.length - 1] ?? 0),
          longTasks: jumps.longTasks,
        },
      });
    }
    return results;
  } finally {
    await context.close().catch(() => undefined);
  }
}

/** Sets the grid's scrollTop to each fraction in turn; time until no visible cell still waits for its page. */
function jumpTo(page: Page, index: number, fractions: number[]): Promise<{ latencies: number[]; longTasks: LongTaskStats }> {
  return page.evaluate(
    async ({ index, fractions }) => {
      const el = document.querySelectorAll('[data-testid=cell]')[index]!.querySelector('[data-testid=cell-result] [role=grid]') as HTMLElement;
      const from = performance.now();
      const latencies: number[] = [];
      for (const fraction of fractions) {
        el.scrollTop = fraction * (el.scrollHeight - el.clientHeight);
        const set = performance.now();
        for (;;) {
          await new Promise((resolve) => requestAnimationFrame(resolve));
          const cells = Array.from(el.querySelectorAll('[role=row] [role=gridcell]'));
          if (cells.length > 0 && cells.every((c) => (c.textContent ?? '').trim() !== '')) break;
          if (performance.now() - set > 20_000) throw new Error(`rows at ${fraction} of the grid did not appear within 20 s`);
        }
        latencies.push(performance.now() - set);
      }
      return { latencies, longTasks: window.__bench.longTasksBetween(from, performance.now()) };
    },
    { index, fractions },
  );
}

async function firstVisibleRow(page: Page, index: number): Promise<number> {
  return page.evaluate((index) => {
    const grid = document.querySelectorAll('[data-testid=cell]')[index]!.querySelector('[data-testid=cell-result] [role=grid]')!;
    const top = grid.getBoundingClientRect().top + 26;
    for (const row of Array.from(grid.querySelectorAll('[role=row][aria-rowindex]'))) {
      const index = Number(row.getAttribute('aria-rowindex'));
      if (index > 1 && row.getBoundingClientRect().bottom > top) return index;
    }
    return 0;
  }, index);
}

/** Page-side marks for the cold start: file chosen, table listed, Shift+Enter, first value visible. */
function installColdStartMarks({ table, rows }: { table: string; rows: number }): void {
  const marks: Record<string, number> = {};
  (window as unknown as { __marks: Record<string, number> }).__marks = marks;
  const check = () => {
    if (marks.listed === undefined) {
      const entry = document.querySelector(`[data-testid=table-list] [data-table="${table}"]`);
      if (entry && entry.getAttribute('data-row-count') === String(rows)) marks.listed = performance.now();
    }
    if (marks.submit !== undefined && marks.result === undefined) {
      const cells = document.querySelectorAll('[data-testid=cell-result] [role=gridcell]');
      for (const cell of Array.from(cells)) {
        if ((cell.textContent ?? '').trim() !== '') {
          marks.result = performance.now();
          break;
        }
      }
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  document.addEventListener('change', (e) => {
    if ((e.target as HTMLInputElement).type === 'file' && marks.picked === undefined) marks.picked = performance.now();
  }, true);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && e.shiftKey && marks.submit === undefined) marks.submit = performance.now();
  }, true);
}

export async function measureColdStart(
  browser: Browser,
  appUrl: string,
  file: { path: string; table: string; rows: number },
  timeoutMs: number,
): Promise<ColdStartResult> {
  // A new context each time: empty HTTP cache, nothing compiled yet.
  const { context } = await newBenchContext(browser, new URL(appUrl).origin, { serviceWorkers: 'allow' });
  const responses: Promise<{ url: string; type: string; bytes: number; before: boolean; byServiceWorker: boolean }>[] = [];
  let submitted = false;
  context.on('requestfinished', (request) => {
    const before = !submitted;
    // The offline service worker fills its cache in the background (≈52 MB): not what the page needs.
    const byServiceWorker = request.serviceWorker() !== null;
    // Workers' requests report a body size of 0 through `sizes()`; the server always sends
    // Content-Length (no compression), so that header is the body size too.
    responses.push(
      (async () => {
        const sizes = await request.sizes().catch(() => ({ responseBodySize: 0 }));
        const length = Number((await request.response())?.headers()['content-length'] ?? 0);
        return { url: request.url(), type: request.resourceType(), bytes: Math.max(sizes.responseBodySize, length), before, byServiceWorker };
      })(),
    );
  });
  try {
    await context.addInitScript(installColdStartMarks, { table: file.table, rows: file.rows });
    const page = await context.newPage();
    await openApp(page, appUrl, false);
    const readyMs = await page.evaluate(() => performance.now());
    await page.locator('[data-testid=add-files]').setInputFiles(file.path);
    await page.waitForFunction(() => (window as unknown as { __marks: { listed?: number } }).__marks.listed !== undefined, undefined, {
      timeout: timeoutMs,
      polling: 100,
    });
    await addSqlCell(page, `SELECT date, product_id, sum(amount) AS total_amount, sum(quantity) AS total_quantity FROM ${file.table} GROUP BY ALL`);
    submitted = true;
    await page.keyboard.press('Shift+Enter');
    await page.waitForFunction(() => (window as unknown as { __marks: { result?: number } }).__marks.result !== undefined, undefined, {
      timeout: timeoutMs,
      polling: 100,
    });
    const marks = await page.evaluate(() => (window as unknown as { __marks: Record<string, number> }).__marks);
    const finished = (await Promise.all(responses)).filter((r) => r.before);
    const loaded = finished.filter((r) => !r.byServiceWorker);
    const isJs = (url: string) => /\.m?js(\?|$)/.test(new URL(url).pathname);
    const isWasm = (url: string) => new URL(url).pathname.endsWith('.wasm');
    const scripts = loaded.filter((r) => isJs(r.url)).map((r) => ({ url: new URL(r.url).pathname, bytes: r.bytes }));
    // Monaco: loaded when the page is idle after it is ready (src/ui/editor/load-monaco.ts), not on the way to a result.
    const isEditor = (path: string) => /\/(monaco-loader|editor\.api|sql|markdown|yaml|python|typescript|tsMode)-[\w-]+\.js$/.test(path);
    return {
      totalMs: Math.round(marks.result!),
      readyMs: Math.round(readyMs),
      loadMs: Math.round(marks.listed! - marks.picked!),
      queryMs: Math.round(marks.result! - marks.submit!),
      jsBytes: scripts.reduce((n, s) => n + s.bytes, 0),
      jsFiles: scripts.length,
      editorJsBytes: scripts.filter((s) => isEditor(s.url)).reduce((n, s) => n + s.bytes, 0),
      offlineCacheBytes: finished.filter((r) => r.byServiceWorker).reduce((n, r) => n + r.bytes, 0),
      wasmBytes: loaded.filter((r) => isWasm(r.url)).reduce((n, r) => n + r.bytes, 0),
      otherBytes: loaded.filter((r) => !isJs(r.url) && !isWasm(r.url)).reduce((n, r) => n + r.bytes, 0),
      scripts,
    };
  } finally {
    await context.close().catch(() => undefined);
  }
}

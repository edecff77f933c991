// The built app driven as a user drives it, for the feature benchmarks (TS transform, quality checks,
// exports): a fresh page on the empty notebook, a notebook opened from text, a cell run by its Run
// button and timed in the page, and the standalone `npx tsx bench/<feature>.ts` wrapper around them.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { launchBrowser } from './browser';
import { serveStatic } from './server';

export interface AppPage {
  context: BrowserContext;
  page: Page;
  /** Requests that left the app's origin so far (a benchmark fails if there are any). */
  offOrigin: string[];
}

/** A new context and page on the app with no sample, ready to run (`window.__lakebook.isReady`). */
export async function openAppPage(browser: Browser, appUrl: string): Promise<AppPage> {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const origin = new URL(appUrl).origin;
  const offOrigin: string[] = [];
  page.on('request', (request) => {
    const url = request.url();
    if (!/^(data|blob):/.test(url) && new URL(url).origin !== origin) offOrigin.push(url);
  });
  page.on('download', (download) => void download.delete().catch(() => undefined));
  await page.goto(new URL('./?sample=0', appUrl).href);
  // Ready, and the page's background downloads (editor preload, offline cache) started: they wait for a
  // quiet page and would otherwise land inside the first measurement.
  await page.waitForFunction(
    () => {
      const hooks = (window as unknown as { __lakebook?: { isReady: boolean; backgroundStarted: boolean } }).__lakebook;
      return hooks?.isReady === true && hooks.backgroundStarted;
    },
    undefined,
    { timeout: 180_000 },
  );
  return { context, page, offOrigin };
}

/**
 * Opens `text` as a notebook file, in lazy mode: running a cell must not re-run its readers. A file from
 * disk needs no trust banner: the first explicit Run is the user's consent.
 */
export async function openNotebookText(page: Page, text: string, name = 'bench.lakebook.md'): Promise<void> {
  await page.locator('select').filter({ has: page.locator('option[value=lazy]') }).selectOption('lazy');
  await page.getByTestId('open-notebook').setInputFiles([{ name, mimeType: 'text/markdown', buffer: Buffer.from(text) }]);
}

/** Runs one named cell by its Run button; the page-measured time from `running` to `ok`. Throws on `error`. */
export async function timeCell(page: Page, name: string): Promise<number> {
  const cell = page.locator(`[data-testid=cell][data-cell-name="${name}"]`);
  await cell.evaluate((el) => {
    const probe = { running: 0, ended: 0, status: '' };
    (el as HTMLElement & { __probe?: typeof probe }).__probe = probe;
    new MutationObserver(() => {
      const status = el.getAttribute('data-status') ?? '';
      if (status === 'running' && probe.running === 0) probe.running = performance.now();
      if ((status === 'ok' || status === 'error') && probe.running > 0 && probe.ended === 0) {
        probe.ended = performance.now();
        probe.status = status;
      }
    }).observe(el, { attributes: true, attributeFilter: ['data-status'] });
  });
  await cell.getByTestId('run-cell').click();
  const handle = await page.waitForFunction(
    (el) => {
      const probe = (el as HTMLElement & { __probe?: { ended: number } }).__probe;
      return probe && probe.ended > 0 ? probe : undefined;
    },
    await cell.elementHandle(),
    { timeout: 900_000, polling: 50 },
  );
  const probe = (await handle.jsonValue()) as { running: number; ended: number; status: string };
  if (probe.status !== 'ok') {
    const error = await cell.getByTestId('cell-error').innerText().catch(() => '(no message)');
    throw new Error(`cell ${name} failed: ${error}`);
  }
  return probe.ended - probe.running;
}

/** The text of a named cell's first result value. */
export async function firstValue(page: Page, name: string): Promise<string> {
  return (await page.locator(`[data-testid=cell][data-cell-name="${name}"] [role=gridcell]`).first().innerText()).trim();
}

/** True when `moduleUrl` (a module's `import.meta.url`) is the script Node was started with. */
export function isEntry(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && moduleUrl === pathToFileURL(process.argv[1]).href;
}

export interface StandaloneBench<O, T> {
  /** Names the site folder (bench/results/<name>-site/) and the results file (bench/results/<name>.json). */
  name: string;
  defaultPort: number;
  /** Reads the bench's own flags, before anything is built (numberFlag exits 2 on a bad one). */
  options(argv: string[]): O;
  run(appUrl: string, browser: Browser, options: O): Promise<T>;
  markdown(result: T): string;
  /** False fails the run (exit 1), e.g. outputs that should agree did not. */
  succeeded?(result: T): boolean;
}

/**
 * `npx tsx bench/<feature>.ts [--port N] [--no-build] …`: builds the app into its own folder (not dist/),
 * serves it, launches Chromium, runs the bench, writes bench/results/<name>.json, prints the Markdown and
 * exits 0, or 1 on failure (2 on a bad option, from numberFlag).
 */
export async function runStandalone<O, T>(bench: StandaloneBench<O, T>): Promise<never> {
  const argv = process.argv.slice(2);
  const port = numberFlag(argv, '--port', bench.defaultPort);
  const options = bench.options(argv);
  const root = fileURLToPath(new URL('../', import.meta.url));
  const results = fileURLToPath(new URL('./results/', import.meta.url));
  const site = `${results}${bench.name}-site/`;
  try {
    if (argv.includes('--no-build')) {
      if (!existsSync(`${site}index.html`)) throw new Error(`${site} has no build: run without --no-build once`);
    } else {
      execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', site, '--emptyOutDir', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
    }
    const server = await serveStatic(site, port);
    const browser = await launchBrowser();
    let result: T;
    try {
      result = await bench.run(server.url, browser, options);
    } finally {
      await browser.close();
      await server.close();
    }
    mkdirSync(results, { recursive: true });
    writeFileSync(`${results}${bench.name}.json`, `${JSON.stringify({ generatedAt: new Date().toISOString(), result }, null, 2)}\n`);
    console.log(`\n${bench.markdown(result)}\n`);
    process.exit(bench.succeeded?.(result) === false ? 1 : 0);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}

/** `--flag N` from argv, or `fallback`; exits with status 2 on a bad value. */
export function numberFlag(argv: string[], flag: string, fallback: number): number {
  const i = argv.indexOf(flag);
  if (i < 0) return fallback;
  const value = Number(argv[i + 1]);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`${flag} takes a whole number ≥ 1`);
    process.exit(2);
  }
  return value;
}

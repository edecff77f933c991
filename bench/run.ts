// `npm run bench [-- options]`: lakebook's engine against raw DuckDB-WASM and native DuckDB, plus the
// UI's scrolling and cold start. Writes bench/results/latest.json and prints Markdown tables.
// See docs/performance.md for what the numbers mean.
//
//   --quick          1M rows only (default: 1M and 10M), 3 runs, 1 timed repetition of each query
//   --runs N         runs per measurement (default 3; the median is reported)
//   --reps N         timed repetitions of each query within a run, after a warm-up (default 3; 1 with --quick)
//   --scale 1m,10m   which scales (overrides --quick's choice)
//   --engines LIST   lakebook,raw-wasm,native-1t,native (default all)
//   --no-ui          skip the scrolling and cold-start measurements
//   --no-features    skip the feature workloads (TS transform, quality check, partitioned export)
//   --no-build       use the sites already built in bench/results/ (default: build both first)
//   --port N         serve the app on N and the raw page on N+1 (default 4190)
//
// Exit status: 0 when every measurement ran and every checksum agreed; 1 otherwise; 2 on bad options.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Browser } from '@playwright/test';
import { launchBrowser, newBenchContext, openLakebook, openRaw, type BenchContext } from './browser';
import { checksumText } from './checksum';
import { COLD_START_FILE, COLD_START_ROWS, CSV_TABLES, TABLES, dataPath, ensureData, fileName, type Scale } from './data';
import { openNative } from './native';
import { compareChecksums, fmtTime, markdown, summarize, type RunError } from './report';
import { serveStatic, type StaticServer } from './server';
import { runInterleaved, withTimeout, type EngineName, type EngineSession, type Measurement, type Skip } from './session';
import { measureColdStart, measureScroll, type ColdStartResult, type ScrollResult } from './ui';
import { INGEST_WORKLOADS, QUERY_WORKLOADS, type IngestWorkload, type QueryWorkload } from './workloads';
import { exportMarkdown, runExportBench, type ExportBenchRow } from './export-bench';
import { qualityMarkdown, runQualityBench, type QualityBenchResult } from './quality-bench';
import { runTsTransformBench, tsTransformMarkdown, type TsTransformResult } from './ts-transform';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));
const APP_SITE = fileURLToPath(new URL('./results/app-site/', import.meta.url));
const RAW_SITE = fileURLToPath(new URL('./results/raw-site/', import.meta.url));
const ALL_ENGINES: EngineName[] = ['lakebook', 'raw-wasm', 'native-1t', 'native'];

/**
 * Workloads an engine leaves out at a scale, decided from measurements (docs/performance.md): what does
 * not fit one tab's memory is reported as skipped, not as a failure.
 */
const PLANNED_SKIPS: Skip[] = [];

interface Options {
  quick: boolean;
  runs: number;
  reps: number;
  scales: Scale[];
  engines: EngineName[];
  ui: boolean;
  features: boolean;
  build: boolean;
  port: number;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { quick: false, runs: 3, reps: 3, scales: ['1m', '10m'], engines: ALL_ENGINES, ui: true, features: true, build: true, port: 4190 };
  let scalesGiven = false;
  let repsGiven = false;
  const value = (i: number, flag: string) => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    switch (arg) {
      case '--quick':
        options.quick = true;
        break;
      case '--runs':
        options.runs = Number(value(i++, arg));
        if (!Number.isInteger(options.runs) || options.runs < 1) throw new UsageError('--runs takes a whole number ≥ 1');
        break;
      case '--reps':
        options.reps = Number(value(i++, arg));
        repsGiven = true;
        if (!Number.isInteger(options.reps) || options.reps < 1) throw new UsageError('--reps takes a whole number ≥ 1');
        break;
      case '--scale': {
        const scales = value(i++, arg).split(',');
        if (!scales.every((s): s is Scale => s === '1m' || s === '10m')) throw new UsageError('--scale takes 1m, 10m or 1m,10m');
        options.scales = scales;
        scalesGiven = true;
        break;
      }
      case '--engines': {
        const engines = value(i++, arg).split(',');
        const unknown = engines.filter((e) => !ALL_ENGINES.includes(e as EngineName));
        if (unknown.length > 0) throw new UsageError(`unknown engine(s) ${unknown.join(', ')}: choose from ${ALL_ENGINES.join(', ')}`);
        options.engines = engines as EngineName[];
        break;
      }
      case '--no-ui':
        options.ui = false;
        break;
      case '--no-features':
        options.features = false;
        break;
      case '--no-build':
        options.build = false;
        break;
      case '--port':
        options.port = Number(value(i++, arg));
        if (!Number.isInteger(options.port) || options.port < 1024 || options.port > 65534) throw new UsageError('--port takes a number 1024–65534');
        break;
      case '--help':
      case '-h':
        console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n'));
        process.exit(0);
        break;
      default:
        throw new UsageError(`unknown option ${arg} (try --help)`);
    }
  }
  if (options.quick && !scalesGiven) options.scales = ['1m'];
  if (options.quick && !repsGiven) options.reps = 1;
  return options;
}

class UsageError extends Error {}

const startedAt = performance.now();
/** Progress lines, with the seconds since the start. */
const log = (line: string) => console.log(`[${String(Math.round((performance.now() - startedAt) / 1000)).padStart(4)} s] ${line}`);

/** Runs a command, quiet unless it fails. */
function exec(command: string, args: string[], what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (error) => reject(new Error(`${what}: ${error.message}`)));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${what} failed (exit ${code}):\n${output.trim().split('\n').slice(-30).join('\n')}`))));
  });
}

async function buildSites(): Promise<void> {
  const vite = fileURLToPath(new URL('../node_modules/vite/bin/vite.js', import.meta.url));
  // The app goes to its own folder, not dist/: an e2e run serving dist/ at the same time is left alone.
  await exec(process.execPath, [vite, 'build', '--outDir', APP_SITE, '--emptyOutDir', '--logLevel', 'warn'], 'building the app (vite build)');
  await exec(process.execPath, [vite, 'build', '-c', 'bench/raw/vite.config.ts'], 'building the raw DuckDB-WASM page (bench/raw)');
}

function filesOf(scale: Scale): string[] {
  return [
    ...TABLES.map((t) => dataPath(fileName(t, scale, 'parquet'))),
    ...CSV_TABLES.map((t) => dataPath(fileName(t, scale, 'csv'))),
  ];
}

async function main(): Promise<number> {
  const started = performance.now();
  const options = parseArgs(process.argv.slice(2));
  const loadBefore = loadavg();
  log(
    `bench: scales ${options.scales.join(', ')}, ${options.runs} run(s), engines ${options.engines.join(', ')}` +
      `${options.ui ? ', UI' : ''}; machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, load ${loadBefore.map((l) => l.toFixed(1)).join(' ')}`,
  );

  const written = await ensureData(options.scales, log);
  log(written === 0 ? 'data: cached in bench/data/' : `data: ${written} file(s) written to bench/data/`);

  if (options.build) {
    const t = performance.now();
    await buildSites();
    log(`build: app and raw page built in ${fmtTime(performance.now() - t)}`);
  } else {
    for (const site of [APP_SITE, RAW_SITE]) {
      if (!existsSync(`${site}index.html`)) throw new Error(`${site} has no build: run without --no-build once`);
    }
  }

  const measurements: Measurement[] = [];
  const skips: Skip[] = [];
  const errors: RunError[] = [];
  const warnings = new Set<string>();
  const scroll: ScrollResult[] = [];
  const coldStart: ColdStartResult[] = [];
  let nativeThreads = 0;
  const features: { tsTransform?: TsTransformResult; quality?: QualityBenchResult; export?: ExportBenchRow[] } = {};

  const servers: StaticServer[] = [];
  let browser: Browser | undefined;
  const closeAll = async () => {
    await browser?.close().catch(() => undefined);
    browser = undefined;
    await Promise.all(servers.splice(0).map((s) => s.close()));
  };
  const onSignal = (signal: NodeJS.Signals) => {
    log(`bench: ${signal}, closing the browser and the servers`);
    void closeAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const app = await serveStatic(APP_SITE, options.port);
    servers.push(app);
    const raw = await serveStatic(RAW_SITE, options.port + 1);
    servers.push(raw);
    const needsBrowser = options.ui || options.features || options.engines.some((e) => e === 'lakebook' || e === 'raw-wasm');
    browser = needsBrowser ? await launchBrowser() : undefined;
    if (browser) log(`browser: Chromium ${browser.version()}`);
    const contexts: Partial<Record<'lakebook' | 'raw-wasm', BenchContext>> = {};

    for (const scale of options.scales) {
      const timeoutMs = scale === '1m' ? 5 * 60_000 : 20 * 60_000;
      const skip = (engine: EngineName, w: IngestWorkload | QueryWorkload) =>
        PLANNED_SKIPS.find((k) => k.engine === engine && k.scale === scale && k.workload === w.id)?.reason;
      for (let run = 1; run <= options.runs; run++) {
        log(`${scale} run ${run} of ${options.runs}`);
        const sessions: EngineSession[] = [];
        try {
          // Opened side by side (not measured), kept in the order of options.engines.
          const opened = await Promise.all(
            options.engines.map(async (engine): Promise<EngineSession | undefined> => {
              try {
                if (engine === 'lakebook' || engine === 'raw-wasm') {
                  const url = engine === 'lakebook' ? app.url : raw.url;
                  contexts[engine] ??= await newBenchContext(browser!, new URL(url).origin);
                  const open = engine === 'lakebook' ? openLakebook : openRaw;
                  return await withTimeout(open(contexts[engine], url, filesOf(scale)), 180_000, `opening ${engine}`);
                }
                const native = await openNative(engine === 'native-1t' ? 1 : 'default');
                if (engine === 'native') nativeThreads = native.threads;
                return native;
              } catch (error) {
                const message = error instanceof Error ? error.message : String(error);
                errors.push({ engine, scale, run, message: `could not start: ${message}` });
                log(`ERROR ${engine} ${scale} run ${run}: could not start: ${message}`);
                return undefined;
              }
            }),
          );
          sessions.push(...opened.filter((s): s is EngineSession => s !== undefined));
          const result = await runInterleaved(sessions, { scale, run, reps: options.reps, ingest: INGEST_WORKLOADS, queries: QUERY_WORKLOADS, skip, timeoutMs, log });
          measurements.push(...result.measurements);
          if (run === 1) skips.push(...result.skips);
          errors.push(...result.failures.map((f) => ({ engine: f.engine, scale, run, message: f.message })));
        } finally {
          for (const session of sessions) {
            for (const w of session.warnings()) warnings.add(`${session.engine}: ${w}`);
            await session.close().catch(() => undefined);
          }
        }
      }
    }
    for (const bench of Object.values(contexts)) await bench.context.close().catch(() => undefined);

    if (options.ui && browser) {
      for (let run = 1; run <= options.runs; run++) {
        try {
          const result = await measureColdStart(browser, app.url, { path: dataPath(COLD_START_FILE), table: 'sales_2m', rows: COLD_START_ROWS }, 180_000);
          coldStart.push(result);
          log(`  UI cold start ${run}: first result after ${fmtTime(result.totalMs)} (ready ${fmtTime(result.readyMs)}, JS ${(result.jsBytes / 1e6).toFixed(2)} MB)`);
        } catch (error) {
          errors.push({ engine: 'ui', run, message: `cold start: ${error instanceof Error ? error.message : String(error)}` });
          log(`ERROR UI cold start run ${run}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      try {
        scroll.push(...(await measureScroll(browser, app.url, 300_000, options.runs)));
        for (const [i, r] of scroll.entries()) {
          log(`  UI scrolling round ${i + 1}: frame median ${fmtTime(r.wheel.medianMs)}, p95 ${fmtTime(r.wheel.p95Ms)}, jump ${fmtTime(r.jumps.medianMs)}`);
        }
      } catch (error) {
        errors.push({ engine: 'ui', message: `scrolling: ${error instanceof Error ? error.message : String(error)}` });
        log(`ERROR UI scrolling: ${error instanceof Error ? error.message : String(error)}`);
      }
    }

    if (options.features && browser) {
      // Each feature runs in the real app at 1M rows, `runs` times; a failure is recorded and the next one runs.
      const feature = async <T>(name: string, work: () => Promise<T>): Promise<T | undefined> => {
        const t = performance.now();
        try {
          const result = await work();
          log(`  ${name}: done in ${fmtTime(performance.now() - t)}`);
          return result;
        } catch (error) {
          errors.push({ engine: 'feature', message: `${name}: ${error instanceof Error ? error.message : String(error)}` });
          log(`ERROR ${name}: ${error instanceof Error ? error.message : String(error)}`);
          return undefined;
        }
      };
      const appUrl = app.url;
      const b = browser;
      features.tsTransform = await feature('TS transform', () => runTsTransformBench({ appUrl, browser: b, rows: 1_000_000, runs: options.runs, log }));
      features.quality = await feature('quality check', () => runQualityBench({ appUrl, browser: b, rows: 1_000_000, runs: options.runs, log }));
      features.export = await feature('partitioned export', () => runExportBench({ appUrl, browser: b, runs: options.runs, log }));
    }
  } finally {
    await closeAll();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  const summaries = summarize(measurements);
  const { mismatches, compared } = compareChecksums(measurements);
  const offOrigin = [...warnings].filter((w) => w.includes('request off the origin'));
  const wallMs = performance.now() - started;
  const report = [
    markdown({ scales: options.scales, runs: options.runs, reps: options.reps, nativeThreads, summaries, skips, scroll, coldStart, wallMs }),
    ...(features.tsTransform ? ['', tsTransformMarkdown(features.tsTransform)] : []),
    ...(features.quality ? ['', `### Data-quality check (median of ${features.quality.runs})`, '', qualityMarkdown(features.quality)] : []),
    ...(features.export ? ['', `### Partitioned export (median of ${options.runs})`, '', exportMarkdown(features.export)] : []),
  ].join('\n');

  mkdirSync(RESULTS_DIR, { recursive: true });
  const json = {
    generatedAt: new Date().toISOString(),
    options,
    machine: { cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), loadBefore, loadAfter: loadavg(), node: process.version },
    versions: versions(),
    nativeThreads,
    wallMs: Math.round(wallMs),
    summaries: summaries.map((s) => ({ ...s, checksumText: checksumText(s.checksum) })),
    measurements,
    skips,
    checksums: { compared, mismatches },
    ui: { scroll, coldStart },
    features,
    errors,
    warnings: [...warnings],
  };
  writeFileSync(`${RESULTS_DIR}latest.json`, JSON.stringify(json, null, 2) + '\n');

  console.log('\n' + report + '\n');
  console.log(`Results: bench/results/latest.json. Checksums: ${compared} compared, ${mismatches.length} mismatched.`);
  for (const w of warnings) console.log(`warning: ${w}`);
  for (const m of mismatches) console.log(`CHECKSUM MISMATCH ${m.scale} ${m.workload}: ${m.engine} run ${m.run} vs ${m.against}: ${m.difference}`);
  for (const e of errors) console.log(`FAILED ${e.engine}${e.scale ? ` ${e.scale}` : ''}${e.run ? ` run ${e.run}` : ''}: ${e.message.split('\n')[0]}`);
  const featureMismatch = features.tsTransform && !features.tsTransform.checksumsAgree ? ['TS transform: the ts cell and the SQL cell left different tables'] : [];
  for (const m of featureMismatch) console.log(`CHECKSUM MISMATCH ${m}`);
  const failed = errors.length > 0 || mismatches.length > 0 || offOrigin.length > 0 || featureMismatch.length > 0;
  if (failed) console.log('bench: FAILED (see above)');
  return failed ? 1 : 0;
}

function versions(): Record<string, string> {
  const version = (pkg: string) => {
    try {
      return (JSON.parse(readFileSync(fileURLToPath(new URL(`../node_modules/${pkg}/package.json`, import.meta.url)), 'utf8')) as { version: string }).version;
    } catch {
      return 'unknown';
    }
  };
  return {
    '@duckdb/duckdb-wasm': version('@duckdb/duckdb-wasm'),
    '@duckdb/node-api': version('@duckdb/node-api'),
    'parquet-wasm': version('parquet-wasm'),
    '@playwright/test': version('@playwright/test'),
  };
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`bench: ${error.message}`);
      process.exit(2);
    }
    console.error(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);

// Medians, checksum comparison, the Markdown tables and bench/results/latest.json.

import { checksumDifference, checksumText, type Checksum } from './checksum';
import type { Scale } from './data';
import type { LongTaskStats } from './page-harness';
import type { EngineName, Measurement, Skip } from './session';
import type { ColdStartResult, ScrollResult } from './ui';
import { WORKLOADS } from './workloads';

export interface Summary {
  engine: EngineName;
  scale: Scale;
  workload: string;
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Median over runs of each long-task figure (browser engines). */
  longTasks?: LongTaskStats;
  rowCount?: number;
  /** Median over runs of each step's time, where the engine reports steps. */
  steps?: Record<string, number>;
  /** Queries: median of the untimed warm-up runs (first run of the query in a fresh engine). */
  firstMs?: number;
  checksum: Checksum;
}

export interface Mismatch {
  scale: Scale;
  workload: string;
  engine: EngineName;
  run: number;
  against: EngineName;
  difference: string;
}

export interface RunError {
  engine: EngineName | 'ui' | 'feature';
  scale?: Scale;
  run?: number;
  message: string;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarize(measurements: Measurement[]): Summary[] {
  const groups = new Map<string, Measurement[]>();
  for (const m of measurements) {
    const key = `${m.engine}|${m.scale}|${m.workload}`;
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  return [...groups.values()].map((ms) => {
    const first = ms[0]!;
    const tasks = ms.map((m) => m.longTasks).filter((t): t is LongTaskStats => t !== undefined);
    return {
      engine: first.engine,
      scale: first.scale,
      workload: first.workload,
      runs: ms.length,
      medianMs: median(ms.map((m) => m.ms)),
      minMs: Math.min(...ms.map((m) => m.ms)),
      maxMs: Math.max(...ms.map((m) => m.ms)),
      longTasks:
        tasks.length === 0
          ? undefined
          : { count: median(tasks.map((t) => t.count)), totalMs: median(tasks.map((t) => t.totalMs)), maxMs: median(tasks.map((t) => t.maxMs)) },
      rowCount: first.rowCount,
      steps: first.steps
        ? Object.fromEntries(Object.keys(first.steps).map((k) => [k, median(ms.map((m) => m.steps?.[k] ?? NaN))]))
        : undefined,
      firstMs: first.firstMs === undefined ? undefined : median(ms.map((m) => m.firstMs ?? NaN)),
      checksum: first.checksum,
    };
  });
}

/** Every measurement's checksum against the reference engine's first run (native first, when present). */
export function compareChecksums(measurements: Measurement[]): { mismatches: Mismatch[]; compared: number } {
  const order: EngineName[] = ['native', 'native-1t', 'raw-wasm', 'lakebook', 'raw-wasm-materialized', 'lakebook-query'];
  const mismatches: Mismatch[] = [];
  let compared = 0;
  const keys = new Set(measurements.map((m) => `${m.scale}|${m.workload}`));
  for (const key of keys) {
    const group = measurements.filter((m) => `${m.scale}|${m.workload}` === key);
    const reference = order.map((e) => group.find((m) => m.engine === e)).find((m) => m !== undefined)!;
    for (const m of group) {
      if (m === reference) continue;
      compared++;
      const difference = checksumDifference(reference.checksum, m.checksum);
      if (difference) {
        mismatches.push({ scale: m.scale, workload: m.workload, engine: m.engine, run: m.run, against: reference.engine, difference });
      }
    }
  }
  return { mismatches, compared };
}

// ------------------------------------------------------------------------------------------------ text

const group = (n: number) => Math.round(n).toLocaleString('en-US');

export function fmtTime(ms: number | undefined): string {
  if (ms === undefined || Number.isNaN(ms)) return '—';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${Math.round(ms)} ms`;
  return `${ms.toFixed(1)} ms`;
}

/**
 * A Markdown table: the header, the alignment row and the rows. The first column is left-aligned when
 * it names the row (`labelled`); the figures are right-aligned.
 */
export function mdTable(header: string[], rows: string[][], labelled = true): string[] {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), `|${header.map((_, i) => (i === 0 && labelled ? '---' : '--:')).join('|')}|`, ...rows.map(line)];
}

function ratio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || !(b > 0)) return '—';
  const r = a / b;
  return r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2);
}

function blocked(t: LongTaskStats | undefined): string {
  if (!t) return '—';
  return t.count === 0 ? '0' : `${group(t.totalMs)} ms (${t.count}, max ${group(t.maxMs)})`;
}

export interface ReportInput {
  scales: Scale[];
  runs: number;
  reps: number;
  nativeThreads: number;
  summaries: Summary[];
  skips: Skip[];
  scroll: ScrollResult[];
  coldStart: ColdStartResult[];
  wallMs: number;
}

export function markdown(input: ReportInput): string {
  const out: string[] = [];
  const find = (engine: EngineName, scale: Scale, workload: string) =>
    input.summaries.find((s) => s.engine === engine && s.scale === scale && s.workload === workload);
  for (const scale of input.scales) {
    out.push(
      `### ${scale === '1m' ? '1M' : '10M'} rows — median of ${input.runs} runs` +
        (input.reps > 1 ? ` (a query's figure in a run is the median of ${input.reps} timed repetitions after one warm-up)` : ' (queries after one warm-up)'),
      '',
    );
    const rows: string[][] = [];
    for (const w of WORKLOADS) {
      const lb = find('lakebook', scale, w.id);
      const raw = find('raw-wasm', scale, w.id);
      const n1 = find('native-1t', scale, w.id);
      const n = find('native', scale, w.id);
      if (!lb && !raw && !n1 && !n) continue;
      const skipped = (e: EngineName, s: Summary | undefined) =>
        s ? fmtTime(s.medianMs) : input.skips.some((k) => k.engine === e && k.scale === scale && k.workload === w.id) ? 'skipped' : '—';
      rows.push([
        w.label, skipped('lakebook', lb), skipped('raw-wasm', raw), skipped('native-1t', n1), skipped('native', n),
        ratio(lb?.medianMs, raw?.medianMs), ratio(lb?.medianMs, n1?.medianMs), ratio(lb?.medianMs, n?.medianMs),
        blocked(lb?.longTasks), blocked(raw?.longTasks),
      ]);
    }
    out.push(
      ...mdTable(
        ['workload', 'lakebook', 'raw-wasm', 'native 1 thread', `native ${input.nativeThreads} threads`, 'lakebook / raw-wasm', 'lakebook / native 1t', 'lakebook / native', 'main thread blocked: lakebook', 'main thread blocked: raw-wasm'],
        rows,
      ),
    );
    out.push('');
    const queries = WORKLOADS.filter((w) => w.kind === 'query');
    if (queries.some((w) => find('raw-wasm-materialized', scale, w.id))) {
      out.push(
        `Where lakebook's query time goes (${scale === '1m' ? '1M' : '10M'} rows, warm runs). *raw steps*: lakebook's steps done with raw calls — ` +
          'tokenize, `CREATE TABLE … AS` through `conn.send` (pending query + polls), `count(*)`, columns from `duckdb_columns()`, first 100 rows as text. ' +
          '*lakebook query*: `engine.query` (plain `conn.query` on lakebook\'s own instance and tables). *first run*: lakebook\'s untimed warm-up, the first run in a fresh tab.',
        '',
        ...mdTable(
          ['query', 'result rows', 'raw `conn.query`', 'raw steps', 'tokenize', 'create', 'count', 'columns', 'page', 'lakebook query', 'lakebook', 'lakebook first run', 'steps / raw', 'lakebook / steps'],
          queries.flatMap((w) => {
            const raw = find('raw-wasm', scale, w.id);
            const mat = find('raw-wasm-materialized', scale, w.id);
            const lb = find('lakebook', scale, w.id);
            const lq = find('lakebook-query', scale, w.id);
            if (!raw && !mat && !lb) return [];
            const st = (k: string) => fmtTime(mat?.steps?.[k]);
            return [[
              w.label, group(lb?.rowCount ?? raw?.rowCount ?? 0), fmtTime(raw?.medianMs), fmtTime(mat?.medianMs),
              st('tokenize'), st('create'), st('count'), st('columns'), st('page'), fmtTime(lq?.medianMs), fmtTime(lb?.medianMs),
              fmtTime(lb?.firstMs), ratio(mat?.medianMs, raw?.medianMs), ratio(lb?.medianMs, mat?.medianMs),
            ]];
          }),
        ),
      );
      out.push('');
    }
    /** One row per file: raw-wasm's steps and total, the steps lakebook adds (measured raw; key → column), listTables, lakebook's total. */
    const ingestSteps = (format: 'csv' | 'parquet', caption: string, rawSteps: string[], addedSteps: Record<string, string>) => {
      const files = WORKLOADS.filter((w) => w.kind === 'ingest' && w.format === format);
      if (!files.some((w) => find('raw-wasm', scale, w.id)?.steps)) return;
      out.push(
        caption,
        '',
        ...mdTable(
          ['file', ...rawSteps.map((k) => `raw: ${k}`), 'raw-wasm', ...Object.values(addedSteps), 'listTables', 'lakebook'],
          files.flatMap((w) => {
            const raw = find('raw-wasm', scale, w.id);
            const lb = find('lakebook', scale, w.id);
            if (!raw?.steps) return [];
            const steps = raw.steps;
            return [[
              w.label.replace(/^(CSV|Parquet) ingest: /, ''),
              ...rawSteps.map((k) => fmtTime(steps[k])),
              fmtTime(raw.medianMs),
              ...Object.keys(addedSteps).map((k) => fmtTime(steps[k])),
              fmtTime(lb?.steps?.listTables),
              fmtTime(lb?.medianMs),
            ]];
          }),
        ),
        '',
      );
    };
    ingestSteps(
      'csv',
      'CSV ingest by step: raw-wasm register + `CREATE TABLE … AS FROM read_csv`; what lakebook adds: a `sniff_csv` pre-pass (its ragged-line check) and `listTables()` before and after the load.',
      ['register', 'create'],
      { sniff: 'sniff_csv' },
    );
    ingestSteps(
      'parquet',
      'Parquet ingest by step: raw-wasm reads the whole file, decodes it with parquet-wasm on the main thread, then the DuckDB worker inserts it; ' +
        'lakebook streams row groups through its ingest worker (and lists tables before and after).',
      ['read', 'decode', 'insert'],
      {},
    );
  }
  if (input.scroll.length > 0) {
    const m = (f: (s: ScrollResult) => number) => median(input.scroll.map(f));
    out.push(
      `### Scrolling a ${group(input.scroll[0]!.rows)}-row result grid (real UI; one result, median of ${input.scroll.length} rounds of wheel-scrolling and jumps)`,
      '',
      ...mdTable(
        ['query to grid (once)', 'frames', 'frame median', 'frame p95', 'frame max', 'frames > 50 ms', 'main thread blocked while wheeling', 'jump → rows shown (median / max)'],
        [[
          fmtTime(m((s) => s.queryMs)), group(m((s) => s.wheel.frames)), fmtTime(m((s) => s.wheel.medianMs)), fmtTime(m((s) => s.wheel.p95Ms)),
          fmtTime(m((s) => s.wheel.maxMs)), group(m((s) => s.wheel.over50ms)), `${group(m((s) => s.wheel.longTasks.totalMs))} ms of ${group(m((s) => s.wheel.durationMs))} ms`,
          `${fmtTime(m((s) => s.jumps.medianMs))} / ${fmtTime(m((s) => s.jumps.maxMs))}`,
        ]],
        false,
      ),
      '',
    );
  }
  if (input.coldStart.length > 0) {
    const m = (f: (s: ColdStartResult) => number) => median(input.coldStart.map(f));
    out.push(
      `### Cold start on a 2M-row Parquet file (real UI, empty cache, median of ${input.coldStart.length})`,
      '',
      ...mdTable(
        ['page load → first result', 'load → ready', 'file chosen → table listed', 'Shift+Enter → result shown', 'JS loaded before the query', 'of it, the editor', 'wasm loaded before the query', 'offline cache filled meanwhile'],
        [[
          fmtTime(m((c) => c.totalMs)), fmtTime(m((c) => c.readyMs)), fmtTime(m((c) => c.loadMs)), fmtTime(m((c) => c.queryMs)),
          `${(m((c) => c.jsBytes) / 1e6).toFixed(2)} MB in ${m((c) => c.jsFiles)} files`, `${(m((c) => c.editorJsBytes) / 1e6).toFixed(2)} MB`,
          `${(m((c) => c.wasmBytes) / 1e6).toFixed(1)} MB`, `${(m((c) => c.offlineCacheBytes) / 1e6).toFixed(1)} MB`,
        ]],
        false,
      ),
      '',
    );
  }
  if (input.skips.length > 0) {
    const seen = new Set<string>();
    out.push('Skipped:');
    for (const k of input.skips) {
      const line = `- ${k.engine}, ${k.scale}, ${k.workload}: ${k.reason}`;
      if (!seen.has(line)) out.push(line);
      seen.add(line);
    }
    out.push('');
  }
  out.push(`Total wall time: ${fmtTime(input.wallMs)}.`);
  return out.join('\n');
}

export { checksumText };

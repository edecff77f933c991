// One engine, one fresh database: what the runner needs from lakebook, raw DuckDB-WASM and native DuckDB
// alike, and the run that drives it through every workload.

import { checksumOf, type Checksum, type RowsOf } from './checksum';
import { dataPath, fileName, type Scale } from './data';
import type { LongTaskStats } from './page-harness';
import type { IngestWorkload, QueryWorkload } from './workloads';

export type EngineName = 'lakebook' | 'lakebook-query' | 'raw-wasm' | 'raw-wasm-materialized' | 'native-1t' | 'native';

export interface Timed {
  ms: number;
  /** Main-thread long tasks while it ran (browser engines only). */
  longTasks?: LongTaskStats;
  /** Time of the steps inside, where the engine reports them (ms by step name). */
  steps?: Record<string, number>;
}

export interface EngineSession {
  readonly engine: EngineName;
  /** Loads `path` as table `w.table`; returns the name the engine gave it. */
  ingest(w: IngestWorkload, path: string): Promise<Timed & { table: string }>;
  /** Runs the query the engine's way; the result stays until `releaseResult`. */
  query(w: QueryWorkload): Promise<Timed & { rowCount: number }>;
  /**
   * Runs the query once, not timed, before the measured run: the first run in a fresh tab also compiles
   * the wasm code it needs (V8 compiles lazily), which would otherwise land on whichever way goes first.
   */
  warmUp(w: QueryWorkload): Promise<number>;
  /** Checksum of the last query's result, as the engine produced it. */
  resultChecksum(): Promise<Checksum>;
  releaseResult(): Promise<void>;
  /** SQL on the engine, plain rows back. */
  rows: RowsOf;
  dropTable(table: string): Promise<void>;
  close(): Promise<void>;
  /** Problems seen on the side (page errors, requests off the origin). */
  warnings(): string[];
  /** Other ways to run the same query on the same database, measured right after `query` (raw-wasm-materialized). */
  queryVariants?: QueryVariant[];
}

export interface QueryVariant {
  readonly engine: EngineName;
  query(w: QueryWorkload): Promise<Timed & { rowCount: number }>;
  resultChecksum(): Promise<Checksum>;
  releaseResult(): Promise<void>;
}

export interface Measurement {
  engine: EngineName;
  scale: Scale;
  workload: string;
  run: number;
  ms: number;
  longTasks?: LongTaskStats;
  rowCount?: number;
  steps?: Record<string, number>;
  /** Queries: the untimed warm-up run's time (the first run of this query in this engine). */
  firstMs?: number;
  /** Queries: every timed repetition in this run (`ms` is their median). */
  repsMs?: number[];
  checksum: Checksum;
}

export interface Skip {
  engine: EngineName;
  scale: Scale;
  workload: string;
  reason: string;
}

export interface RunPlan {
  scale: Scale;
  run: number;
  ingest: IngestWorkload[];
  queries: QueryWorkload[];
  /** Why an engine leaves a workload out at this scale, if it does. */
  skip: (engine: EngineName, w: IngestWorkload | QueryWorkload) => string | undefined;
  /** Per-step deadline. */
  timeoutMs: number;
  /** Timed repetitions of each query per run (after one untimed warm-up); the run's figure is their median. */
  reps: number;
  log: (line: string) => void;
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${Math.round(ms / 1000)} s`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Every workload once, workload by workload, each measured on every engine in turn before the next
 * workload starts: engines that are compared run minutes apart at most seconds apart, so a machine
 * that is busy with something else slows them alike. Order: CSV loads (checked, then dropped),
 * Parquet loads (kept), queries (checked, then released). The engines take turns going first.
 * An engine that fails is recorded and leaves the run; the others go on.
 */
export async function runInterleaved(
  sessions: EngineSession[],
  plan: RunPlan,
): Promise<{ measurements: Measurement[]; skips: Skip[]; failures: { engine: EngineName; message: string }[] }> {
  const measurements: Measurement[] = [];
  const skips: Skip[] = [];
  const failures: { engine: EngineName; message: string }[] = [];
  const alive = new Set(sessions);
  const workloads: (IngestWorkload | QueryWorkload)[] = [...plan.ingest, ...plan.queries];

  for (const [index, w] of workloads.entries()) {
    const turn = (index + plan.run) % Math.max(1, sessions.length);
    const order = [...sessions.slice(turn), ...sessions.slice(0, turn)];
    for (const session of order) {
      if (!alive.has(session)) continue;
      const reason = plan.skip(session.engine, w);
      if (reason) {
        skips.push({ engine: session.engine, scale: plan.scale, workload: w.id, reason });
        continue;
      }
      try {
        if (w.kind === 'ingest') measurements.push(await ingestOne(session, w, plan));
        else measurements.push(...(await queryOne(session, w, plan)));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        failures.push({ engine: session.engine, message: `${w.label}: ${message}` });
        plan.log(`ERROR ${session.engine} ${plan.scale} run ${plan.run}: ${w.label}: ${message}`);
        alive.delete(session);
      }
    }
  }
  return { measurements, skips, failures };
}

function step<T>(session: { engine: EngineName }, plan: RunPlan, promise: Promise<T>, what: string): Promise<T> {
  return withTimeout(promise, plan.timeoutMs, `${session.engine} ${plan.scale}: ${what}`);
}

async function ingestOne(session: EngineSession, w: IngestWorkload, plan: RunPlan): Promise<Measurement> {
  const timed = await step(session, plan, session.ingest(w, dataPath(fileName(w.table, plan.scale, w.format))), w.label);
  const checksum = await step(session, plan, checksumOf(session.rows, `"${timed.table}"`), `${w.label} (checksum)`);
  if (!w.keep) await step(session, plan, session.dropTable(timed.table), `dropping ${timed.table}`);
  plan.log(`  ${session.engine} ${plan.scale} run ${plan.run}: ${w.label} ${fmtMs(timed.ms)}`);
  return {
    engine: session.engine,
    scale: plan.scale,
    run: plan.run,
    workload: w.id,
    ms: timed.ms,
    longTasks: timed.longTasks,
    rowCount: checksum.rows,
    steps: timed.steps,
    checksum,
  };
}

async function queryOne(session: EngineSession, w: QueryWorkload, plan: RunPlan): Promise<Measurement[]> {
  const firstMs = await step(session, plan, session.warmUp(w), `${w.label} (warm-up)`);
  const ways: QueryVariant[] = [session, ...(session.queryVariants ?? [])];
  const times = new Map<QueryVariant, Timed[]>(ways.map((way) => [way, []]));
  const checked = new Map<QueryVariant, { rowCount: number; checksum: Checksum }>();
  for (let rep = 0; rep < plan.reps; rep++) {
    // Ways take turns going first, so none always runs right after another's work.
    const order = (plan.run + rep) % 2 === 0 ? [...ways].reverse() : ways;
    for (const way of order) {
      const timed = await step(way, plan, way.query(w), `${w.label} (${way.engine})`);
      times.get(way)!.push(timed);
      // The result is checked once per run; later repetitions only confirm the row count.
      const seen = checked.get(way);
      if (!seen) {
        const checksum = await step(way, plan, way.resultChecksum(), `${w.label} (${way.engine}, checksum)`);
        if (checksum.rows !== timed.rowCount) {
          throw new Error(`${way.engine} ${w.label}: reported ${timed.rowCount} rows but its result holds ${checksum.rows}`);
        }
        checked.set(way, { rowCount: timed.rowCount, checksum });
      } else if (seen.rowCount !== timed.rowCount) {
        throw new Error(`${way.engine} ${w.label}: ${timed.rowCount} rows this time, ${seen.rowCount} before`);
      }
      await step(way, plan, way.releaseResult(), `${w.label} (${way.engine}, release)`);
    }
  }
  return ways.map((way) => {
    const runs = times.get(way)!;
    const mid = medianTimed(runs);
    const { rowCount, checksum } = checked.get(way)!;
    plan.log(`  ${way.engine} ${plan.scale} run ${plan.run}: ${w.label} ${fmtMs(mid.ms)} (${rowCount} rows)`);
    return {
      engine: way.engine,
      scale: plan.scale,
      run: plan.run,
      workload: w.id,
      ms: mid.ms,
      repsMs: runs.map((t) => t.ms),
      longTasks: mid.longTasks,
      rowCount,
      steps: mid.steps,
      firstMs: way === session ? firstMs : undefined,
      checksum,
    };
  });
}

/** The repetition with the median time (its long tasks and steps come with it). */
function medianTimed(runs: Timed[]): Timed {
  const sorted = [...runs].sort((a, b) => a.ms - b.ms);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

export function fmtMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

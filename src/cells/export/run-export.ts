import type { Table } from 'apache-arrow';
import type { ColumnInfo, Engine } from '../../engine/engine';
import { LakebookError, isLakebookError } from '../../engine/errors';
import { quoteIdent } from '../../engine/table-naming';
import { isStorageError } from '../../storage/errors';
import type { ExportTarget } from '../../storage/export/target';
import { buildManifest, MANIFEST_FILE, statValue, SUCCESS_FILE, type ColumnStats, type ExportManifest, type ManifestFile } from './manifest';
import type { ExportSpec } from './options';
import { dataFilePath } from './partition-path';
import {
  dictionaryColumns,
  groupsReadSql,
  groupsSql,
  hasMinMax,
  isSingleFile,
  packPasses,
  parseMemoryLimit,
  passBudget,
  passSql,
  planExport,
  type ExportPlan,
  type ExportSource,
} from './plan';
import { Sha256 } from './sha256';
import { createCsvWriter, createNdjsonWriter, type TextWriter } from './text-writers';

export interface ExportProgress {
  phase: 'planning' | 'writing' | 'finishing' | 'done';
  rows: number;
  totalRows: number;
  bytes: number;
  files: number;
  totalFiles: number;
  elapsedMs: number;
  /** Rows written per second since the first row was read. */
  rowsPerSecond: number;
  file: string | undefined;
}

export interface ExportRequest {
  engine: Engine;
  spec: ExportSpec;
  target: ExportTarget;
  signal?: AbortSignal;
  onProgress?: (progress: ExportProgress) => void;
  now?: () => Date;
}

export interface ExportOutcome {
  manifest: ExportManifest;
  /** Where the files are, in words. */
  target: string;
  passes: number;
  elapsedMs: number;
  rowsPerSecond: number;
}

const EXPORT_SCHEMA = 'lakebook_export';
const PROGRESS_EVERY_MS = 150;

/** The relation, label and columns of what `spec.source` names; a clear error when it does not exist. */
export async function resolveSource(engine: Engine, source: ExportSpec['source']): Promise<ExportSource> {
  if ('table' in source) {
    const tables = await engine.listTables();
    const table = tables.find((t) => t.name === source.table) ?? tables.find((t) => t.name.toLowerCase() === source.table.toLowerCase());
    if (!table) {
      const known = tables.map((t) => t.name);
      throw new LakebookError(
        'invalid-option',
        `There is no table ${source.table} to export.${known.length > 0 ? ` The tables are: ${known.join(', ')}.` : ' Add a file or run the cell that defines it first.'}`,
      );
    }
    return { relation: quoteIdent(table.name), label: table.name, columns: table.columns };
  }
  const sql = source.sql.replace(/;\s*$/, '');
  const described = await engine.query(`DESCRIBE ${sql}`).catch((error: unknown) => {
    const detail = isLakebookError(error) ? error.userMessage : String(error);
    throw new LakebookError('binder', `The export cell's query cannot run: ${detail}`, { cause: error });
  });
  const columns: ColumnInfo[] = described.toArray().map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  return { relation: `(${sql})`, label: 'query', columns };
}

/** Exports `spec` into `target`: data files, then `_manifest.json`, then `_SUCCESS`. */
export async function runExport(request: ExportRequest): Promise<ExportOutcome> {
  const { engine, spec, target, signal } = request;
  const started = performance.now();
  const now = request.now ?? (() => new Date());
  const progress: ExportProgress = { phase: 'planning', rows: 0, totalRows: 0, bytes: 0, files: 0, totalFiles: 0, elapsedMs: 0, rowsPerSecond: 0, file: undefined };
  let writingSince: number | undefined;
  let lastReport = 0;
  const report = (force = false) => {
    const t = performance.now();
    if (!force && t - lastReport < PROGRESS_EVERY_MS) return;
    lastReport = t;
    progress.elapsedMs = t - started;
    progress.rowsPerSecond = writingSince === undefined || t === writingSince ? 0 : (progress.rows / (t - writingSince)) * 1000;
    request.onProgress?.({ ...progress });
  };
  const checkCancelled = () => {
    if (signal?.aborted) throw new LakebookError('cancelled', 'The export was stopped.');
  };

  const groupsTable = `${EXPORT_SCHEMA}.${quoteIdent(`g_${crypto.randomUUID().replace(/-/g, '')}`)}`;
  let groupsCreated = false;
  let begun = false;
  try {
    report(true);
    const source = await resolveSource(engine, spec.source);
    const plan = planExport(spec, source);
    checkCancelled();
    await target.begin();
    begun = true;

    // One aggregate over the source: each file's row count and column statistics (a single file too).
    await engine.query(`CREATE SCHEMA IF NOT EXISTS ${EXPORT_SCHEMA}`);
    await drain(engine, groupsSql(plan, groupsTable), signal);
    groupsCreated = true;
    const groups = readGroups(plan, await engine.query(groupsReadSql(plan, groupsTable))).filter((g) => g.rows > 0);
    progress.totalRows = groups.reduce((n, g) => n + g.rows, 0);
    progress.totalFiles = groups.length;

    const maxPassRows = spec.maxPassRows ?? passBudget(parseMemoryLimit(await memoryLimit(engine)), plan.dataColumns);
    const passes = isSingleFile(plan) ? [{ first: 0, last: 0, rows: progress.totalRows }] : packPasses(groups.map((g) => g.rows), maxPassRows);
    const files: ManifestFile[] = [];
    const textWriter = plan.spec.format === 'csv' ? createCsvWriter(plan.dataColumns, spec.csv) : plan.spec.format === 'ndjson' ? createNdjsonWriter(plan.dataColumns) : undefined;
    progress.phase = 'writing';
    writingSince = performance.now();
    report(true);

    const byNumber = new Map(groups.map((g) => [g.g, g]));
    for (const pass of groups.length === 0 ? [] : passes) {
      checkCancelled();
      let current: { group: Group; file: OpenDataFile; path: string; rows: number } | undefined;
      const finishCurrent = async () => {
        if (!current) return;
        const { group, file, path, rows } = current;
        current = undefined;
        const written = await file.finish();
        if (rows !== group.rows) {
          throw new LakebookError('internal', `${path} got ${rows} rows where ${group.rows} were counted: the source changed while it was exported. Export again.`);
        }
        files.push({ path, rows, bytes: written.bytes, sha256: written.sha256, partition: partitionRecord(plan, group), ...(group.bucket === undefined ? {} : { bucket: group.bucket }), stats: group.stats });
        progress.files = files.length;
      };
      try {
        const sql = passSql(plan, isSingleFile(plan) ? undefined : { table: groupsTable, first: pass.first, last: pass.last });
        for await (const batch of engine.stream(sql, signal ? { signal } : {})) {
          for (const run of runsOf(batch, plan.dataColumns.length)) {
            if (current?.group.g !== run.g) {
              await finishCurrent();
              checkCancelled();
              const group = byNumber.get(run.g);
              if (!group) throw new LakebookError('internal', `The export met rows of file number ${run.g}, which the plan does not have: the source changed while it was exported. Export again.`);
              const path = dataFilePath(group.partition, group.bucket, plan.extension, spec.nullPartition);
              progress.file = path;
              const file = await openDataFile(engine, target, plan, path, textWriter, dictionaryColumns(plan, group.rows, group.distinct), (n) => (progress.bytes += n));
              current = { group, path, rows: 0, file };
            }
            await current.file.push(run.rows);
            current.rows += run.rows.numRows;
            progress.rows += run.rows.numRows;
            report();
          }
        }
        await finishCurrent();
      } catch (error) {
        await current?.file.abandon(error);
        throw error;
      }
    }

    checkCancelled();
    progress.phase = 'finishing';
    report(true);
    const manifest = buildManifest(plan, files, now());
    await writeWhole(target, MANIFEST_FILE, new TextEncoder().encode(JSON.stringify(manifest, null, 2) + '\n'));
    checkCancelled();
    await writeWhole(target, SUCCESS_FILE, new Uint8Array(0));
    await target.commit();
    progress.phase = 'done';
    report(true);
    const elapsedMs = performance.now() - started;
    return { manifest, target: target.description, passes: passes.length, elapsedMs, rowsPerSecond: progress.rowsPerSecond };
  } catch (error) {
    if (begun) await target.abort(error);
    throw exportError(error, signal, target);
  } finally {
    if (groupsCreated) await engine.query(`DROP TABLE IF EXISTS ${groupsTable}`).catch(() => undefined);
  }
}

interface Group {
  g: number;
  rows: number;
  partition: { key: string; value: string | null }[];
  bucket: number | undefined;
  stats: Record<string, ColumnStats>;
  /** Approximate distinct values per scalar column. */
  distinct: Record<string, number>;
}

function readGroups(plan: ExportPlan, table: Table): Group[] {
  return table.toArray().map((row) => {
    const r = row as Record<string, unknown>;
    const stats: Record<string, ColumnStats> = {};
    const distinct: Record<string, number> = {};
    const rows = Number(r.__lb_n);
    plan.dataColumns.forEach((c, j) => {
      const nonNull = Number(r[`__lb_cnt${j}`]);
      if (hasMinMax(c)) distinct[c.name] = Number(r[`__lb_nd${j}`]);
      stats[c.name] = hasMinMax(c)
        ? { min: statValue(r[`__lb_min${j}`] as string | null, c.type), max: statValue(r[`__lb_max${j}`] as string | null, c.type), null_count: rows - nonNull }
        : { null_count: rows - nonNull };
    });
    return {
      g: Number(r.__lb_g),
      rows,
      partition: plan.keys.map((k, i) => ({ key: k.name, value: (r[`__lb_t${i}`] as string | null) ?? null })),
      bucket: plan.bucket ? Number(r.__lb_b) : undefined,
      stats,
      distinct,
    };
  });
}

function partitionRecord(plan: ExportPlan, group: Group): Record<string, string | null> {
  return Object.fromEntries(plan.keys.map((k, i) => [k.name, group.partition[i]?.value ?? null]));
}

/** Runs of equal file numbers in a batch (it is ordered by file number), each without the `__lb_g` column. */
function* runsOf(batch: Table, dataColumnCount: number): Generator<{ g: number; rows: Table }> {
  const numbers = batch.getChild('__lb_g')!.toArray() as Int32Array | number[];
  const keep = Array.from({ length: dataColumnCount }, (_, i) => i);
  let start = 0;
  for (let i = 1; i <= batch.numRows; i++) {
    if (i === batch.numRows || numbers[i] !== numbers[start]) {
      const rows = start === 0 && i === batch.numRows ? batch : batch.slice(start, i);
      yield { g: Number(numbers[start]), rows: rows.selectAt(keep) };
      start = i;
    }
  }
}

interface OpenDataFile {
  push(rows: Table): Promise<void>;
  finish(): Promise<{ bytes: number; sha256: string }>;
  /** Stops feeding the writer after a failure elsewhere; never throws. */
  abandon(reason: unknown): Promise<void>;
}

async function openDataFile(
  engine: Engine,
  target: ExportTarget,
  plan: ExportPlan,
  path: string,
  textWriter: TextWriter | undefined,
  dictionary: readonly string[],
  onBytes: (n: number) => void,
): Promise<OpenDataFile> {
  const file = await target.openFile(path, { compressible: plan.spec.format !== 'parquet' });
  const hash = new Sha256();
  let bytes = 0;
  const put = async (chunk: Uint8Array) => {
    if (chunk.byteLength === 0) return;
    hash.update(chunk);
    bytes += chunk.byteLength;
    onBytes(chunk.byteLength);
    await file.write(chunk);
  };
  const done = async () => {
    await file.close();
    return { bytes, sha256: hash.hex() };
  };
  if (textWriter) {
    await put(textWriter.header());
    return { push: (rows) => put(textWriter.rows(rows)), finish: done, abandon: async () => undefined };
  }
  const channel = new BatchChannel();
  const pump = (async () => {
    for await (const chunk of engine.writeParquet(channel, { ...plan.spec.parquet, dictionaryColumns: dictionary })) await put(chunk);
  })();
  // A failed pump must reach a push that is waiting for room, not hang it.
  pump.catch((error: unknown) => channel.fail(error));
  return {
    push: (rows) => channel.push(rows),
    async finish() {
      channel.close();
      await pump;
      return done();
    },
    async abandon(reason) {
      channel.fail(reason);
      await pump.catch(() => undefined);
    },
  };
}

/**
 * Hands batches from the pass loop to the Parquet writer, which pulls them: at most 16 wait (about
 * 32k rows), so the loop slows to the writer's pace and memory holds a few batches, not the file.
 */
export class BatchChannel implements AsyncIterable<Table> {
  private readonly queue: Table[] = [];
  private closed = false;
  private failure: { error: unknown } | undefined;
  private changed: (() => void) | undefined;
  /** Enough for DuckDB to read ahead while the writer compresses (they run in different workers). */
  private readonly capacity = 16;

  private wait(): Promise<void> {
    return new Promise((resolve) => {
      const previous = this.changed;
      this.changed = () => {
        previous?.();
        resolve();
      };
    });
  }

  private notify(): void {
    const c = this.changed;
    this.changed = undefined;
    c?.();
  }

  async push(batch: Table): Promise<void> {
    while (!this.failure && this.queue.length >= this.capacity) await this.wait();
    if (this.failure) throw this.failure.error;
    this.queue.push(batch);
    this.notify();
  }

  close(): void {
    this.closed = true;
    this.notify();
  }

  fail(error: unknown): void {
    this.failure ??= { error };
    this.notify();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Table> {
    for (;;) {
      if (this.failure) throw this.failure.error;
      const next = this.queue.shift();
      if (next) {
        this.notify();
        yield next;
        continue;
      }
      if (this.closed) return;
      await this.wait();
    }
  }
}

async function writeWhole(target: ExportTarget, path: string, bytes: Uint8Array): Promise<void> {
  const file = await target.openFile(path, { compressible: true });
  if (bytes.byteLength > 0) await file.write(bytes);
  await file.close();
}

async function drain(engine: Engine, sql: string, signal: AbortSignal | undefined): Promise<void> {
  for await (const _ of engine.stream(sql, signal ? { signal } : {})) {
    // A CREATE TABLE … AS yields nothing worth keeping; the stream is what makes it cancellable.
  }
}

async function memoryLimit(engine: Engine): Promise<string> {
  const row = (await engine.query("SELECT current_setting('memory_limit') AS m")).toArray()[0] as { m?: unknown } | undefined;
  return String(row?.m ?? '');
}

function exportError(error: unknown, signal: AbortSignal | undefined, target: ExportTarget): LakebookError {
  if (signal?.aborted || (isLakebookError(error) && error.code === 'cancelled')) {
    return new LakebookError('cancelled', `The export was stopped. Nothing was finished: ${target.description} holds no _SUCCESS${target.kind === 'zip' ? ' (the download was cancelled)' : ', and the files written so far were removed'}.`, { cause: error });
  }
  if (isLakebookError(error)) return error;
  if (isStorageError(error)) {
    return new LakebookError(error.code === 'cancelled' ? 'cancelled' : 'write-failed', error.userMessage, { cause: error });
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new LakebookError('internal', `The export failed: ${detail}`, { cause: error });
}

import type { ColumnInfo } from '../../engine/engine';
import { LakebookError } from '../../engine/errors';
import { quoteIdent } from '../../engine/table-naming';
import { resolveColumn } from '../../lake/layout/advisor';
import { bucketSql } from '../../lake/layout/bucket';
import { zorderKeySelect } from '../../lake/layout/zorder';
import { checkLayout, type DatePart, type ExportSpec, type SortKey } from './options';
import type { FileExtension } from './partition-path';
import { isNestedType, textSelectList } from './text-writers';

/**
 * How an export runs, decided before any data moves:
 *
 * 1. One grouping query (`groupsSql`) counts the rows of every output file (one per partition value,
 *    times the bucket) and takes each file's column statistics, into a small table numbered in path
 *    order (`__lb_g`).
 * 2. The files are cut into *passes* of whole files, each at most `maxPassRows` rows. A pass is one
 *    query (`passSql`) that joins the rows to their file number, keeps the pass's files and orders by
 *    file number, then by the sort or Z-order key. DuckDB sorts at most one pass at a time, and the
 *    page sees one batch at a time, so a table larger than the engine's memory still exports, one
 *    pass after another.
 * 3. The batches of a pass are split where the file number changes, each run goes to its file.
 *
 * An export without partitions, buckets or order is a single query that streams without sorting.
 */

export interface ExportSource {
  /** A relation in SQL: a quoted table name or a parenthesized query. */
  relation: string;
  /** The name in messages and in the manifest: the table, or `query`. */
  label: string;
  columns: ColumnInfo[];
}

export interface PartitionColumn {
  /** The key in the path (`region`, `year`). */
  name: string;
  /** SQL computing the key from a source row. */
  expr: string;
  column: string;
  transform: 'identity' | DatePart;
  /** DuckDB's type of the key. */
  type: string;
}

export type Ordering =
  | { kind: 'none' }
  | { kind: 'sort'; keys: SortKey[] }
  | { kind: 'zorder'; columns: string[] };

export interface ExportPlan {
  spec: ExportSpec;
  source: ExportSource;
  keys: PartitionColumn[];
  bucket: { column: string; count: number; expr: string } | undefined;
  /** What each file holds: the source's columns minus the partition columns. */
  dataColumns: ColumnInfo[];
  ordering: Ordering;
  extension: FileExtension;
}

const TEMPORAL = /^(DATE|TIMESTAMP(_S|_MS|_NS)?|TIMESTAMP WITH TIME ZONE|TIMESTAMPTZ|DATETIME)$/i;
const ZONED = /^(TIMESTAMP WITH TIME ZONE|TIMESTAMPTZ)$/i;

function invalid(message: string): LakebookError {
  return new LakebookError('invalid-option', message);
}

export function planExport(spec: ExportSpec, source: ExportSource): ExportPlan {
  const columns = source.columns;
  if (columns.length === 0) throw invalid(`${source.label} has no columns to export.`);
  const typeOf = (name: string) => columns.find((c) => c.name === name)!.type;

  const keys: PartitionColumn[] = spec.partitionBy.map((key) => {
    if (key.kind === 'column') {
      const exact = columns.find((c) => c.name === key.column) ?? columns.find((c) => c.name.toLowerCase() === key.column.toLowerCase());
      if (exact) return { name: exact.name, expr: quoteIdent(exact.name), column: exact.name, transform: 'identity', type: exact.type };
      const part = key.column.toLowerCase();
      if (part !== 'year' && part !== 'month' && part !== 'day') resolveColumn(key.column, columns, 'partition_by');
      return datePart(part as DatePart, spec.dateColumn ?? undefined);
    }
    return datePart(key.part, key.column ?? spec.dateColumn);
  });

  function datePart(part: DatePart, column: string | undefined): PartitionColumn {
    let name: string;
    if (column === undefined) {
      const temporal = columns.filter((c) => TEMPORAL.test(c.type));
      if (temporal.length !== 1) {
        throw invalid(
          temporal.length === 0
            ? `partition_by ${part}: ${source.label} has no date or timestamp column (and no column named ${part}).`
            : `partition_by ${part}: say which date column, e.g. ${part}(${temporal[0]!.name}) or date_column=${temporal[0]!.name}; there are ${temporal.map((c) => c.name).join(', ')}.`,
        );
      }
      name = temporal[0]!.name;
    } else {
      name = resolveColumn(column, columns, `partition_by ${part}()`);
    }
    const type = typeOf(name);
    if (!TEMPORAL.test(type)) throw invalid(`partition_by ${part}(${name}): ${name} is ${type}, not a date or timestamp.`);
    // Without the ICU extension (unavailable offline) year() of a TIMESTAMPTZ cannot run: take it in UTC.
    const value = ZONED.test(type) ? `CAST(${quoteIdent(name)} AS TIMESTAMP)` : quoteIdent(name);
    return { name: part, expr: `${part}(${value})`, column: name, transform: part, type: 'BIGINT' };
  }

  const keyNames = keys.map((k) => k.name.toLowerCase());
  const duplicate = keyNames.find((n, i) => keyNames.indexOf(n) !== i);
  if (duplicate) throw invalid(`partition_by names ${duplicate} twice.`);
  const partitioned = new Set(keys.filter((k) => k.transform === 'identity').map((k) => k.column));
  const dataColumns = columns.filter((c) => !partitioned.has(c.name));
  if (dataColumns.length === 0) throw invalid('Every column is a partition column: the files would hold nothing. Partition by fewer columns.');
  for (const key of keys) {
    if (key.transform !== 'identity' && dataColumns.some((c) => c.name.toLowerCase() === key.name)) {
      throw invalid(`partition_by ${key.name}(${key.column}): ${source.label} already has a column named ${key.name}, and a reader could not tell the two apart. Partition by that column instead, or rename it.`);
    }
  }

  const notAKey = (name: string, option: string) => {
    if (partitioned.has(name)) throw invalid(`${option} names ${name}, a partition column: it is constant within each file.`);
    return name;
  };
  let bucket: ExportPlan['bucket'];
  if (spec.buckets) {
    if (spec.buckets.count < 1) throw invalid(`buckets must be at least 1, not ${spec.buckets.count}.`);
    const column = notAKey(resolveColumn(spec.buckets.column, columns, 'bucket_by'), 'bucket_by');
    bucket = { column, count: spec.buckets.count, expr: bucketSql(quoteIdent(column), spec.buckets.count) };
  }

  checkLayout(spec.sortBy, spec.zorderBy);
  let ordering: Ordering = { kind: 'none' };
  if (spec.sortBy.length > 0) {
    ordering = { kind: 'sort', keys: spec.sortBy.map((k) => ({ column: notAKey(resolveColumn(k.column, columns, 'sort_by'), 'sort_by'), descending: k.descending })) };
  } else if (spec.zorderBy.length > 0) {
    const zcolumns = spec.zorderBy.map((c) => notAKey(resolveColumn(c, columns, 'zorder_by'), 'zorder_by'));
    if (new Set(zcolumns).size !== zcolumns.length) throw invalid('zorder_by names a column twice.');
    const nested = zcolumns.find((c) => isNestedType(typeOf(c)));
    if (nested) throw invalid(`zorder_by ${nested}: lists, structs and maps have no order to interleave.`);
    ordering = { kind: 'zorder', columns: zcolumns };
  }

  return { spec, source, keys, bucket, dataColumns, ordering, extension: spec.format };
}

/** Whether the export needs file numbers at all (else one file, straight from the source). */
export function isSingleFile(plan: ExportPlan): boolean {
  return plan.keys.length === 0 && !plan.bucket;
}

/** Column statistics are taken for scalar columns; nested ones get their NULL count only. */
export function hasMinMax(column: ColumnInfo): boolean {
  return !isNestedType(column.type);
}

/**
 * Creates `table`: one row per output file, numbered (`__lb_g`) in path order, with its partition
 * values (`__lb_k<i>`), bucket (`__lb_b`), row count (`__lb_n`) and per data column min, max (as text),
 * non-NULL count and approximate distinct count (which columns get a Parquet dictionary).
 */
export function groupsSql(plan: ExportPlan, table: string): string {
  const keys = plan.keys.map((k, i) => `${k.expr} AS __lb_k${i}`);
  if (plan.bucket) keys.push(`${plan.bucket.expr} AS __lb_b`);
  const stats = plan.dataColumns.flatMap((c, j) => {
    const q = quoteIdent(c.name);
    const minMax = hasMinMax(c)
      ? [`CAST(min(${q}) AS VARCHAR) AS __lb_min${j}`, `CAST(max(${q}) AS VARCHAR) AS __lb_max${j}`, `approx_count_distinct(${q}) AS __lb_nd${j}`]
      : [];
    return [...minMax, `count(${q}) AS __lb_cnt${j}`];
  });
  const order = [...plan.keys.map((_, i) => `__lb_k${i} ASC NULLS LAST`), ...(plan.bucket ? ['__lb_b'] : [])];
  const grouped = `SELECT ${[...keys, 'count(*) AS __lb_n', ...stats].join(', ')} FROM ${plan.source.relation}${keys.length > 0 ? ' GROUP BY ALL' : ''}`;
  return `CREATE TABLE ${table} AS SELECT (row_number() OVER (${order.length > 0 ? `ORDER BY ${order.join(', ')}` : ''}) - 1)::INTEGER AS __lb_g, * FROM (${grouped})`;
}

/** Reads the groups back, partition values as text (`__lb_t<i>`), in file order. */
export function groupsReadSql(plan: ExportPlan, table: string): string {
  const texts = plan.keys.map((_, i) => `, CAST(__lb_k${i} AS VARCHAR) AS __lb_t${i}`).join('');
  return `SELECT *${texts} FROM ${table} ORDER BY __lb_g`;
}

function selectList(plan: ExportPlan): string {
  return plan.spec.format === 'parquet'
    ? plan.dataColumns.map((c) => quoteIdent(c.name)).join(', ')
    : textSelectList(plan.dataColumns, plan.spec.format, quoteIdent).join(', ');
}

function orderBy(plan: ExportPlan): string[] {
  const o = plan.ordering;
  // Qualified, so that a CSV's `CAST(id AS VARCHAR) AS id` does not turn a numeric order into a text order.
  if (o.kind === 'sort') return o.keys.map((k) => `__lb_r.${quoteIdent(k.column)} ${k.descending ? 'DESC' : 'ASC'} NULLS LAST`);
  if (o.kind === 'zorder') return ['__lb_r.__lb_zk'];
  return [];
}

/**
 * The query for one pass: the data columns (as the format wants them) and `__lb_g`, ordered by file
 * and within a file by the sort or Z-order key. `groups` is undefined for a single-file export.
 */
export function passSql(plan: ExportPlan, groups: { table: string; first: number; last: number } | undefined): string {
  let rows: string;
  if (!groups) {
    rows = `SELECT *, 0 AS __lb_g FROM ${plan.source.relation}`;
  } else {
    const keys = plan.keys.map((k, i) => `${k.expr} AS __lb_k${i}`);
    if (plan.bucket) keys.push(`${plan.bucket.expr} AS __lb_b`);
    const on = [
      ...plan.keys.map((_, i) => `s.__lb_k${i} IS NOT DISTINCT FROM g.__lb_k${i}`),
      ...(plan.bucket ? ['s.__lb_b = g.__lb_b'] : []),
    ].join(' AND ');
    const range = groups.first === groups.last ? `g.__lb_g = ${groups.first}` : `g.__lb_g BETWEEN ${groups.first} AND ${groups.last}`;
    rows = `SELECT s.*, g.__lb_g FROM (SELECT *, ${keys.join(', ')} FROM ${plan.source.relation}) s JOIN ${groups.table} g ON ${on} WHERE ${range}`;
  }
  if (plan.ordering.kind === 'zorder') {
    rows = zorderKeySelect({
      source: rows,
      columns: plan.ordering.columns.map(quoteIdent),
      partitionBy: groups ? ['__lb_g'] : [],
      keyAlias: '__lb_zk',
    });
  }
  const order = [...(groups && groups.first !== groups.last ? ['__lb_r.__lb_g'] : []), ...orderBy(plan)];
  return `SELECT ${selectList(plan)}, __lb_g FROM (${rows}) __lb_r${order.length > 0 ? ` ORDER BY ${order.join(', ')}` : ''}`;
}

/** Cuts files (in order, with their row counts) into passes of whole files, each at most `maxRows` rows unless one file alone is more. */
export function packPasses(rowsPerFile: readonly number[], maxRows: number): { first: number; last: number; rows: number }[] {
  const passes: { first: number; last: number; rows: number }[] = [];
  rowsPerFile.forEach((n, g) => {
    const current = passes.at(-1);
    if (current && current.rows + n <= maxRows) {
      current.last = g;
      current.rows += n;
    } else passes.push({ first: g, last: g, rows: n });
  });
  return passes;
}

const UNITS: Record<string, number> = { B: 1, BYTES: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KIB: 2 ** 10, MIB: 2 ** 20, GIB: 2 ** 30, TIB: 2 ** 40 };

/** DuckDB's `memory_limit` setting (`3.1 GiB`) in bytes; undefined when it cannot be read. */
export function parseMemoryLimit(text: string): number | undefined {
  const m = /^\s*([\d.]+)\s*([KMGT]?i?B|bytes)\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = UNITS[m[2]!.toUpperCase()];
  return unit === undefined ? undefined : Number(m[1]) * unit;
}

/** A rough in-memory width of a row, for the pass budget: fixed widths, 32 bytes for variable ones. */
export function estimateRowBytes(columns: readonly ColumnInfo[]): number {
  return columns.reduce((sum, c) => {
    const t = c.type.toUpperCase();
    if (/^(BOOLEAN|TINYINT|UTINYINT)$/.test(t)) return sum + 1;
    if (/^(SMALLINT|USMALLINT)$/.test(t)) return sum + 2;
    if (/^(INTEGER|UINTEGER|FLOAT|REAL|DATE)$/.test(t)) return sum + 4;
    if (/^(BIGINT|UBIGINT|DOUBLE|TIMESTAMP|TIME)/.test(t)) return sum + 8;
    if (/^(HUGEINT|UHUGEINT|UUID|INTERVAL|DECIMAL)/.test(t)) return sum + 16;
    return sum + 32;
  }, 16);
}

/**
 * Rows one pass may sort: a quarter of the engine's memory limit (sorting needs about twice the
 * data, and the rest of the notebook keeps its tables), so a pass stays within half the limit.
 */
export function passBudget(memoryLimitBytes: number | undefined, columns: readonly ColumnInfo[]): number {
  const limit = memoryLimitBytes ?? 1024 ** 3;
  return Math.max(10_000, Math.floor(limit / 4 / estimateRowBytes(columns)));
}

/**
 * Columns worth a Parquet dictionary in a file of `rows` rows: few distinct values (at most a quarter
 * of the rows, and at most 65,536, so the dictionary page stays small). Nested columns get none.
 */
export function dictionaryColumns(plan: ExportPlan, rows: number, distinct: Readonly<Record<string, number>>): string[] {
  return plan.dataColumns
    .filter((c) => {
      const n = distinct[c.name];
      return hasMinMax(c) && n !== undefined && n <= 65_536 && n <= rows / 4;
    })
    .map((c) => c.name);
}

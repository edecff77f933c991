import type { ColumnInfo, Engine } from '../../engine/engine';
import { LakebookError } from '../../engine/errors';
import { quoteIdent } from '../../engine/table-naming';
import { mayMatchSql, parsePredicate, PredicateError, predicateSql, type Comparison } from './predicate';
import { MAX_ZORDER_COLUMNS, zorderKeySelect } from './zorder';

/**
 * The layout advisor: for a table and a predicate, how many row groups a reader that skips by
 * min/max statistics must read, if the rows were written
 *
 * - `current`: in the order the table holds them now,
 * - `sorted`: sorted by the sort columns (lexicographically; by default the predicate's columns),
 * - `zorder`: by the Z-order key of the Z-order columns (by default the predicate's, at most 4),
 *
 * in row groups of `rowGroupSize` rows. The answer is computed by DuckDB over the real rows: it lays
 * them out each way, takes each row group's min/max, and applies the same test a Parquet reader does.
 */

export type LayoutName = 'current' | 'sorted' | 'zorder';

export interface LayoutEstimate {
  layout: LayoutName;
  /** The columns that order this layout (none for `current`). */
  columns: string[];
  rowGroups: number;
  /** Row groups whose min/max range does not rule the predicate out: what a reader reads. */
  touched: number;
  /** Row groups that really hold a matching row: the least any reader must read in this layout. */
  withMatches: number;
}

export interface AdvisorResult {
  rows: number;
  matchingRows: number;
  rowGroupSize: number;
  comparisons: Comparison[];
  layouts: LayoutEstimate[];
  /** The layout that touches the fewest row groups (the earlier one on a tie: current, sorted, zorder). */
  best: LayoutName;
}

export interface AdvisorRequest {
  /** A relation: a quoted table name, or a parenthesized query. */
  source: string;
  /** The source's columns, to check the names the predicate uses. */
  columns: readonly ColumnInfo[];
  predicate: string;
  rowGroupSize: number;
  sortBy?: readonly string[];
  zorderBy?: readonly string[];
  signal?: AbortSignal;
}

/** Resolves a column name as DuckDB would (case-insensitively), or fails with the names there are. */
export function resolveColumn(name: string, columns: readonly ColumnInfo[], what: string): string {
  const exact = columns.find((c) => c.name === name) ?? columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
  if (!exact) {
    const known = columns.map((c) => c.name).join(', ');
    throw new LakebookError('invalid-option', `${what}: there is no column "${name}". The columns are: ${known}.`);
  }
  return exact.name;
}

export async function adviseLayout(engine: Pick<Engine, 'stream'>, request: AdvisorRequest): Promise<AdvisorResult> {
  let comparisons: Comparison[];
  try {
    comparisons = parsePredicate(request.predicate);
  } catch (error) {
    if (error instanceof PredicateError) throw new LakebookError('invalid-option', `Layout advisor: ${error.message}`, { cause: error });
    throw error;
  }
  comparisons = comparisons.map((c) => ({ ...c, column: resolveColumn(c.column, request.columns, 'Layout advisor predicate') }));
  const rowGroupSize = request.rowGroupSize;
  if (!Number.isInteger(rowGroupSize) || rowGroupSize < 1) {
    throw new LakebookError('invalid-option', `Layout advisor: the row group size must be a whole number of rows ≥ 1, not ${rowGroupSize}.`);
  }
  const predicateColumns = [...new Set(comparisons.map((c) => c.column))];
  const sortBy = (request.sortBy?.length ? request.sortBy : predicateColumns).map((c) => resolveColumn(c, request.columns, 'Sort columns'));
  const zorderBy = (request.zorderBy?.length ? request.zorderBy : predicateColumns)
    .map((c) => resolveColumn(c, request.columns, 'Z-order columns'))
    .slice(0, MAX_ZORDER_COLUMNS);

  const needed = [...new Set([...predicateColumns, ...sortBy, ...zorderBy])];
  const base = `SELECT ${needed.map(quoteIdent).join(', ')} FROM ${request.source}`;
  const orderings: { layout: LayoutName; columns: string[]; numbered: string }[] = [
    { layout: 'current', columns: [], numbered: `SELECT *, row_number() OVER () - 1 AS __lb_rn FROM (${base})` },
    {
      layout: 'sorted',
      columns: sortBy,
      numbered: `SELECT *, row_number() OVER (ORDER BY ${sortBy.map((c) => `${quoteIdent(c)} ASC NULLS LAST`).join(', ')}) - 1 AS __lb_rn FROM (${base})`,
    },
  ];
  // One column Z-ordered is that column sorted.
  if (zorderBy.length >= 2) {
    const keyed = zorderKeySelect({ source: base, columns: zorderBy.map(quoteIdent), keyAlias: '__lb_zk' });
    orderings.push({ layout: 'zorder', columns: zorderBy, numbered: `SELECT *, row_number() OVER (ORDER BY __lb_zk) - 1 AS __lb_rn FROM (${keyed})` });
  }

  const layouts: LayoutEstimate[] = [];
  let rows = 0;
  let matchingRows = 0;
  for (const ordering of orderings) {
    const stats = predicateColumns.flatMap((c, i) => [`min(${quoteIdent(c)}) AS __lb_lo${i}`, `max(${quoteIdent(c)}) AS __lb_hi${i}`]);
    const index = (c: string) => predicateColumns.indexOf(c);
    const groups = `SELECT __lb_rn // ${rowGroupSize} AS g, count(*) AS n, count(*) FILTER (WHERE ${predicateSql(comparisons, quoteIdent)}) AS m, ${stats.join(', ')} FROM (${ordering.numbered}) GROUP BY g`;
    const may = mayMatchSql(comparisons, (c) => `__lb_lo${index(c)}`, (c) => `__lb_hi${index(c)}`);
    const sql = `SELECT count(*)::BIGINT AS groups, (count(*) FILTER (WHERE ${may}))::BIGINT AS touched, (count(*) FILTER (WHERE m > 0))::BIGINT AS with_matches, coalesce(sum(n), 0)::BIGINT AS rows, coalesce(sum(m), 0)::BIGINT AS matching FROM (${groups})`;
    let row: Record<string, unknown> | undefined;
    for await (const batch of engine.stream(sql, request.signal ? { signal: request.signal } : {})) {
      row ??= batch.toArray()[0]?.toJSON() as Record<string, unknown> | undefined;
    }
    if (!row) throw new LakebookError('internal', 'Layout advisor: the statistics query returned nothing.');
    rows = Number(row.rows);
    matchingRows = Number(row.matching);
    layouts.push({
      layout: ordering.layout,
      columns: ordering.columns,
      rowGroups: Number(row.groups),
      touched: Number(row.touched),
      withMatches: Number(row.with_matches),
    });
  }
  const best = layouts.reduce((a, b) => (b.touched < a.touched ? b : a)).layout;
  return { rows, matchingRows, rowGroupSize, comparisons, layouts, best };
}

/** Running the quality layer's SQL through the engine: cancellable, rows as plain objects. */
import type { Engine } from '../engine/engine';
import { isLakebookError, LakebookError } from '../engine/errors';
import type { TableSchema } from './compile';
import { relationOf } from './sql';

/** What the quality layer needs from the engine: cancellable queries (the user connection). */
export type QueryEngine = Pick<Engine, 'stream'>;

export type Query = (sql: string) => Promise<Record<string, unknown>[]>;

/** A query function that records what it ran and stops when `signal` aborts. */
export function createQuery(engine: QueryEngine, signal: AbortSignal | undefined, statements: string[], stopped = 'The check was stopped.'): Query {
  return async (sql) => {
    if (signal?.aborted) throw new LakebookError('cancelled', stopped);
    statements.push(sql);
    const rows: Record<string, unknown>[] = [];
    for await (const batch of engine.stream(sql, { signal })) {
      for (const row of batch) rows.push(row.toJSON() as Record<string, unknown>);
    }
    return rows;
  };
}

/** The columns of a table or view, and whether its rows have positions (`rowid`). */
export async function describeTable(query: Query, table: string): Promise<TableSchema> {
  const relation = relationOf(table);
  if (relation.name === '') throw new LakebookError('syntax', 'This cell has no table. Add table=<name> to its first line, e.g. ```check table=orders.');
  // One cheap statement for a base table: only base tables have rowid, so a view fails to bind and is
  // described again without it. (Asking duckdb_tables() instead walks the whole catalog: 50–140 ms in
  // the browser with a notebook's result tables.)
  let described: Record<string, unknown>[];
  let base = true;
  try {
    described = (await query(`DESCRIBE SELECT *, rowid AS ${ROWID_PROBE} FROM ${relation.sql}`)).filter((r) => r['column_name'] !== ROWID_PROBE);
  } catch (error) {
    if (!isLakebookError(error) || error.code === 'cancelled') throw error;
    base = false;
    try {
      described = await query(`DESCRIBE SELECT * FROM ${relation.sql}`);
    } catch (second) {
      if (isLakebookError(second) && (second.code === 'catalog' || second.code === 'binder')) {
        throw new LakebookError('catalog', `The table "${table}" does not exist. Load a file with that name, name a SQL cell ${table}, or change table=.`, { cause: second });
      }
      throw second;
    }
  }
  const columns = described.map((r) => ({ name: String(r['column_name']), type: String(r['column_type']) }));
  return { name: table, sql: relation.sql, columns, hasRowid: base && !columns.some((c) => c.name.toLowerCase() === 'rowid') };
}

const ROWID_PROBE = '__lb_rowid_probe';

export function num(value: unknown): number {
  if (value === null || value === undefined) return 0;
  return Number(value);
}

/** A DuckDB LIST read back through Arrow. */
export function listOf(value: unknown): unknown[] {
  if (value === null || value === undefined || typeof value !== 'object' || !(Symbol.iterator in value)) return [];
  return [...(value as Iterable<unknown>)];
}

export function text(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

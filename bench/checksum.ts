// A result's checksum, computed the same way for every engine: by DuckDB itself, over the relation that
// holds what the engine produced (the loaded table; lakebook's result table; the rows raw `conn.query`
// or native `run` returned, put back into a table). Row count, and per column the non-null count and a
// sum: of the value for numeric columns, of the text length (`CAST(… AS VARCHAR)`) for the others.
// Row order does not matter. Sums are compared with a relative tolerance, because parallel and serial
// aggregation add doubles in different orders.

export interface ColumnChecksum {
  name: string;
  nonNull: number;
  sum: number;
}

export interface Checksum {
  rows: number;
  columns: ColumnChecksum[];
}

export interface DescribedColumn {
  name: string;
  type: string;
}

/** Runs SQL on one engine and returns plain row objects (numbers as JS numbers). */
export type RowsOf = (sql: string) => Promise<Record<string, unknown>[]>;

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL.*)$/i;

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function describeSql(relation: string): string {
  return `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ${relation})`;
}

export function checksumSql(relation: string, columns: DescribedColumn[]): string {
  const parts = ['CAST(count(*) AS DOUBLE) AS n'];
  columns.forEach((c, i) => {
    const col = quoteIdent(c.name);
    const value = NUMERIC.test(c.type) ? `CAST(${col} AS DOUBLE)` : `length(CAST(${col} AS VARCHAR))`;
    parts.push(`CAST(count(${col}) AS DOUBLE) AS c${i}`, `CAST(coalesce(sum(${value}), 0) AS DOUBLE) AS s${i}`);
  });
  return `SELECT ${parts.join(', ')} FROM ${relation}`;
}

/** Describes `relation` and computes its checksum with two queries on the engine behind `rows`. */
export async function checksumOf(rows: RowsOf, relation: string): Promise<Checksum> {
  const described = (await rows(describeSql(relation))).map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  const [row] = await rows(checksumSql(relation, described));
  if (!row) throw new Error(`checksum of ${relation}: no row`);
  return {
    rows: Number(row.n),
    columns: described.map((c, i) => ({ name: c.name, nonNull: Number(row[`c${i}`]), sum: Number(row[`s${i}`]) })),
  };
}

function close(a: number, b: number): boolean {
  if (a === b) return true;
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1);
}

/** Why two checksums differ, or undefined when they agree. */
export function checksumDifference(a: Checksum, b: Checksum): string | undefined {
  if (a.rows !== b.rows) return `row count ${a.rows} vs ${b.rows}`;
  const names = (c: Checksum) => c.columns.map((x) => x.name).join(', ');
  if (names(a) !== names(b)) return `columns (${names(a)}) vs (${names(b)})`;
  for (let i = 0; i < a.columns.length; i++) {
    const x = a.columns[i]!;
    const y = b.columns[i]!;
    if (x.nonNull !== y.nonNull) return `${x.name}: ${x.nonNull} vs ${y.nonNull} non-null values`;
    if (!close(x.sum, y.sum)) return `${x.name}: sum ${x.sum} vs ${y.sum}`;
  }
  return undefined;
}

/** A short, stable text for reports: rows and the sums rounded to 6 significant digits. */
export function checksumText(c: Checksum): string {
  return `${c.rows} rows; ` + c.columns.map((x) => `${x.name}=${Number(x.sum.toPrecision(6))}`).join(' ');
}

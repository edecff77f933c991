// Benchmark data, generated with native DuckDB (@duckdb/node-api) into bench/data/ (git-ignored) and
// cached: a file is written only when it is missing, through a temporary name so an interrupted run
// never leaves a half file that looks complete. Bump DATA_VERSION when a formula changes: the next run
// wipes bench/data/ and writes everything again.
//
// Every value is a function of the row number `i` of `range(i)`, through DuckDB's `hash(i, k)`: no
// randomness, the same bytes on every run (the stamp includes the DuckDB version, whose hash it is).
//
//   lineitem  TPC-H lineitem-like, 11 of its 16 columns (the long comment/instruction strings and the
//             part/supplier/line keys are left out to keep 10M rows of CSV near 1 GB). 4 lines per order.
//   orders    TPC-H orders-like, rows/4 rows, joined to lineitem on the order key.
//   sales     the seed's sales table (date, product_id, customer_id, amount, quantity, region):
//             365 days × 50 products, so the seed's batch group-by gives 18,250 groups at any scale.
//   events    the seed's events table (user_id, timestamp, action, value): timestamps strictly
//             increasing, one user per 50 events, value set for purchases and some clicks.
//
// Each at 1M and 10M rows (orders: 250k and 2.5M), as CSV (header row) and Parquet (ZSTD, row groups
// of 122,880 rows, as DuckDB writes by default). Plus sales_2m.parquet for the cold-start measurement.

import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DATA_VERSION = '1';

export const DATA_DIR = fileURLToPath(new URL('./data/', import.meta.url));

export type Scale = '1m' | '10m';
export const SCALE_ROWS: Record<Scale, number> = { '1m': 1_000_000, '10m': 10_000_000 };

export type TableName = 'lineitem' | 'orders' | 'sales' | 'events';
export const TABLES: TableName[] = ['lineitem', 'orders', 'sales', 'events'];
/** Tables that also get a CSV file (orders only exists as the join's Parquet dimension). */
export const CSV_TABLES: TableName[] = ['lineitem', 'sales', 'events'];
export type Format = 'csv' | 'parquet';

/** Rows of `table` at `scale`. */
export function rowsOf(table: TableName, scale: Scale): number {
  const n = SCALE_ROWS[scale];
  return table === 'orders' ? n / 4 : n;
}

/** File name (no folder) for a table at a scale; the app names the table after the stem. */
export function fileName(table: TableName, scale: Scale, format: Format): string {
  return `${table}_${scale}.${format}`;
}

export function dataPath(name: string): string {
  return join(DATA_DIR, name);
}

export const COLD_START_FILE = 'sales_2m.parquet';
export const COLD_START_ROWS = 2_000_000;

const SHIPMODES = ['REG AIR', 'AIR', 'RAIL', 'SHIP', 'TRUCK', 'MAIL', 'FOB'];
const PRIORITIES = ['1-URGENT', '2-HIGH', '3-MEDIUM', '4-NOT SPECIFIED', '5-LOW'];
const REGIONS = ['North', 'South', 'East', 'West', 'Central'];
const ACTIONS = ['view', 'view', 'view', 'view', 'click', 'click', 'purchase'];
const list = (values: string[]) => `[${values.map(sqlString).join(', ')}]`;

/** A pseudo-random UBIGINT for row `i` and stream `k` (DuckDB's hash: deterministic for a DuckDB version). */
const r = (k: number) => `CAST(hash(i, ${k}) >> 1 AS BIGINT)`;

function selectFor(table: TableName, rows: number): string {
  switch (table) {
    case 'lineitem':
      // Dates span 1992-01-02 .. 1998-12-01 like TPC-H; return flag and line status follow its rule
      // (R/A if received by 1995-06-17, else N; O if shipped after that day, else F): four Q1 groups.
      return `
        SELECT
          l_orderkey, l_quantity, l_extendedprice, l_discount, l_tax,
          CASE WHEN l_receiptdate <= DATE '1995-06-17' THEN (['R', 'A'])[${r(9)} % 2 + 1] ELSE 'N' END AS l_returnflag,
          CASE WHEN l_shipdate > DATE '1995-06-17' THEN 'O' ELSE 'F' END                     AS l_linestatus,
          l_shipdate, l_commitdate, l_receiptdate, l_shipmode
        FROM (
          SELECT
            i,
            i // 4 + 1                                                                  AS l_orderkey,
            CAST(${r(1)} % 50 + 1 AS DECIMAL(15, 2))                                     AS l_quantity,
            CAST((${r(2)} % 9000000 + 90000) / 100 AS DECIMAL(15, 2))                   AS l_extendedprice,
            CAST((${r(3)} % 11) / 100 AS DECIMAL(15, 2))                                AS l_discount,
            CAST((${r(4)} % 9) / 100 AS DECIMAL(15, 2))                                 AS l_tax,
            DATE '1992-01-02' + CAST(${r(5)} % 2526 AS INTEGER)                         AS l_shipdate,
            l_shipdate + (CAST(${r(6)} % 61 AS INTEGER) - 30)                           AS l_commitdate,
            l_shipdate + CAST(${r(7)} % 30 + 1 AS INTEGER)                              AS l_receiptdate,
            (${list(SHIPMODES)})[${r(8)} % 7 + 1]                                       AS l_shipmode
          FROM range(${rows}) t(i)
        )
        ORDER BY i`;
    case 'orders':
      return `
        SELECT
          i + 1                                                                          AS o_orderkey,
          CAST(${r(1)} % 150000 + 1 AS INTEGER)                                          AS o_custkey,
          CAST((${r(2)} % 50000000 + 100000) / 100 AS DECIMAL(15, 2))                   AS o_totalprice,
          DATE '1992-01-01' + CAST(${r(3)} % 2406 AS INTEGER)                           AS o_orderdate,
          (${list(PRIORITIES)})[${r(4)} % 5 + 1]                                         AS o_orderpriority
        FROM range(${rows}) t(i)
        ORDER BY i`;
    case 'sales':
      return `
        SELECT
          DATE '2024-01-01' + CAST(i % 365 AS INTEGER)                                  AS date,
          'P' || lpad(CAST(${r(1)} % 50 + 1 AS VARCHAR), 3, '0')                        AS product_id,
          CAST(${r(2)} % 50000 + 1 AS INTEGER)                                           AS customer_id,
          CAST((${r(3)} % 99991 + 100) / 100 AS DECIMAL(10, 2))                         AS amount,
          CAST(${r(4)} % 10 + 1 AS INTEGER)                                              AS quantity,
          (${list(REGIONS)})[${r(5)} % 5 + 1]                                            AS region
        FROM range(${rows}) t(i)
        ORDER BY i`;
    case 'events': {
      const users = Math.max(1, Math.floor(rows / 50));
      return `
        SELECT user_id, timestamp, action,
          CASE
            WHEN action = 'purchase' THEN CAST((${r(4)} % 49500 + 500) / 100 AS DOUBLE)
            WHEN action = 'click' AND ${r(5)} % 10 < 3 THEN CAST(${r(6)} % 5 + 1 AS DOUBLE)
          END AS value
        FROM (
          SELECT
            i,
            CAST(${r(1)} % ${users} + 1 AS INTEGER)                                      AS user_id,
            TIMESTAMP '2024-03-01 08:00:00' + to_seconds(i * 3 + ${r(2)} % 3)           AS timestamp,
            (${list(ACTIONS)})[${r(3)} % 7 + 1]                                          AS action
          FROM range(${rows}) t(i)
        )
        ORDER BY i`;
    }
  }
}

export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** Every file a run at these scales needs. */
export function filesFor(scales: Scale[]): { name: string; select: string; format: Format }[] {
  const out: { name: string; select: string; format: Format }[] = [];
  for (const scale of scales) {
    for (const table of TABLES) {
      const select = selectFor(table, rowsOf(table, scale));
      out.push({ name: fileName(table, scale, 'parquet'), select, format: 'parquet' });
      if (CSV_TABLES.includes(table)) out.push({ name: fileName(table, scale, 'csv'), select, format: 'csv' });
    }
  }
  out.push({ name: COLD_START_FILE, select: selectFor('sales', COLD_START_ROWS), format: 'parquet' });
  return out;
}

/**
 * Writes whatever is missing for `scales` and returns how many files were written. Logs each file
 * it writes (generating 10M rows takes a while the first time).
 */
export async function ensureData(scales: Scale[], log: (line: string) => void): Promise<number> {
  const stamp = join(DATA_DIR, '.data-version');
  const { DuckDBInstance, version } = await import('@duckdb/node-api');
  const wanted = `${DATA_VERSION} ${version()}`;
  if (existsSync(DATA_DIR) && (!existsSync(stamp) || readFileSync(stamp, 'utf8').trim() !== wanted)) {
    log(`data: generator or DuckDB version changed, wiping ${DATA_DIR}`);
    rmSync(DATA_DIR, { recursive: true, force: true });
  }
  mkdirSync(DATA_DIR, { recursive: true });
  writeFileSync(stamp, wanted + '\n');

  const missing = filesFor(scales).filter((f) => !existsSync(dataPath(f.name)));
  if (missing.length === 0) return 0;
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  try {
    for (const file of missing) {
      const started = performance.now();
      const target = dataPath(file.name);
      const tmp = `${target}.tmp-${process.pid}`;
      rmSync(tmp, { force: true });
      const options = file.format === 'csv' ? 'FORMAT csv, HEADER true' : 'FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880';
      try {
        await con.run(`COPY (${file.select}) TO ${sqlString(tmp)} (${options})`);
        renameSync(tmp, target);
      } catch (error) {
        rmSync(tmp, { force: true });
        throw new Error(`could not write ${file.name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      const mb = statSync(target).size / 1e6;
      log(`data: wrote ${file.name} (${mb.toFixed(0)} MB) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  } finally {
    con.closeSync();
    instance.closeSync();
  }
  return missing.length;
}

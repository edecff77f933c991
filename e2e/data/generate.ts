// Test data for the end-to-end tests, generated with native DuckDB (@duckdb/node-api, Parquet built in)
// into e2e/.data/ (git-ignored). Run once per `playwright test` by e2e/global-setup.ts; each file is
// only (re)generated when it is missing, or when GENERATOR_VERSION changes (then the folder is wiped).
//
// Files (all deterministic — values are plain modular arithmetic over `range`, no randomness):
//   sales.parquet        1,000,000 rows: date DATE (365 days of 2024), product_id VARCHAR (P001..P050),
//                        customer_id INTEGER, amount DECIMAL(10,2), quantity INTEGER; ZSTD, row groups of
//                        122,880 rows (so 9 row groups). The app names the table after the stem: `sales`.
//   orders.csv           10,000 rows + header: order_id, customer, amount, ordered_at (timestamp).
//   (Broken and odd files are the corpus's: e2e/corpus/files.ts.)
//   expected.json        answers computed by native DuckDB (see ExpectedData), read by the specs with
//                        readExpected() so they need not start DuckDB themselves.
//
// Importing this module is cheap: @duckdb/node-api is loaded lazily, only when generating.

import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DuckDBConnection } from '@duckdb/node-api';

/** Bump when a formula or a file changes: the next run wipes e2e/.data and regenerates everything. */
const GENERATOR_VERSION = '3';

/** Absolute path of e2e/.data/. */
export const DATA_DIR = fileURLToPath(new URL('../.data/', import.meta.url));

export const TEST_FILES = ['sales.parquet', 'orders.csv'] as const;
export type TestFileName = (typeof TEST_FILES)[number];

/** Absolute path of a generated file (exists once global setup has run). */
export function dataFile(name: TestFileName | 'expected.json'): string {
  return join(DATA_DIR, name);
}

export const SALES_ROWS = 1_000_000;
export const ORDERS_ROWS = 10_000;

/** The seed's batch job (daily sales per product), verbatim, over the table `sales`. */
export const SEED_BATCH_SQL =
  'SELECT date, product_id, sum(amount) AS total_amount, sum(quantity) AS total_quantity FROM sales GROUP BY ALL';

/** The (date, product_id) whose aggregate row is recorded in expected.json as `sampleRow`. */
export const SAMPLE_KEY = { date: '2024-07-01', product_id: 'P017' } as const;

/** A row of the seed batch result, every value as DuckDB prints it (`CAST(x AS VARCHAR)`). */
export interface SeedRow {
  date: string;
  product_id: string;
  total_amount: string;
  total_quantity: string;
}

/** A row of `sales`, every value as DuckDB prints it. */
export interface SalesRow {
  date: string;
  product_id: string;
  customer_id: string;
  amount: string;
  quantity: string;
}

export interface ExpectedSeedBatch {
  sql: string;
  /** Rows of the seed result (one per date × product). */
  rowCount: number;
  /** sum(total_amount) over the result, DuckDB's text: exactly 2 decimals, no grouping. */
  totalAmount: string;
  /** sum(total_quantity) over the result (= sum(quantity) over sales). */
  totalQuantity: number;
  /** Last row of the seed result when ordered by `date, product_id`. */
  lastRow: SeedRow;
  /** The row for SAMPLE_KEY. */
  sampleRow: SeedRow;
}

export interface ExpectedData {
  generatorVersion: string;
  tables: { sales: number; orders: number };
  seedBatch: ExpectedSeedBatch;
  /** Last row of `SELECT * FROM sales ORDER BY date, product_id, customer_id, amount, quantity`. */
  salesLastRow: SalesRow;
}

/** expected.json, synchronously (for specs; global setup has written it). */
export function readExpected(): ExpectedData {
  const path = dataFile('expected.json');
  if (!existsSync(path)) throw new Error(`${path} is missing: it is written by e2e/global-setup.ts (run via playwright test)`);
  return JSON.parse(readFileSync(path, 'utf8')) as ExpectedData;
}

const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;

// 1M rows from range(i): every date appears in every row group (date = i mod 365), a product keeps
// 365 consecutive rows and cycles every 18,250 rows, so all 365 × 50 (date, product) pairs occur.
const SALES_SELECT = `
  SELECT
    DATE '2024-01-01' + CAST(i % 365 AS INTEGER)                        AS date,
    'P' || lpad(CAST((i // 365) % 50 + 1 AS VARCHAR), 3, '0')           AS product_id,
    CAST((i * 7919) % 50000 + 1 AS INTEGER)                              AS customer_id,
    CAST(((i * 104729 + 7) % 99991 + 100) / 100 AS DECIMAL(10, 2))      AS amount,
    CAST((i * 2654435761) % 1000003 % 10 + 1 AS INTEGER)                 AS quantity
  FROM range(${SALES_ROWS}) t(i)
  ORDER BY i`;

const CUSTOMERS = [
  'Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Edsger Dijkstra', 'Barbara Liskov', 'Donald Knuth',
  'Frances Allen', 'Ken Thompson', 'Margaret Hamilton', 'John Backus', "Pat O'Brien", 'Radia Perlman',
];

const ORDERS_SELECT = `
  SELECT
    i + 1                                                                 AS order_id,
    ([${CUSTOMERS.map(sqlString).join(', ')}])[i * 7 % ${CUSTOMERS.length} + 1] AS customer,
    CAST(((i * 7907) % 50000 + 99) / 100 AS DECIMAL(10, 2))               AS amount,
    TIMESTAMP '2024-01-01 00:00:00' + to_seconds(i * 3137)                AS ordered_at
  FROM range(${ORDERS_ROWS}) t(i)
  ORDER BY i`;

async function withConnection<T>(fn: (con: DuckDBConnection) => Promise<T>): Promise<T> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  try {
    return await fn(con);
  } finally {
    con.closeSync();
    instance.closeSync();
  }
}

async function rows(con: DuckDBConnection, sql: string): Promise<Record<string, string>[]> {
  const reader = await con.runAndReadAll(sql);
  return reader.getRowObjectsJS().map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)])));
}

/** Write through a temporary name so an interrupted run never leaves a "present" half file. */
async function produce(name: string, make: (tmpPath: string) => Promise<void> | void): Promise<void> {
  const target = join(DATA_DIR, name);
  const tmp = `${target}.tmp-${process.pid}`;
  rmSync(tmp, { force: true });
  await make(tmp);
  renameSync(tmp, target);
}

/**
 * The seed's batch job on sales.parquet, computed by native DuckDB: row count, totals and two rows.
 * Values are DuckDB's own text (CAST … AS VARCHAR), which is what the app's grid must show.
 */
export async function expectedSeedBatch(salesParquet: string = dataFile('sales.parquet')): Promise<ExpectedSeedBatch> {
  return withConnection((con) => seedBatchWith(con, salesParquet));
}

async function seedBatchWith(con: DuckDBConnection, salesParquet: string): Promise<ExpectedSeedBatch> {
  await con.run(`CREATE OR REPLACE VIEW sales AS SELECT * FROM read_parquet(${sqlString(salesParquet)})`);
  const asText = `CAST(date AS VARCHAR) AS date, product_id, CAST(total_amount AS VARCHAR) AS total_amount,
                  CAST(total_quantity AS VARCHAR) AS total_quantity`;
  const [totals] = await rows(
    con,
    `SELECT count(*) AS n, CAST(sum(total_amount) AS VARCHAR) AS amount, CAST(sum(total_quantity) AS VARCHAR) AS qty
     FROM (${SEED_BATCH_SQL})`,
  );
  const [lastRow] = await rows(con, `SELECT ${asText} FROM (${SEED_BATCH_SQL}) ORDER BY date DESC, product_id DESC LIMIT 1`);
  const [sampleRow] = await rows(
    con,
    `SELECT ${asText} FROM (${SEED_BATCH_SQL})
     WHERE date = DATE ${sqlString(SAMPLE_KEY.date)} AND product_id = ${sqlString(SAMPLE_KEY.product_id)}`,
  );
  if (!totals || !lastRow || !sampleRow) throw new Error('seed batch: unexpected empty result');
  return {
    sql: SEED_BATCH_SQL,
    rowCount: Number(totals.n),
    totalAmount: String(totals.amount),
    totalQuantity: Number(totals.qty),
    lastRow: lastRow as unknown as SeedRow,
    sampleRow: sampleRow as unknown as SeedRow,
  };
}

async function computeExpected(con: DuckDBConnection): Promise<ExpectedData> {
  const seedBatch = await seedBatchWith(con, dataFile('sales.parquet'));
  const [salesLastRow] = await rows(
    con,
    `SELECT CAST(date AS VARCHAR) AS date, product_id, CAST(customer_id AS VARCHAR) AS customer_id,
            CAST(amount AS VARCHAR) AS amount, CAST(quantity AS VARCHAR) AS quantity
     FROM sales ORDER BY sales.date DESC, sales.product_id DESC, sales.customer_id DESC, sales.amount DESC, sales.quantity DESC LIMIT 1`,
  );
  const [counts] = await rows(
    con,
    `SELECT (SELECT count(*) FROM sales) AS sales,
            (SELECT count(*) FROM read_csv(${sqlString(dataFile('orders.csv'))}, header = true)) AS orders`,
  );
  if (!salesLastRow || !counts) throw new Error('expected.json: unexpected empty result');
  if (Number(counts.sales) !== SALES_ROWS || Number(counts.orders) !== ORDERS_ROWS) {
    throw new Error(`generated row counts are off: ${JSON.stringify(counts)}`);
  }
  return {
    generatorVersion: GENERATOR_VERSION,
    tables: { sales: SALES_ROWS, orders: ORDERS_ROWS },
    seedBatch,
    salesLastRow: salesLastRow as unknown as SalesRow,
  };
}

/**
 * Generates whatever is missing in e2e/.data/ and returns file name → absolute path
 * (every TEST_FILES entry plus expected.json).
 */
export async function generateTestData(): Promise<Record<string, string>> {
  const stamp = join(DATA_DIR, '.generator-version');
  if (existsSync(DATA_DIR) && (!existsSync(stamp) || readFileSync(stamp, 'utf8').trim() !== GENERATOR_VERSION)) {
    rmSync(DATA_DIR, { recursive: true, force: true });
  }
  mkdirSync(DATA_DIR, { recursive: true });
  writeFileSync(stamp, GENERATOR_VERSION + '\n');

  const missing = (name: string) => !existsSync(join(DATA_DIR, name));
  const salesWasMissing = missing('sales.parquet');
  const needsDuckDB =
    salesWasMissing || missing('orders.csv') || missing('expected.json');

  if (needsDuckDB) {
    await withConnection(async (con) => {
      const copy = (select: string, tmp: string, options: string) =>
        con.run(`COPY (${select}) TO ${sqlString(tmp)} (${options})`);

      if (missing('sales.parquet')) {
        await produce('sales.parquet', (tmp) =>
          copy(SALES_SELECT, tmp, 'FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880').then(() => undefined),
        );
      }
      if (missing('orders.csv')) {
        await produce('orders.csv', (tmp) => copy(ORDERS_SELECT, tmp, 'FORMAT csv, HEADER true').then(() => undefined));
      }
      if (salesWasMissing || missing('expected.json')) {
        const expected = await computeExpected(con);
        await produce('expected.json', (tmp) => writeFileSync(tmp, JSON.stringify(expected, null, 2) + '\n'));
      }
    });
  }


  const out: Record<string, string> = {};
  for (const name of [...TEST_FILES, 'expected.json' as const]) {
    const path = dataFile(name);
    statSync(path); // throws if something went wrong above
    out[name] = path;
  }
  return out;
}

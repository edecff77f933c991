// The workloads, identical for every engine. Tables are named without the scale (`lineitem`, not
// `lineitem_1m`): each engine loads one scale at a time.

import { CSV_TABLES, TABLES, type Format, type TableName } from './data';

export interface IngestWorkload {
  kind: 'ingest';
  id: string;
  label: string;
  format: Format;
  table: TableName;
  /** Parquet loads stay for the queries; CSV loads are checked and dropped (memory). */
  keep: boolean;
}

export interface QueryWorkload {
  kind: 'query';
  id: string;
  label: string;
  sql: string;
}

export type Workload = IngestWorkload | QueryWorkload;

export const INGEST_WORKLOADS: IngestWorkload[] = [
  ...CSV_TABLES.map((table): IngestWorkload => ({ kind: 'ingest', id: `csv:${table}`, label: `CSV ingest: ${table}`, format: 'csv', table, keep: false })),
  ...TABLES.map((table): IngestWorkload => ({ kind: 'ingest', id: `parquet:${table}`, label: `Parquet ingest: ${table}`, format: 'parquet', table, keep: true })),
];

/** The seed's batch job, verbatim. */
export const SEED_BATCH_SQL =
  'SELECT date, product_id, sum(amount) AS total_amount, sum(quantity) AS total_quantity FROM sales GROUP BY ALL';

export const QUERY_WORKLOADS: QueryWorkload[] = [
  // No data at all: what a query costs on each path before DuckDB does any work.
  { kind: 'query', id: 'trivial', label: 'Trivial query (fixed cost)', sql: 'SELECT 42 AS answer' },
  {
    kind: 'query',
    id: 'q1',
    label: 'TPC-H Q1-like aggregate',
    sql: `SELECT l_returnflag, l_linestatus,
  sum(l_quantity) AS sum_qty, sum(l_extendedprice) AS sum_base_price,
  sum(l_extendedprice * (1 - l_discount)) AS sum_disc_price,
  sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS sum_charge,
  avg(l_quantity) AS avg_qty, avg(l_extendedprice) AS avg_price, avg(l_discount) AS avg_disc,
  count(*) AS count_order
FROM lineitem
WHERE l_shipdate <= DATE '1998-09-02'
GROUP BY l_returnflag, l_linestatus
ORDER BY l_returnflag, l_linestatus`,
  },
  {
    kind: 'query',
    id: 'q6',
    label: 'TPC-H Q6-like aggregate',
    sql: `SELECT sum(l_extendedprice * l_discount) AS revenue
FROM lineitem
WHERE l_shipdate >= DATE '1994-01-01' AND l_shipdate < DATE '1995-01-01'
  AND l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < 24`,
  },
  {
    kind: 'query',
    id: 'join',
    label: 'Join lineitem ⋈ orders',
    sql: `SELECT o_orderpriority, l_shipmode, count(*) AS line_count,
  sum(l_extendedprice * (1 - l_discount)) AS revenue
FROM lineitem JOIN orders ON l_orderkey = o_orderkey
WHERE l_receiptdate > l_commitdate AND o_orderdate >= DATE '1995-01-01'
GROUP BY o_orderpriority, l_shipmode
ORDER BY o_orderpriority, l_shipmode`,
  },
  {
    kind: 'query',
    id: 'window',
    label: 'Window functions (per user)',
    // Every purchase with the user's recent activity: windows over all events, ~14% of rows returned.
    sql: `SELECT user_id, timestamp, value,
  sum(value) OVER (PARTITION BY user_id ORDER BY timestamp ROWS BETWEEN 4 PRECEDING AND CURRENT ROW) AS recent_value,
  epoch(timestamp) - epoch(lag(timestamp) OVER (PARTITION BY user_id ORDER BY timestamp)) AS seconds_since_previous,
  row_number() OVER (PARTITION BY user_id ORDER BY timestamp) AS event_number
FROM events
QUALIFY action = 'purchase'`,
  },
  { kind: 'query', id: 'seed-batch', label: "Seed's batch group-by", sql: SEED_BATCH_SQL },
];

export const WORKLOADS: Workload[] = [...INGEST_WORKLOADS, ...QUERY_WORKLOADS];

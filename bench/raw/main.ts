/// <reference types="vite/client" />
// The reference the benchmark compares lakebook with: @duckdb/duckdb-wasm used directly, the way its
// README shows, with nothing of lakebook's. Same bundles, same origin rules (served from this page's own
// origin), one connection, `conn.query` for everything.
//
// CSV: registerFileHandle (the browser File, read lazily) + CREATE TABLE … AS FROM read_csv.
// Parquet: DuckDB-WASM has no parquet extension offline, so the simplest route a user of the raw
// libraries would take: read the whole file into memory, parquet-wasm `readParquet` on the main thread,
// `intoIPCStream`, `insertArrowFromIPCStream`.
import * as duckdb from '@duckdb/duckdb-wasm';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import mvpWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-mvp.worker.js?url';
import initParquet, { readParquet } from 'parquet-wasm/esm';
import parquetWasmUrl from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import type { Table } from 'apache-arrow';

export interface RawApi {
  ready: boolean;
  error: string | undefined;
  version: string;
  bundle: string;
  /** CSV file → table. Returns the time of each step. */
  addCsv(file: File, table: string): Promise<Record<string, number>>;
  /** Time of a `sniff_csv` of a registered file: the pre-pass lakebook's ragged-line check adds to a CSV load. */
  sniffCsv(fileName: string): Promise<number>;
  /** Parquet file → table (whole file in memory, parquet-wasm on this thread). Returns the time of each step. */
  addParquet(file: File, table: string): Promise<Record<string, number>>;
  /** `conn.query(sql)`; the Arrow result is kept for `keepResult`. Returns its row count. */
  query(sql: string): Promise<{ rowCount: number }>;
  /**
   * What lakebook's `run` + `fetchPage(0, 100)` does, with raw calls: tokenize, materialize the query as
   * a table through the pending-query API, count it, read its columns, fetch the first 100 rows as text.
   * Returns the time of each step.
   */
  queryMaterialized(sql: string, table: string): Promise<{ rowCount: number; steps: Record<string, number> }>;
  /** Inserts the last `query` result into `table` (not timed: for the checksum of what was returned). */
  keepResult(table: string): Promise<void>;
  /** Small query, rows as plain objects (numbers stay numbers; BIGINT becomes a number). */
  rows(sql: string): Promise<Record<string, unknown>[]>;
}

declare global {
  interface Window {
    __raw: RawApi;
  }
}

const BUNDLES: duckdb.DuckDBBundles = {
  mvp: { mainModule: new URL(mvpWasm, document.baseURI).href, mainWorker: new URL(mvpWorker, document.baseURI).href },
  eh: { mainModule: new URL(ehWasm, document.baseURI).href, mainWorker: new URL(ehWorker, document.baseURI).href },
};

let db: duckdb.AsyncDuckDB;
let conn: duckdb.AsyncDuckDBConnection;
let last: Table | undefined;
let parquetReady: Promise<unknown> | undefined;

const api: RawApi = {
  ready: false,
  error: undefined,
  version: duckdb.PACKAGE_VERSION,
  bundle: '',
  async addCsv(file, table) {
    const t0 = performance.now();
    await db.registerFileHandle(file.name, file, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
    const t1 = performance.now();
    await conn.query(`CREATE TABLE "${table}" AS FROM read_csv('${file.name}')`);
    return { register: t1 - t0, create: performance.now() - t1 };
  },
  async sniffCsv(fileName) {
    const t0 = performance.now();
    await conn.query(`SELECT Delimiter, Quote, SkipRows, len(Columns) FROM sniff_csv('${fileName}')`);
    return performance.now() - t0;
  },
  async addParquet(file, table) {
    const t0 = performance.now();
    parquetReady ??= initParquet({ module_or_path: parquetWasmUrl });
    await parquetReady;
    const bytes = new Uint8Array(await file.arrayBuffer());
    const t1 = performance.now();
    // intoIPCStream consumes the wasm table (frees it).
    const ipc = readParquet(bytes).intoIPCStream();
    const t2 = performance.now();
    await conn.insertArrowFromIPCStream(ipc, { name: table, create: true });
    return { read: t1 - t0, decode: t2 - t1, insert: performance.now() - t2 };
  },
  async query(sql) {
    last = await conn.query(sql);
    return { rowCount: last.numRows };
  },
  async queryMaterialized(sql, table) {
    const steps: Record<string, number> = {};
    let t = performance.now();
    const lap = (name: string) => {
      const now = performance.now();
      steps[name] = now - t;
      t = now;
    };
    await db.tokenize(sql);
    lap('tokenize');
    // conn.send: the pending-query API (start, poll until done), as lakebook runs cells.
    for await (const batch of await conn.send(`CREATE TABLE "${table}" AS ${sql}`)) void batch;
    lap('create');
    const count = await conn.query(`SELECT count(*)::BIGINT AS n FROM "${table}"`);
    lap('count');
    const columns = await conn.query(
      `SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = '${table}' ORDER BY column_index`,
    );
    lap('columns');
    const names = columns.toArray().map((r) => `CAST("${String(r.column_name)}" AS VARCHAR)`);
    const page = await conn.query(`SELECT ${names.join(', ')} FROM "${table}" LIMIT 100 OFFSET 0`);
    page.toArray();
    lap('page');
    return { rowCount: Number(count.getChild('n')?.get(0)), steps };
  },
  async keepResult(table) {
    if (!last) throw new Error('no result to keep');
    await conn.insertArrowTable(last, { name: table, create: true });
    last = undefined;
  },
  async rows(sql) {
    const table = await conn.query(sql);
    return table.toArray().map((row) => {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(row.toJSON() as Record<string, unknown>)) {
        out[key] = typeof value === 'bigint' ? Number(value) : value;
      }
      return out;
    });
  },
};
window.__raw = api;

(async () => {
  const bundle = await duckdb.selectBundle(BUNDLES);
  const worker = new Worker(bundle.mainWorker!);
  db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(bundle.mainModule, bundle.pthreadWorker);
  conn = await db.connect();
  // Offline: extension autoloading would try the internet (DESIGN §2); every raw user has to do this too.
  await conn.query('SET autoload_known_extensions = false');
  await conn.query('SET autoinstall_known_extensions = false');
  api.bundle = bundle.mainModule === BUNDLES.eh?.mainModule ? 'eh' : 'mvp';
  api.ready = true;
})().catch((error: unknown) => {
  api.error = error instanceof Error ? error.message : String(error);
});

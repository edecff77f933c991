// Native DuckDB through @duckdb/node-api (the same DuckDB version as the WASM build): the speed reference.
// `threads: 1` matches DuckDB-WASM's single thread; the default uses every core.

import type { DuckDBConnection, DuckDBDataChunk, DuckDBInstance } from '@duckdb/node-api';
import { checksumOf, type Checksum } from './checksum';
import { sqlString } from './data';
import type { EngineSession, Timed } from './session';
import type { IngestWorkload, QueryWorkload } from './workloads';

export async function openNative(threads: 1 | 'default'): Promise<EngineSession & { threads: number }> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', threads === 1 ? { threads: '1' } : {});
  const con = await instance.connect();
  const session = new NativeSession(instance, con, threads === 1 ? 'native-1t' : 'native');
  const [row] = await session.rows("SELECT current_setting('threads') AS threads");
  return Object.assign(session, { threads: Number(row?.threads) });
}

class NativeSession implements EngineSession {
  private last: { sql: string; chunks: DuckDBDataChunk[] } | undefined;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly con: DuckDBConnection,
    readonly engine: 'native-1t' | 'native',
  ) {}

  async ingest(w: IngestWorkload, path: string): Promise<Timed & { table: string }> {
    const reader = w.format === 'csv' ? 'read_csv' : 'read_parquet';
    const started = performance.now();
    await this.con.run(`CREATE TABLE "${w.table}" AS FROM ${reader}(${sqlString(path)})`);
    return { ms: performance.now() - started, table: w.table };
  }

  async query(w: QueryWorkload): Promise<Timed & { rowCount: number }> {
    const started = performance.now();
    const result = await this.con.run(w.sql);
    const chunks = await result.fetchAllChunks();
    const ms = performance.now() - started;
    this.last = { sql: w.sql, chunks };
    return { ms, rowCount: chunks.reduce((n, c) => n + c.rowCount, 0) };
  }

  async warmUp(w: QueryWorkload): Promise<number> {
    const started = performance.now();
    await (await this.con.run(w.sql)).fetchAllChunks();
    return performance.now() - started;
  }

  async resultChecksum(): Promise<Checksum> {
    if (!this.last) throw new Error('no result');
    // The chunks `run` returned, appended into a table of the result's own types.
    await this.con.run(`CREATE OR REPLACE TABLE bench_result AS SELECT * FROM (${this.last.sql}) LIMIT 0`);
    const appender = await this.con.createAppender('bench_result');
    for (const chunk of this.last.chunks) appender.appendDataChunk(chunk);
    appender.closeSync();
    return checksumOf(this.rows, '"bench_result"');
  }

  async releaseResult(): Promise<void> {
    this.last = undefined;
    await this.con.run('DROP TABLE IF EXISTS bench_result');
  }

  rows = async (sql: string): Promise<Record<string, unknown>[]> => {
    const reader = await this.con.runAndReadAll(sql);
    return reader.getRowObjectsJS().map((row) => {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(row)) out[key] = typeof value === 'bigint' ? Number(value) : value;
      return out;
    });
  };

  async dropTable(table: string): Promise<void> {
    await this.con.run(`DROP TABLE "${table}"`);
  }

  async close(): Promise<void> {
    this.con.closeSync();
    this.instance.closeSync();
  }

  warnings(): string[] {
    return [];
  }
}

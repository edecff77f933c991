import { createRequire } from 'node:module';
import path from 'node:path';
import { RecordBatchReader, Table } from 'apache-arrow';
import type * as DuckDBBlocking from '@duckdb/duckdb-wasm/blocking';
import type { ConnectionName, Driver, SqlToken } from './driver';
import { connectionSettings, tokenKind } from './driver-common';

const require = createRequire(import.meta.url);

/**
 * The same DuckDB-WASM build the browser runs, instantiated in-process in Node. Unit tests use it
 * so that they see the exact engine, extension set and error messages users get.
 */
export class NodeDriver implements Driver {
  readonly label = 'DuckDB-WASM (Node, blocking bindings)';
  private readonly crashListeners: ((reason: string) => void)[] = [];
  private terminated = false;

  private constructor(
    private readonly db: DuckDBBlocking.DuckDBBindings,
    private readonly connections: Record<ConnectionName, DuckDBBlocking.DuckDBConnection>,
  ) {}

  static async start(): Promise<NodeDriver> {
    const modulePath = require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
    const duckdb = require(modulePath) as typeof DuckDBBlocking;
    const dist = path.dirname(modulePath);
    const db = await duckdb.createDuckDB(
      {
        mvp: { mainModule: path.join(dist, 'duckdb-mvp.wasm'), mainWorker: '' },
        eh: { mainModule: path.join(dist, 'duckdb-eh.wasm'), mainWorker: '' },
      },
      new duckdb.VoidLogger(),
      duckdb.NODE_RUNTIME,
    );
    await db.instantiate();
    db.open({ query: { castBigIntToDouble: false } });
    const user = db.connect();
    const meta = db.connect();
    for (const conn of [user, meta]) {
      for (const statement of connectionSettings('http://127.0.0.1:9')) conn.query(statement);
    }
    return new NodeDriver(db, { user, meta });
  }

  async query(conn: ConnectionName, sql: string): Promise<Table> {
    this.assertAlive();
    return this.connections[conn].query(sql);
  }

  async send(conn: ConnectionName, sql: string): Promise<AsyncIterable<Table>> {
    this.assertAlive();
    const id = this.connections[conn].useUnsafe((_, connId) => connId);
    let header = this.db.startPendingQuery(id, sql, true);
    while (header == null) {
      // Yield to the event loop between polls so a cancel can arrive, as it does in the worker.
      await new Promise((r) => setImmediate(r));
      this.assertAlive();
      header = this.db.pollPendingQuery(id);
    }
    const first = header;
    const db = this.db;
    const chunks = (function* () {
      yield first;
      for (;;) {
        const chunk = db.fetchQueryResults(id);
        if (chunk == null || chunk.length === 0) return;
        yield chunk;
      }
    })();
    const reader = RecordBatchReader.from(chunks);
    return (async function* () {
      for (const batch of reader) yield new Table(batch);
    })();
  }

  async cancel(conn: ConnectionName): Promise<boolean> {
    return this.connections[conn].cancelSent();
  }

  async insertArrowIPC(conn: ConnectionName, ipc: Uint8Array, table: string, create: boolean, schema = 'main'): Promise<void> {
    this.assertAlive();
    this.connections[conn].insertArrowFromIPCStream(ipc, { name: table, schema, create });
  }

  async registerFile(name: string, blob: Blob): Promise<void> {
    this.assertAlive();
    this.db.registerFileBuffer(name, new Uint8Array(await blob.arrayBuffer()));
  }

  async dropFile(name: string): Promise<void> {
    this.db.dropFile(name);
  }

  async tableNames(conn: ConnectionName, sql: string): Promise<string[]> {
    this.assertAlive();
    return this.connections[conn].getTableNames(sql);
  }

  async tokenize(sql: string): Promise<SqlToken[]> {
    const tokens = this.db.tokenize(sql);
    return tokens.offsets.map((offset, i) => ({ offset, kind: tokenKind(tokens.types[i] ?? 0) }));
  }

  async terminate(): Promise<void> {
    this.terminated = true;
    this.db.reset();
  }

  /** Test hook: behaves like a worker that died on its own. */
  killForTest(): void {
    this.terminated = true;
    for (const listener of this.crashListeners) listener('the engine was killed by a test');
  }

  onCrash(listener: (reason: string) => void): void {
    this.crashListeners.push(listener);
  }

  private assertAlive(): void {
    if (this.terminated) throw new Error('RuntimeError: the engine was terminated');
  }
}

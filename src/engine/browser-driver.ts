import * as duckdb from '@duckdb/duckdb-wasm';
import { RecordBatchReader, Table } from 'apache-arrow';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import mvpWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-mvp.worker.js?url';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import type { ConnectionName, Driver, SqlToken } from './driver';
import { LakebookError } from './errors';
import { Watchdog } from './watchdog';
import { tokenKind, connectionSettings } from './driver-common';

/** Deadlines for one request to the worker. A long query is many short polls, each guarded. */
const DEADLINE_MS = {
  start: 60_000,
  poll: 60_000,
  small: 30_000,
  insert: 120_000,
};

const BUNDLES: duckdb.DuckDBBundles = {
  mvp: { mainModule: resolve(mvpWasm), mainWorker: resolve(mvpWorker) },
  eh: { mainModule: resolve(ehWasm), mainWorker: resolve(ehWorker) },
};

function resolve(url: string): string {
  return new URL(url, document.baseURI).href;
}

/** DuckDB-WASM 1.32 in a dedicated Web Worker, its bundles served from our own origin. */
export class BrowserDriver implements Driver {
  readonly label: string;
  private readonly watchdog = new Watchdog();
  private readonly connections: Record<ConnectionName, duckdb.AsyncDuckDBConnection>;

  private constructor(
    private readonly worker: Worker,
    private readonly db: duckdb.AsyncDuckDB,
    user: duckdb.AsyncDuckDBConnection,
    meta: duckdb.AsyncDuckDBConnection,
    bundleName: string,
  ) {
    this.label = `DuckDB-WASM ${duckdb.PACKAGE_VERSION} (${bundleName})`;
    this.connections = { user, meta };
    worker.addEventListener('error', (event) => {
      this.watchdog.kill(`worker error: ${event.message || 'unknown'}`, true);
    });
  }

  static async start(): Promise<BrowserDriver> {
    const bundle = await duckdb.selectBundle(BUNDLES);
    const bundleName = bundle.mainModule === BUNDLES.eh?.mainModule ? 'eh' : 'mvp';
    const worker = guardedWorker(bundle.mainWorker!);
    const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
    try {
      await withTimeout(db.instantiate(bundle.mainModule, bundle.pthreadWorker), 60_000, 'instantiate');
      await db.open({ query: { castBigIntToDouble: false } });
      const user = await db.connect();
      const meta = await db.connect();
      for (const conn of [user, meta]) {
        for (const statement of connectionSettings(location.origin)) await conn.query(statement);
      }
      return new BrowserDriver(worker, db, user, meta, bundleName);
    } catch (cause) {
      worker.terminate();
      throw new LakebookError(
        'engine-unavailable',
        `The database engine could not start in this browser (${cause instanceof Error ? cause.message : String(cause)}).`,
        { cause },
      );
    }
  }

  query(conn: ConnectionName, sql: string): Promise<Table> {
    return this.watchdog.guard('a query', DEADLINE_MS.poll, () => this.connections[conn].query(sql));
  }

  async send(conn: ConnectionName, sql: string): Promise<AsyncIterable<Table>> {
    const connection = this.connections[conn];
    const id = connection.useUnsafe((_, connId) => connId);
    let header = await this.watchdog.guard('starting a query', DEADLINE_MS.start, () =>
      this.db.startPendingQuery(id, sql, true),
    );
    while (header == null) {
      header = await this.watchdog.guard('a running query', DEADLINE_MS.poll, () => this.db.pollPendingQuery(id));
    }
    const chunks = new duckdb.AsyncResultStreamIterator(this.db, id, header);
    const guardedChunks: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({
        next: () => this.watchdog.guard('fetching results', DEADLINE_MS.poll, () => chunks.next()),
      }),
    };
    const reader = await RecordBatchReader.from(guardedChunks);
    return (async function* () {
      for await (const batch of reader) yield new Table(batch);
    })();
  }

  async cancel(conn: ConnectionName): Promise<boolean> {
    return this.watchdog.guard('cancelling', DEADLINE_MS.small, () => this.connections[conn].cancelSent());
  }

  insertArrowIPC(conn: ConnectionName, ipc: Uint8Array, table: string, create: boolean, schema = 'main'): Promise<void> {
    return this.watchdog.guard('loading data', DEADLINE_MS.insert, () =>
      this.connections[conn].insertArrowFromIPCStream(ipc, { name: table, schema, create }),
    );
  }

  registerFile(name: string, blob: Blob): Promise<void> {
    return this.watchdog.guard('registering a file', DEADLINE_MS.small, () =>
      this.db.registerFileHandle(name, blob, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true).then(() => undefined),
    );
  }

  dropFile(name: string): Promise<void> {
    return this.watchdog.guard('dropping a file', DEADLINE_MS.small, () => this.db.dropFile(name).then(() => undefined));
  }

  tableNames(conn: ConnectionName, sql: string): Promise<string[]> {
    return this.watchdog.guard('analyzing SQL', DEADLINE_MS.small, () => this.connections[conn].getTableNames(sql));
  }

  async tokenize(sql: string): Promise<SqlToken[]> {
    const tokens = await this.watchdog.guard('tokenizing', DEADLINE_MS.small, () => this.db.tokenize(sql));
    return tokens.offsets.map((offset, i) => ({ offset, kind: tokenKind(tokens.types[i] ?? 0) }));
  }

  async terminate(): Promise<void> {
    this.watchdog.kill('the engine was shut down', false);
    this.worker.terminate();
  }

  /** Test hook: the worker dies as if the browser had killed it. */
  killWorkerForTest(): void {
    this.worker.terminate();
    this.watchdog.kill('the worker was terminated', true);
  }

  onCrash(listener: (reason: string) => void): void {
    this.watchdog.onCrash(listener);
  }
}

/**
 * DuckDB-WASM reads any http(s) URL itself (synchronous XHR in its worker), also when the URL is only
 * known at run time: `read_csv(getvariable('u'))`, `FROM "https://…"` as a quoted name. The lexical
 * check in sql-statements.ts cannot see those, and a page's Content-Security-Policy in a <meta> tag does
 * not cover a worker. So the worker starts with a guard that refuses every request leaving the page's
 * origin, then loads DuckDB's own worker script.
 */
function guardedWorker(duckdbWorkerUrl: string): Worker {
  const source = `(${installNetworkGuard.toString()})(${JSON.stringify(location.origin)}, ${JSON.stringify(document.baseURI)});\n` +
    `importScripts(${JSON.stringify(duckdbWorkerUrl)});\n`;
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  try {
    return new Worker(url);
  } finally {
    // The worker has fetched its script once it starts; the URL is not needed after that.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
}

/** Runs inside the DuckDB worker (stringified: it may use only its parameters and worker globals). */
function installNetworkGuard(origin: string, base: string): void {
  const scope = self as unknown as {
    fetch: typeof fetch;
    XMLHttpRequest: typeof XMLHttpRequest;
    WebSocket: unknown;
    EventSource: unknown;
    importScripts: (...urls: string[]) => void;
  };
  const allowed = (url: string | URL): boolean => {
    try {
      const u = new URL(String(url), base);
      return u.origin === origin || u.protocol === 'blob:' || u.protocol === 'data:';
    } catch {
      return false;
    }
  };
  const refusal = (url: string | URL) =>
    new Error(`lakebook refused a network request to ${String(url)} (lakebook runs offline and never sends your data or queries over the network)`);
  const open = scope.XMLHttpRequest.prototype.open;
  scope.XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, ...args: unknown[]) {
    const url = args[1] as string | URL;
    if (!allowed(url)) throw refusal(url);
    return Reflect.apply(open, this, args) as void;
  } as typeof open;
  const originalFetch = scope.fetch.bind(self);
  scope.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : input;
    return allowed(url) ? originalFetch(input, init) : Promise.reject(refusal(url));
  };
  const originalImport = scope.importScripts.bind(self);
  scope.importScripts = (...urls: string[]) => {
    for (const url of urls) if (!allowed(url)) throw refusal(url);
    originalImport(...urls);
  };
  const refuseConstruction = (url: string | URL) => {
    throw refusal(url);
  };
  scope.WebSocket = refuseConstruction;
  scope.EventSource = refuseConstruction;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

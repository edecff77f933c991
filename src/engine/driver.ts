import type { Table } from 'apache-arrow';

/**
 * The few DuckDB operations a backend must provide. The browser backend runs DuckDB-WASM in a
 * Web Worker; the Node backend runs the same WASM build in-process, so unit tests exercise the
 * exact engine and messages users get.
 */
export interface Driver {
  readonly label: string;
  /** Runs one statement to completion on the given connection. */
  query(conn: ConnectionName, sql: string): Promise<Table>;
  /** Starts a statement that can be cancelled with `cancel`; yields its record batches. */
  send(conn: ConnectionName, sql: string): Promise<AsyncIterable<Table>>;
  cancel(conn: ConnectionName): Promise<boolean>;
  /** Inserts an Arrow IPC stream into `schema.table` (default schema `main`), creating it if asked. */
  insertArrowIPC(conn: ConnectionName, ipc: Uint8Array, table: string, create: boolean, schema?: string): Promise<void>;
  /** Makes a file readable by SQL under `name` without copying it whole. */
  registerFile(name: string, blob: Blob): Promise<void>;
  dropFile(name: string): Promise<void>;
  /** DuckDB's parser: the tables one statement reads (it binds a little; may refuse). */
  tableNames(conn: ConnectionName, sql: string): Promise<string[]>;
  /** DuckDB's own tokenizer: token start offsets and kinds. */
  tokenize(sql: string): Promise<SqlToken[]>;
  /** Stops the backend at once; pending calls reject. */
  terminate(): Promise<void>;
  /** Called once if the backend dies on its own (worker error, trap, watchdog). */
  onCrash(listener: (reason: string) => void): void;
}

/** `user` runs cells (long, cancellable); `meta` answers small questions while a cell runs. */
export type ConnectionName = 'user' | 'meta';

export type SqlTokenKind = 'identifier' | 'number' | 'string' | 'operator' | 'keyword' | 'comment';

export interface SqlToken {
  offset: number;
  kind: SqlTokenKind;
}

export type DriverFactory = () => Promise<Driver>;

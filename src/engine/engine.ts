import type { Table } from 'apache-arrow';
import type { ParquetWriteOptions } from './parquet-writer/encode';

export type { ParquetCompression, ParquetWriteOptions } from './parquet-writer/encode';
export { MAX_ROW_GROUP_SIZE } from './parquet-writer/encode';

/** What the rest of the app sees of the database. Only `src/engine` knows DuckDB is behind it. */
export interface Engine {
  /** Resolves once the database is up; rejects with a LakebookError if it cannot start. */
  ready(): Promise<void>;
  /** Loads a CSV/TSV/Parquet/NDJSON file as a table named after its stem (sanitized, de-duplicated). */
  addFile(source: FileSource, options?: IngestOptions): Promise<LoadedTable>;
  /** Runs user SQL (one or more statements); the last statement's rows stay in the engine for paging. */
  run(sql: string, options?: RunOptions): Promise<RunResult>;
  /**
   * Stores Arrow record batches (Arrow tables or Arrow IPC streams) as a result, like `run`'s, and with
   * `define` also as the table `define.name` for later cells (replaced on every call). Batches are
   * inserted as they come, so a long stream is never held whole; the engine is free between batches,
   * so whoever produces them may query it meanwhile. No batches at all is an error.
   */
  runArrow(batches: AsyncIterable<Table | Uint8Array>, options?: ArrowRunOptions): Promise<RowsResult>;
  /**
   * One page of a result, every value rendered as DuckDB prints it (`null` stays null). With `columns`,
   * only those columns (each row then holds `count` values, fewer at the end): a result of thousands
   * of columns is fetched a block at a time, as the grid shows it.
   */
  fetchPage(result: RowsResult, offset: number, limit: number, columns?: ColumnRange): Promise<PageRows>;
  /** Frees what `run` kept for a result. */
  releaseResult(result: RunResult): Promise<void>;
  /** The tables a cell's SQL reads and creates, for the notebook's dependency graph. Never throws for bad SQL. */
  analyze(sql: string): Promise<SqlAnalysis>;
  /** A small internal query, answered as an Arrow table. */
  query(sql: string): Promise<Table>;
  /** Streams a query's record batches; aborting the signal cancels it in the engine. */
  stream(sql: string, options?: { signal?: AbortSignal }): AsyncIterable<Table>;
  /**
   * Encodes record batches (from `stream`) as one Parquet file, yielding its bytes as row groups are
   * flushed, so a file is never whole in memory. Stopping the iteration abandons the file.
   */
  writeParquet(batches: AsyncIterable<Table>, options: ParquetWriteOptions): AsyncIterable<Uint8Array>;
  listTables(): Promise<TableInfo[]>;
  /** Loads a file table again with other options; the table keeps its name. */
  reloadTable(name: string, options: Pick<IngestOptions, 'csv'>): Promise<LoadedTable>;
  loadOptionsOf(name: string): { format: FileFormat; options: IngestOptions } | undefined;
  dropTable(name: string): Promise<void>;
  /** Replaces the database worker; files and loaded tables come back. */
  restart(reason: string): Promise<void>;
  on(listener: EngineListener): () => void;
  close(): Promise<void>;
}

export interface FileSource {
  name: string;
  /** A browser File/Blob, read lazily; never copied whole into the engine. */
  blob: Blob;
}

export type FileFormat = 'csv' | 'parquet' | 'ndjson';

export interface CsvOptions {
  /** A single character; `auto` lets DuckDB's sniffer decide. */
  delimiter?: string;
  header?: boolean;
  /** Column name → DuckDB type, overriding what the sniffer guessed. */
  types?: Record<string, string>;
  quote?: string;
  skipRows?: number;
}

export interface IngestOptions {
  /** Overrides the table name derived from the file stem. */
  tableName?: string;
  format?: FileFormat;
  csv?: CsvOptions;
  onProgress?: (progress: IngestProgress) => void;
  /** Replace an existing table of the same name instead of choosing a new name. */
  replace?: boolean;
}

export interface IngestProgress {
  table: string;
  bytesRead: number;
  totalBytes: number;
  rows: number;
}

export interface ColumnInfo {
  name: string;
  /** DuckDB's type name, e.g. `BIGINT`, `DECIMAL(18,2)`, `TIMESTAMP`. */
  type: string;
}

export interface TableInfo {
  name: string;
  kind: 'table' | 'view';
  rowCount: number | null;
  columns: ColumnInfo[];
  /** The file it was loaded from, for tables that came from a file. */
  sourceFile: string | undefined;
}

/** A table just loaded from a file, with what the user should know about how it was read. */
export interface LoadedTable extends TableInfo {
  /** E.g. that a file that is not UTF-8 was read as Windows-1252. Empty when there is nothing to say. */
  notes: string[];
}

export interface RunOptions {
  signal?: AbortSignal;
  /**
   * Makes the cell's last statement (a query) available to later cells under `name`: a view, or a
   * table when `materialize` is set (the seed's `.cache()`), replaced on every run.
   */
  define?: { name: string; materialize: boolean };
}

export interface ArrowRunOptions {
  signal?: AbortSignal;
  /** Also keep the batches as the table `name` (replacing a table or view of that name). */
  define?: { name: string };
  /**
   * Read once the batches have ended: column → DuckDB type to convert it to. A producer may only
   * know at the end that a DOUBLE column held nothing but whole numbers (BIGINT).
   */
  retype?: () => Record<string, string>;
}

export interface RowsResult {
  kind: 'rows';
  id: string;
  rowCount: number;
  columns: ColumnInfo[];
  elapsedMs: number;
  statementCount: number;
}

export interface StatementResult {
  kind: 'statement';
  id: string;
  message: string;
  elapsedMs: number;
  statementCount: number;
}

export type RunResult = RowsResult | StatementResult;

export interface SqlAnalysis {
  reads: string[];
  creates: string[];
  /** `duckdb` when DuckDB's parser answered for every statement, else `tokens` (the fallback). */
  analyzedBy: 'duckdb' | 'tokens';
}

/** Columns `start` … `start + count - 1` of a result (0-based). */
export interface ColumnRange {
  start: number;
  count: number;
}

export interface PageRows {
  offset: number;
  rows: (string | null)[][];
}

export type EngineEvent =
  | { type: 'restarted'; reason: string; restoredTables: string[]; lostTables: string[] }
  | { type: 'restarting'; reason: string }
  | { type: 'tables-changed' }
  | { type: 'progress'; progress: IngestProgress };

export type EngineListener = (event: EngineEvent) => void;

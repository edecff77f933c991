/**
 * One error type for everything the engine layer reports. `userMessage` is safe to show as is;
 * `cause` keeps the original error for the console and for bug reports.
 */
export type ErrorCode =
  | 'syntax'
  | 'catalog'
  | 'binder'
  | 'conversion'
  | 'constraint'
  | 'missing-extension'
  | 'network-refused'
  | 'file-empty'
  | 'file-unreadable'
  | 'csv-malformed'
  | 'parquet-invalid'
  | 'ndjson-malformed'
  | 'share-invalid'
  | 'publish-failed'
  | 'out-of-memory'
  | 'cancelled'
  | 'engine-crashed'
  | 'engine-timeout'
  | 'engine-unavailable'
  | 'dependency'
  /** A cell's own code (a ts cell) threw, or returned something that is not a table. */
  | 'script-error'
  /** A cell ran past its time limit and was stopped. */
  | 'time-limit'
  /** A cell went past its memory limit and was stopped. */
  | 'memory-limit'
  /** An option that cannot work (an export's unknown column, 0 buckets, a bad predicate). */
  | 'invalid-option'
  /** A destination refused the data (a folder without write permission, storage full). */
  | 'write-failed'
  | 'internal';

export class LakebookError extends Error {
  readonly code: ErrorCode;
  readonly userMessage: string;
  readonly sql: string | undefined;
  /** 1-based line and column of the problem inside `sql`, when DuckDB tells us. */
  readonly position: { line: number; column: number } | undefined;

  constructor(
    code: ErrorCode,
    userMessage: string,
    options: { cause?: unknown; sql?: string; position?: { line: number; column: number } } = {},
  ) {
    super(userMessage, { cause: options.cause });
    this.name = 'LakebookError';
    this.code = code;
    this.userMessage = userMessage;
    this.sql = options.sql;
    this.position = options.position;
  }
}

export function isLakebookError(e: unknown): e is LakebookError {
  return e instanceof LakebookError;
}

export function messageOf(e: unknown): string {
  if (e instanceof LakebookError) return e.userMessage;
  if (e instanceof Error) return e.message;
  return String(e);
}

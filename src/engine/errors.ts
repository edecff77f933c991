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

import { LakebookError, type ErrorCode } from './errors';
import { positionOf } from './sql-statements';

const EXTENSION_ADVICE: Record<string, string> = {
  parquet:
    'Add the .parquet file with "Add files" (lakebook reads Parquet itself) and query it by its table name.',
  json:
    'Add .json/.ndjson files with "Add files" (lakebook parses them itself). JSON functions such as json_extract are not available; use string functions instead.',
  icu:
    'Time zones and collations need ICU. Use TIMESTAMP values in UTC (for example CAST(ts AS TIMESTAMP)) instead of named time zones.',
  httpfs: 'Remote files cannot be read. Download the file and add it with "Add files".',
};

const TRAP = /RuntimeError|unreachable|memory access out of bounds|table index is out of bounds|function signature mismatch|null function or function signature/i;

/** True when a message means the WASM instance is poisoned and the worker must be replaced. */
export function isEngineTrap(message: string): boolean {
  return TRAP.test(message);
}

/**
 * Turns a DuckDB error into words a user can act on, keeping DuckDB's own text (it is good) and
 * adding the position inside the cell. `statementStart` maps statement offsets to the cell.
 */
export function translateDuckDbError(
  error: unknown,
  context: { sql?: string; cellSql?: string; statementStart?: number } = {},
): LakebookError {
  if (error instanceof LakebookError) return error;
  const raw = error instanceof Error ? error.message : String(error);
  const structured = parseStructured(raw);
  const message = structured ? structured.message : cleanSuggestions(dedupeContext(raw).trim());
  const sql = context.sql;

  // Core functions that bind to an extension at run time (AT TIME ZONE → icu) ignore the
  // autoload setting and try to fetch it; our repository setting makes that fail on our own origin.
  const refused = /lakebook refused a network request to (\S+)/.exec(message);
  if (refused) {
    return new LakebookError(
      'network-refused',
      `${refused[1]!.slice(0, 120)} is a remote address. lakebook runs offline and never sends your data or queries over the network. Download the file and add it with "Add files".`,
      { cause: error, ...(sql !== undefined ? { sql } : {}) },
    );
  }
  const ext = /exists in the (\w+) extension/.exec(message) ?? /required extension '(\w+)'/.exec(message);
  if (ext) {
    const extension = ext[1]!;
    const what = /with name "?([^"\s]+)"? is not in the catalog/.exec(message)?.[1];
    const advice = EXTENSION_ADVICE[extension] ?? 'Rewrite the query with core DuckDB functions.';
    return new LakebookError(
      'missing-extension',
      `${what ? `${what} needs` : 'This needs'} DuckDB's ${extension} extension, which is unavailable offline in lakebook. ${advice}`,
      { cause: error, ...(sql !== undefined ? { sql } : {}) },
    );
  }
  if (/out of memory|Out of Memory Error|could not allocate|failed to allocate/i.test(message)) {
    return new LakebookError(
      'out-of-memory',
      `The query needed more memory than the engine has (${firstLine(message)}). Nothing was lost: reduce the data (filter, aggregate, LIMIT) and run it again.`,
      { cause: error, ...(sql !== undefined ? { sql } : {}) },
    );
  }
  if (/INTERRUPT|Interrupted|cancel/i.test(message) && !/Parser Error/.test(message)) {
    return new LakebookError('cancelled', 'The query was cancelled.', { cause: error });
  }
  if (isEngineTrap(message)) {
    return new LakebookError(
      'engine-crashed',
      `The engine failed (${firstLine(message)}). It is being restarted; your files and tables come back.`,
      { cause: error },
    );
  }

  const code = codeOf(message);
  const position =
    structured?.offset !== undefined ? positionFromOffset(structured.offset, context) : positionFromMessage(message, context);
  const words = position ? `${message.replace(/\n\nLINE \d+:[\s\S]*$/, '')}` : message;
  const where = position ? ` (line ${position.line}, column ${position.column})` : '';
  return new LakebookError(code, `${words}${where}`, {
    cause: error,
    ...(sql !== undefined ? { sql } : {}),
    ...(position ? { position } : {}),
  });
}

/**
 * Errors of pending (cancellable) queries come as JSON: `{"exception_type":"Parser",
 * "exception_message":"…","position":"58"}`, where position is a character offset in the statement.
 */
function parseStructured(raw: string): { message: string; offset: number | undefined } | undefined {
  if (!raw.startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(raw) as { exception_type?: unknown; exception_message?: unknown; position?: unknown };
    if (typeof parsed.exception_type !== 'string' || typeof parsed.exception_message !== 'string') return undefined;
    const body = cleanSuggestions(parsed.exception_message.replace(/\n\nLINE \d+:[\s\S]*$/, '').trim());
    const offset = parsed.position === undefined ? undefined : Number(parsed.position);
    return { message: `${parsed.exception_type} Error: ${body}`, offset: Number.isFinite(offset) ? offset : undefined };
  } catch {
    return undefined;
  }
}

/** DuckDB suggests system tables for a typo (`Did you mean "pg_enum"?`); that only confuses. */
function cleanSuggestions(message: string): string {
  return message.replace(/\nDid you mean "(pg_|duckdb_|information_schema|sqlite_)[^"]*"\?/g, '');
}

function positionFromOffset(
  offset: number,
  context: { sql?: string; cellSql?: string; statementStart?: number },
): { line: number; column: number } {
  if (context.cellSql !== undefined && context.statementStart !== undefined) {
    return positionOf(context.cellSql, context.statementStart + offset);
  }
  return positionOf(context.sql ?? '', offset);
}

function codeOf(message: string): ErrorCode {
  if (/^Parser Error/.test(message)) return 'syntax';
  if (/^Catalog Error/.test(message)) return 'catalog';
  if (/^Binder Error/.test(message)) return 'binder';
  if (/^(Conversion|Invalid Input) Error/.test(message)) return 'conversion';
  if (/^Constraint Error/.test(message)) return 'constraint';
  return 'internal';
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

/** DuckDB-WASM sometimes repeats the `LINE n:` context block; keep one. */
function dedupeContext(message: string): string {
  const idx = message.indexOf('\n\nLINE ');
  if (idx < 0) return message;
  const block = message.slice(idx);
  const half = block.length / 2;
  if (Number.isInteger(half) && block.slice(0, half) === block.slice(half)) return message.slice(0, idx) + block.slice(0, half);
  return message;
}

/**
 * DuckDB reports `LINE n: <context>` and a caret line under it. The context may be a window of a
 * long line, so the caret is located by finding that window inside the real line.
 */
function positionFromMessage(
  message: string,
  context: { sql?: string; cellSql?: string; statementStart?: number },
): { line: number; column: number } | undefined {
  const m = /\nLINE (\d+): (.*)\n( *)\^/.exec(message);
  if (!m) return undefined;
  const line = Number(m[1]);
  const prefixLength = `LINE ${m[1]}: `.length;
  const contextText = m[2]!;
  const caretInContext = m[3]!.length - prefixLength;
  let column = caretInContext + 1;
  const sql = context.sql;
  if (sql !== undefined) {
    const actual = sql.split('\n')[line - 1] ?? '';
    const window = contextText.replace(/^\.\.\./, '').replace(/\.\.\.$/, '');
    const found = actual.indexOf(window);
    const lead = contextText.startsWith('...') ? 3 : 0;
    if (found >= 0) column = found + (caretInContext - lead) + 1;
    if (context.cellSql !== undefined && context.statementStart !== undefined) {
      const lineStartInStatement = sql.split('\n').slice(0, line - 1).join('\n').length + (line > 1 ? 1 : 0);
      return positionOf(context.cellSql, context.statementStart + lineStartInStatement + column - 1);
    }
  }
  return { line, column };
}

import type { CsvOptions } from './engine';
import { quoteString } from './table-naming';

/** Reader settings lakebook chooses itself, per file (never shown as CSV options). */
export interface CsvReadTuning {
  /** false for files whose line endings are mixed (DuckDB's strict mode refuses them); ragged lines are checked by lakebook then. */
  strict: boolean;
  /** Raised when a line is longer than DuckDB's default 2 MB. */
  maxLineSize: number | undefined;
}

export const DEFAULT_TUNING: CsvReadTuning = { strict: true, maxLineSize: undefined };

/**
 * The `read_csv(...)` call for a registered file; DuckDB's sniffer decides what is not overridden.
 * A quoted empty field (`""`) is an empty string and only an unquoted empty field is NULL, as in
 * PostgreSQL's CSV format: DuckDB's default makes both NULL and loses the difference.
 */
export function readCsvSql(virtualPath: string, options: CsvOptions = {}, tuning: CsvReadTuning = DEFAULT_TUNING): string {
  const args = [quoteString(virtualPath)];
  if (options.delimiter !== undefined && options.delimiter !== 'auto') args.push(`delim = ${quoteString(options.delimiter)}`);
  if (options.header !== undefined) args.push(`header = ${options.header}`);
  if (options.quote !== undefined) args.push(`quote = ${quoteString(options.quote)}`);
  if (options.skipRows !== undefined) args.push(`skip = ${Math.max(0, Math.floor(options.skipRows))}`);
  const types = Object.entries(options.types ?? {});
  if (types.length > 0) {
    const entries = types.map(([column, type]) => `${quoteString(column)}: ${quoteString(type)}`);
    args.push(`types = {${entries.join(', ')}}`);
  }
  args.push('allow_quoted_nulls = false');
  if (!tuning.strict) args.push('strict_mode = false');
  if (tuning.maxLineSize !== undefined) args.push(`max_line_size = ${Math.floor(tuning.maxLineSize)}`);
  return `read_csv(${args.join(', ')})`;
}

import type { CsvOptions } from './engine';
import { quoteString } from './table-naming';

/** The `read_csv(...)` call for a registered file; DuckDB's sniffer decides what is not overridden. */
export function readCsvSql(virtualPath: string, options: CsvOptions = {}): string {
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
  return `read_csv(${args.join(', ')})`;
}

import { LakebookError } from '../../engine/errors';
import { MAX_ROW_GROUP_SIZE, type ParquetCompression } from '../../engine/engine';
import { MAX_BUCKETS } from '../../lake/layout/bucket';
import { MAX_ZORDER_COLUMNS, MIN_ZORDER_COLUMNS } from '../../lake/layout/zorder';

/**
 * What an export does, whether it came from an export cell's info string (DESIGN §3) or from the
 * Export dialog. Column names are as the user wrote them; `plan.ts` resolves them against the source.
 */
export interface ExportSpec {
  /** A table name (`from=`), or a query (the cell's body). */
  source: { table: string } | { sql: string };
  format: ExportFormat;
  /** Undefined: what suits the browser (a folder where it can pick one, else a zip). */
  to: ExportDestination | undefined;
  /** The zip's file name (`file=`), `<source>.zip` by default. */
  fileName: string | undefined;
  /** The folder in browser storage for `to=opfs` (`path=`), `exports/<source>` by default. */
  opfsPath: string | undefined;
  parquet: { compression: ParquetCompression; rowGroupSize: number };
  csv: CsvFormat;
  partitionBy: PartitionKey[];
  /** The date/timestamp column `year`, `month` and `day` come from when written bare. */
  dateColumn: string | undefined;
  buckets: { column: string; count: number } | undefined;
  sortBy: SortKey[];
  zorderBy: string[];
  /** How NULL partition values are written: `NULL` (DuckDB reads it back as NULL) or Hive's default partition name. */
  nullPartition: 'null' | 'hive';
  /** Upper bound on rows one query sorts at once; derived from the engine's memory limit when undefined. */
  maxPassRows: number | undefined;
}

export type ExportFormat = 'parquet' | 'csv' | 'ndjson';
export type ExportDestination = 'zip' | 'folder' | 'opfs';
export type DatePart = 'year' | 'month' | 'day';

/** A Hive partition key: a column's value, or the year/month/day of a date or timestamp column. */
export type PartitionKey = { kind: 'column'; column: string } | { kind: 'date-part'; part: DatePart; column: string | undefined };

export interface SortKey {
  column: string;
  descending: boolean;
}

export interface CsvFormat {
  header: boolean;
  delimiter: string;
  quote: string;
  /** How NULL is written (nothing between delimiters by default). */
  nullText: string;
  /** Prefix values starting with = + - @ (and tab, CR) with `'` so a spreadsheet shows them as text instead of running them. */
  spreadsheetSafe: boolean;
}

export const DEFAULT_ROW_GROUP_SIZE = 122_880;

export const DEFAULT_CSV: CsvFormat = { header: true, delimiter: ',', quote: '"', nullText: '', spreadsheetSafe: false };

/** Every attribute an export cell understands; anything else is a typo worth reporting. */
export const EXPORT_ATTRIBUTES = [
  'from', 'format', 'to', 'file', 'path', 'compression', 'row_group_size', 'partition_by', 'date_column',
  'buckets', 'bucket_by', 'sort_by', 'zorder_by', 'header', 'delimiter', 'quote', 'null', 'safe', 'null_partition',
  'max_pass_rows', 'name', 'requires',
] as const;

function invalid(message: string): LakebookError {
  return new LakebookError('invalid-option', message);
}

/** Splits `a, b ,c` into names; quoted names (`"my col"`) keep their commas and spaces. */
export function splitList(value: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '"') {
      if (quoted && value[i + 1] === '"') {
        current += '"';
        i++;
      } else quoted = !quoted;
    } else if (c === ',' && !quoted) {
      out.push(current.trim());
      current = '';
    } else current += c;
  }
  if (quoted) throw invalid(`A quoted column name is not closed in "${value}".`);
  out.push(current.trim());
  return out.filter((s) => s !== '');
}

const DATE_PART = /^(year|month|day)\s*\(\s*(.+?)\s*\)$/i;

export function parsePartitionKeys(value: string): PartitionKey[] {
  return splitList(value).map((item): PartitionKey => {
    const call = DATE_PART.exec(item);
    if (call) return { kind: 'date-part', part: call[1]!.toLowerCase() as DatePart, column: unquote(call[2]!) };
    return { kind: 'column', column: item };
  });
}

function unquote(name: string): string {
  return /^".*"$/.test(name) ? name.slice(1, -1).replace(/""/g, '"') : name;
}

export function parseSortKeys(value: string): SortKey[] {
  return splitList(value).map((item) => {
    const m = /^(.*?)(?:\s+(asc|desc))?$/i.exec(item)!;
    return { column: m[1]!.trim(), descending: (m[2] ?? '').toLowerCase() === 'desc' };
  });
}

function wholeNumber(value: string, what: string, min: number, max: number): number {
  const n = Number(value.replace(/_/g, ''));
  if (!/^\s*[0-9_]+\s*$/.test(value) || !Number.isInteger(n) || n < min || n > max) {
    throw invalid(`${what} must be a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}, not "${value}".`);
  }
  return n;
}

function flag(value: string | undefined, what: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  const v = value.toLowerCase();
  if (v === '' || v === 'true' || v === 'yes' || v === '1') return true;
  if (v === 'false' || v === 'no' || v === '0') return false;
  throw invalid(`${what} takes true or false, not "${value}".`);
}

function oneOf<T extends string>(value: string | undefined, what: string, allowed: readonly T[], aliases: Record<string, T> = {}): T | undefined {
  if (value === undefined) return undefined;
  const v = value.toLowerCase();
  const hit = (allowed as readonly string[]).includes(v) ? (v as T) : aliases[v];
  if (!hit) throw invalid(`${what} must be ${allowed.join(', ').replace(/, ([^,]*)$/, ' or $1')}, not "${value}".`);
  return hit;
}

function singleChar(value: string, what: string): string {
  const named: Record<string, string> = { tab: '\t', '\\t': '\t', comma: ',', semicolon: ';', pipe: '|', space: ' ' };
  const c = named[value.toLowerCase()] ?? value;
  // ASCII only: the CSV writer scans UTF-8 bytes for it, and every CSV reader handles those.
  if (c.length !== 1 || c.charCodeAt(0) > 0x7e || c === '\n' || c === '\r') throw invalid(`${what} must be one ASCII character (or tab), not "${value}".`);
  return c;
}

/** Reads an export cell: its info-string attributes and its body (a query, when there is no `from=`). */
export function parseExportCell(attributes: Readonly<Record<string, string>>, body: string): ExportSpec {
  const unknown = Object.keys(attributes).filter((k) => !(EXPORT_ATTRIBUTES as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw invalid(`Unknown export option${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}. Export cells take: ${EXPORT_ATTRIBUTES.filter((a) => a !== 'max_pass_rows').join(', ')}.`);
  }
  const a = attributes;
  const query = body.trim();
  let source: ExportSpec['source'];
  if (a.from !== undefined && a.from.trim() !== '') {
    if (query !== '') throw invalid('An export cell takes either from=<table> or a query in its body, not both.');
    source = { table: a.from.trim() };
  } else if (query !== '') source = { sql: query };
  else throw invalid('Say what to export: from=<table> on the fence line, or a query in the cell.');

  const format = oneOf(a.format, 'format', ['parquet', 'csv', 'ndjson'] as const, { jsonl: 'ndjson', json: 'ndjson' }) ?? 'parquet';
  const to = oneOf(a.to, 'to', ['zip', 'folder', 'opfs'] as const);
  const compression = oneOf(a.compression, 'compression', ['zstd', 'snappy', 'uncompressed'] as const, { none: 'uncompressed' }) ?? 'zstd';
  if (a.compression !== undefined && format !== 'parquet') throw invalid('compression= applies to Parquet only (zip archives deflate CSV and NDJSON themselves).');
  const rowGroupSize = a.row_group_size === undefined ? DEFAULT_ROW_GROUP_SIZE : wholeNumber(a.row_group_size, 'row_group_size', 1, MAX_ROW_GROUP_SIZE);

  const csvKeys = ['header', 'delimiter', 'quote', 'null', 'safe'].filter((k) => a[k] !== undefined);
  if (csvKeys.length > 0 && format !== 'csv') throw invalid(`${csvKeys.join(', ')} appl${csvKeys.length > 1 ? 'y' : 'ies'} to CSV only (format=csv).`);
  const csv: CsvFormat = {
    header: flag(a.header, 'header', DEFAULT_CSV.header),
    delimiter: a.delimiter === undefined ? DEFAULT_CSV.delimiter : singleChar(a.delimiter, 'delimiter'),
    quote: a.quote === undefined ? DEFAULT_CSV.quote : singleChar(a.quote, 'quote'),
    nullText: a.null ?? DEFAULT_CSV.nullText,
    spreadsheetSafe: flag(a.safe, 'safe', DEFAULT_CSV.spreadsheetSafe),
  };
  if (csv.quote === csv.delimiter) throw invalid('The CSV quote and delimiter must differ.');

  let buckets: ExportSpec['buckets'];
  if (a.buckets !== undefined || a.bucket_by !== undefined) {
    if (a.buckets === undefined || a.bucket_by === undefined || a.bucket_by.trim() === '') {
      throw invalid('Hash buckets need both buckets=<number of files> and bucket_by=<column>.');
    }
    const count = Number(a.buckets);
    if (!/^\s*\d+\s*$/.test(a.buckets) || count < 1 || count > MAX_BUCKETS) {
      throw invalid(`buckets must be a whole number of files from 1 to ${MAX_BUCKETS.toLocaleString('en-US')}, not "${a.buckets}".`);
    }
    const columns = splitList(a.bucket_by);
    if (columns.length !== 1) throw invalid(`bucket_by takes one column, not "${a.bucket_by}".`);
    buckets = { column: columns[0]!, count };
  }

  const zorderBy = a.zorder_by === undefined ? [] : splitList(a.zorder_by);
  const sortBy = a.sort_by === undefined ? [] : parseSortKeys(a.sort_by);
  checkLayout(sortBy, zorderBy);

  return {
    source,
    format,
    to,
    fileName: a.file?.trim() || undefined,
    opfsPath: a.path?.trim() || undefined,
    parquet: { compression, rowGroupSize },
    csv,
    partitionBy: a.partition_by === undefined ? [] : parsePartitionKeys(a.partition_by),
    dateColumn: a.date_column?.trim() || undefined,
    buckets,
    sortBy,
    zorderBy,
    nullPartition: oneOf(a.null_partition, 'null_partition', ['null', 'hive'] as const) ?? 'null',
    maxPassRows: a.max_pass_rows === undefined ? undefined : wholeNumber(a.max_pass_rows, 'max_pass_rows', 1, Number.MAX_SAFE_INTEGER),
  };
}

/** Checks what can be decided without the source: Z-order and sort exclude each other, Z-order takes 2–4 columns. */
export function checkLayout(sortBy: readonly SortKey[], zorderBy: readonly string[]): void {
  if (sortBy.length > 0 && zorderBy.length > 0) {
    throw invalid('Choose sort_by or zorder_by, not both: a file has one row order.');
  }
  if (zorderBy.length > 0 && (zorderBy.length < MIN_ZORDER_COLUMNS || zorderBy.length > MAX_ZORDER_COLUMNS)) {
    throw invalid(`zorder_by takes ${MIN_ZORDER_COLUMNS} to ${MAX_ZORDER_COLUMNS} columns, not ${zorderBy.length}${zorderBy.length === 1 ? ' (to order by one column, use sort_by)' : ''}.`);
  }
}

function listValue(names: readonly string[]): string {
  return names.map((n) => (/^[\p{L}\p{N}_]+$/u.test(n) ? n : `"${n.replace(/"/g, '""')}"`)).join(',');
}

/** The info-string attributes for a spec (the dialog's "Insert as cell"); defaults are left out. */
export function toCellAttributes(spec: ExportSpec): Record<string, string> {
  const out: Record<string, string> = {};
  if ('table' in spec.source) out.from = spec.source.table;
  out.format = spec.format;
  if (spec.to) out.to = spec.to;
  if (spec.fileName) out.file = spec.fileName;
  if (spec.opfsPath) out.path = spec.opfsPath;
  if (spec.format === 'parquet') {
    if (spec.parquet.compression !== 'zstd') out.compression = spec.parquet.compression;
    if (spec.parquet.rowGroupSize !== DEFAULT_ROW_GROUP_SIZE) out.row_group_size = String(spec.parquet.rowGroupSize);
  }
  if (spec.partitionBy.length > 0) {
    out.partition_by = spec.partitionBy
      .map((k) => (k.kind === 'column' ? listValue([k.column]) : k.column ? `${k.part}(${listValue([k.column])})` : k.part))
      .join(',');
  }
  if (spec.dateColumn) out.date_column = spec.dateColumn;
  if (spec.buckets) {
    out.buckets = String(spec.buckets.count);
    out.bucket_by = listValue([spec.buckets.column]);
  }
  if (spec.sortBy.length > 0) out.sort_by = spec.sortBy.map((k) => `${listValue([k.column])}${k.descending ? ' desc' : ''}`).join(',');
  if (spec.zorderBy.length > 0) out.zorder_by = listValue(spec.zorderBy);
  if (spec.format === 'csv') {
    if (!spec.csv.header) out.header = 'false';
    if (spec.csv.delimiter !== ',') out.delimiter = spec.csv.delimiter === '\t' ? 'tab' : spec.csv.delimiter;
    if (spec.csv.quote !== '"') out.quote = spec.csv.quote;
    if (spec.csv.nullText !== '') out.null = spec.csv.nullText;
    if (spec.csv.spreadsheetSafe) out.safe = 'true';
  }
  if (spec.nullPartition !== 'null') out.null_partition = spec.nullPartition;
  return out;
}

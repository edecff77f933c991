import type { ColumnInfo, ParquetCompression } from '../../engine/engine';
import {
  DEFAULT_CSV,
  DEFAULT_ROW_GROUP_SIZE,
  parseExportCell,
  type CsvFormat,
  type ExportDestination,
  type ExportFormat,
  type ExportSpec,
} from '../../cells/export/options';

/** The Export dialog's fields. They become an export cell's attributes, so the dialog and cells agree exactly. */
export interface ExportForm {
  format: ExportFormat;
  compression: ParquetCompression;
  rowGroupSize: number;
  /** Partition keys in order: a column name, or `year(col)`, `month(col)`, `day(col)`. */
  partitions: string[];
  bucketColumn: string;
  /** 0: no buckets. */
  bucketCount: number;
  layout: 'none' | 'sort' | 'zorder';
  orderColumns: string[];
  descending: boolean;
  to: ExportDestination;
  fileName: string;
  opfsPath: string;
  csv: CsvFormat;
}

/** Where the dialog's rows come from: a table, or a query (an unnamed cell's SQL). */
export type SourceRef = { table: string } | { sql: string };

const TEMPORAL = /^(DATE|TIMESTAMP|DATETIME)/i;

export function temporalColumns(columns: readonly ColumnInfo[]): string[] {
  return columns.filter((c) => TEMPORAL.test(c.type)).map((c) => c.name);
}

export function defaultForm(to: ExportDestination): ExportForm {
  return {
    format: 'parquet',
    compression: 'zstd',
    rowGroupSize: DEFAULT_ROW_GROUP_SIZE,
    partitions: [],
    bucketColumn: '',
    bucketCount: 0,
    layout: 'none',
    orderColumns: [],
    descending: false,
    to,
    fileName: '',
    opfsPath: '',
    csv: { ...DEFAULT_CSV },
  };
}

function quoteName(name: string): string {
  return /^[\p{L}\p{N}_]+$/u.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** The export cell attributes for the form (no `name`); what "Insert as cell" writes. */
export function formAttributes(form: ExportForm, source: SourceRef): Record<string, string> {
  const a: Record<string, string> = {};
  if ('table' in source) a.from = source.table;
  a.format = form.format;
  a.to = form.to;
  if (form.to === 'zip' && form.fileName.trim()) a.file = form.fileName.trim();
  if (form.to === 'opfs' && form.opfsPath.trim()) a.path = form.opfsPath.trim();
  if (form.format === 'parquet') {
    if (form.compression !== 'zstd') a.compression = form.compression;
    if (form.rowGroupSize !== DEFAULT_ROW_GROUP_SIZE) a.row_group_size = String(form.rowGroupSize);
  }
  if (form.partitions.length > 0) {
    a.partition_by = form.partitions.map((p) => (/^(year|month|day)\(.*\)$/.test(p) ? p.replace(/\((.*)\)$/, (_, c: string) => `(${quoteName(c)})`) : quoteName(p))).join(',');
  }
  if (form.bucketCount !== 0 || form.bucketColumn) {
    a.buckets = String(form.bucketCount);
    a.bucket_by = quoteName(form.bucketColumn);
  }
  if (form.layout === 'sort' && form.orderColumns.length > 0) a.sort_by = form.orderColumns.map((c) => `${quoteName(c)}${form.descending ? ' desc' : ''}`).join(',');
  if (form.layout === 'zorder' && form.orderColumns.length > 0) a.zorder_by = form.orderColumns.map(quoteName).join(',');
  if (form.format === 'csv') {
    if (!form.csv.header) a.header = 'false';
    if (form.csv.delimiter !== ',') a.delimiter = form.csv.delimiter === '\t' ? 'tab' : form.csv.delimiter;
    if (form.csv.quote !== '"') a.quote = form.csv.quote;
    if (form.csv.nullText !== '') a.null = form.csv.nullText;
    if (form.csv.spreadsheetSafe) a.safe = 'true';
  }
  return a;
}

/** The spec the form describes, checked exactly as an export cell's would be (throws the same errors). */
export function formSpec(form: ExportForm, source: SourceRef): ExportSpec {
  return parseExportCell(formAttributes(form, source), 'sql' in source ? source.sql : '');
}

/** The form for an export cell's spec (the dialog opened from a cell). */
export function specForm(spec: ExportSpec): ExportForm {
  return {
    format: spec.format,
    compression: spec.parquet.compression,
    rowGroupSize: spec.parquet.rowGroupSize,
    partitions: spec.partitionBy.map((k) => (k.kind === 'column' ? k.column : `${k.part}(${k.column ?? spec.dateColumn ?? ''})`)),
    bucketColumn: spec.buckets?.column ?? '',
    bucketCount: spec.buckets?.count ?? 0,
    layout: spec.zorderBy.length > 0 ? 'zorder' : spec.sortBy.length > 0 ? 'sort' : 'none',
    orderColumns: spec.zorderBy.length > 0 ? [...spec.zorderBy] : spec.sortBy.map((k) => k.column),
    descending: spec.sortBy.some((k) => k.descending),
    to: spec.to ?? 'zip',
    fileName: spec.fileName ?? '',
    opfsPath: spec.opfsPath ?? '',
    csv: { ...spec.csv },
  };
}

import { BUCKET_HASH_NAME } from '../../lake/layout/bucket';
import { bitsPerColumn } from '../../lake/layout/zorder';
import type { ExportPlan } from './plan';
import { HIVE_DEFAULT_PARTITION } from './partition-path';

/**
 * `_manifest.json`: what an export wrote, for a reader that wants to check it or skip files without
 * opening them. Written after every data file and before `_SUCCESS`. The shape is public (docs/export.md)
 * and versioned by `format_version`.
 */
export const MANIFEST_FILE = '_manifest.json';
export const SUCCESS_FILE = '_SUCCESS';
export const MANIFEST_VERSION = 1;

export type StatValue = number | string | null;

export interface ColumnStats {
  /** Smallest and largest non-NULL value: a JSON number for integers and floats that fit, else DuckDB's text. Absent for nested columns. */
  min?: StatValue;
  max?: StatValue;
  null_count: number;
}

export interface ManifestFile {
  path: string;
  rows: number;
  bytes: number;
  sha256: string;
  /** Partition key → value as text (DuckDB's text form), null for NULL. Empty when unpartitioned. */
  partition: Record<string, string | null>;
  bucket?: number;
  stats: Record<string, ColumnStats>;
}

export interface ExportManifest {
  format_version: number;
  created_by: string;
  created_at: string;
  source: string;
  format: 'parquet' | 'csv' | 'ndjson';
  parquet?: { compression: string; row_group_size: number };
  csv?: { header: boolean; delimiter: string; quote: string; null: string; spreadsheet_safe: boolean; newline: '\n' };
  /** The columns inside each file, with DuckDB's types. */
  schema: { name: string; type: string }[];
  partitioning: {
    style: 'hive';
    keys: { name: string; column: string; transform: 'identity' | 'year' | 'month' | 'day'; type: string }[];
    null_value: string;
  } | null;
  bucketing: { column: string; buckets: number; hash: string; definition: string } | null;
  ordering: { kind: 'none' } | { kind: 'sort'; keys: { column: string; descending: boolean }[] } | { kind: 'zorder'; columns: string[]; bits_per_column: number; ranking: string };
  rows: number;
  bytes: number;
  files: ManifestFile[];
}

const INTEGER = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/i;
const FLOAT = /^(FLOAT|REAL|DOUBLE)$/i;

/** A statistic as JSON: integers within 2^53 and finite floats as numbers; everything else as DuckDB's text. */
export function statValue(text: string | null | undefined, type: string): StatValue {
  if (text === null || text === undefined) return null;
  if (INTEGER.test(type.trim())) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : text;
  }
  if (FLOAT.test(type.trim())) {
    const n = Number(text);
    return Number.isFinite(n) ? n : text;
  }
  return text;
}

export function buildManifest(plan: ExportPlan, files: ManifestFile[], createdAt: Date): ExportManifest {
  const { spec } = plan;
  return {
    format_version: MANIFEST_VERSION,
    created_by: 'lakebook',
    created_at: createdAt.toISOString(),
    source: plan.source.label,
    format: spec.format,
    ...(spec.format === 'parquet' ? { parquet: { compression: spec.parquet.compression, row_group_size: spec.parquet.rowGroupSize } } : {}),
    ...(spec.format === 'csv'
      ? { csv: { header: spec.csv.header, delimiter: spec.csv.delimiter, quote: spec.csv.quote, null: spec.csv.nullText, spreadsheet_safe: spec.csv.spreadsheetSafe, newline: '\n' as const } }
      : {}),
    schema: plan.dataColumns.map((c) => ({ name: c.name, type: c.type })),
    partitioning:
      plan.keys.length === 0
        ? null
        : {
            style: 'hive',
            keys: plan.keys.map((k) => ({ name: k.name, column: k.column, transform: k.transform, type: k.type })),
            null_value: spec.nullPartition === 'hive' ? HIVE_DEFAULT_PARTITION : 'NULL',
          },
    bucketing: plan.bucket
      ? {
          column: plan.bucket.column,
          buckets: plan.bucket.count,
          hash: BUCKET_HASH_NAME,
          definition: 'bucket = uint64(first 8 bytes of MD5(UTF-8 of CAST(value AS VARCHAR)), big-endian) mod buckets; NULL → 0',
        }
      : null,
    ordering:
      plan.ordering.kind === 'zorder'
        ? {
            kind: 'zorder',
            columns: plan.ordering.columns,
            bits_per_column: bitsPerColumn(plan.ordering.columns.length),
            ranking: 'dense rank within the file, NULLs last, scaled to the bits; bits interleaved, first column most significant',
          }
        : plan.ordering.kind === 'sort'
          ? { kind: 'sort', keys: plan.ordering.keys.map((k) => ({ column: k.column, descending: k.descending })) }
          : { kind: 'none' },
    rows: files.reduce((n, f) => n + f.rows, 0),
    bytes: files.reduce((n, f) => n + f.bytes, 0),
    files,
  };
}

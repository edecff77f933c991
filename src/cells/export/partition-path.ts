/**
 * Hive-style partition folders: `year=2024/month=3/part-00000.parquet`.
 *
 * Values are DuckDB's text form of the key (`CAST(v AS VARCHAR)`). Characters that are special in a
 * path or in Hive's own escaping (`/ \ : = % " # ' * ? { [ ] ^ < > |`, control characters, and a
 * trailing space or dot, which Windows drops) are written as `%XX`, which DuckDB, Spark, Trino and
 * pyarrow all decode. Other characters, non-ASCII letters included, stay as they are, because
 * Spark's decoder handles only single-byte escapes. NULL is written `NULL`, which DuckDB reads back
 * as NULL, or Hive's `__HIVE_DEFAULT_PARTITION__` (`null_partition=hive`) for Spark and Hive readers.
 */

const SPECIAL = new Set([...'/\\:=%"#\'*?{[]^<>|']);
export const HIVE_DEFAULT_PARTITION = '__HIVE_DEFAULT_PARTITION__';

function hex(c: string): string {
  return `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
}

export function escapePartitionValue(value: string): string {
  let out = '';
  const chars = [...value];
  chars.forEach((c, i) => {
    const code = c.codePointAt(0)!;
    const last = i === chars.length - 1;
    if (code < 0x20 || code === 0x7f || SPECIAL.has(c) || (last && (c === ' ' || c === '.'))) out += hex(c);
    else out += c;
  });
  return out;
}

export function partitionSegment(key: string, value: string | null, nullPartition: 'null' | 'hive'): string {
  const text = value === null ? (nullPartition === 'hive' ? HIVE_DEFAULT_PARTITION : 'NULL') : escapePartitionValue(value);
  return `${escapePartitionValue(key)}=${text}`;
}

export type FileExtension = 'parquet' | 'csv' | 'ndjson';

/**
 * A data file's path: the partition folders, then `part-00000.<ext>` (unbucketed, one file per
 * partition) or `bucket-00003.<ext>` (bucket 3 of N; the manifest records N and the hash).
 */
export function dataFilePath(
  partition: readonly { key: string; value: string | null }[],
  bucket: number | undefined,
  extension: FileExtension,
  nullPartition: 'null' | 'hive',
): string {
  const folders = partition.map((p) => partitionSegment(p.key, p.value, nullPartition));
  const file = bucket === undefined ? `part-00000.${extension}` : `bucket-${String(bucket).padStart(5, '0')}.${extension}`;
  return [...folders, file].join('/');
}

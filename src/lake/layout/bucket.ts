/**
 * Hash bucketing: which of N files a row goes to, by one column.
 *
 *     bucket(v) = uint64(first 8 bytes of MD5(utf8(text(v))), big-endian) mod N;   NULL → bucket 0
 *
 * where text(v) is DuckDB's own text form of the value (`CAST(v AS VARCHAR)`: `42`, `2024-01-05`,
 * `abc`). MD5 because it is stable across versions, platforms and languages, unlike DuckDB's `hash()`,
 * whose values are an implementation detail. Anyone can recompute a bucket, e.g. in Python:
 * `int(hashlib.md5(str(v).encode()).hexdigest()[:16], 16) % n`. The same value of another type (1 as
 * INTEGER vs 1.0 as DOUBLE) has another text and may land in another bucket.
 */

export const BUCKET_HASH_NAME = 'md5-uint64-be-mod';
export const MAX_BUCKETS = 10_000;

/** The SQL for a row's bucket (0…n−1) from an expression of any type. */
export function bucketSql(expr: string, buckets: number): string {
  if (!Number.isInteger(buckets) || buckets < 1 || buckets > MAX_BUCKETS) {
    throw new RangeError(`The number of buckets must be a whole number from 1 to ${MAX_BUCKETS}, not ${buckets}.`);
  }
  return `coalesce(CAST(('0x' || substr(md5(CAST(${expr} AS VARCHAR)), 1, 16))::UBIGINT % ${buckets} AS INTEGER), 0)`;
}

/** The bucket of a value's text form, given its MD5 digest as hex (the reference definition). */
export function bucketOfDigest(md5Hex: string, buckets: number): number {
  return Number(BigInt(`0x${md5Hex.slice(0, 16)}`) % BigInt(buckets));
}

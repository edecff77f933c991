/**
 * Column types as users name them in `expect_column_values_to_be_of_type` / `…_in_type_list`: DuckDB's
 * names, the SQL names GE's SQLAlchemy engine reports, pandas dtypes and Spark type names. A written
 * name matches a column when the column's DuckDB type is one of the types the name stands for.
 */

const GROUPS: Record<string, readonly string[]> = {
  TINYINT: ['tinyint', 'int1', 'byte', 'bytetype', 'byteint'],
  SMALLINT: ['smallint', 'int2', 'short', 'int16', 'shorttype'],
  INTEGER: ['integer', 'int', 'int4', 'int32', 'signed', 'integertype'],
  BIGINT: ['bigint', 'int8', 'long', 'int64', 'longtype'],
  HUGEINT: ['hugeint', 'int128'],
  UTINYINT: ['utinyint', 'uint8'],
  USMALLINT: ['usmallint', 'uint16'],
  UINTEGER: ['uinteger', 'uint32'],
  UBIGINT: ['ubigint', 'uint64'],
  UHUGEINT: ['uhugeint', 'uint128'],
  FLOAT: ['float', 'float4', 'real', 'float32', 'floattype'],
  DOUBLE: ['double', 'float8', 'float64', 'double_precision', 'double precision', 'doubletype', 'float'],
  DECIMAL: ['decimal', 'numeric', 'decimaltype'],
  BOOLEAN: ['boolean', 'bool', 'logical', 'booleantype'],
  VARCHAR: ['varchar', 'string', 'str', 'text', 'char', 'bpchar', 'nvarchar', 'object', 'stringtype'],
  DATE: ['date', 'datetype'],
  TIME: ['time'],
  TIMESTAMP: ['timestamp', 'datetime', 'datetime64', 'datetime64[ns]', 'datetime64[us]', 'timestamp_ntz', 'timestamptype', 'timestampntztype'],
  'TIMESTAMP WITH TIME ZONE': ['timestamptz', 'timestamp with time zone', 'datetime64[ns, utc]'],
  INTERVAL: ['interval', 'timedelta', 'timedelta64[ns]'],
  BLOB: ['blob', 'bytes', 'binary', 'bytea', 'varbinary', 'binarytype'],
  UUID: ['uuid'],
};

/** Python's `int` names every integer width. */
const EXTRA: Record<string, readonly string[]> = {
  int: ['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT'],
  timestamp: ['TIMESTAMP', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS'],
  datetime: ['TIMESTAMP', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS'],
};

/** Whether the type name a user wrote matches the DuckDB type of a column. */
export function typeMatches(written: string, duckType: string): boolean {
  const w = written.trim().toLowerCase();
  const actual = duckType.toUpperCase();
  if (w === actual.toLowerCase()) return true;
  const base = actual.replace(/\(.*\)$/, '');
  if (w === base.toLowerCase()) return true;
  if (EXTRA[w]?.includes(base)) return true;
  return (GROUPS[base] ?? []).includes(w);
}

import { describe, expect, it } from 'vitest';
import { dataFilePath, escapePartitionValue, partitionSegment } from './partition-path';

describe('partition paths', () => {
  it('escapes what a path or Hive reserves, and keeps letters of every script', () => {
    expect(escapePartitionValue('a/b')).toBe('a%2Fb');
    expect(escapePartitionValue('x=1:2%')).toBe('x%3D1%3A2%25');
    expect(escapePartitionValue('héllo wörld')).toBe('héllo wörld');
    expect(escapePartitionValue('서울')).toBe('서울');
    expect(escapePartitionValue('tab\there\n')).toBe('tab%09here%0A');
    expect(escapePartitionValue('trailing. ')).toBe('trailing.%20');
    expect(escapePartitionValue('end.')).toBe('end%2E');
    expect(escapePartitionValue('C:\\dir|<x>?*"\'#{[]}^')).toBe('C%3A%5Cdir%7C%3Cx%3E%3F%2A%22%27%23%7B%5B%5D}%5E');
    expect(escapePartitionValue('')).toBe('');
  });

  it('writes NULL as DuckDB reads it back, or as Hive default partition', () => {
    expect(partitionSegment('region', null, 'null')).toBe('region=NULL');
    expect(partitionSegment('region', null, 'hive')).toBe('region=__HIVE_DEFAULT_PARTITION__');
    expect(partitionSegment('a=b', 'x', 'null')).toBe('a%3Db=x');
  });

  it('names files part-00000 per partition, or bucket-NNNNN per bucket', () => {
    expect(dataFilePath([{ key: 'year', value: '2024' }, { key: 'month', value: '3' }], undefined, 'parquet', 'null')).toBe('year=2024/month=3/part-00000.parquet');
    expect(dataFilePath([], 7, 'csv', 'null')).toBe('bucket-00007.csv');
    expect(dataFilePath([], undefined, 'ndjson', 'null')).toBe('part-00000.ndjson');
  });
});

import { describe, expect, it } from 'vitest';
import { parseExportCell } from '../../cells/export/options';
import { defaultForm, formAttributes, formSpec, specForm } from './export-form';

describe('export form', () => {
  it('becomes the same attributes an export cell would carry, and back', () => {
    const form = {
      ...defaultForm('zip'),
      partitions: ['region', 'year(order date)', 'month(order date)'],
      bucketColumn: 'customer_id',
      bucketCount: 10,
      layout: 'zorder' as const,
      orderColumns: ['x', 'y'],
      compression: 'snappy' as const,
      fileName: 'out.zip',
    };
    const attributes = formAttributes(form, { table: 'orders' });
    expect(attributes).toEqual({
      from: 'orders', format: 'parquet', to: 'zip', file: 'out.zip', compression: 'snappy',
      partition_by: 'region,year("order date"),month("order date")', buckets: '10', bucket_by: 'customer_id', zorder_by: 'x,y',
    });
    const spec = formSpec(form, { table: 'orders' });
    expect(spec.partitionBy).toEqual([
      { kind: 'column', column: 'region' },
      { kind: 'date-part', part: 'year', column: 'order date' },
      { kind: 'date-part', part: 'month', column: 'order date' },
    ]);
    expect(specForm(spec)).toMatchObject({ partitions: form.partitions, bucketCount: 10, layout: 'zorder', orderColumns: ['x', 'y'], fileName: 'out.zip' });
    expect(parseExportCell(formAttributes(specForm(spec), { table: 'orders' }), '')).toEqual(spec);
  });

  it('refuses what a cell refuses: a bucket column with 0 files, Z-order on one column', () => {
    expect(() => formSpec({ ...defaultForm('zip'), bucketColumn: 'c', bucketCount: 0 }, { table: 't' })).toThrow(/buckets must be a whole number of files from 1/);
    expect(() => formSpec({ ...defaultForm('zip'), layout: 'zorder', orderColumns: ['x'] }, { table: 't' })).toThrow(/2 to 4 columns/);
  });

  it('takes a query as the source of an unnamed result', () => {
    expect(formSpec(defaultForm('opfs'), { sql: 'SELECT 1 AS a' }).source).toEqual({ sql: 'SELECT 1 AS a' });
  });
});

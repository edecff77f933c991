import { describe, expect, it } from 'vitest';
import { fileStem, formatOf, quoteIdent, sanitizeTableName, tableNameForFile, uniqueName } from './table-naming';

describe('table names from file names', () => {
  it('takes the stem, without known extensions and folders', () => {
    expect(fileStem('data/2024/Sales Report.csv')).toBe('Sales Report');
    expect(fileStem('events.ndjson.gz')).toBe('events');
    expect(fileStem('archive.tar')).toBe('archive');
    expect(fileStem('.hidden')).toBe('.hidden');
  });

  it('sanitizes to a bare SQL identifier', () => {
    expect(sanitizeTableName('Sales Report (2024)')).toBe('sales_report_2024');
    expect(sanitizeTableName('Café_Ümlaut')).toBe('cafe_umlaut');
    expect(sanitizeTableName('2024-orders')).toBe('t_2024_orders');
    expect(sanitizeTableName('数据')).toBe('数据');
    expect(sanitizeTableName('매출 2024')).toBe('매출_2024');
    expect(sanitizeTableName('---')).toBe('data');
    expect(sanitizeTableName('x'.repeat(100))).toHaveLength(63);
  });

  it('steers clear of keywords', () => {
    expect(sanitizeTableName('select')).toBe('select_');
    expect(sanitizeTableName('semi', new Set(['semi']))).toBe('semi_');
    expect(sanitizeTableName('orders', new Set(['semi']))).toBe('orders');
  });

  it('de-duplicates case-insensitively', () => {
    expect(uniqueName('sales', ['Sales'])).toBe('sales_2');
    expect(uniqueName('sales', ['sales', 'sales_2'])).toBe('sales_3');
    expect(tableNameForFile('sales.parquet', ['sales'])).toBe('sales_2');
  });

  it('detects formats by extension', () => {
    expect(formatOf('a.TSV')).toBe('csv');
    expect(formatOf('a.pq')).toBe('parquet');
    expect(formatOf('a.jsonl')).toBe('ndjson');
    expect(formatOf('a.csv.gz')).toBe('csv');
    expect(formatOf('a.xlsx')).toBeUndefined();
  });

  it('quotes identifiers', () => {
    expect(quoteIdent('we"ird')).toBe('"we""ird"');
  });
});

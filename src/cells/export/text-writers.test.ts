import type { Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnInfo, RowsResult } from '../../engine/engine';
import type { LakebookEngine } from '../../engine/lakebook-engine';
import { createNodeEngine } from '../../engine/node-engine';
import { quoteIdent } from '../../engine/table-naming';
import { DEFAULT_CSV } from './options';
import { createCsvWriter, createNdjsonWriter, decimalText, textSelectList } from './text-writers';

let engine: LakebookEngine;
beforeAll(async () => {
  engine = createNodeEngine();
  await engine.ready();
});
afterAll(() => engine.close());

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

async function batches(sql: string, columns: ColumnInfo[], format: 'csv' | 'ndjson'): Promise<Table[]> {
  const out: Table[] = [];
  for await (const b of engine.stream(`SELECT ${textSelectList(columns, format, quoteIdent).join(', ')} FROM (${sql})`)) out.push(b);
  return out;
}

const VALUES = `SELECT * FROM (VALUES
  (1, 'plain', 1.5::DECIMAL(6,2), DATE '2024-01-05', true),
  (2, 'has,comma', -2.25, NULL, false),
  (3, 'has "quote"', 0, DATE '1999-12-31', NULL),
  (4, E'line\\nbreak', 10, DATE '2000-02-29', true),
  (5, '', 3, DATE '2024-01-05', true),
  (6, NULL, 3, DATE '2024-01-05', true),
  (7, '=SUM(A1:A9)', 3, DATE '2024-01-05', true),
  (8, '-1+1', 3, DATE '2024-01-05', true)
) t(id, s, amount, d, ok)`;
const COLUMNS: ColumnInfo[] = [
  { name: 'id', type: 'INTEGER' },
  { name: 's', type: 'VARCHAR' },
  { name: 'amount', type: 'DECIMAL(6,2)' },
  { name: 'd', type: 'DATE' },
  { name: 'ok', type: 'BOOLEAN' },
];

describe('CSV writer', () => {
  it('quotes per RFC 4180, tells empty from NULL, and reads back identically through DuckDB', async () => {
    const writer = createCsvWriter(COLUMNS, DEFAULT_CSV);
    const text = decode(writer.header()) + (await batches(VALUES, COLUMNS, 'csv')).map((b) => decode(writer.rows(b))).join('');
    expect(text.split('\n').slice(0, 4)).toEqual(['id,s,amount,d,ok', '1,plain,1.50,2024-01-05,true', '2,"has,comma",-2.25,,false', '3,"has ""quote""",0.00,1999-12-31,']);
    expect(text).toContain('5,"",3.00');
    expect(text).toContain('6,,3.00');
    await engine.addFile({ name: 'written.csv', blob: new Blob([text]) }, { csv: { types: { s: 'VARCHAR', amount: 'DECIMAL(6,2)' } } });
    const back = (await engine.run('SELECT * FROM written ORDER BY id')) as RowsResult;
    // lakebook's CSV reader keeps a quoted "" as the empty string and an empty field as NULL (docs/corpus.md).
    const original = (await engine.run(`SELECT * FROM (${VALUES}) ORDER BY id`)) as RowsResult;
    expect((await engine.fetchPage(back, 0, 100)).rows).toEqual((await engine.fetchPage(original, 0, 100)).rows);
  });

  it('neutralises formulas in text columns when asked, never in numbers', async () => {
    const writer = createCsvWriter(COLUMNS, { ...DEFAULT_CSV, spreadsheetSafe: true, delimiter: ';', header: false });
    const text = (await batches(VALUES, COLUMNS, 'csv')).map((b) => decode(writer.rows(b))).join('');
    expect(text).toContain("7;'=SUM(A1:A9);");
    expect(text).toContain("8;'-1+1;");
    expect(text).toContain('2;has,comma;-2.25;;false');
  });
});

describe('NDJSON writer', () => {
  it('writes numbers, booleans and nulls as JSON values and nested columns as arrays and objects', async () => {
    const sql = `SELECT 1::BIGINT AS id, 12345678901234567890::HUGEINT AS big, 'inf'::DOUBLE AS inf, 2.50::DECIMAL(5,2) AS dec, true AS ok,
      TIMESTAMP '2024-01-05 10:11:12.5' AS ts, NULL::VARCHAR AS missing, 'tab\there' AS s,
      [1, 2, NULL] AS list, {'d': DATE '2024-02-03', 'amount': -3.25::DECIMAL(6,2), 'names': ['a', 'b']} AS st, MAP {'k': 1} AS m`;
    const columns: ColumnInfo[] = [
      { name: 'id', type: 'BIGINT' }, { name: 'big', type: 'HUGEINT' }, { name: 'inf', type: 'DOUBLE' }, { name: 'dec', type: 'DECIMAL(5,2)' },
      { name: 'ok', type: 'BOOLEAN' }, { name: 'ts', type: 'TIMESTAMP' }, { name: 'missing', type: 'VARCHAR' }, { name: 's', type: 'VARCHAR' },
      { name: 'list', type: 'INTEGER[]' }, { name: 'st', type: 'STRUCT(d DATE, amount DECIMAL(6,2), names VARCHAR[])' }, { name: 'm', type: 'MAP(VARCHAR, INTEGER)' },
    ];
    const writer = createNdjsonWriter(columns);
    const text = (await batches(sql, columns, 'ndjson')).map((b) => decode(writer.rows(b))).join('');
    expect(text).toBe(
      '{"id":1,"big":12345678901234567890,"inf":"inf","dec":2.50,"ok":true,"ts":"2024-01-05 10:11:12.5","missing":null,"s":"tab\\there",' +
        '"list":[1,2,null],"st":{"d":"2024-02-03","amount":"-3.25","names":["a","b"]},"m":{"k":1}}\n',
    );
    expect(() => JSON.parse(text)).not.toThrow();
  });

  it('applies a decimal scale to unscaled digits', () => {
    expect(decimalText('-350', 2)).toBe('-3.50');
    expect(decimalText('5', 3)).toBe('0.005');
    expect(decimalText('12', 0)).toBe('12');
  });
});

describe('writers on slices', () => {
  it('read a sliced batch (what a file boundary inside a batch gives) exactly like the whole', async () => {
    const columns: ColumnInfo[] = [{ name: 's', type: 'VARCHAR' }, { name: 'n', type: 'INTEGER' }];
    const [batch] = await batches("SELECT CASE WHEN range % 3 = 0 THEN NULL ELSE 'v' || range END AS s, range::INTEGER AS n FROM range(100)", columns, 'csv');
    const csv = createCsvWriter(columns, { ...DEFAULT_CSV, header: false });
    const json = createNdjsonWriter(columns);
    const whole = decode(csv.rows(batch!)).split('\n');
    expect(decode(csv.rows(batch!.slice(37, 61)))).toBe(whole.slice(37, 61).join('\n') + '\n');
    const wholeJson = decode(json.rows(batch!)).split('\n');
    expect(decode(json.rows(batch!.slice(37, 61)))).toBe(wholeJson.slice(37, 61).join('\n') + '\n');
    expect(wholeJson[37]).toBe('{"s":"v37","n":37}');
    expect(wholeJson[39]).toBe('{"s":null,"n":39}');
  });
});

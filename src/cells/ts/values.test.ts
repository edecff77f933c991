import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LakebookEngine } from '../../engine/lakebook-engine';
import { createNodeEngine } from '../../engine/node-engine';
import { LakebookTable } from './table-api';

let engine: LakebookEngine;
beforeAll(async () => {
  engine = createNodeEngine();
  await engine.ready();
});
afterAll(() => engine.close());

async function rowsOf(sql: string) {
  const arrow = await engine.query(sql);
  return [...new LakebookTable('t', arrow.schema, arrow.batches)];
}

describe('row values from DuckDB', () => {
  it('converts each DuckDB type as docs/ts-cells.md says', async () => {
    const [row] = await rowsOf(`SELECT 1::TINYINT a, 2::INTEGER b, 3::BIGINT c, 9007199254740993::BIGINT c2, 1.5::DOUBLE d,
      12.34::DECIMAL(18,2) e, 'x' f, true g, DATE '2024-01-02' h, TIMESTAMP '2024-01-02 03:04:05.123456' i,
      TIME '01:02:03.5' j, [1,2] l, {'x': 1, 'y': 'z'} m, MAP {'a': 1} n, 'b'::BLOB o, 42::UBIGINT r, 'a'::ENUM('a','b') u,
      NULL::INTEGER v, INTERVAL 3 DAY k, [{'p': DATE '2020-01-01'}] w`);
    expect(row).toEqual({
      a: 1,
      b: 2,
      c: 3,
      c2: 9007199254740993n,
      d: 1.5,
      e: 12.34,
      f: 'x',
      g: true,
      h: new Date('2024-01-02T00:00:00Z'),
      i: new Date('2024-01-02T03:04:05.123Z'),
      j: '01:02:03.500000',
      l: [1, 2],
      m: { x: 1, y: 'z' },
      n: { a: 1 },
      o: new Uint8Array([98]),
      r: 42,
      u: 'a',
      v: null,
      k: { months: 0, days: 3, nanoseconds: 0 },
      w: [{ p: new Date('2020-01-01T00:00:00Z') }],
    });
  });

  it('reads nulls in every fast path', async () => {
    const rows = await rowsOf(`SELECT * FROM (VALUES (1::INTEGER, 1::BIGINT, 1.5::DOUBLE, DATE '2024-01-01'), (NULL, NULL, NULL, NULL)) t(i, b, d, dt)`);
    expect(rows[1]).toEqual({ i: null, b: null, d: null, dt: null });
    expect(rows[0]).toEqual({ i: 1, b: 1, d: 1.5, dt: new Date('2024-01-01T00:00:00Z') });
  });

  it('keeps a column named __proto__ as data', async () => {
    const [row] = await rowsOf(`SELECT 1 AS "__proto__", 2 AS x`);
    expect(Object.keys(row!)).toEqual(['__proto__', 'x']);
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../engine/node-engine';
import type { LakebookEngine } from '../../engine/lakebook-engine';
import { adviseLayout } from './advisor';
import { mayMatchSql, parsePredicate } from './predicate';

describe('predicates the advisor accepts', () => {
  it('reads comparisons, BETWEEN, typed literals, quoted names and literal-first comparisons', () => {
    expect(parsePredicate(`amount >= 100 AND "Region" = 'it''s' AND order_date BETWEEN DATE '2024-01-01' AND DATE '2024-03-31' AND 5 > x`)).toEqual([
      { column: 'amount', op: '>=', literal: '100' },
      { column: 'Region', op: '=', literal: "'it''s'" },
      { column: 'order_date', op: '>=', literal: "DATE '2024-01-01'" },
      { column: 'order_date', op: '<=', literal: "DATE '2024-03-31'" },
      { column: 'x', op: '<', literal: '5' },
    ]);
  });

  it('refuses what min/max statistics cannot decide, saying what works', () => {
    expect(() => parsePredicate('a = 1 OR b = 2')).toThrow(/OR cannot be decided.*comparisons joined by AND/);
    expect(() => parsePredicate('a <> 1')).toThrow(/cannot be decided/);
    expect(() => parsePredicate('a = ')).toThrow(/Expected a value at the end/);
    expect(() => parsePredicate('')).toThrow(/empty/);
    expect(() => parsePredicate("a = 'open")).toThrow(/not closed/);
  });

  it('builds the reader-side test: a row group may match unless its range rules the value out', () => {
    const sql = mayMatchSql(parsePredicate('x = 5 AND y > 2'), (c) => `lo_${c}`, (c) => `hi_${c}`);
    expect(sql).toBe('coalesce((lo_x <= 5 AND hi_x >= 5) AND hi_y > 2, false)');
  });
});

describe('layout advisor', () => {
  let engine: LakebookEngine;
  const columns = [
    { name: 'id', type: 'BIGINT' },
    { name: 'x', type: 'DOUBLE' },
    { name: 'y', type: 'DOUBLE' },
  ];
  beforeAll(async () => {
    engine = createNodeEngine();
    await engine.ready();
    // 200,000 rows, x and y independent and uniform in [0, 1000), stored in a scrambled order.
    await engine.run(`CREATE TABLE points AS
      SELECT range AS id, (hash(range) % 1000000) / 1000.0 AS x, (hash(range + 7919) % 1000000) / 1000.0 AS y
      FROM range(200000) ORDER BY hash(range * 31)`);
  }, 120_000);
  afterAll(() => engine.close());

  it('a 2-column range predicate touches far fewer row groups Z-ordered than in the unsorted order', async () => {
    const result = await adviseLayout(engine, {
      source: 'points',
      columns,
      predicate: 'x BETWEEN 100 AND 200 AND y BETWEEN 300 AND 400',
      rowGroupSize: 2000,
    });
    const by = Object.fromEntries(result.layouts.map((l) => [l.layout, l]));
    console.info('advisor, 200k rows, 100 row groups of 2,000, x∈[100,200] ∧ y∈[300,400]:', JSON.stringify(result.layouts));
    expect(result.rows).toBe(200_000);
    expect(result.matchingRows).toBeGreaterThan(1500);
    expect(result.matchingRows).toBeLessThan(2500);
    expect(by.current!.rowGroups).toBe(100);
    // Unsorted: every row group spans nearly the whole range of both columns.
    expect(by.current!.touched).toBe(100);
    // Sorted by (x, y): only x narrows the groups down, to about a tenth.
    expect(by.sorted!.touched).toBeLessThanOrEqual(12);
    // Z-ordered: groups are small boxes in (x, y), so both ranges cut.
    expect(by.zorder!.touched).toBeLessThan(by.sorted!.touched);
    expect(by.zorder!.touched).toBeLessThan(by.current!.touched / 10);
    expect(by.zorder!.touched).toBeGreaterThanOrEqual(by.zorder!.withMatches);
    expect(result.best).toBe('zorder');
  });

  it('on the second column alone, a sort by (x, y) does not help and Z-order still does', async () => {
    const result = await adviseLayout(engine, { source: 'points', columns, predicate: 'y < 50', rowGroupSize: 2000, sortBy: ['x', 'y'], zorderBy: ['x', 'y'] });
    const by = Object.fromEntries(result.layouts.map((l) => [l.layout, l]));
    console.info('advisor, y < 50:', JSON.stringify(result.layouts));
    expect(by.sorted!.touched).toBe(100);
    expect(by.zorder!.touched).toBeLessThanOrEqual(25);
  });

  it('names an unknown column and lists the real ones', async () => {
    await expect(adviseLayout(engine, { source: 'points', columns, predicate: 'z > 1', rowGroupSize: 2000 })).rejects.toThrow(
      /no column "z".*id, x, y/,
    );
  });
});

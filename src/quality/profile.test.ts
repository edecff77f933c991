import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../engine/node-engine';
import type { LakebookEngine } from '../engine/lakebook-engine';
import { parseChecks } from './parse';
import { profileTable } from './profile';
import { pythonLiteral, suggestExpectations } from './suggest';
import { runCheck } from './validate';

let engine: LakebookEngine;

beforeAll(async () => {
  engine = createNodeEngine();
  await engine.ready();
  await engine.run(`CREATE TABLE orders AS SELECT
      i AS id,
      CASE WHEN i % 10 = 0 THEN NULL ELSE (i % 50) + 0.5 END AS amount,
      CASE i % 3 WHEN 0 THEN 'new' WHEN 1 THEN 'shipped' ELSE 'it''s done' END AS status,
      'cust-' || (i % 7) AS customer,
      DATE '2024-01-01' + CAST(i % 31 AS INTEGER) AS day,
      i % 2 = 0 AS paid,
      CAST(NULL AS VARCHAR) AS note
    FROM range(200) AS r(i)`);
});
afterAll(() => engine.close());

describe('profileTable', () => {
  it('describes every column', async () => {
    const profile = await profileTable(engine, 'orders');
    expect(profile.rowCount).toBe(200);
    const [id, amount, status, customer, day, paid, note] = profile.columns;
    expect(id).toMatchObject({ name: 'id', nullCount: 0, distinctCount: 200, min: 0, max: 199, mean: 99.5 });
    [9.95, 49.75, 99.5, 149.25, 189.05].forEach((q, i) => expect(id!.quantiles![i]).toBeCloseTo(q, 9));
    expect(id!.histogram).toHaveLength(10);
    expect(id!.histogram!.reduce((sum, b) => sum + b.count, 0)).toBe(200);
    expect(id!.histogram![9]).toMatchObject({ upper: 199, count: 20 });
    expect(amount).toMatchObject({ nullCount: 20, nullPercent: 10, min: 1.5, max: 49.5 });
    expect(status).toMatchObject({ distinctCount: 3, minLength: 3, maxLength: 9 });
    expect(status!.topValues).toEqual([
      { value: 'new', count: 67 },
      { value: 'shipped', count: 67 },
      { value: "it's done", count: 66 },
    ]);
    expect(customer!.topValues[0]).toEqual({ value: 'cust-0', count: 29 });
    expect(day).toMatchObject({ min: '2024-01-01', max: '2024-01-31', quantiles: ['2024-01-02', '2024-01-08', '2024-01-15', '2024-01-23', '2024-01-30'] });
    expect(paid!.topValues).toEqual([
      { value: false, count: 100 },
      { value: true, count: 100 },
    ]);
    expect(note).toMatchObject({ nullCount: 200, nullPercent: 100, distinctCount: 0, topValues: [] });
  });

  it('handles an empty table', async () => {
    await engine.run('CREATE TABLE nothing (a INTEGER, b VARCHAR)');
    const profile = await profileTable(engine, 'nothing');
    expect(profile.rowCount).toBe(0);
    expect(profile.columns[0]).toMatchObject({ nullCount: 0, min: null, histogram: undefined, topValues: [] });
  });
});

describe('suggestExpectations', () => {
  it('writes a short-form check that passes on the profiled data', async () => {
    const profile = await profileTable(engine, 'orders');
    const text = suggestExpectations(profile);
    expect(text).toContain('not_null(id)\nunique(id)\nbetween(id, 0, 199)');
    expect(text).toContain('not_null(amount, mostly=0.9)\nbetween(amount, 1.5, 49.5)');
    expect(text).toContain("in_set(status, ['it\\'s done', new, shipped])");
    expect(text).toContain("between(day, '2024-01-01', '2024-01-31')");
    expect(text).not.toContain('(note');
    const parsed = parseChecks(text);
    expect(parsed.expectations.length).toBeGreaterThan(10);
    const outcome = await runCheck(engine, { table: 'orders', source: text });
    expect(outcome.validation.results.filter((r) => !r.success)).toEqual([]);
  });

  it('goes red when the data drifts', async () => {
    const text = suggestExpectations(await profileTable(engine, 'orders'));
    await engine.run(`INSERT INTO orders VALUES (500, 900.5, 'lost', 'cust-1', DATE '2025-01-01', true, NULL)`);
    const outcome = await runCheck(engine, { table: 'orders', source: text });
    const failed = outcome.reports.filter((_, i) => !outcome.validation.results[i]!.success).map((r) => r.label);
    expect(failed).toEqual(['id between 0 and 199', 'amount between 1.5 and 49.5', 'status in {it\'s done, new, shipped}', 'day between 2024-01-01 and 2024-01-31']);
  });

  it('quotes what is not a plain name', () => {
    expect(pythonLiteral('order id')).toBe("'order id'");
    expect(pythonLiteral('None')).toBe("'None'");
    expect(pythonLiteral("a'b\\c")).toBe("'a\\'b\\\\c'");
    expect(pythonLiteral([1, null, true])).toBe('[1, None, True]');
  });
});

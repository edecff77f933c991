import { describe, expect, it } from 'vitest';
import { SqlIdentifier, sqlText } from './sql-literal';

const sql = (strings: TemplateStringsArray, ...values: unknown[]) => sqlText(strings, values);

describe('sql template literals', () => {
  it('turns values into literals, quoting strings and identifiers', () => {
    expect(sql`SELECT * FROM t WHERE a = ${"O'Brien"} AND b = ${2} AND c IN ${[1, 'x']} AND d = ${null}`).toBe(
      "SELECT * FROM t WHERE a = 'O''Brien' AND b = 2 AND c IN (1, 'x') AND d = NULL",
    );
    expect(sql`FROM ${new SqlIdentifier('my "t"')} WHERE x > ${10n} AND y = ${true}`).toBe('FROM "my ""t""" WHERE x > 10 AND y = TRUE');
    expect(sql`SELECT ${new Date('2024-01-02T03:04:05.678Z')}, ${NaN}, ${-Infinity}, ${[]}`).toBe(
      "SELECT TIMESTAMP '2024-01-02 03:04:05.678', 'NaN'::DOUBLE, '-Infinity'::DOUBLE, (NULL)",
    );
  });

  it('refuses values that have no literal', () => {
    expect(() => sql`SELECT ${{ a: 1 }}`).toThrow(/\[object Object\] cannot be put in a query/);
    expect(() => sql`SELECT ${new Date(NaN)}`).toThrow(/Invalid Date/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeDriver } from './node-driver';
import { splitStatements } from './sql-statements';
import { referencesFromTokens } from './sql-references';
import { createNodeEngine } from './node-engine';
import type { LakebookEngine } from './lakebook-engine';

let driver: NodeDriver;
let engine: LakebookEngine;
beforeAll(async () => {
  driver = await NodeDriver.start();
  engine = createNodeEngine();
  await engine.ready();
});
afterAll(() => engine.close());

async function fromTokens(sql: string) {
  const [statement] = splitStatements(sql, await driver.tokenize(sql));
  const refs = referencesFromTokens(statement!.words);
  return { reads: [...refs.reads].sort(), creates: refs.creates };
}

describe('references from DuckDB tokens (the fallback)', () => {
  it('skips CTE names and keeps real tables, quoted and qualified', async () => {
    expect(await fromTokens('WITH x AS (SELECT * FROM orders), y AS (SELECT 1) SELECT * FROM x JOIN "Cust Omers" c USING (id) JOIN main.products p ON true'))
      .toEqual({ reads: ['cust omers', 'orders', 'products'], creates: [] });
  });
  it('ignores names in strings and comments', async () => {
    expect(await fromTokens("SELECT 'FROM fake' AS s -- FROM fake2\nFROM real1")).toEqual({ reads: ['real1'], creates: [] });
  });
  it('finds created tables and views', async () => {
    expect(await fromTokens('CREATE OR REPLACE TEMP VIEW v AS SELECT * FROM a WHERE b IN (SELECT id FROM bb)')).toEqual({ reads: ['a', 'bb'], creates: ['v'] });
    expect(await fromTokens('CREATE TABLE IF NOT EXISTS t (a INT)')).toEqual({ reads: [], creates: ['t'] });
  });
  it('treats table functions as no table', async () => {
    expect(await fromTokens("SELECT * FROM read_csv('x.csv') JOIN y USING (k)")).toEqual({ reads: ['y'], creates: [] });
  });
  it('reads the target of INSERT and UPDATE', async () => {
    expect(await fromTokens('INSERT INTO t SELECT * FROM s')).toEqual({ reads: ['s', 't'], creates: [] });
  });
});

describe('engine.analyze', () => {
  it('asks DuckDB first', async () => {
    expect(await engine.analyze('SELECT * FROM main.orders o WHERE id IN (SELECT id FROM returns)')).toEqual({ reads: ['orders', 'returns'], creates: [], analyzedBy: 'duckdb' });
  });
  it('falls back to tokens where DuckDB binds and fails', async () => {
    const result = await engine.analyze('CREATE TABLE joined AS SELECT * FROM a JOIN b USING (id);\nSELECT * FROM joined');
    expect(result).toEqual({ reads: ['a', 'b'], creates: ['joined'], analyzedBy: 'tokens' });
  });
  it('never fetches: remote paths are analyzed from tokens', async () => {
    expect(await engine.analyze("SELECT * FROM read_csv('https://example.com/x.csv')")).toMatchObject({ reads: [], analyzedBy: 'tokens' });
  });
  it('does not throw on bad SQL', async () => {
    expect(await engine.analyze('SELECT * FORM x')).toMatchObject({ analyzedBy: 'tokens' });
  });
});

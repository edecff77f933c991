import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableFromArrays } from 'apache-arrow';
import type { Driver } from './driver';
import { createNodeEngine } from './node-engine';
import type { LakebookEngine } from './lakebook-engine';

/** What the engine asked DuckDB, in order, with what DuckDB refused; and when it announced catalog changes. */
const log: string[] = [];

function recording(driver: Driver): Driver {
  const note = async <T>(sql: string, run: () => Promise<T>): Promise<T> => {
    try {
      const result = await run();
      log.push(sql);
      return result;
    } catch (error) {
      log.push(`REFUSED ${sql}`);
      throw error;
    }
  };
  return new Proxy(driver, {
    get(target, key, receiver) {
      if (key === 'query') return (conn: 'user' | 'meta', sql: string) => note(sql, () => target.query(conn, sql));
      if (key === 'send') return (conn: 'user' | 'meta', sql: string) => note(sql, () => target.send(conn, sql));
      const value: unknown = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

let engine: LakebookEngine;

beforeAll(async () => {
  engine = createNodeEngine(recording);
  await engine.ready();
  engine.on((event) => {
    if (event.type === 'tables-changed') log.push('EVENT tables-changed');
  });
});
afterAll(() => engine.close());

const refused = () => log.filter((line) => line.startsWith('REFUSED'));

describe('named cells: the statements a run costs', () => {
  it('re-runs a named view or table without a statement DuckDB refuses', async () => {
    await engine.run('SELECT 1 AS a', { define: { name: 'again_view', materialize: false } });
    await engine.run('SELECT 2 AS a', { define: { name: 'again_table', materialize: true } });
    log.length = 0;
    for (let i = 0; i < 2; i++) {
      await engine.run('SELECT 3 AS a', { define: { name: 'again_view', materialize: false } });
      await engine.run('SELECT 4 AS a', { define: { name: 'again_table', materialize: true } });
    }
    expect(refused()).toEqual([]);
    const tables = await engine.listTables();
    expect(tables.find((t) => t.name === 'again_view')?.kind).toBe('view');
    expect(tables.find((t) => t.name === 'again_table')?.kind).toBe('table');
  });

  it('turns a view into a table and back, and a ts cell result into a table over a view', async () => {
    await engine.run('SELECT 1 AS a', { define: { name: 'switching', materialize: false } });
    await engine.run('SELECT 2 AS a', { define: { name: 'switching', materialize: true } });
    expect((await engine.listTables()).find((t) => t.name === 'switching')).toMatchObject({ kind: 'table', rowCount: 1 });
    await engine.run('SELECT 3 AS a UNION ALL SELECT 4', { define: { name: 'switching', materialize: false } });
    expect((await engine.listTables()).find((t) => t.name === 'switching')).toMatchObject({ kind: 'view' });
    await engine.runArrow((async function* () { yield tableFromArrays({ v: Int32Array.from([7, 8, 9]) }); })(), { define: { name: 'switching' } });
    expect((await engine.listTables()).find((t) => t.name === 'switching')).toMatchObject({ kind: 'table', rowCount: 3 });
  });

  it('keeps a user error in the cell the user wrote, not in the replacing of the name', async () => {
    await engine.run('SELECT 1 AS a', { define: { name: 'typo_target', materialize: false } });
    await expect(engine.run('SELECT nope', { define: { name: 'typo_target', materialize: false } })).rejects.toMatchObject({
      userMessage: expect.stringMatching(/nope/),
    });
  });

  it('announces a changed catalog after the result is described, not in front of it', async () => {
    log.length = 0;
    await engine.run('SELECT 5 AS a', { define: { name: 'announced', materialize: false } });
    const describe = log.findIndex((line) => line.startsWith('SELECT column_name, column_type'));
    const event = log.indexOf('EVENT tables-changed');
    expect(describe).toBeGreaterThanOrEqual(0);
    expect(event).toBeGreaterThan(describe);
    log.length = 0;
    await engine.run('CREATE TABLE announced_plain AS SELECT 1 AS a');
    expect(log.at(-1)).toBe('EVENT tables-changed');
  });
});

describe('file loads: the statements a load costs', () => {
  it('describes only the new table, and announces it after', async () => {
    await engine.run('CREATE TABLE big_neighbour AS SELECT range AS i FROM range(1000)');
    log.length = 0;
    const info = await engine.addFile({ name: 'fresh.csv', blob: new Blob(['id,v\n1,a\n2,b\n']) });
    expect(info).toMatchObject({ name: 'fresh', kind: 'table', rowCount: 2, columns: [{ name: 'id', type: 'BIGINT' }, { name: 'v', type: 'VARCHAR' }] });
    expect(log.filter((line) => line.includes('big_neighbour'))).toEqual([]);
    expect(log.at(-1)).toBe('EVENT tables-changed');
    expect(refused()).toEqual([]);
  });

  it('names a second file of the same stem apart, and drops a view by its kind', async () => {
    const again = await engine.addFile({ name: 'fresh.csv', blob: new Blob(['id\n1\n']) });
    expect(again.name).not.toBe('fresh');
    await engine.run('SELECT 1 AS a', { define: { name: 'dropped_view', materialize: false } });
    await engine.dropTable('dropped_view');
    expect((await engine.listTables()).map((t) => t.name)).not.toContain('dropped_view');
  });
});

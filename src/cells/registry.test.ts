import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine';
import { createNodeEngine } from '../engine/node-engine';
import { parseNotebook } from '../notebook/format';
import { isCell, type CellBlock } from '../notebook/model';
import { cellKindOf, requiredNames } from './registry';

function cellsOf(text: string): CellBlock[] {
  return parseNotebook(text).blocks.filter(isCell);
}

describe('cell registry', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await createNodeEngine();
  });
  afterAll(async () => {
    await engine.close();
  });

  it('finds the kind case-insensitively and knows nothing of unknown kinds', () => {
    const [sql, upper, unknown] = cellsOf('```sql\nSELECT 1\n```\n\n```SQL\nSELECT 2\n```\n\n```mermaid\ngraph TD\n```\n');
    expect(cellKindOf(sql!)?.kind).toBe('sql');
    expect(cellKindOf(upper!)?.kind).toBe('sql');
    expect(cellKindOf(unknown!)).toBeUndefined();
  });

  it('reads requires= as a comma-separated list of cell names', () => {
    const [cell, none] = cellsOf('```sql requires="checks, more ,," name=x\nSELECT 1\n```\n\n```sql\nSELECT 1\n```\n');
    expect(requiredNames(cell!)).toEqual(['checks', 'more']);
    expect(requiredNames(none!)).toEqual([]);
  });

  it('a SQL cell defines its name and what it creates, and reads the tables it names', async () => {
    await engine.run('CREATE TABLE orders AS SELECT 1 AS id');
    const [cell] = cellsOf('```sql name=big\nCREATE TABLE side AS SELECT 1;\nSELECT * FROM orders o JOIN side s USING (id)\n```\n');
    const deps = await cellKindOf(cell!)!.dependencies(cell!, engine);
    expect(deps.defines.sort()).toEqual(['big', 'side']);
    expect(deps.reads).toContain('orders');
    expect(deps.reads).not.toContain('big');
  });

  it('runs a named SQL cell as a view that later SQL reads; cache=true makes a table', async () => {
    const [view, cached] = cellsOf('```sql name=v1\nSELECT 41 + 1 AS answer\n```\n\n```sql name=t1 cache=true\nSELECT answer FROM v1\n```\n');
    const run = (cell: CellBlock) =>
      cellKindOf(cell)!.run({ engine, cell, signal: new AbortController().signal, tables: () => [], progress: () => undefined });
    const first = await run(view!);
    expect(first.result?.kind).toBe('rows');
    await run(cached!);
    const kinds = (await engine.listTables()).filter((t) => ['v1', 't1'].includes(t.name)).map((t) => `${t.name}:${t.kind}`);
    expect(kinds.sort()).toEqual(['t1:table', 'v1:view']);
    const answer = await engine.query('SELECT answer FROM t1');
    expect(Number(answer.getChildAt(0)?.get(0))).toBe(42);
  });
});

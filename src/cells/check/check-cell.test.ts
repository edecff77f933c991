import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../engine/engine';
import { LakebookError } from '../../engine/errors';
import { createNodeEngine } from '../../engine/node-engine';
import { parseNotebook } from '../../notebook/format';
import { isCell, type CellBlock } from '../../notebook/model';
import type { CheckOutcome } from '../../quality/validate';
import { cellKindOf } from '../registry';

function cellsOf(text: string): CellBlock[] {
  return parseNotebook(text).blocks.filter(isCell);
}

let engine: Engine;
beforeAll(async () => {
  engine = createNodeEngine();
  await engine.ready();
  await engine.run(`CREATE TABLE people AS SELECT * FROM (VALUES (1, 34), (2, 130), (3, NULL)) AS t(id, age)`);
  await engine.run(`CREATE TABLE banned AS SELECT 2 AS id`);
});
afterAll(() => engine.close());

const run = (cell: CellBlock) => cellKindOf(cell)!.run({ engine, cell, signal: new AbortController().signal, tables: () => [], progress: () => undefined });

describe('check cells', () => {
  it('read their table and the tables their custom SQL names, and define their name', async () => {
    const [cell] = cellsOf('```check name=people_ok table=people\nnot_null(id)\nsql("SELECT p.* FROM {batch} p JOIN banned USING (id)")\n```\n');
    const deps = await cellKindOf(cell!)!.dependencies(cell!, engine);
    expect(deps.reads.sort()).toEqual(['banned', 'people']);
    expect(deps.defines).toEqual(['people_ok']);
  });

  it('never throw from dependencies, even for text that does not parse', async () => {
    const [cell] = cellsOf('```check table=people\n- [unclosed\n```\n');
    expect(await cellKindOf(cell!)!.dependencies(cell!, engine)).toEqual({ reads: ['people'], defines: [] });
  });

  it('pass or fail with the suite, and give GE\'s result as detail', async () => {
    const [failing, passing] = cellsOf('```check table=people\nbetween(age, 0, 120)\n```\n\n```check table=people\nbetween(age, 0, 200)\n```\n');
    const out = await run(failing!);
    expect(out.passed).toBe(false);
    expect((out.detail as CheckOutcome).validation.results[0]!.result['unexpected_count']).toBe(1);
    expect((await run(passing!)).passed).toBe(true);
  });

  it('write a named check\'s results as a table', async () => {
    const [cell] = cellsOf('```check name=people_checks table=people\nnot_null(age)\nmax_between(age, 0, 200)\n```\n');
    await run(cell!);
    const table = await engine.query('SELECT line, expectation_type, success, unexpected_count, observed_value FROM people_checks ORDER BY line');
    expect(table.toArray().map((r) => ({ ...r.toJSON() }))).toEqual([
      { line: 1, expectation_type: 'expect_column_values_to_not_be_null', success: false, unexpected_count: 1n, observed_value: null },
      { line: 2, expectation_type: 'expect_column_max_to_be_between', success: true, unexpected_count: null, observed_value: '130' },
    ]);
  });

  it('say what is missing without table=', async () => {
    const [cell] = cellsOf('```check\nnot_null(a)\n```\n');
    await expect(run(cell!)).rejects.toThrow(LakebookError);
    await expect(run(cell!)).rejects.toThrow(/needs the table it checks/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LakebookEngine } from '../../engine/lakebook-engine';
import { createNodeEngine } from '../../engine/node-engine';
import { createCell } from '../../notebook/model';
import type { CellOutput, CellProgress } from '../cell-kind';
import { nodeSandbox } from './node-sandbox';
import { logsOf, type TsCellDetail } from './runner';
import { createTsCellKind } from './ts-cell';
import { failureOf, resultRows } from '../../engine/test-helpers';

let engine: LakebookEngine;
const kind = createTsCellKind(nodeSandbox({ heapMb: 96 }));

beforeAll(async () => {
  engine = createNodeEngine();
  await engine.ready();
  await engine.run(`CREATE TABLE orders AS SELECT i AS id, (i * 50)::DECIMAL(10,2) AS amount, 'c' || (i % 3) AS customer FROM range(1, 6) t(i)`);
}, 60_000);
afterAll(() => engine.close());

function run(source: string, attributes: Record<string, string> = {}, signal = new AbortController().signal, progress: CellProgress[] = []): Promise<CellOutput> {
  const cell = createCell({ kind: 'ts', source, attributes });
  return kind.run({ engine, cell, signal, tables: () => [], progress: (p) => progress.push(p) });
}

const failure = failureOf;

const rows = (sql: string) => resultRows(engine, sql);

describe('ts cells on the Node engine', () => {
  it('enriches a table and a downstream SQL query reads the result', async () => {
    const progress: CellProgress[] = [];
    const output = await run(
      [
        'interface Order { id: number; amount: number; customer: string }',
        'export default ({ orders }: { orders: Iterable<Order> & { map: any } }) =>',
        '  orders.map((r: Order) => ({ id: r.id, amount: r.amount, big: r.amount > 100, label: `#${r.id}/${r.customer}` }));',
      ].join('\n'),
      { name: 'enriched' },
      undefined,
      progress,
    );
    expect(output.result?.kind).toBe('rows');
    expect(output.result && 'rowCount' in output.result && output.result.rowCount).toBe(5);
    expect(output.result && 'columns' in output.result && output.result.columns).toEqual([
      { name: 'id', type: 'BIGINT' },
      { name: 'amount', type: 'DOUBLE' },
      { name: 'big', type: 'BOOLEAN' },
      { name: 'label', type: 'VARCHAR' },
    ]);
    expect(progress.at(-1)?.rows).toBe(5);
    expect(await rows('SELECT id, big, label FROM enriched WHERE big ORDER BY id')).toEqual([
      ['3', 'true', '#3/c0'],
      ['4', 'true', '#4/c1'],
      ['5', 'true', '#5/c2'],
    ]);
  });

  it('streams a large output in several batches, values intact', async () => {
    await engine.run('CREATE TABLE many AS SELECT i AS id, i * 0.5 AS half FROM range(150000) t(i)');
    const progress: CellProgress[] = [];
    const output = await run('export default ({ many }) => many.map((r) => ({ id: r.id, twice: r.half * 2, odd: r.id % 2 === 1 }))', { name: 'many_out' }, undefined, progress);
    // 150,000 rows go out as batches of 65,536: progress is reported per batch. `twice` holds only whole
    // numbers across all of them, so it is stored as BIGINT.
    expect(progress.map((p) => p.rows)).toEqual([65536, 131072, 150000]);
    expect(output.result && 'rowCount' in output.result && output.result.rowCount).toBe(150000);
    expect(await rows('SELECT count(*), sum(id), sum(twice)::BIGINT, count(*) FILTER (odd), typeof(any_value(twice)) FROM many_out')).toEqual([
      ['150000', '11249925000', '11249925000', '75000', 'BIGINT'],
    ]);
  });

  it('shows console output in order, and queries the engine through the sql template', async () => {
    const output = await run(
      [
        'export default async ({ orders }) => {',
        '  console.log("rows:", orders.numRows, { first: [...orders.take(1)][0].id });',
        '  const top = await sql`SELECT customer, sum(amount)::DOUBLE AS total FROM orders WHERE id > ${1} GROUP BY ALL ORDER BY total DESC`;',
        '  console.warn("top", top.numRows);',
        '  return top;',
        '}',
      ].join('\n'),
    );
    expect(output.logs).toEqual(['rows: 5 { first: 1 }', 'warning: top 3']);
    expect((output.detail as TsCellDetail).inputs).toEqual([{ name: 'orders', rows: 5 }]);
    expect(output.result && 'rowCount' in output.result && output.result.rowCount).toBe(3);
  });

  it('reads the tables it uses from the pattern, inputs= and sql templates', async () => {
    const cell = createCell({
      kind: 'ts',
      source: 'export default async ({ orders }) => sql`SELECT * FROM customers JOIN regions USING (id) WHERE x = ${1}`',
      attributes: { name: 'out', inputs: 'extra' },
    });
    expect(await kind.dependencies(cell, engine)).toEqual({ reads: ['orders', 'extra', 'customers', 'regions'], defines: ['out'] });
  });

  it('points a thrown error at the cell’s line and column, and keeps what it printed', async () => {
    const error = await failure(run(['type T = { a: number };', 'console.log("before");', 'export default () => {', '  const t: T = { a: 1 }; throw new Error("x");', '};'].join('\n')));
    expect(error.code).toBe('script-error');
    expect(error.userMessage).toBe('Error: x (line 4, column 32)');
    expect(error.position).toEqual({ line: 4, column: 32 });
    expect(logsOf(error).map((l) => l.text)).toEqual(['before']);
  });

  it('reports a TypeScript syntax error before running anything', async () => {
    const error = await failure(run('const a = 1;\n  const x = ;\nexport default () => [];'));
    expect(error.code).toBe('syntax');
    expect(error.userMessage).toMatch(/line 2, column 13/);
  });

  it('stops an endless loop at the time limit, and the engine still answers', async () => {
    const started = performance.now();
    const error = await failure(run('export default () => { while (true) {} }', { timeout: '1' }));
    const elapsed = performance.now() - started;
    expect(error.code).toBe('time-limit');
    expect(error.userMessage).toMatch(/time limit of 1 s, so its worker was terminated/);
    expect(elapsed).toBeLessThan(8000);
    expect(await rows('SELECT 42')).toEqual([['42']]);
  });

  it('stops when the Arrow data it holds passes the memory limit', async () => {
    await engine.run('CREATE TABLE wide AS SELECT i, repeat(\'x\', 100) AS s FROM range(100000) t(i)');
    const error = await failure(run('export default ({ wide }) => wide', { memory: '2' }));
    expect(error.code).toBe('memory-limit');
    expect(error.userMessage).toMatch(/input wide brought the cell's Arrow data to \d+ MB, past its memory limit of 2 MB/);
  });

  it('stops a cell that allocates without end (Node caps the worker heap)', async () => {
    const error = await failure(run('export default () => { const keep = []; for (;;) keep.push({ a: Math.random(), b: [1, 2, 3] }); }', { timeout: '60' }));
    expect(error.code).toBe('memory-limit');
    expect(error.userMessage).toMatch(/ran out of memory/);
  });

  it('refuses network access with a clear error', async () => {
    const fetched = await failure(run("export default async () => {\n  await fetch('https://example.com');\n}"));
    expect(fetched.userMessage).toMatch(/^NetworkRefusedError: fetch\(\) is not available in a ts cell: the cell runs without network access/);
    expect(fetched.userMessage).toMatch(/line 2, column 9/);
    const imported = await failure(run("export default async () => (await import('https://example.com/x.js')).default"));
    expect(imported.userMessage).toMatch(/cannot import "https:\/\/example.com\/x.js": code is never loaded from the network/);
    const statically = await failure(run("import x from 'https://example.com/x.js';\nexport default () => x"));
    expect(statically.userMessage).toMatch(/cannot import "https:\/\/example.com\/x.js"/);
    const evaluated = await failure(run("export default () => (0, eval)(\"import('https://example.com/x.js')\")"));
    expect(evaluated.userMessage).toMatch(/import\(\) in code built with eval is not available/);
    const built = await failure(run("export default () => new Function(\"return import('https://example.com')\")()"));
    expect(built.userMessage).toMatch(/import\(\) in code built with Function is not available/);
    const socket = await failure(run("export default () => new WebSocket('wss://example.com')"));
    expect(socket.userMessage).toMatch(/WebSocket is not available/);
    const viaPrototype = await failure(run("export default () => Object.getPrototypeOf(globalThis).fetch('https://example.com')"));
    expect(viaPrototype.code).toBe('script-error');
  });

  it('lets the cell import apache-arrow and build an Arrow table', async () => {
    const output = await run("import { tableFromArrays } from 'apache-arrow';\nexport default () => tableFromArrays({ x: Int32Array.from([1, 2, 3]) })");
    expect(output.result && 'columns' in output.result && output.result.columns).toEqual([{ name: 'x', type: 'INTEGER' }]);
  });

  it('says what is wrong with a return value that is not a table', async () => {
    const error = await failure(run('export default () => "hello"'));
    expect(error.userMessage).toMatch(/The cell returned a string, which is not a table. Return an array of row objects/);
    const named = await failure(run('export default () => []', { name: 'empty_out' }));
    expect(named.userMessage).toMatch(/returned no rows, so there is no table empty_out/);
    const none = await failure(run('const x = 1;'));
    expect(none.userMessage).toMatch(/The cell has no default export/);
  });

  it('runs an unnamed cell that only prints', async () => {
    const output = await run('export default ({ orders }) => { console.table(orders.take(2)); }');
    expect(output.result).toBeUndefined();
    expect(output.logs?.[0]).toMatch(/id │ amount │ customer/);
  });

  it('stops at once when the run is aborted', async () => {
    const controller = new AbortController();
    const running = run('export default async () => { await new Promise((r) => setTimeout(r, 60_000)); }', {}, controller.signal);
    setTimeout(() => controller.abort(), 300);
    const error = await failure(running);
    expect(error.code).toBe('cancelled');
  });

  it('refuses an input that is not a table', async () => {
    const error = await failure(run('export default ({ nope }) => nope'));
    expect(error.userMessage).toMatch(/Input nope could not be read: .*nope does not exist/);
  });
});

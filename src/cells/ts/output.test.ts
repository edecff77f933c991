import { RecordBatch, Table, tableFromArrays, tableFromIPC, tableToIPC, type Vector } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { OutputError } from './build-arrow';
import { outputBatches, type OutputSummary } from './output';
import { LakebookTable } from './table-api';

async function collectWithSummary(value: unknown, batchRows?: number, fractionalColumns?: Set<string>): Promise<{ batches: RecordBatch[]; summary: OutputSummary }> {
  const batches: RecordBatch[] = [];
  const it = outputBatches(value, { ...(batchRows ? { batchRows } : {}), ...(fractionalColumns ? { fractionalColumns } : {}) });
  for (;;) {
    const next = await it.next();
    if (next.done) return { batches, summary: next.value };
    batches.push(next.value);
  }
}

async function collect(value: unknown, batchRows?: number): Promise<RecordBatch[]> {
  return (await collectWithSummary(value, batchRows)).batches;
}

/** Column name → Arrow type, the values as plain JS after an IPC round trip, and the columns to keep as BIGINT. */
async function table(value: unknown, batchRows?: number, fractionalColumns?: Set<string>) {
  const { batches, summary } = await collectWithSummary(value, batchRows, fractionalColumns);
  // Each batch goes to DuckDB as its own IPC stream, as the runner sends it.
  const tables = batches.map((b) => tableFromIPC(tableToIPC(new Table([b]), 'stream')));
  return {
    batches: batches.map((b) => b.numRows),
    types: Object.fromEntries(tables[0]!.schema.fields.map((f) => [f.name, String(f.type)])),
    rows: tables.flatMap((t) => t.toArray().map((r) => ({ ...(r as object) }) as Record<string, unknown>)),
    bigint: summary.wholeNumberColumns,
  };
}

describe('output from arrays of rows', () => {
  it('infers number, bigint, VARCHAR, BOOLEAN, TIMESTAMP and JSON columns', async () => {
    const out = await table([
      { id: 1, price: 1.5, name: 'a', ok: true, at: new Date('2024-01-02T03:04:05.678Z'), tags: ['x', 1], big: 2n ** 60n },
      { id: 2, price: 2, name: null, ok: false, at: null, tags: { k: 1n }, big: 3 },
    ]);
    expect(out.types).toEqual({ id: 'Float64', price: 'Float64', name: 'Utf8', ok: 'Bool', at: 'Timestamp<MICROSECOND>', tags: 'Utf8', big: 'Int64' });
    // Numbers travel as doubles; the ones that were all whole are to be kept as BIGINT.
    expect(out.bigint).toEqual(['id']);
    expect(out.rows[0]).toMatchObject({ id: 1, price: 1.5, name: 'a', ok: true, tags: '["x",1]', big: 2n ** 60n });
    expect(out.rows[0]!.at).toBe(Date.parse('2024-01-02T03:04:05.678Z'));
    expect(out.rows[1]).toMatchObject({ id: 2, price: 2, name: null, ok: false, at: null, tags: '{"k":"1"}', big: 3n });
  });

  it('decides whole versus fractional over the whole output, not the first batch', async () => {
    const out = await table([{ id: 1, amount: 50 }, { id: 2, amount: 150 }, { id: 3, amount: 12.5 }], 2);
    expect(out.batches).toEqual([2, 1]);
    expect(out.bigint).toEqual(['id']);
    expect(out.rows.map((r) => r.amount)).toEqual([50, 150, 12.5]);
  });

  it('keeps a column named like a fractional input column DOUBLE, even when its values are whole', async () => {
    const out = await table([{ id: 1, amount: 50 }, { id: 2, amount: 150 }], undefined, new Set(['amount']));
    expect(out.bigint).toEqual(['id']);
  });

  it('keeps columns in first-appearance order and fills missing keys with null', async () => {
    const out = await table([{ a: 1 }, { b: 'x', a: 2 }]);
    expect(Object.keys(out.types)).toEqual(['a', 'b']);
    expect(out.rows).toEqual([{ a: 1, b: null }, { a: 2, b: 'x' }]);
  });

  it('types an all-null column VARCHAR and stores multi-byte strings and blobs', async () => {
    const out = await table([{ n: null, s: 'é漢😀', b: new Uint8Array([1, 2]) }, { n: undefined, s: '', b: null }]);
    expect(out.types).toEqual({ n: 'Utf8', s: 'Utf8', b: 'Binary' });
    expect(out.rows[0]!.s).toBe('é漢😀');
    expect(out.rows[1]!.s).toBe('');
    expect(Array.from(out.rows[0]!.b as Uint8Array)).toEqual([1, 2]);
  });

  it('splits large arrays into batches', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => ({ i }));
    const out = await table(rows, 10);
    expect(out.batches).toEqual([10, 10, 5]);
    expect(out.rows.map((r) => r.i)).toEqual(rows.map((r) => r.i));
  });

  it('refuses a column that mixes kinds, naming the column and both rows', async () => {
    await expect(collect([{ x: 1 }, { x: 'one' }])).rejects.toThrow(/Column x mixes kinds: row 1 holds a whole number, row 2 a string/);
  });

  it('refuses a later batch that does not fit the first batch’s types or columns', async () => {
    await expect(collect([{ x: 1 }, { x: 2 }, { x: 'three' }], 2)).rejects.toThrow(/Column x, row 3: a string does not fit the column, which holds numbers/);
    await expect(collect([{ x: 1n }, { x: 2 }, { x: 2.5 }], 2)).rejects.toThrow(/Column x, row 3: a number does not fit the column, which holds whole numbers and bigints \(BIGINT\)/);
    await expect(collect([{ x: 1 }, { x: 2 }, { x: 3, y: 1 }], 2)).rejects.toThrow(/Row 3 has a column y that the first rows did not have/);
    await expect(collect([{ x: null }, { x: null }, { x: 5 }], 2)).rejects.toThrow(/first values were all null/);
  });

  it('refuses elements that are not rows, and values that cannot be stored', async () => {
    await expect(collect([{ a: 1 }, 5])).rejects.toThrow(/holds a number at index 1; each element must be a row object/);
    await expect(collect([[1, 2]])).rejects.toThrow(/holds an array at index 0/);
    await expect(collect([{ f: () => 1 }])).rejects.toThrow(/Column f, row 1: a function cannot be stored/);
    await expect(collect([{ d: new Date(NaN) }])).rejects.toThrow(/Invalid Date/);
    await expect(collect([{}, {}])).rejects.toThrow(/no columns/);
  });

  it('yields nothing for an empty array, undefined or null', async () => {
    expect(await collect([])).toEqual([]);
    expect(await collect(undefined)).toEqual([]);
    expect(await collect(Promise.resolve(null))).toEqual([]);
  });
});

describe('output from Arrow', () => {
  it('passes an Arrow table’s batches through untouched, and a record batch', async () => {
    const arrow = tableFromArrays({ a: Int32Array.from([1, 2, 3]), s: ['x', 'y', 'z'] });
    const batches = await collect(arrow);
    expect(batches).toEqual(arrow.batches);
    expect(await collect(arrow.batches[0])).toEqual([arrow.batches[0]]);
  });

  it('passes an input table through', async () => {
    const arrow = tableFromArrays({ a: Float64Array.from([1.5]) });
    const input = new LakebookTable('orders', arrow.schema, arrow.batches);
    expect(await collect(input)).toEqual(arrow.batches);
  });

  it('keeps the schema of an empty Arrow table', async () => {
    const arrow = tableFromArrays({ a: Int32Array.from([]) });
    const batches = await collect(new Table(arrow.schema));
    expect(batches).toHaveLength(1);
    expect(batches[0]!.numRows).toBe(0);
    expect(batches[0]!.schema.fields.map((f) => f.name)).toEqual(['a']);
  });
});

describe('output from iterables', () => {
  it('streams a generator of rows in batches, never holding more than a batch', async () => {
    let live = 0;
    let maxLive = 0;
    function* rows() {
      for (let i = 0; i < 100; i++) {
        live++;
        maxLive = Math.max(maxLive, live);
        yield { i };
      }
    }
    const sizes: number[] = [];
    for await (const batch of outputBatches(rows(), { batchRows: 16 })) {
      sizes.push(batch.numRows);
      live -= batch.numRows;
    }
    expect(sizes).toEqual([16, 16, 16, 16, 16, 16, 4]);
    expect(maxLive).toBeLessThanOrEqual(16);
  });

  it('accepts an async iterable of batches: arrays of rows, Arrow tables and record batches', async () => {
    const arrow = tableFromArrays({ i: BigInt64Array.from([3n, 4n]) });
    async function* batches() {
      yield [{ i: 1n }];
      yield [{ i: 2n }];
      yield arrow;
    }
    const out = await table(batches(), 10);
    expect(out.rows.map((r) => r.i)).toEqual([1n, 2n, 3n, 4n]);
  });

  it('streams a lazy map over an input table', async () => {
    const arrow = tableFromArrays({ amount: Float64Array.from([50, 150, 250]) });
    const input = new LakebookTable('orders', arrow.schema, arrow.batches);
    const out = await table(input.map((r) => ({ amount: r.amount, big: (r.amount as number) > 100 })));
    expect(out.rows).toEqual([
      { amount: 50, big: false },
      { amount: 150, big: true },
      { amount: 250, big: true },
    ]);
  });

  it('refuses an Arrow batch whose schema differs from what came before', async () => {
    async function* batches() {
      yield [{ i: 1 }];
      yield tableFromArrays({ j: Int32Array.from([1]) });
    }
    await expect(collect(batches())).rejects.toThrow(/The output changed shape/);
  });

  it('refuses items that are neither rows nor batches', async () => {
    async function* items() {
      yield { a: 1 };
      yield 'nope';
    }
    await expect(collect(items())).rejects.toThrow(/Item 1 of the returned iterable is a string/);
  });
});

describe('wrong return types', () => {
  it.each([
    ['a string', 'hello', /returned a string, which is not a table/],
    ['a number', 42, /returned a number/],
    ['a plain object', { id: 1 }, /returned an object, which is not a table/],
    ['a function', () => [], /returned a function/],
    ['a Map', new Map([[1, 2]]), /returned a Map/],
  ])('%s is an OutputError that says what would do', async (_label, value, message) => {
    const error = await collect(value).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(/Return an array of row objects, an Arrow table/);
  });
});

describe('input tables', () => {
  it('iterates rows, maps lazily and reads columns', () => {
    const arrow = tableFromArrays({ id: BigInt64Array.from([1n, 2n ** 60n]), s: ['a', 'b'] });
    const input = new LakebookTable('t', arrow.schema, arrow.batches);
    expect(input.numRows).toBe(2);
    const rows = [...input];
    expect(rows[0]).toEqual({ id: 1, s: 'a' });
    // Beyond 2^53 a BIGINT stays exact as a bigint.
    expect(rows[1]!.id).toBe(2n ** 60n);
    expect(input.filter((r) => r.s === 'b').map((r) => r.s).toArray()).toEqual(['b']);
    expect(input.column('s')).toEqual(['a', 'b']);
    expect(() => input.column('nope')).toThrow(/t has no column nope/);
    expect((input.arrow.getChild('s') as Vector).get(1)).toBe('b');
  });
});

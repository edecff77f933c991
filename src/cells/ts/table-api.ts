import { Table, type RecordBatch, type Schema } from 'apache-arrow';
import { columnReader } from './values';

export type Row = Record<string, unknown>;

export interface ColumnDescription {
  name: string;
  /** DuckDB's type name (`BIGINT`, `DECIMAL(18,2)`, …). */
  type: string;
}

/**
 * A lazy sequence of rows: `map`/`filter` return new sequences without running anything, so a
 * transform over a million rows holds one batch of objects at a time. Returning one from a cell
 * streams it into the output in batches; `toArray()` is the explicit way to hold them all.
 */
export class Rows<T> implements Iterable<T> {
  constructor(private readonly source: () => Iterator<T>) {}

  [Symbol.iterator](): Iterator<T> {
    return this.source();
  }

  map<U>(fn: (row: T, index: number) => U): Rows<U> {
    return new Rows(() => {
      const it = this.source();
      let index = 0;
      return {
        next: () => {
          const r = it.next();
          return r.done ? r : { done: false, value: fn(r.value, index++) };
        },
      };
    });
  }

  filter(fn: (row: T, index: number) => unknown): Rows<T> {
    return new Rows(() => {
      const it = this.source();
      let index = 0;
      return {
        next: () => {
          for (;;) {
            const r = it.next();
            if (r.done) return r;
            if (fn(r.value, index++)) return r;
          }
        },
      };
    });
  }

  flatMap<U>(fn: (row: T, index: number) => Iterable<U>): Rows<U> {
    const source = this.source;
    return new Rows(function* () {
      let index = 0;
      const it = source();
      for (let r = it.next(); !r.done; r = it.next()) yield* fn(r.value, index++);
    });
  }

  /** The first `n` rows. */
  take(n: number): Rows<T> {
    const source = this.source;
    return new Rows(function* () {
      if (n <= 0) return;
      let count = 0;
      const it = source();
      for (let r = it.next(); !r.done; r = it.next()) {
        yield r.value;
        if (++count >= n) return;
      }
    });
  }

  forEach(fn: (row: T, index: number) => void): void {
    let index = 0;
    for (const row of this) fn(row, index++);
  }

  reduce<U>(fn: (acc: U, row: T, index: number) => U, initial: U): U {
    let acc = initial;
    let index = 0;
    for (const row of this) acc = fn(acc, row, index++);
    return acc;
  }

  /** Every row as an array: the whole sequence in memory at once. */
  toArray(): T[] {
    return Array.from(this);
  }
}

/**
 * A table handed to a ts cell (an input, or the answer to a `sql` query). Iterating it yields plain
 * row objects one batch at a time; `arrow` is the Arrow table itself for exact or columnar work.
 */
export class LakebookTable extends Rows<Row> {
  readonly name: string;
  readonly columns: readonly ColumnDescription[];
  readonly numRows: number;
  private arrowTable: Table | undefined;

  constructor(
    name: string,
    readonly schema: Schema,
    private readonly recordBatches: readonly RecordBatch[],
    columns?: readonly ColumnDescription[],
  ) {
    super(() => rowsOf(recordBatches)[Symbol.iterator]());
    this.name = name;
    this.columns = columns ?? schema.fields.map((f) => ({ name: f.name, type: String(f.type) }));
    this.numRows = recordBatches.reduce((n, b) => n + b.numRows, 0);
  }

  /** The Arrow table (its batches as they arrived; nothing is copied). */
  get arrow(): Table {
    this.arrowTable ??= new Table(this.schema, [...this.recordBatches]);
    return this.arrowTable;
  }

  /** The record batches, each with its own rows: for work that goes batch by batch. */
  batches(): { numRows: number; arrow: RecordBatch; rows(): Rows<Row> }[] {
    return this.recordBatches.map((batch) => ({
      numRows: batch.numRows,
      arrow: batch,
      rows: () => new Rows(() => rowsOf([batch])[Symbol.iterator]()),
    }));
  }

  /** One column's values, converted as in rows. */
  column(name: string): unknown[] {
    const index = this.schema.fields.findIndex((f) => f.name === name);
    if (index < 0) throw new Error(`${this.name} has no column ${name} (columns: ${this.schema.fields.map((f) => f.name).join(', ')})`);
    const out: unknown[] = [];
    for (const batch of this.recordBatches) {
      const read = columnReader(batch, index);
      for (let i = 0; i < batch.numRows; i++) out.push(read(i));
    }
    return out;
  }

  toJSON(): { name: string; numRows: number; columns: readonly ColumnDescription[] } {
    return { name: this.name, numRows: this.numRows, columns: this.columns };
  }
}

/** The rows of some batches, one plain object at a time (an iterator, not a generator: it is the hot loop). */
function rowsOf(batches: readonly RecordBatch[]): Iterable<Row> {
  return {
    [Symbol.iterator](): Iterator<Row> {
      let b = -1;
      let i = 0;
      let n = 0;
      let names: string[] = [];
      let readers: ((index: number) => unknown)[] = [];
      let define = false;
      const nextBatch = (): boolean => {
        for (;;) {
          b++;
          const batch = batches[b];
          if (!batch) return false;
          if (batch.numRows === 0) continue;
          names = batch.schema.fields.map((f) => f.name);
          readers = names.map((_, j) => columnReader(batch, j));
          // A column named __proto__ would set the row's prototype through plain assignment.
          define = names.includes('__proto__');
          i = 0;
          n = batch.numRows;
          return true;
        }
      };
      return {
        next(): IteratorResult<Row> {
          if (i >= n && !nextBatch()) return { done: true, value: undefined };
          const row: Row = {};
          const width = names.length;
          if (define) {
            for (let j = 0; j < width; j++) Object.defineProperty(row, names[j]!, { value: readers[j]!(i), enumerable: true, writable: true, configurable: true });
          } else {
            for (let j = 0; j < width; j++) row[names[j]!] = readers[j]!(i);
          }
          i++;
          return { done: false, value: row };
        },
      };
    },
  };
}

import { makeData, RecordBatch, Struct, Table, type Data, type DataType, type Field, type Schema } from 'apache-arrow';
import { BatchBuilder, describeValue, isPlainObject, isRowObject, OutputError, planColumns, schemaOf, wholeNumberColumns, type ColumnPlan } from './build-arrow';
import { LakebookTable } from './table-api';

/** Rows per output batch when the cell returns rows: bounds how many row objects are held at once. */
export const OUTPUT_BATCH_ROWS = 65_536;

const WHAT_TO_RETURN =
  'Return an array of row objects, an Arrow table, or an iterable / async iterable of rows or batches (arrays of rows, Arrow tables or record batches).';

/**
 * The record batches of what a ts cell returned (docs/ts-cells.md, "Output"):
 *
 * - an Arrow `Table` or `RecordBatch`, or a table the cell was given (an input, a `sql` answer);
 * - an array of row objects;
 * - any other iterable or async iterable (a generator, `table.map(…)`), whose items are rows, or
 *   batches: arrays of rows, Arrow tables or record batches. Rows are gathered `batchRows` at a time,
 *   so a lazy million-row transform never holds a million objects.
 *
 * `undefined`/`null` yields nothing (the runner decides whether that is allowed). Anything else is an
 * `OutputError` saying what came back and what would do. The generator's return value lists the
 * number columns that held only whole numbers, which the table should keep as BIGINT.
 */
export async function* outputBatches(value: unknown, options: OutputOptions = {}): AsyncGenerator<RecordBatch, OutputSummary, undefined> {
  const output = new OutputAssembler(options.batchRows ?? OUTPUT_BATCH_ROWS, options.fractionalColumns ?? new Set());
  const resolved = await value;
  if (resolved === undefined || resolved === null) return output.summary();
  if (isArrowTable(resolved) || resolved instanceof LakebookTable) {
    yield* output.arrow(resolved instanceof LakebookTable ? resolved.arrow : resolved, 'the table');
    return output.summary();
  }
  if (resolved instanceof RecordBatch) {
    yield* output.arrow(resolved, 'the record batch');
    return output.summary();
  }
  if (Array.isArray(resolved)) {
    for (let i = 0; i < resolved.length; i++) {
      const row: unknown = resolved[i];
      if (!isRowObject(row)) {
        throw new OutputError(
          `The returned array holds ${describeValue(row)} at index ${i}; each element must be a row object (like { id: 1, name: 'a' }). ${WHAT_TO_RETURN}`,
        );
      }
    }
    yield* output.rows(resolved);
    yield* output.flush();
    return output.summary();
  }
  if (typeof resolved === 'object' && (Symbol.asyncIterator in resolved || Symbol.iterator in resolved) && !(resolved instanceof Map) && !(resolved instanceof Set) && !ArrayBuffer.isView(resolved)) {
    let index = 0;
    const take = function* (item: unknown): Generator<RecordBatch> {
      if (isRowObject(item) && !(item instanceof LakebookTable) && !isArrowTable(item) && !(item instanceof RecordBatch)) {
        const full = output.add(item);
        if (full) yield full;
      } else if (isArrowTable(item) || item instanceof RecordBatch || item instanceof LakebookTable) {
        yield* output.flush();
        yield* output.arrow(item instanceof LakebookTable ? item.arrow : item, `item ${index}`);
      } else if (Array.isArray(item)) {
        yield* output.rows(item);
      } else {
        throw new OutputError(`Item ${index} of the returned iterable is ${describeValue(item)}: items must be row objects, arrays of rows, Arrow tables or record batches.`);
      }
      index++;
    };
    if (Symbol.asyncIterator in resolved) {
      for await (const item of resolved as AsyncIterable<unknown>) yield* take(item);
    } else {
      // A sync iterable (a generator, table.map(…)) is read synchronously: `for await` would cost a
      // promise per row. Row objects take the direct path, without a generator per row.
      for (const item of resolved as Iterable<unknown>) {
        if (isPlainObject(item)) {
          const full = output.add(item);
          if (full) yield full;
          index++;
        } else {
          yield* take(item);
        }
      }
    }
    yield* output.flush();
    return output.summary();
  }
  throw new OutputError(`The cell returned ${describeValue(resolved)}, which is not a table. ${WHAT_TO_RETURN}`);
}

export interface OutputOptions {
  batchRows?: number;
  /**
   * Names of the inputs' fractional columns (DOUBLE, DECIMAL, …): an output number column of the
   * same name stays DOUBLE even when its values happen to be whole, so that a column's type does not
   * depend on today's data. Other number columns of whole numbers become BIGINT.
   */
  fractionalColumns?: ReadonlySet<string>;
}

export interface OutputSummary {
  /** Columns sent as DOUBLE whose values were all whole numbers: to be stored as BIGINT. */
  wholeNumberColumns: string[];
}

function isArrowTable(value: unknown): value is Table {
  return value instanceof Table;
}

/**
 * Gathers rows into batches and checks that every batch has the first one's columns. The first
 * `batchRows` rows are held to decide the columns; after that each row goes straight into the Arrow
 * buffers of the batch in progress.
 */
class OutputAssembler {
  private pending: unknown[] = [];
  private plan: ColumnPlan[] | undefined;
  private schema: Schema | undefined;
  private builder: BatchBuilder | undefined;
  private rowsOut = 0;

  constructor(
    private readonly batchRows: number,
    private readonly fractionalColumns: ReadonlySet<string>,
  ) {}

  summary(): OutputSummary {
    return { wholeNumberColumns: this.plan ? wholeNumberColumns(this.plan).filter((c) => !this.fractionalColumns.has(c)) : [] };
  }

  /** Takes one row; returns a batch when that row completed one. */
  add(row: unknown): RecordBatch | undefined {
    if (this.builder) {
      this.builder.append(row, this.rowsOut + 1);
      this.rowsOut++;
      return this.builder.length >= this.batchRows ? this.takeBatch() : undefined;
    }
    this.pending.push(row);
    return this.pending.length >= this.batchRows ? this.planAndTake() : undefined;
  }

  *rows(rows: readonly unknown[]): Generator<RecordBatch> {
    for (const row of rows) {
      const full = this.add(row);
      if (full) yield full;
    }
  }

  *flush(): Generator<RecordBatch> {
    const batch = this.pending.length > 0 ? this.planAndTake() : this.builder && this.builder.length > 0 ? this.takeBatch() : undefined;
    if (batch) yield batch;
  }

  /** Decides the columns from the rows held so far (the first time), appends them, and takes the batch. */
  private planAndTake(): RecordBatch {
    const rows = this.pending;
    this.pending = [];
    if (!this.plan) {
      this.plan = planColumns(rows, this.rowsOut + 1);
      if (this.plan.length === 0) {
        throw new OutputError('The output rows have no columns (every row is an empty object). Give the rows at least one key.');
      }
      this.checkSchema(schemaOf(this.plan), 'the rows');
    }
    this.builder ??= new BatchBuilder(this.plan, this.schema!, Math.max(rows.length, this.batchRows));
    for (const row of rows) {
      this.builder.append(row, this.rowsOut + 1);
      this.rowsOut++;
    }
    return this.takeBatch();
  }

  private takeBatch(): RecordBatch {
    const batch = this.builder!.finish();
    this.builder = new BatchBuilder(this.plan!, this.schema!, this.batchRows);
    return batch;
  }

  *arrow(source: Table | RecordBatch, what: string): Generator<RecordBatch> {
    this.checkSchema(source.schema, what);
    const batches = source instanceof RecordBatch ? [source] : source.batches;
    for (const batch of batches) {
      this.rowsOut += batch.numRows;
      yield batch;
    }
    // No batches at all: one empty batch still carries the columns, so the table gets them.
    if (batches.length === 0) yield new RecordBatch(source.schema, emptyData(new Struct(source.schema.fields)) as Data<Struct>);
  }

  private checkSchema(schema: Schema, what: string): void {
    if (!this.schema) {
      if (schema.fields.length === 0) throw new OutputError(`The output has no columns (${what} has none).`);
      this.schema = schema;
      return;
    }
    const describe = (s: Schema) => s.fields.map((f) => `${f.name} ${String(f.type)}`).join(', ');
    if (describe(schema) !== describe(this.schema)) {
      throw new OutputError(`The output changed shape: ${what} has columns (${describe(schema)}), but the output started with (${describe(this.schema)}).`);
    }
  }
}

function emptyData(type: DataType): Data {
  const children = ((type.children ?? []) as Field[]).map((f) => emptyData(f.type));
  return makeData({ type, length: 0, nullCount: 0, children, child: children[0] } as unknown as Parameters<typeof makeData>[0]);
}

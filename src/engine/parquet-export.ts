import { tableToIPC, type Table } from 'apache-arrow';
import type { Engine } from './engine';
import { LakebookError, isLakebookError } from './errors';
import { quoteIdent } from './table-naming';

/** The parts of parquet-wasm's writing API used here (its esm build, in the page or in Node). */
export interface ParquetWriteApi {
  Table: { fromIPCStream(ipc: Uint8Array): { recordBatches(): unknown[]; free(): void } };
  transformParquetStream(stream: ReadableStream, properties?: unknown): Promise<ReadableStream<Uint8Array>>;
  WriterPropertiesBuilder: new () => {
    setCompression(value: number): ParquetWriteApiBuilder;
  };
  Compression: { ZSTD: number };
}

interface ParquetWriteApiBuilder {
  setCompression(value: number): ParquetWriteApiBuilder;
  setMaxRowGroupSize(value: number): ParquetWriteApiBuilder;
  build(): unknown;
}

/** Row groups of the size DuckDB writes, so readers that skip by row group statistics behave alike. */
const ROW_GROUP_ROWS = 122_880;

/**
 * A whole table as one ZSTD Parquet file. DuckDB-WASM cannot write Parquet offline (the extension is
 * not linked in), so the rows stream out of DuckDB as Arrow batches and parquet-wasm serializes them:
 * one batch is in Arrow/wasm memory at a time besides the Parquet bytes written so far.
 */
export async function tableToParquet(
  engine: Engine,
  table: string,
  loadParquet: () => Promise<ParquetWriteApi>,
  options: { signal?: AbortSignal } = {},
): Promise<Blob> {
  const parquet = await loadParquet();
  const batches = engine.stream(`SELECT * FROM ${quoteIdent(table)}`, options)[Symbol.asyncIterator]();
  let pending: { free(): void } | undefined;
  const source = new ReadableStream({
    async pull(controller) {
      pending?.free();
      pending = undefined;
      try {
        const next = await batches.next();
        if (next.done) {
          controller.close();
          return;
        }
        const wasmTable = parquet.Table.fromIPCStream(tableToIPC(next.value as Table, 'stream'));
        pending = wasmTable;
        for (const batch of wasmTable.recordBatches()) controller.enqueue(batch);
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await batches.return?.();
    },
  });
  const properties = new parquet.WriterPropertiesBuilder()
    .setCompression(parquet.Compression.ZSTD)
    .setMaxRowGroupSize(ROW_GROUP_ROWS)
    .build();
  try {
    const bytes = await parquet.transformParquetStream(source, properties);
    const parts: Uint8Array[] = [];
    const reader = bytes.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
    }
    return new Blob(parts as BlobPart[], { type: 'application/vnd.apache.parquet' });
  } catch (cause) {
    if (isLakebookError(cause)) throw cause;
    throw new LakebookError('internal', `${table} could not be written as Parquet: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  } finally {
    pending?.free();
  }
}

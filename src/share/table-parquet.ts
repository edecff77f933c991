import type { Engine } from '../engine/engine';
import { quoteIdent } from '../engine/table-naming';

/** Row groups of the size DuckDB writes, so readers that skip by row-group statistics behave alike. */
export const PUBLISH_ROW_GROUP_ROWS = 122_880;

/**
 * A whole table as one ZSTD Parquet file: its rows stream out of DuckDB as Arrow batches into the
 * engine's Parquet writer (`Engine.writeParquet`, parquet-wasm in its own worker), row group by row group.
 */
export async function tableToParquet(engine: Engine, table: string, options: { signal?: AbortSignal } = {}): Promise<Blob> {
  const parts: Uint8Array[] = [];
  // A failing query (the table is gone) surfaces in the writer as its own error; report the query's.
  let readFailure: unknown;
  async function* batches() {
    try {
      yield* engine.stream(`SELECT * FROM ${quoteIdent(table)}`, options);
    } catch (error) {
      readFailure = error;
      throw error;
    }
  }
  try {
    for await (const chunk of engine.writeParquet(batches(), { compression: 'zstd', rowGroupSize: PUBLISH_ROW_GROUP_ROWS })) parts.push(chunk);
  } catch (error) {
    throw readFailure ?? error;
  }
  return new Blob(parts as BlobPart[], { type: 'application/vnd.apache.parquet' });
}

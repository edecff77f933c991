import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import initParquet, * as parquet from 'parquet-wasm/esm';
import { createConverter } from './ingest/convert';
import { encodeParquet, type ParquetEncoder } from './parquet-writer/encode';
import { LakebookEngine } from './lakebook-engine';
import { NodeDriver } from './node-driver';
import type { Driver } from './driver';

const require = createRequire(import.meta.url);
let parquetReady: Promise<typeof parquet> | undefined;

/** parquet-wasm in Node, loaded once (readers and writers share it). */
export function loadParquet(): Promise<typeof parquet> {
  parquetReady ??= readFile(require.resolve('parquet-wasm/esm/parquet_wasm_bg.wasm')).then(async (bytes) => {
    await initParquet({ module_or_path: bytes });
    return parquet;
  });
  return parquetReady;
}

/** The lakebook engine on DuckDB-WASM in-process: for Node tests and scripts. */
export function createNodeEngine(wrapDriver: (driver: Driver) => Driver = (driver) => driver): LakebookEngine {
  const encoder: ParquetEncoder = async function* (batches, options) {
    yield* encodeParquet(await loadParquet(), batches, options);
  };
  return new LakebookEngine(async () => wrapDriver(await NodeDriver.start()), createConverter(loadParquet), encoder);
}

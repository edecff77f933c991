import { BrowserDriver } from './browser-driver';
import { createWorkerConverter } from './ingest/worker-converter';
import { createWorkerEncoder } from './parquet-writer/worker-encoder';
import { LakebookEngine } from './lakebook-engine';

/** The lakebook engine on DuckDB-WASM in a Web Worker, with file conversion in a second worker and Parquet writing in a third. */
export function createBrowserEngine(): LakebookEngine {
  return new LakebookEngine(() => BrowserDriver.start(), createWorkerConverter(), createWorkerEncoder());
}

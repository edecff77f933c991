import { BrowserDriver } from './browser-driver';
import { createWorkerConverter } from './ingest/worker-converter';
import { LakebookEngine } from './lakebook-engine';

/** The lakebook engine on DuckDB-WASM in a Web Worker, with file conversion in a second worker. */
export function createBrowserEngine(): LakebookEngine {
  return new LakebookEngine(() => BrowserDriver.start(), createWorkerConverter());
}

import parquetWasmUrl from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import type { ParquetWriteApi } from './parquet-export';

let ready: Promise<ParquetWriteApi> | undefined;

/**
 * parquet-wasm on the page, for writing (publishing a notebook's data). Loaded on first use only: the
 * module and its 5 MB wasm come from our own origin (the service worker has them precached).
 */
export function loadBrowserParquet(): Promise<ParquetWriteApi> {
  ready ??= import('parquet-wasm/esm').then(async (parquet) => {
    await parquet.default({ module_or_path: new URL(parquetWasmUrl, document.baseURI) });
    return parquet as unknown as ParquetWriteApi;
  });
  return ready;
}

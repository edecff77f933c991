import { parquetToArrowIPC, type ParquetWasm } from './parquet';
import { ndjsonToArrowIPC } from './ndjson';

/** One piece of a file, converted to an Arrow IPC stream that DuckDB inserts or appends. */
export interface IpcChunk {
  ipc: Uint8Array;
  /** Rows loaded so far, this chunk included. */
  rows: number;
  bytesRead: number;
  totalBytes: number;
}

export type ConvertibleFormat = 'parquet' | 'ndjson';

/** Converts files DuckDB-WASM cannot read offline (no parquet/json extension) into Arrow IPC. */
export type FileConverter = (blob: Blob, format: ConvertibleFormat, fileName: string) => AsyncIterable<IpcChunk>;

export function createConverter(loadParquet: () => Promise<ParquetWasm>): FileConverter {
  return async function* convert(blob, format, fileName) {
    if (format === 'parquet') {
      const parquet = await loadParquet();
      let rows = 0;
      for await (const chunk of parquetToArrowIPC(parquet, blob, fileName)) {
        rows += chunk.rows;
        const share = chunk.rowGroups === 0 ? 1 : (chunk.rowGroup + 1) / chunk.rowGroups;
        yield { ipc: chunk.ipc, rows, bytesRead: Math.round(blob.size * share), totalBytes: blob.size };
      }
      return;
    }
    let progress = { bytesRead: 0, rows: 0 };
    for await (const ipc of ndjsonToArrowIPC(blob, {
      fileName,
      onProgress: (bytesRead, rows) => {
        progress = { bytesRead, rows };
      },
    })) {
      yield { ipc, rows: progress.rows, bytesRead: progress.bytesRead, totalBytes: blob.size };
    }
  };
}

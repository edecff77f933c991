import { LakebookError } from '../errors';

/** The parts of parquet-wasm's API this module uses, so the module works with its esm and node builds. */
export interface ParquetWasm {
  ParquetFile: {
    fromFile(handle: Blob): Promise<{
      metadata(): {
        numRowGroups(): number;
        fileMetadata(): { numRows(): number };
        rowGroup(i: number): { numRows(): number; totalByteSize(): number };
      };
      schema(): { intoIPCStream(): Uint8Array };
      read(options?: { rowGroups?: number[] } | null): Promise<{ intoIPCStream(): Uint8Array; numRows?: number }>;
      free(): void;
    }>;
  };
}

export interface ParquetChunk {
  ipc: Uint8Array;
  rows: number;
  rowGroup: number;
  rowGroups: number;
  totalRows: number;
}

/**
 * Reads a Parquet file one row group at a time and yields each as an Arrow IPC stream, so a large
 * file is never held as two full copies. A file with zero row groups yields its schema alone.
 */
export async function* parquetToArrowIPC(
  parquet: ParquetWasm,
  blob: Blob,
  fileName: string,
): AsyncGenerator<ParquetChunk> {
  if (blob.size === 0) {
    throw new LakebookError('file-empty', `${fileName} is empty: there are no rows to load.`);
  }
  let file;
  try {
    file = await parquet.ParquetFile.fromFile(blob);
  } catch (cause) {
    throw invalidParquet(fileName, cause);
  }
  try {
    const metadata = file.metadata();
    const rowGroups = metadata.numRowGroups();
    const totalRows = Number(metadata.fileMetadata().numRows());
    if (rowGroups === 0) {
      yield { ipc: file.schema().intoIPCStream(), rows: 0, rowGroup: 0, rowGroups: 0, totalRows: 0 };
      return;
    }
    for (let rowGroup = 0; rowGroup < rowGroups; rowGroup++) {
      let ipc: Uint8Array;
      try {
        const table = await file.read({ rowGroups: [rowGroup] });
        ipc = table.intoIPCStream();
      } catch (cause) {
        throw invalidParquet(fileName, cause, rowGroup);
      }
      yield { ipc, rows: Number(metadata.rowGroup(rowGroup).numRows()), rowGroup, rowGroups, totalRows };
    }
  } finally {
    file.free();
  }
}

function invalidParquet(fileName: string, cause: unknown, rowGroup?: number): LakebookError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  const where = rowGroup === undefined ? '' : ` (row group ${rowGroup + 1})`;
  return new LakebookError(
    'parquet-invalid',
    `${fileName} is not a readable Parquet file${where}: ${detail.split('\n')[0]}. It may be truncated or not Parquet at all; export it again and re-add it.`,
    { cause },
  );
}

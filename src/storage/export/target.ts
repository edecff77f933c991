/**
 * Where an export's files go. The exporter writes one file at a time, in order, and `_SUCCESS` last;
 * a target only has to store bytes. Implementations: a streamed zip download (`zip-target.ts`), a
 * folder picked through the File System Access API or a folder in OPFS (`directory-target.ts`), and
 * memory (tests).
 */
export interface ExportTarget {
  readonly kind: 'zip' | 'folder' | 'opfs' | 'memory';
  /** Where the files end up, in words: `orders.zip (download)`, `folder "exports"`, `browser storage: exports/orders`. */
  readonly description: string;
  /**
   * Prepares the destination before any data is read: checks it may be written, removes an earlier
   * export's `_SUCCESS` first (so a reader never trusts a half-replaced export), then the rest of it.
   */
  begin(): Promise<void>;
  /** Opens the next file at `path` (`/`-separated, relative). `compressible`: text a zip should deflate. */
  openFile(path: string, options: { compressible: boolean }): Promise<ExportFileWriter>;
  /** Everything is written: finishes the archive or download. */
  commit(): Promise<void>;
  /** Stops: a download fails, files this export wrote are removed (best effort). Never throws. */
  abort(reason: unknown): Promise<void>;
}

export interface ExportFileWriter {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/** A sequential byte destination (a download, a file). */
export interface ByteSink {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
  abort(reason: unknown): Promise<void>;
}

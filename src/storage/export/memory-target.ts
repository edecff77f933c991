import { StorageError } from '../errors';
import type { ExportFileWriter, ExportTarget } from './target';

export interface MemoryTarget extends ExportTarget {
  /** Finished files by path, in the order they were closed. */
  readonly files: Map<string, Uint8Array>;
  readonly state: 'new' | 'begun' | 'committed' | 'aborted';
}

/** Keeps files in memory: for tests, and for small exports a caller wants as bytes. */
export function createMemoryTarget(): MemoryTarget {
  const files = new Map<string, Uint8Array>();
  let state: MemoryTarget['state'] = 'new';
  let open = false;
  return {
    kind: 'memory',
    description: 'memory',
    files,
    get state() {
      return state;
    },
    async begin() {
      state = 'begun';
    },
    async openFile(path): Promise<ExportFileWriter> {
      if (state !== 'begun') throw new StorageError('io', `Cannot open ${path}: the export is ${state}.`);
      if (open) throw new StorageError('io', `Cannot open ${path} while another file is open.`);
      if (files.has(path)) throw new StorageError('path-conflict', `${path} was written twice.`);
      open = true;
      const chunks: Uint8Array[] = [];
      return {
        async write(chunk) {
          chunks.push(chunk.slice());
        },
        async close() {
          const size = chunks.reduce((n, c) => n + c.byteLength, 0);
          const bytes = new Uint8Array(size);
          let at = 0;
          for (const c of chunks) {
            bytes.set(c, at);
            at += c.byteLength;
          }
          files.set(path, bytes);
          open = false;
        },
      };
    },
    async commit() {
      state = 'committed';
    },
    async abort() {
      state = 'aborted';
      files.clear();
      open = false;
    },
  };
}

/** Counts bytes and keeps none: measures an export without a destination (the benchmark). */
export function createDiscardTarget(): ExportTarget & { readonly bytes: number } {
  let bytes = 0;
  return {
    kind: 'memory',
    description: 'nowhere (discarded)',
    get bytes() {
      return bytes;
    },
    async begin() {},
    async openFile() {
      return {
        async write(chunk) {
          bytes += chunk.byteLength;
        },
        async close() {},
      };
    },
    async commit() {},
    async abort() {},
  };
}

/**
 * A small key → Blob store with folders, over the browser's Origin Private File System (OPFS),
 * IndexedDB, or memory (unit tests). Everything persistent in lakebook goes through a `BlobStore`;
 * `workspace-store.ts` gives it the app's meaning (notebooks, data files, last opened).
 *
 * Paths are `/`-separated (`notebooks/abc/notebook.md`) and validated alike by every backend
 * (`paths.ts`): no empty segments, no `.`/`..`, no backslash or NUL. A path is either a blob or a
 * folder, never both: `put('a/b')` after `put('a')` fails with `StorageError('path-conflict')` in every
 * backend, as it must in OPFS, where `a` would be a file and a folder at once.
 *
 * All failures are `StorageError`s (`errors.ts`); a full disk is `code: 'quota-exceeded'`.
 */
import { toStorageError } from './errors';
import { createIndexedDbStore } from './indexeddb-store';
import { createOpfsStore } from './opfs-store';
import { ancestorsOf, checkPath, pathConflict, splitPrefix } from './paths';

export type BlobStoreKind = 'opfs' | 'indexeddb' | 'memory';

export interface BlobStore {
  /** Which backend this is; `'memory'` means nothing survives a reload. */
  readonly kind: BlobStoreKind;
  /**
   * Stores `data` at `path`, replacing what was there. A Blob (or File) is copied by the browser
   * (OPFS `write(blob)`, IndexedDB's blob storage), never read into a JS string or ArrayBuffer. In
   * OPFS and IndexedDB the new content replaces the old one when the write completes: a failed or
   * interrupted write leaves the previous content (and no empty file where there was none).
   */
  put(path: string, data: Blob | string): Promise<void>;
  /**
   * The blob at `path`, or `undefined` when there is none (or `path` is a folder). The result is
   * lazy in OPFS (a `File` backed by the stored file): read it before that path is written or
   * deleted again, or reading fails with `NotReadableError`.
   */
  get(path: string): Promise<Blob | undefined>;
  /** Deletes the blob at `path`, or the folder `path` with everything under it. Missing: no-op. */
  delete(path: string): Promise<void>;
  /**
   * Full paths of every blob under the folder `prefix` (recursively), sorted by code unit. `''` lists
   * everything; a trailing `/` is allowed. A `prefix` that is a blob or does not exist gives `[]`.
   */
  list(prefix: string): Promise<string[]>;
}

export { createIndexedDbStore, createOpfsStore };

/** An in-memory `BlobStore` for unit tests (and the last resort when the browser stores nothing). */
export function createMemoryStore(): BlobStore {
  const blobs = new Map<string, Blob>();
  const isFolder = (path: string): boolean => {
    for (const key of blobs.keys()) if (key.startsWith(`${path}/`)) return true;
    return false;
  };
  return {
    kind: 'memory',
    async put(path, data) {
      checkPath(path);
      const fileAncestor = ancestorsOf(path).find((a) => blobs.has(a));
      if (fileAncestor !== undefined) throw pathConflict(path, fileAncestor);
      if (isFolder(path)) throw pathConflict(path, path);
      blobs.set(path, typeof data === 'string' ? new Blob([data]) : data);
    },
    async get(path) {
      checkPath(path);
      return blobs.get(path);
    },
    async delete(path) {
      checkPath(path);
      for (const key of [...blobs.keys()]) if (key === path || key.startsWith(`${path}/`)) blobs.delete(key);
    },
    async list(prefix) {
      const segments = splitPrefix(prefix);
      const folder = segments.length === 0 ? '' : `${segments.join('/')}/`;
      return [...blobs.keys()].filter((key) => key.startsWith(folder)).sort();
    },
  };
}

export interface BrowserStoreChoice {
  store: BlobStore;
  kind: BlobStoreKind;
  /** Why better backends were passed over, in words (empty when OPFS was used). */
  fallbacks: string[];
}

/**
 * The best store this browser has: OPFS (when `FileSystemFileHandle.createWritable` exists on the
 * main thread), else IndexedDB, else memory. `kind` says which one it got; with
 * `'memory'` nothing survives a reload, which the UI should say.
 */
export async function createBrowserStore(
  options: { root?: string; dbName?: string } = {},
): Promise<BrowserStoreChoice> {
  const root = options.root ?? 'lakebook';
  const dbName = options.dbName ?? 'lakebook';
  const fallbacks: string[] = [];
  try {
    const store = await createOpfsStore(root, { fallbackDbName: dbName });
    if (store.kind !== 'opfs') fallbacks.push('OPFS cannot write files in this browser (no createWritable).');
    return { store, kind: store.kind, fallbacks };
  } catch (e) {
    fallbacks.push(toStorageError(e, 'opening the origin private file system').userMessage);
  }
  try {
    const store = await createIndexedDbStore(dbName);
    return { store, kind: store.kind, fallbacks };
  } catch (e) {
    fallbacks.push(toStorageError(e, 'opening IndexedDB').userMessage);
  }
  return { store: createMemoryStore(), kind: 'memory', fallbacks };
}

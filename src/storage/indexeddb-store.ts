/**
 * `BlobStore` over IndexedDB, for browsers whose OPFS cannot write from the main thread.
 *
 * Chromium stores a disk-backed `File` put into IndexedDB as a reference to the user's file, not a
 * copy: measured here, a 50 MB File "stored" in 30 ms was unreadable after the original was deleted
 * and the page reloaded. So this store copies the bytes itself, 8 MiB at a time
 * (`slice().arrayBuffer()`, never the whole file), each chunk a Blob record of its own:
 *
 * - object store `blobs`: path → `{ gen, count, size, type }` (one small record per stored blob);
 * - object store `chunks`: `[gen, index]` → Blob of at most 8 MiB.
 *
 * A put writes its chunks under a fresh generation id, then, in one transaction, checks the path,
 * points the record at the new generation and drops the old one's chunks: readers see the old
 * content or the new, never a mix, and a failed put leaves the old content. `get` assembles the
 * chunk Blobs into one Blob lazily (no bytes are read). Chunks orphaned by a tab that closed mid-put
 * are swept when a store is opened, once they are a day old (younger ones may be another tab's put
 * in progress).
 *
 * A folder is a key range (`path/` … `path0`; `0` is the code unit after `/`). Raw IndexedDB
 * rather than `idb-keyval`: we need two object stores in one transaction, ranges, counts and cursors.
 */
import type { BlobStore } from './blob-store';
import { StorageError, toStorageError } from './errors';
import { ancestorsOf, checkPath, pathConflict, splitPrefix } from './paths';

const BLOBS = 'blobs';
const CHUNKS = 'chunks';
export const IDB_CHUNK_BYTES = 8 * 1024 * 1024;
const ORPHAN_AGE_MS = 24 * 60 * 60 * 1000;

interface StoredRecord {
  gen: string;
  count: number;
  size: number;
  type: string;
}

function isStoredRecord(value: unknown): value is StoredRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return typeof r.gen === 'string' && typeof r.count === 'number' && typeof r.size === 'number' && typeof r.type === 'string';
}

/** Every key inside the folder `path`. */
function folderRange(path: string): IDBKeyRange {
  return IDBKeyRange.bound(`${path}/`, `${path}0`, false, true);
}

/** Every chunk of one generation. */
function generationRange(gen: string): IDBKeyRange {
  return IDBKeyRange.bound([gen, 0], [gen, Infinity]);
}

/** A generation id: creation time (base 36, for the orphan sweep) and randomness. */
function newGeneration(): string {
  const random = new Uint8Array(6);
  globalThis.crypto.getRandomValues(random);
  return `${Date.now().toString(36)}-${Array.from(random, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function generationTime(gen: string): number {
  return parseInt(gen.split('-')[0] ?? '', 36);
}

/** Resolves when `tx` commits; rejects with `reason()` (or the transaction's error) when it aborts. */
function committed(tx: IDBTransaction, reason: () => unknown = () => undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(reason() ?? tx.error ?? new Error('IndexedDB transaction aborted'));
    tx.onerror = () => undefined; // onabort follows and reports
  });
}

function open(dbName: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(dbName, 1);
    request.onupgradeneeded = () => {
      const names = request.result.objectStoreNames;
      if (!names.contains(BLOBS)) request.result.createObjectStore(BLOBS);
      if (!names.contains(CHUNKS)) request.result.createObjectStore(CHUNKS);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error(`Cannot open IndexedDB database "${dbName}"`));
    request.onblocked = () =>
      reject(new Error(`IndexedDB database "${dbName}" is held at another version by another tab`));
  });
}

/**
 * Opens (creating it) the database `dbName`. Throws `StorageError('unavailable')` when the browser
 * has no IndexedDB or refuses it.
 */
export async function createIndexedDbStore(dbName = 'lakebook'): Promise<BlobStore> {
  if (typeof indexedDB === 'undefined') {
    throw new StorageError('unavailable', 'This browser has no IndexedDB.');
  }
  let current: Promise<IDBDatabase> | undefined;
  /** The open database; reopened if the browser closed it (another tab upgrading, storage cleared). */
  const db = (): Promise<IDBDatabase> => {
    current ??= open(dbName).then((opened) => {
      const forget = (): void => {
        opened.close();
        current = undefined;
      };
      opened.onversionchange = forget;
      opened.onclose = forget;
      return opened;
    });
    current.catch(() => (current = undefined));
    return current;
  };
  try {
    await db();
  } catch (e) {
    throw new StorageError('unavailable', `The browser refused IndexedDB: ${String(e)}`, { cause: e });
  }

  async function dropGeneration(gen: string): Promise<void> {
    const tx = (await db()).transaction(CHUNKS, 'readwrite');
    tx.objectStore(CHUNKS).delete(generationRange(gen));
    await committed(tx);
  }

  async function sweepOrphans(): Promise<void> {
    const tx = (await db()).transaction([BLOBS, CHUNKS], 'readwrite');
    const records = tx.objectStore(BLOBS).getAll();
    const chunkKeys = tx.objectStore(CHUNKS).getAllKeys();
    chunkKeys.onsuccess = () => {
      const live = new Set(records.result.filter(isStoredRecord).map((r) => r.gen));
      const cutoff = Date.now() - ORPHAN_AGE_MS;
      const orphans = new Set<string>();
      for (const key of chunkKeys.result) {
        const gen = Array.isArray(key) && typeof key[0] === 'string' ? key[0] : undefined;
        if (gen !== undefined && !live.has(gen) && generationTime(gen) < cutoff) orphans.add(gen);
      }
      for (const gen of orphans) tx.objectStore(CHUNKS).delete(generationRange(gen));
    };
    await committed(tx);
  }
  // Housekeeping only: a failure here loses nothing, so it is logged, not thrown.
  sweepOrphans().catch((e: unknown) => console.warn(`IndexedDB store "${dbName}": orphan sweep failed`, e));

  return {
    kind: 'indexeddb',
    async put(path, data) {
      const ancestors = ancestorsOf(path);
      const blob = typeof data === 'string' ? new Blob([data]) : data;
      const gen = newGeneration();
      const record: StoredRecord = { gen, count: Math.ceil(blob.size / IDB_CHUNK_BYTES), size: blob.size, type: blob.type };
      let conflict: StorageError | undefined;
      try {
        // An empty Blob is still read once: a File whose disk file is gone reports size 0 and only
        // fails when read, and storing it as empty would overwrite good content with nothing.
        if (record.count === 0) await blob.arrayBuffer();
        for (let i = 0; i < record.count; i++) {
          // Read one chunk into memory and store it as a memory-backed Blob: a copy, not a reference.
          const bytes = await blob.slice(i * IDB_CHUNK_BYTES, (i + 1) * IDB_CHUNK_BYTES).arrayBuffer();
          const tx = (await db()).transaction(CHUNKS, 'readwrite');
          tx.objectStore(CHUNKS).put(new Blob([bytes]), [gen, i]);
          await committed(tx);
        }
        const tx = (await db()).transaction([BLOBS, CHUNKS], 'readwrite');
        const blobs = tx.objectStore(BLOBS);
        const previous = blobs.get(path);
        // Requests in one transaction complete in order: when the last count answers, all have.
        const checks = [...ancestors, path].map((p, i) => ({
          at: p,
          count: i < ancestors.length ? blobs.count(p) : blobs.count(folderRange(p)),
        }));
        const last = checks[checks.length - 1];
        if (last) {
          last.count.onsuccess = () => {
            const hit = checks.find((c) => c.count.result > 0);
            if (hit) {
              conflict = pathConflict(path, hit.at);
              tx.abort();
              return;
            }
            blobs.put(record, path);
            if (isStoredRecord(previous.result)) tx.objectStore(CHUNKS).delete(generationRange(previous.result.gen));
          };
        }
        await committed(tx, () => conflict);
      } catch (e) {
        await dropGeneration(gen).catch(() => undefined); // best effort; the put's error is reported
        throw toStorageError(e, `saving "${path}"`);
      }
    },

    async get(path) {
      checkPath(path);
      try {
        const tx = (await db()).transaction([BLOBS, CHUNKS], 'readonly');
        const request = tx.objectStore(BLOBS).get(path);
        let parts: IDBRequest<unknown[]> | undefined;
        request.onsuccess = () => {
          if (isStoredRecord(request.result)) parts = tx.objectStore(CHUNKS).getAll(generationRange(request.result.gen));
        };
        await committed(tx);
        const record: unknown = request.result;
        if (!isStoredRecord(record) || !parts) return undefined;
        const blobs = parts.result.filter((p): p is Blob => p instanceof Blob);
        if (blobs.length !== record.count) {
          throw new StorageError('corrupt', `Part of "${path}" is missing from browser storage (IndexedDB).`);
        }
        return new Blob(blobs, { type: record.type });
      } catch (e) {
        throw toStorageError(e, `reading "${path}"`);
      }
    },

    async delete(path) {
      checkPath(path);
      try {
        const tx = (await db()).transaction([BLOBS, CHUNKS], 'readwrite');
        const blobs = tx.objectStore(BLOBS);
        const chunks = tx.objectStore(CHUNKS);
        const drop = (value: unknown): void => {
          if (isStoredRecord(value)) chunks.delete(generationRange(value.gen));
        };
        const one = blobs.get(path);
        one.onsuccess = () => {
          drop(one.result);
          blobs.delete(path);
        };
        const cursor = blobs.openCursor(folderRange(path));
        cursor.onsuccess = () => {
          const at = cursor.result;
          if (!at) return;
          drop(at.value);
          at.delete();
          at.continue();
        };
        await committed(tx);
      } catch (e) {
        throw toStorageError(e, `deleting "${path}"`);
      }
    },

    async list(prefix) {
      const segments = splitPrefix(prefix);
      try {
        const tx = (await db()).transaction(BLOBS, 'readonly');
        const store = tx.objectStore(BLOBS);
        const request = segments.length === 0 ? store.getAllKeys() : store.getAllKeys(folderRange(segments.join('/')));
        await committed(tx);
        return request.result.map(String).sort();
      } catch (e) {
        throw toStorageError(e, `listing "${prefix}"`);
      }
    },
  };
}

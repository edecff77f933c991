/**
 * The app's persistence model on top of a `BlobStore`: notebooks (Markdown text plus a little meta),
 * which one was open last, and copies of the data files each notebook loaded, with the options they
 * were loaded with, so that a reload restores the tables without asking for the files again (a
 * user's `File` objects do not survive a reload).
 *
 * Layout (version 1; every name is `encodeSegment`-ed, so any notebook id or file name is fine):
 *
 *     workspace.json                       { version, lastOpened }
 *     notebooks/<id>/notebook.md           the notebook's text, as is
 *     notebooks/<id>/meta.json             { version, title, updatedAt }
 *     notebooks/<id>/data.json             { version, files: [{ fileName, options, size, type, lastModified }] }
 *     notebooks/<id>/data/<fileName>       the file's bytes (streamed in, never read into memory)
 *
 * `data.json` keeps the files in the order they were first added. Bookkeeping that is only a
 * convenience degrades when unreadable (a missing `meta.json` gives the id as title; a broken
 * `workspace.json` means no last-opened notebook); a broken `data.json` is an error
 * (`StorageError('corrupt')`), since skipping it would silently lose the user's tables.
 *
 * Operations on one notebook run one at a time, in call order (`data.json` is read-modify-write).
 * Several tabs writing the same notebook are not coordinated here: that is what `tab-guard.ts` is for.
 */
import type { BlobStore, BlobStoreKind } from './blob-store';
import { StorageError, toStorageError } from './errors';
import { decodeSegment, encodeSegment } from './paths';

export interface NotebookMeta {
  title: string;
  /** Milliseconds since the epoch (`Date.now()`). */
  updatedAt: number;
}

export interface RecentNotebook extends NotebookMeta {
  notebookId: string;
}

export interface DataFileEntry {
  fileName: string;
  /** How the file was loaded (e.g. CSV options), as given to `saveDataFile`, after a JSON round trip. */
  options: unknown;
  size: number;
  /** The original Blob's MIME type and File's `lastModified`, restored by `loadDataFile`. */
  type: string;
  lastModified: number;
}

export interface WorkspaceStore {
  readonly kind: BlobStoreKind;
  saveNotebook(notebookId: string, text: string, meta: NotebookMeta): Promise<void>;
  loadNotebook(notebookId: string): Promise<{ text: string; meta: NotebookMeta } | undefined>;
  /** The 20 most recently updated notebooks, newest first. */
  listRecent(): Promise<RecentNotebook[]>;
  /** Remembers the notebook to reopen after a reload; `undefined` forgets it. */
  setLastOpened(notebookId: string | undefined): Promise<void>;
  lastOpened(): Promise<string | undefined>;
  /**
   * Copies `blob` into the store as the notebook's data file `fileName` (streamed). Saving a
   * `fileName` again replaces its bytes and options and keeps its place in the order. `options` must
   * survive `JSON.stringify` (else `StorageError('invalid-options')`); `undefined` is stored as `null`.
   */
  saveDataFile(notebookId: string, fileName: string, blob: Blob, options: unknown): Promise<void>;
  /** The notebook's data files, in the order they were first saved. */
  listDataFiles(notebookId: string): Promise<DataFileEntry[]>;
  /**
   * The stored copy as a `File` named `fileName`, or `undefined` if there is none. It is backed by
   * the store (not copied into memory); read it before the same file is saved again or removed.
   */
  loadDataFile(notebookId: string, fileName: string): Promise<File | undefined>;
  removeDataFile(notebookId: string, fileName: string): Promise<void>;
  /** Deletes the notebook, its meta and its data files; forgets it as last opened. */
  deleteNotebook(notebookId: string): Promise<void>;
}

export const MAX_RECENT = 20;
const LAYOUT_VERSION = 1;
const WORKSPACE_FILE = 'workspace.json';

const notebookDir = (id: string): string => `notebooks/${encodeSegment(id)}`;
const textPath = (id: string): string => `${notebookDir(id)}/notebook.md`;
const metaPath = (id: string): string => `${notebookDir(id)}/meta.json`;
const manifestPath = (id: string): string => `${notebookDir(id)}/data.json`;
const dataPath = (id: string, fileName: string): string => `${notebookDir(id)}/data/${encodeSegment(fileName)}`;
const META_PATH = /^notebooks\/([^/]+)\/meta\.json$/;

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parsed JSON at `path`: `undefined` when missing, `'unreadable'` when it does not parse. */
async function readJson(store: BlobStore, path: string): Promise<unknown> {
  const blob = await store.get(path);
  if (!blob) return undefined;
  const text = await blob.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return 'unreadable';
  }
}

function toMeta(value: unknown): NotebookMeta | undefined {
  if (!isRecord(value)) return undefined;
  const { title, updatedAt } = value;
  return typeof title === 'string' && typeof updatedAt === 'number' && Number.isFinite(updatedAt)
    ? { title, updatedAt }
    : undefined;
}

function toEntry(value: unknown): DataFileEntry | undefined {
  if (!isRecord(value)) return undefined;
  const { fileName, options, size, type, lastModified } = value;
  if (typeof fileName !== 'string' || typeof size !== 'number' || typeof type !== 'string') return undefined;
  if (typeof lastModified !== 'number') return undefined;
  return { fileName, options: options ?? null, size, type, lastModified };
}

/** `options` after a JSON round trip, so what is listed later equals what is returned now. */
function jsonRoundTrip(options: unknown, fileName: string): unknown {
  let text: string | undefined;
  try {
    text = JSON.stringify(options ?? null);
  } catch (e) {
    throw new StorageError('invalid-options', `The load options of "${fileName}" cannot be saved: ${String(e)}`, {
      cause: e,
    });
  }
  if (text === undefined) {
    throw new StorageError('invalid-options', `The load options of "${fileName}" cannot be saved as JSON.`);
  }
  return JSON.parse(text) as unknown;
}

/** Runs tasks with the same key one after another, in call order; a failure does not stop the queue. */
function createKeyedQueue(): <T>(key: string, task: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return (key, task) => {
    const previous = tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return result;
  };
}

export function createWorkspaceStore(store: BlobStore): WorkspaceStore {
  const serial = createKeyedQueue();
  /** Notebook ids and this key cannot collide: ids are queued as `nb:<id>`. */
  const WORKSPACE_KEY = 'workspace';
  const inNotebook = <T>(id: string, task: () => Promise<T>): Promise<T> => serial(`nb:${id}`, task);

  async function readManifest(id: string): Promise<DataFileEntry[]> {
    const path = manifestPath(id);
    const value = await readJson(store, path);
    if (value === undefined) return [];
    const files = isRecord(value) && Array.isArray(value.files) ? value.files.map(toEntry) : undefined;
    if (!files || files.some((f) => f === undefined)) {
      throw new StorageError(
        'corrupt',
        `The list of data files saved with notebook "${id}" cannot be read (${path}); the files themselves are still stored.`,
      );
    }
    return files as DataFileEntry[];
  }

  const writeManifest = (id: string, files: DataFileEntry[]): Promise<void> =>
    store.put(manifestPath(id), JSON.stringify({ version: LAYOUT_VERSION, files }, null, 2));

  async function readLastOpened(): Promise<string | undefined> {
    const value = await readJson(store, WORKSPACE_FILE);
    return isRecord(value) && typeof value.lastOpened === 'string' ? value.lastOpened : undefined;
  }

  const writeLastOpened = (id: string | undefined): Promise<void> =>
    store.put(WORKSPACE_FILE, JSON.stringify({ version: LAYOUT_VERSION, lastOpened: id ?? null }));

  return {
    kind: store.kind,

    async saveNotebook(id, text, meta) {
      const checked = toMeta(meta);
      if (!checked) throw new TypeError('saveNotebook: meta needs a string title and a finite updatedAt');
      return inNotebook(id, async () => {
        // Text first: a failure in between leaves the new text with the old meta, never the reverse.
        await store.put(textPath(id), text);
        await store.put(metaPath(id), JSON.stringify({ version: LAYOUT_VERSION, ...checked }));
      });
    },

    async loadNotebook(id) {
      return inNotebook(id, async () => {
        const blob = await store.get(textPath(id));
        if (!blob) return undefined;
        const text = await blob.text();
        const meta = toMeta(await readJson(store, metaPath(id))) ?? { title: id, updatedAt: 0 };
        return { text, meta };
      });
    },

    async listRecent() {
      const found: { notebookId: string; path: string }[] = [];
      for (const path of await store.list('notebooks')) {
        const segment = META_PATH.exec(path)?.[1];
        if (segment === undefined) continue;
        try {
          found.push({ notebookId: decodeSegment(segment), path });
        } catch {
          // Not a folder this module wrote (its name is not our encoding): not a notebook of ours.
        }
      }
      const all = await Promise.all(
        found.map(async ({ notebookId, path }): Promise<RecentNotebook> => {
          const meta = toMeta(await readJson(store, path)) ?? { title: notebookId, updatedAt: 0 };
          return { notebookId, ...meta };
        }),
      );
      all.sort((a, b) => b.updatedAt - a.updatedAt || (a.notebookId < b.notebookId ? -1 : 1));
      return all.slice(0, MAX_RECENT);
    },

    async setLastOpened(id) {
      if (id !== undefined) encodeSegment(id); // same validation as every other id
      return serial(WORKSPACE_KEY, () => writeLastOpened(id));
    },

    async lastOpened() {
      return serial(WORKSPACE_KEY, readLastOpened);
    },

    async saveDataFile(id, fileName, blob, options) {
      const stored = jsonRoundTrip(options, fileName);
      const path = dataPath(id, fileName);
      return inNotebook(id, async () => {
        const files = await readManifest(id);
        const entry: DataFileEntry = {
          fileName,
          options: stored,
          size: blob.size,
          type: blob.type,
          lastModified: blob instanceof File ? blob.lastModified : Date.now(),
        };
        const at = files.findIndex((f) => f.fileName === fileName);
        await store.put(path, blob);
        try {
          await writeManifest(id, at === -1 ? [...files, entry] : files.map((f, i) => (i === at ? entry : f)));
        } catch (e) {
          // Without its manifest entry a new copy is unreachable: remove it (best effort; the
          // manifest's error is the one reported).
          if (at === -1) await store.delete(path).catch(() => undefined);
          throw toStorageError(e, `saving the list of data files of notebook "${id}"`);
        }
      });
    },

    async listDataFiles(id) {
      return inNotebook(id, () => readManifest(id));
    },

    async loadDataFile(id, fileName) {
      const path = dataPath(id, fileName);
      return inNotebook(id, async () => {
        const entry = (await readManifest(id)).find((f) => f.fileName === fileName);
        if (!entry) return undefined;
        const blob = await store.get(path);
        if (!blob) return undefined;
        return new File([blob], fileName, { type: entry.type, lastModified: entry.lastModified });
      });
    },

    async removeDataFile(id, fileName) {
      const path = dataPath(id, fileName);
      return inNotebook(id, async () => {
        const files = await readManifest(id);
        const kept = files.filter((f) => f.fileName !== fileName);
        // Manifest first: a failure in between leaves an unlisted copy, never a listed missing one.
        if (kept.length !== files.length) await writeManifest(id, kept);
        await store.delete(path);
      });
    },

    async deleteNotebook(id) {
      const dir = notebookDir(id);
      return inNotebook(id, async () => {
        await store.delete(dir);
        await serial(WORKSPACE_KEY, async () => {
          if ((await readLastOpened()) === id) await writeLastOpened(undefined);
        });
      });
    },
  };
}

import { StorageError, toStorageError } from '../errors';
import type { ExportFileWriter, ExportTarget } from './target';

/** The parts of the File System Access API used here; TypeScript's DOM lib lacks the permission calls and `entries()`. */
export type ExportDirectory = FileSystemDirectoryHandle & {
  entries(): AsyncIterable<[string, FileSystemDirectoryHandle | FileSystemFileHandle]>;
  queryPermission?(descriptor: { mode: 'read' | 'readwrite' }): Promise<PermissionState>;
  requestPermission?(descriptor: { mode: 'read' | 'readwrite' }): Promise<PermissionState>;
};

const MANIFEST = '_manifest.json';
const SUCCESS = '_SUCCESS';
const PROBE = '.lakebook-write-check';

function named(e: unknown, ...names: string[]): boolean {
  return typeof e === 'object' && e !== null && names.includes(String((e as { name?: unknown }).name));
}

/**
 * Writes an export into a folder: one the user picked (`kind: 'folder'`) or one in the origin private
 * file system (`kind: 'opfs'`), through `createWritable()` (a swap file the browser commits on close).
 * The folder is opened (or picked) in `begin()`, once the export has been checked.
 *
 * Replacing an earlier export: `_SUCCESS` goes first, then what the earlier `_manifest.json` lists. In
 * an OPFS folder (lakebook's own) everything else goes too; in a user's folder nothing that is not
 * lakebook's is touched: a non-empty folder without a manifest is refused. A stopped or failed export
 * removes the files it wrote, so a reader globbing `**\/*.parquet` does not find half a dataset.
 */
export function createDirectoryTarget(
  openDirectory: () => Promise<ExportDirectory>,
  options: { kind: 'folder' | 'opfs'; describe: (dir: ExportDirectory | undefined) => string },
): ExportTarget {
  const created: string[][] = [];
  let open: FileSystemWritableFileStream | undefined;
  let opened: ExportDirectory | undefined;
  let where = options.describe(undefined);
  const directory = () => {
    if (!opened) throw new StorageError('io', `${where} was not opened.`);
    return opened;
  };

  async function folderFor(segments: string[], create: boolean): Promise<FileSystemDirectoryHandle> {
    let d: FileSystemDirectoryHandle = directory();
    for (const segment of segments) d = await d.getDirectoryHandle(segment, { create });
    return d;
  }

  async function checkWritable(): Promise<void> {
    const dir = directory();
    if (options.kind === 'folder' && dir.queryPermission) {
      let state = await dir.queryPermission({ mode: 'readwrite' });
      if (state === 'prompt' && dir.requestPermission) state = await dir.requestPermission({ mode: 'readwrite' }).catch(() => 'denied' as const);
      if (state !== 'granted') {
        throw new StorageError(
          'permission-denied',
          `lakebook may not write to ${where}: the browser's permission to edit it was refused. Export again and allow editing, or choose another folder.`,
        );
      }
    }
    try {
      const probe = await dir.getFileHandle(PROBE, { create: true });
      const writable = await probe.createWritable();
      await writable.close();
      await dir.removeEntry(PROBE);
    } catch (e) {
      if (named(e, 'NotAllowedError', 'NoModificationAllowedError', 'SecurityError', 'InvalidModificationError')) {
        throw new StorageError('permission-denied', `${where} cannot be written (${named(e, 'NoModificationAllowedError') ? 'it is read-only' : 'access was refused'}). Choose another folder.`, { cause: e });
      }
      throw toStorageError(e, `checking that ${where} can be written`);
    }
  }

  async function clearEarlierExport(): Promise<void> {
    const dir = directory();
    const names: string[] = [];
    for await (const [name] of dir.entries()) names.push(name);
    if (names.includes(SUCCESS)) await dir.removeEntry(SUCCESS);
    if (options.kind === 'opfs') {
      for (const name of names) if (name !== SUCCESS) await dir.removeEntry(name, { recursive: true });
      return;
    }
    const others = names.filter((n) => n !== SUCCESS);
    if (others.length === 0) return;
    if (!others.includes(MANIFEST)) {
      throw new StorageError(
        'not-empty',
        `${where} already holds files (${others.slice(0, 3).join(', ')}${others.length > 3 ? ', …' : ''}) and no earlier lakebook export (_manifest.json), so lakebook will not write into it. Choose an empty folder.`,
      );
    }
    let listed: string[] = [];
    try {
      const manifest = JSON.parse(await (await (await dir.getFileHandle(MANIFEST)).getFile()).text()) as { files?: { path?: unknown }[] };
      listed = (manifest.files ?? []).map((f) => f.path).filter((p): p is string => typeof p === 'string');
    } catch (e) {
      throw new StorageError('not-empty', `${where} holds a _manifest.json that cannot be read, so lakebook will not replace what is there. Choose an empty folder.`, { cause: e });
    }
    for (const path of listed) await removePath(path.split('/'));
    await dir.removeEntry(MANIFEST);
  }

  /** Removes a file, then each folder above it that became empty. */
  async function removePath(segments: string[]): Promise<void> {
    const file = segments.at(-1);
    if (!file || segments.some((s) => s === '' || s === '.' || s === '..')) return;
    try {
      const folders = segments.slice(0, -1);
      const parent = await folderFor(folders, false);
      await parent.removeEntry(file);
      for (let depth = folders.length; depth > 0; depth--) {
        const above = await folderFor(folders.slice(0, depth - 1), false);
        const child = (await folderFor(folders.slice(0, depth), false)) as ExportDirectory;
        for await (const _ of child.entries()) return;
        await above.removeEntry(folders[depth - 1]!);
      }
    } catch (e) {
      if (!named(e, 'NotFoundError', 'TypeMismatchError')) throw e;
    }
  }

  return {
    kind: options.kind,
    get description() {
      return where;
    },
    async begin() {
      opened = await openDirectory();
      where = options.describe(opened);
      try {
        await checkWritable();
        await clearEarlierExport();
      } catch (e) {
        throw toStorageError(e, `preparing ${where}`);
      }
    },
    async openFile(path): Promise<ExportFileWriter> {
      const segments = path.split('/');
      try {
        const folder = await folderFor(segments.slice(0, -1), true);
        const handle = await folder.getFileHandle(segments.at(-1)!, { create: true });
        created.push(segments);
        const writable = await handle.createWritable();
        open = writable;
        return {
          async write(chunk) {
            try {
              await writable.write(chunk as Uint8Array<ArrayBuffer>);
            } catch (e) {
              throw toStorageError(e, `writing ${path} in ${where}`);
            }
          },
          async close() {
            try {
              await writable.close();
            } catch (e) {
              throw toStorageError(e, `finishing ${path} in ${where}`);
            } finally {
              open = undefined;
            }
          },
        };
      } catch (e) {
        if (named(e, 'NotAllowedError', 'NoModificationAllowedError')) {
          throw new StorageError('permission-denied', `${where} cannot be written: the browser refused to create ${path}.`, { cause: e });
        }
        throw toStorageError(e, `creating ${path} in ${where}`);
      }
    },
    async commit() {
      // Every file was closed as it was finished.
    },
    async abort() {
      await open?.abort().catch(() => undefined);
      open = undefined;
      for (const segments of created.reverse()) await removePath(segments).catch(() => undefined);
      created.length = 0;
    },
  };
}

/** The OPFS folder for an export at `path` (`exports/orders`), created if missing. */
export async function opfsExportFolder(path: string): Promise<ExportDirectory> {
  if (typeof navigator === 'undefined' || typeof navigator.storage?.getDirectory !== 'function') {
    throw new StorageError('unavailable', 'This browser has no origin private file system (OPFS) to export into. Export to a zip instead.');
  }
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.length === 0 || segments.some((s) => s === '.' || s === '..' || /[\\\0]/.test(s))) {
    throw new StorageError('invalid-path', `Cannot export to ${JSON.stringify(path)} in browser storage: use a path like exports/orders.`);
  }
  try {
    let d = await navigator.storage.getDirectory();
    for (const segment of segments) d = await d.getDirectoryHandle(segment, { create: true });
    return d as ExportDirectory;
  } catch (e) {
    throw toStorageError(e, `opening ${path} in browser storage`);
  }
}

/** Asks the user for a folder (File System Access API). Needs a click or key press just before. */
export async function pickExportFolder(): Promise<ExportDirectory> {
  const picker = (window as unknown as { showDirectoryPicker?: (o: object) => Promise<FileSystemDirectoryHandle> }).showDirectoryPicker;
  if (!picker) throw new StorageError('unavailable', 'This browser cannot write to a folder you choose (no File System Access API). Export to a zip instead.');
  try {
    return (await picker({ mode: 'readwrite', id: 'lakebook-export' })) as ExportDirectory;
  } catch (e) {
    if (named(e, 'AbortError')) throw new StorageError('cancelled', 'No folder was chosen, so nothing was exported.', { cause: e });
    if (named(e, 'SecurityError', 'NotAllowedError')) {
      throw new StorageError('permission-denied', 'The browser only opens the folder picker right after a click: press Run on the export cell (or Export in the dialog) yourself.', { cause: e });
    }
    throw toStorageError(e, 'choosing a folder');
  }
}

export function canPickFolder(): boolean {
  return typeof window !== 'undefined' && typeof (window as unknown as { showDirectoryPicker?: unknown }).showDirectoryPicker === 'function';
}

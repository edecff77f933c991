import { LakebookError } from '../engine/errors';

/** The file the build writes beside index.html, listing the site's own files (scripts/vite-plugins.ts). */
export const APP_FILES_NAME = 'app-files.json';

export interface AppFile {
  /** Relative to the site's root, `/`-separated. */
  path: string;
  /** Size at build time; -1 for files written after the list (the service worker, the list itself). */
  bytes: number;
  /** A publish goes on without it when it cannot be fetched (see isOptionalAppFile). */
  optional?: boolean;
}

export interface AppFiles {
  format: 'lakebook-app-files';
  version: 1;
  files: AppFile[];
}

/**
 * A `published/` folder is the notebook of a bundle and is written fresh by each publish. Everything
 * else goes along, the sample data included: the service worker precaches every file it was built
 * with, and one missing file would make its install fail, so the bundle would not work offline.
 */
export function isPublishedAppFile(path: string): boolean {
  return !path.startsWith('published/') && !path.endsWith('.map');
}

/**
 * DuckDB's `mvp` build is for browsers without WebAssembly exceptions (all current browsers have
 * them and use `eh`). The service worker does not precache it (docs/deploy.md); a page that never
 * needed it may be offline without it. A bundle published from such a page still runs everywhere
 * `eh` does.
 */
export function isOptionalAppFile(path: string): boolean {
  return /(^|\/)duckdb-mvp[^/]*\.wasm$/.test(path);
}

/** Parses `app-files.json`; paths that climb out of the site or are absolute are refused. */
export function parseAppFiles(text: string): AppFiles {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new LakebookError('publish-failed', `${APP_FILES_NAME} is not valid JSON: this build cannot publish.`, { cause });
  }
  const list = value as Partial<AppFiles> | null;
  if (!list || list.format !== 'lakebook-app-files' || list.version !== 1 || !Array.isArray(list.files)) {
    throw new LakebookError('publish-failed', `${APP_FILES_NAME} is not a lakebook file list: this build cannot publish.`);
  }
  for (const file of list.files) {
    if (typeof file?.path !== 'string' || !isSafeRelativePath(file.path)) {
      throw new LakebookError('publish-failed', `${APP_FILES_NAME} names an unsafe path (${String(file?.path)}).`);
    }
  }
  return list as AppFiles;
}

/** A relative path that stays inside its folder: no leading `/`, no `..`, no backslashes, no empty segments. */
export function isSafeRelativePath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.includes('\\') || /^[a-z][a-z0-9+.-]*:/i.test(path)) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

/**
 * Store paths: `/`-separated segments, e.g. `notebooks/abc/notebook.md`. Every backend validates them
 * the same way, so a path accepted by the memory store in a unit test is accepted by OPFS too.
 */
import { StorageError } from './errors';

const FORBIDDEN = /[\\\0]/;

/**
 * Splits and validates a path: no empty segments (so no leading, trailing or doubled `/`), no `.`
 * or `..`, no backslash or NUL. Throws `StorageError('invalid-path')`.
 */
export function splitPath(path: string): string[] {
  const segments = path.split('/');
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..' || FORBIDDEN.test(segment)) {
      throw new StorageError('invalid-path', `Cannot store under the path ${JSON.stringify(path)}.`);
    }
  }
  return segments;
}

/** Validates a path and returns it unchanged (the canonical form is the input). */
export function checkPath(path: string): string {
  splitPath(path);
  return path;
}

/**
 * The folder a `list(prefix)` call looks in: `''` is everything; a trailing `/` is allowed
 * (`'notebooks/'` = `'notebooks'`). Returns the validated segments (empty for everything).
 */
export function splitPrefix(prefix: string): string[] {
  const trimmed = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  return trimmed === '' ? [] : splitPath(trimmed);
}

/**
 * Turns any string (a notebook id, a user's file name such as `data/Q1 2024.csv`) into one safe path
 * segment, reversibly: percent-encoding as `encodeURIComponent` does, plus a leading `.` (so `.` and
 * `..` cannot come out). Readable for ordinary names: `orders.csv` stays `orders.csv`.
 */
export function encodeSegment(name: string): string {
  if (name === '') throw new StorageError('invalid-path', 'A name to store cannot be empty.');
  const encoded = encodeURIComponent(name);
  return encoded.startsWith('.') ? `%2E${encoded.slice(1)}` : encoded;
}

/** The inverse of `encodeSegment`. */
export function decodeSegment(segment: string): string {
  return decodeURIComponent(segment);
}

/** Paths `p` is inside of: `a/b/c` → `a`, `a/b`. */
export function ancestorsOf(path: string): string[] {
  const segments = splitPath(path);
  return segments.slice(0, -1).map((_, i) => segments.slice(0, i + 1).join('/'));
}

/** The error for a blob where a folder is needed, or the reverse. */
export function pathConflict(path: string, existing: string): StorageError {
  return new StorageError(
    'path-conflict',
    `Cannot store "${path}": "${existing}" is already a ${existing === path ? 'folder' : 'file'}.`,
  );
}

/**
 * What the storage layer reports. Same shape as the engine's `LakebookError` (`code`, `userMessage`
 * safe to show, `cause`), kept separate so that `src/storage/` imports nothing from other layers.
 */
export type StorageErrorCode =
  /** A path or name that cannot be stored (empty segment, `.`/`..`, a backslash, a NUL). */
  | 'invalid-path'
  /** A blob where a folder is needed, or a folder where a blob is needed. */
  | 'path-conflict'
  /** The browser refused more data (quota). */
  | 'quota-exceeded'
  /** The storage backend cannot be opened at all (private mode, blocked by settings, …). */
  | 'unavailable'
  /** Stored bookkeeping (JSON) that cannot be read back. */
  | 'corrupt'
  /** Options that cannot be stored as JSON. */
  | 'invalid-options'
  /** The user or the browser refused write access (a folder picked read-only, permission denied). */
  | 'permission-denied'
  /** An export folder that holds files of the user's and no earlier export: nothing is overwritten. */
  | 'not-empty'
  /** More than a format can hold (a zip without ZIP64: 4 GiB, 65,535 entries). */
  | 'too-large'
  /** The user dismissed a picker, or the export was stopped. */
  | 'cancelled'
  /** Anything else the backend threw. */
  | 'io';

export class StorageError extends Error {
  readonly code: StorageErrorCode;
  readonly userMessage: string;

  constructor(code: StorageErrorCode, userMessage: string, options: { cause?: unknown } = {}) {
    super(userMessage, { cause: options.cause });
    this.name = 'StorageError';
    this.code = code;
    this.userMessage = userMessage;
  }
}

export function isStorageError(e: unknown): e is StorageError {
  return e instanceof StorageError;
}

function isQuotaError(e: unknown): boolean {
  // DOMException is not an Error subclass in every runtime; look at the name only.
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'QuotaExceededError';
}

/**
 * Wraps whatever a backend threw into a `StorageError` (once: a `StorageError` passes through).
 * `doing` says what was attempted, in words, e.g. `saving "notebooks/a/notebook.md"`.
 */
export function toStorageError(e: unknown, doing: string): StorageError {
  if (e instanceof StorageError) return e;
  if (isQuotaError(e)) {
    return new StorageError(
      'quota-exceeded',
      `Browser storage is full while ${doing}. Free space by deleting notebooks or data files you no longer need.`,
      { cause: e },
    );
  }
  const detail = e instanceof Error ? e.message : String(e);
  return new StorageError('io', `Browser storage failed while ${doing}: ${detail}`, { cause: e });
}

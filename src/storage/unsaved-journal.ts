/**
 * The last unsaved text of a notebook, written synchronously when the page goes away.
 *
 * Autosave writes to OPFS or IndexedDB, and those writes are promises: a browser does not wait for them
 * on `pagehide`, so a reload right after an edit could lose the edit (corpus case
 * fault-reload-mid-autosave). `localStorage` is the one storage a page can write synchronously, so the
 * newest unsaved text goes there too, at `pagehide` / `hidden`, while the normal save runs. The next
 * start prefers a journal entry over the stored text; a completed save of the same text removes it.
 *
 * The entry also says whether the notebook was trusted when it was written, so a trusted notebook does
 * not ask for trust again after such a reload. Only this origin's code can write `localStorage`, the
 * same as the trust store itself, so the flag is no weaker than the store it stands in for.
 */

/** The part of the Web Storage API the journal needs (`localStorage` in the app, a Map in tests). */
export interface SyncStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface JournalEntry {
  text: string;
  trusted: boolean;
  /** When it was written (ms since epoch): the recovered notebook's `updatedAt`. */
  at: number;
}

export interface UnsavedJournal {
  /** Writes the entry now. False when the storage refused it (full, disabled): the async save is all there is. */
  write(notebookId: string, entry: JournalEntry): boolean;
  read(notebookId: string): JournalEntry | undefined;
  /** Removes the entry if it holds `savedText`: a newer unsaved text written since stays. */
  saved(notebookId: string, savedText: string): void;
  remove(notebookId: string): void;
}

const KEY_PREFIX = 'lakebook.unsaved.';

export function createUnsavedJournal(storage: SyncStorage | undefined): UnsavedJournal {
  const key = (id: string) => KEY_PREFIX + id;

  function read(notebookId: string): JournalEntry | undefined {
    let raw: string | null;
    try {
      raw = storage?.getItem(key(notebookId)) ?? null;
    } catch {
      // Storage disabled by the browser's settings: there is no journal, the stored text stands.
      return undefined;
    }
    if (raw === null) return undefined;
    try {
      const parsed = JSON.parse(raw) as Partial<JournalEntry>;
      if (typeof parsed.text !== 'string') return undefined;
      return { text: parsed.text, trusted: parsed.trusted === true, at: typeof parsed.at === 'number' ? parsed.at : 0 };
    } catch {
      return undefined;
    }
  }

  function remove(notebookId: string): void {
    try {
      storage?.removeItem(key(notebookId));
    } catch {
      // Nothing to clean where storage is disabled.
    }
  }

  return {
    write(notebookId, entry) {
      if (!storage) return false;
      try {
        storage.setItem(key(notebookId), JSON.stringify(entry));
        return true;
      } catch {
        // Over the ≈5 MB quota: a notebook that big relies on the asynchronous save alone.
        remove(notebookId);
        return false;
      }
    },
    read,
    saved(notebookId, savedText) {
      if (read(notebookId)?.text === savedText) remove(notebookId);
    },
    remove,
  };
}

/** `localStorage` where the page may use it; undefined where the browser forbids it (it throws on access). */
export function browserSyncStorage(): SyncStorage | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * Save in place with the File System Access API where the browser has it (Chromium); elsewhere the
 * caller falls back to a download. The API is not in TypeScript's DOM library yet, hence the types.
 */
interface WritableFileHandle {
  name: string;
  getFile(): Promise<File>;
  createWritable(): Promise<{ write(data: string | Blob): Promise<void>; close(): Promise<void> }>;
}

interface PickerWindow {
  showOpenFilePicker?: (options: object) => Promise<WritableFileHandle[]>;
  showSaveFilePicker?: (options: object) => Promise<WritableFileHandle>;
}

export type NotebookFileHandle = WritableFileHandle;

const TYPES = [{ description: 'lakebook notebook', accept: { 'text/markdown': ['.md'] } }];

export function canSaveInPlace(): boolean {
  return typeof (window as PickerWindow).showSaveFilePicker === 'function';
}

/** Asks for a notebook file; undefined when the user cancels or the browser has no picker. */
export async function pickNotebookFile(): Promise<{ file: File; handle: NotebookFileHandle } | undefined> {
  const picker = (window as PickerWindow).showOpenFilePicker;
  if (!picker) return undefined;
  try {
    const [handle] = await picker({ types: TYPES, multiple: false });
    return handle ? { file: await handle.getFile(), handle } : undefined;
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') return undefined;
    throw error;
  }
}

/** Writes `text` to `handle`, or to a file the user picks; returns the handle used, undefined if cancelled. */
export async function saveNotebookFile(text: string, suggestedName: string, handle?: NotebookFileHandle): Promise<NotebookFileHandle | undefined> {
  let target = handle;
  if (!target) {
    const picker = (window as PickerWindow).showSaveFilePicker;
    if (!picker) return undefined;
    try {
      target = await picker({ suggestedName, types: TYPES });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return undefined;
      throw error;
    }
  }
  const writable = await target.createWritable();
  await writable.write(text);
  await writable.close();
  return target;
}

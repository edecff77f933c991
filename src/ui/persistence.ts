import type { CsvOptions, FileFormat } from '../engine/engine';
import {
  browserSyncStorage,
  createAutosaver,
  createBrowserStore,
  createMemoryStore,
  createTabGuard,
  createTrustStore,
  createUnsavedJournal,
  createWorkspaceStore,
  type Autosaver,
  type BlobStore,
  type BlobStoreKind,
  type JournalEntry,
  type RecentNotebook,
  type TabConflict,
  type TabGuard,
  type TrustStore,
  type WorkspaceStore,
} from '../storage';

/** How a data file was loaded, stored beside its copy so a reload loads it the same way. */
export interface StoredLoad {
  tableName: string;
  format: FileFormat;
  csv?: CsvOptions;
}

/** Which cells had run successfully (by position), so a reload can bring their results back. */
interface SessionState {
  okCells: number[];
}

export interface PersistenceEvents {
  onError: (message: string) => void;
  onConflict: (kind: TabConflict) => void;
}

/**
 * The notebook's life in browser storage (OPFS, else IndexedDB): autosaved text, copies of the data
 * files (File handles do not survive a reload), the session's run state, recent notebooks and the
 * second-tab guard. The UI calls it; it knows nothing of Svelte.
 */
export class Persistence {
  notebookId = '';
  kind: BlobStoreKind = 'memory';
  private store!: WorkspaceStore;
  private blobs!: BlobStore;
  private autosaver: Autosaver | undefined;
  private sessionSaver: Autosaver | undefined;
  private guard: TabGuard | undefined;
  /** Which notebook texts may run (src/storage/trust-store.ts). */
  trust!: TrustStore;
  /**
   * Whether the text being saved is trusted: the texts of a trusted notebook are remembered as trusted
   * when they are saved, so the notebook opened again here (reload, or its file from disk) runs.
   */
  savesAreTrusted: () => boolean = () => false;
  /** The newest unsaved text, written synchronously when the page goes away (src/storage/unsaved-journal.ts). */
  private readonly journal = createUnsavedJournal(browserSyncStorage());
  /** The text last handed to autosave, for the journal. */
  private latestText: string | undefined;

  constructor(private readonly events: PersistenceEvents) {}

  async init(): Promise<void> {
    try {
      const choice = await createBrowserStore();
      this.blobs = choice.store;
      this.kind = choice.kind;
      if (choice.kind === 'memory') this.events.onError('This browser offers no storage to this page: the notebook will not survive a reload. Download it to keep it.');
    } catch (error) {
      this.blobs = createMemoryStore();
      this.kind = 'memory';
      this.events.onError(`Browser storage is unavailable (${error instanceof Error ? error.message : String(error)}): the notebook will not survive a reload.`);
    }
    this.store = createWorkspaceStore(this.blobs);
    this.trust = createTrustStore(this.blobs);
    const leaving = (): void => {
      this.writeJournal();
      void this.flush();
    };
    addEventListener('pagehide', leaving);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') leaving();
    });
  }

  /** The notebook to reopen, if there is one. */
  async lastNotebook(): Promise<{ id: string; text: string; okCells: number[] } | undefined> {
    const id = await this.store.lastOpened();
    return id ? this.notebook(id) : undefined;
  }

  async notebook(id: string): Promise<{ id: string; text: string; okCells: number[] } | undefined> {
    const saved = await this.store.loadNotebook(id);
    const unsaved = this.journal.read(id);
    if (unsaved && unsaved.text !== saved?.text) await this.adoptJournal(id, unsaved, saved?.meta.title);
    else if (unsaved) this.journal.remove(id);
    const text = unsaved?.text ?? saved?.text;
    if (text === undefined) return undefined;
    return { id, text, okCells: (await this.readSession(id)).okCells };
  }

  /** Stores the text the last page wrote to the journal as it went away, with its trust, then drops the entry. */
  private async adoptJournal(id: string, entry: JournalEntry, title = 'Untitled notebook'): Promise<void> {
    try {
      await this.store.saveNotebook(id, entry.text, { title, updatedAt: entry.at || Date.now() });
      if (entry.trusted) await this.trust.trustSaved(id, entry.text);
      this.journal.remove(id);
    } catch (error) {
      // The entry stays for the next start; this visit shows the journal's text all the same.
      this.events.onError(`The last edits were recovered but could not be stored yet: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Called as the page goes away: the unsaved text, if any, goes where a synchronous write can put it. */
  private writeJournal(): void {
    if (this.latestText === undefined || !this.autosaver?.pending()) return;
    this.journal.write(this.notebookId, { text: this.latestText, trusted: this.savesAreTrusted(), at: Date.now() });
  }

  /** Makes `id` the current notebook: autosave targets it and a second tab on it is detected. */
  async use(id: string, title: () => string): Promise<void> {
    await this.flush();
    this.autosaver?.dispose();
    this.sessionSaver?.dispose();
    this.guard?.release();
    this.notebookId = id;
    this.latestText = undefined;
    const onError = (error: unknown) => this.events.onError(`Autosave failed: ${error instanceof Error ? error.message : String(error)}`);
    this.autosaver = createAutosaver(async (text) => {
      // Both writes start now, the text first: a browser does not wait for promises on `pagehide`, and
      // a trust record written before the text delayed the text past the reload (the corpus's
      // fault-reload-mid-autosave lost the last edit). A lost trust record only asks once more.
      const saved = this.store.saveNotebook(id, text, { title: title(), updatedAt: Date.now() });
      const trusted = this.savesAreTrusted() ? this.trust.trustSaved(id, text).catch(onError) : undefined;
      await Promise.all([saved, trusted]);
      this.journal.saved(id, text);
    }, { onError });
    this.sessionSaver = createAutosaver((json) => this.blobs.put(`sessions/${encodeURIComponent(id)}.json`, json), { onError });
    this.guard = createTabGuard(id, { onConflict: (kind) => this.events.onConflict(kind) });
    await this.store.setLastOpened(id);
  }

  newId(): string {
    return crypto.randomUUID();
  }

  saveText(text: string): void {
    this.latestText = text;
    this.autosaver?.schedule(text);
  }

  saveSession(okCells: number[]): void {
    const state: SessionState = { okCells };
    this.sessionSaver?.schedule(JSON.stringify(state));
  }

  private async readSession(id: string): Promise<SessionState> {
    try {
      const blob = await this.blobs.get(`sessions/${encodeURIComponent(id)}.json`);
      const parsed = blob ? (JSON.parse(await blob.text()) as Partial<SessionState>) : {};
      return { okCells: Array.isArray(parsed.okCells) ? parsed.okCells.filter((n) => Number.isInteger(n)) : [] };
    } catch {
      // A damaged session file only costs the re-run of results; the notebook itself is intact.
      return { okCells: [] };
    }
  }

  async saveDataFile(file: File, load: StoredLoad): Promise<void> {
    try {
      await this.store.saveDataFile(this.notebookId, file.name, file, load);
    } catch (error) {
      this.events.onError(`${file.name} is loaded, but its copy for the next visit could not be stored: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async removeDataFile(fileName: string): Promise<void> {
    await this.store.removeDataFile(this.notebookId, fileName).catch(() => undefined);
  }

  async dataFiles(id: string): Promise<{ file: File; load: StoredLoad }[]> {
    const entries = await this.store.listDataFiles(id);
    const files: { file: File; load: StoredLoad }[] = [];
    for (const entry of entries) {
      const file = await this.store.loadDataFile(id, entry.fileName);
      if (file) files.push({ file, load: entry.options as StoredLoad });
      else this.events.onError(`${entry.fileName}: the stored copy is missing; add the file again.`);
    }
    return files;
  }

  recent(): Promise<RecentNotebook[]> {
    return this.store.listRecent();
  }

  async flush(): Promise<void> {
    await Promise.all([this.autosaver?.flush(), this.sessionSaver?.flush()]);
  }
}

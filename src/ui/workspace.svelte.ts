import type { CsvOptions, Engine, IngestProgress, TableInfo } from '../engine/engine';
import { messageOf } from '../engine/errors';
import { formatOf } from '../engine/table-naming';
import { NotebookState } from './notebook-state.svelte';
import { SAMPLE_FILES, SAMPLE_NOTEBOOK } from './sample-notebook';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

export interface Loading {
  id: number;
  file: string;
  startedAt: number;
  progress: IngestProgress | undefined;
}

/**
 * Everything the page shows that is not a component's own: the tables, the cells, files being
 * loaded and notices. Components read it and call its methods.
 */
export class Workspace {
  tables = $state<TableInfo[]>([]);
  readonly notebook: NotebookState;
  notices = $state<Notice[]>([]);
  loading = $state<Loading[]>([]);
  fileName = $state<string | undefined>(undefined);
  /** Files that failed to load, kept so the user can retry them with other CSV options. */
  failedFiles = $state<File[]>([]);
  engineReady = $state(false);
  engineLabel = $state('starting…');
  /** True while the bundled sample is shown and the user has not changed it. */
  sampleActive = $state(false);
  private sampleTables: string[] = [];
  private sampleLoad: Promise<void> | undefined;
  private nextNoticeId = 1;
  private nextLoadId = 1;

  constructor(private readonly engine: Engine) {
    this.notebook = new NotebookState(engine, () => this.tables);
    engine.on((event) => {
      if (event.type === 'tables-changed') void this.refreshTables();
      if (event.type === 'restarting') this.notify('info', `The engine is restarting: ${event.reason}.`);
      if (event.type === 'restarted') {
        const back = event.restoredTables.length ? ` Reloaded from your files: ${event.restoredTables.join(', ')}.` : '';
        const lost = event.lostTables.length ? ` Re-run the cells that built: ${event.lostTables.join(', ')}.` : '';
        this.notify('info', `The engine restarted (${event.reason}).${back}${lost}`);
      }
    });
  }

  async start(withSample: boolean): Promise<void> {
    try {
      await this.engine.ready();
      this.engineReady = true;
      this.engineLabel = 'ready';
    } catch (error) {
      this.engineLabel = 'unavailable';
      this.notify('error', messageOf(error));
      return;
    }
    if (withSample) {
      this.sampleLoad = this.loadSample();
      await this.sampleLoad;
    } else {
      this.notebook.addCell();
    }
  }

  private async loadSample(): Promise<void> {
    this.sampleActive = true;
    this.notebook.load(SAMPLE_NOTEBOOK);
    const files = await Promise.all(
      SAMPLE_FILES.map(async (name) => {
        const response = await fetch(new URL(`sample/${name}`, document.baseURI));
        if (!response.ok) throw new Error(`sample/${name}: HTTP ${response.status}`);
        return new File([await response.blob()], name);
      }),
    ).catch((error: unknown) => {
      this.notify('error', `The sample data could not be loaded (${messageOf(error)}). Run "npm run sample-data".`);
      return [] as File[];
    });
    for (const file of files) {
      const info = await this.loadFile(file);
      if (info) this.sampleTables.push(info.name);
    }
    if (!this.sampleActive) return;
    await this.notebook.runAll();
  }

  /** The user's own files replace an untouched sample, so their names are free and the page is theirs. */
  private async leaveSample(): Promise<void> {
    if (!this.sampleActive) return;
    this.sampleActive = false;
    await this.sampleLoad?.catch(() => undefined);
    this.notebook.stopAll();
    const sampleNames = this.notebook.cells.map((c) => c.name).filter((n): n is string => n !== undefined);
    this.notebook.load('');
    // Views built by the sample's named cells go before the tables they read.
    for (const name of sampleNames.reverse()) await this.engine.dropTable(name).catch(() => undefined);
    for (const table of this.sampleTables) await this.engine.dropTable(table).catch(() => undefined);
    this.sampleTables = [];
  }

  /** Called when the user edits anything in the sample: from then on it is their notebook. */
  adoptSample(): void {
    this.sampleActive = false;
  }

  async addFiles(files: File[]): Promise<void> {
    await this.leaveSample();
    const supported = files.filter((f) => formatOf(f.name) !== undefined);
    for (const file of files) {
      if (!supported.includes(file)) {
        this.notify('error', `${file.name}: unsupported file type. lakebook reads .csv, .tsv, .parquet, .json and .ndjson files.`);
      }
    }
    for (const file of supported) await this.loadFile(file);
  }

  private async loadFile(file: File): Promise<TableInfo | undefined> {
    const id = this.nextLoadId++;
    const entry: Loading = { id, file: file.name, startedAt: performance.now(), progress: undefined };
    this.loading = [...this.loading, entry];
    try {
      const info = await this.engine.addFile(
        { name: file.name, blob: file },
        { onProgress: (progress) => this.updateProgress(progress, id) },
      );
      await this.refreshTables();
      this.failedFiles = this.failedFiles.filter((f) => f.name !== file.name);
      return info;
    } catch (error) {
      const message = messageOf(error);
      this.notify('error', message.includes(file.name) ? message : `${file.name}: ${message}`);
      this.failedFiles = [...this.failedFiles.filter((f) => f.name !== file.name), file];
      return undefined;
    } finally {
      this.loading = this.loading.filter((l) => l.id !== id);
    }
  }

  private updateProgress(progress: IngestProgress, id: number): void {
    this.loading = this.loading.map((l) => (l.id === id ? { ...l, progress } : l));
  }

  /** Loads a table's file again (or a failed file) with the CSV options the user chose. */
  async reimport(target: { table: string } | { file: File }, csv: CsvOptions): Promise<boolean> {
    try {
      if ('table' in target) {
        await this.engine.reloadTable(target.table, { csv });
      } else {
        await this.engine.addFile({ name: target.file.name, blob: target.file }, { csv, format: 'csv' });
        this.failedFiles = this.failedFiles.filter((f) => f !== target.file);
      }
      await this.refreshTables();
      return true;
    } catch (error) {
      const name = 'table' in target ? target.table : target.file.name;
      const message = messageOf(error);
      this.notify('error', message.includes(name) ? message : `${name}: ${message}`);
      return false;
    }
  }

  csvOptionsOf(table: string): CsvOptions | undefined {
    const loaded = this.engine.loadOptionsOf(table);
    return loaded?.format === 'csv' ? (loaded.options.csv ?? {}) : undefined;
  }

  async refreshTables(): Promise<void> {
    try {
      this.tables = await this.engine.listTables();
    } catch (error) {
      this.notify('error', `The table list could not be read: ${messageOf(error)}`);
    }
  }

  /** Opens a notebook file: it replaces the cells, keeps the tables, and runs nothing. */
  async openNotebook(file: File): Promise<void> {
    this.adoptSample();
    try {
      this.notebook.stopAll();
      // file.text() would drop a byte order mark; the notebook keeps the file's bytes as they were.
      this.notebook.load(new TextDecoder('utf-8', { ignoreBOM: true }).decode(await file.arrayBuffer()));
      this.fileName = file.name;
      this.notify('info', `Opened ${file.name}. Nothing has run yet: use Run all or Shift+Enter in a cell.`);
    } catch (error) {
      this.notify('error', `${file.name} could not be opened: ${messageOf(error)}`);
    }
  }

  /** The notebook as a Markdown file, for the download button. */
  notebookFile(): { name: string; text: string } {
    const base = this.fileName ?? `${(this.notebook.title ?? 'notebook').replace(/[^\p{L}\p{N}_ -]+/gu, '').trim() || 'notebook'}.lakebook.md`;
    return { name: base.endsWith('.md') ? base : `${base}.md`, text: this.notebook.text() };
  }

  notify(kind: Notice['kind'], text: string): void {
    const notice = { id: this.nextNoticeId++, kind, text };
    this.notices = [...this.notices.slice(-4), notice];
    if (kind === 'info') setTimeout(() => this.dismiss(notice.id), 12_000);
  }

  dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
  }

  fetchPage: Engine['fetchPage'] = (result, offset, limit) => this.engine.fetchPage(result, offset, limit);
}

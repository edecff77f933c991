import type { CsvOptions, Engine, IngestProgress, TableInfo } from '../engine/engine';
import { messageOf } from '../engine/errors';
import { formatOf } from '../engine/table-naming';
import { NotebookState } from './notebook-state.svelte';
import { profileTable, type TableProfile } from '../quality/profile';
import { Persistence, type StoredLoad } from './persistence';
import { saveNotebookFile, type NotebookFileHandle } from './file-access';
import { SAMPLE_FILES, SAMPLE_NOTEBOOK } from './sample-notebook';
import { ExportDialogState } from './export/export-dialog.svelte';
import { resolveSource } from '../cells/export/run-export';
import { parseExportCell } from '../cells/export/options';
import type { CellBlock } from '../notebook/model';
import type { RowsResult } from '../engine/engine';
import { tableToParquet } from '../share/table-parquet';
import { buildPublishBundle } from '../share/publish';
import { downloadBlob, fetchAppFile, forgetLinkInAddressBar, loadAppFiles, notebookLink, readIncoming, type Incoming } from './share-io';

/** Where the open notebook came from, for the trust banner (docs/sharing.md). */
export type NotebookOrigin = 'here' | 'file' | 'link' | 'published' | 'stored';

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
  private tableListStale = false;
  private tableRefresh: Promise<void> | undefined;
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
  /** The file behind each table loaded from a file, and how it was loaded. `stored` copies come from browser storage. */
  private readonly files = new Map<string, { file: File; load: StoredLoad; stored: boolean }>();
  readonly persistence: Persistence;
  /** The Export dialog (tables, results and export cells open it). */
  readonly exportDialog: ExportDialogState;
  private sampleLoad: Promise<void> | undefined;
  private sampleFiles: File[] = [];
  private nextNoticeId = 1;
  private nextLoadId = 1;
  origin = $state<NotebookOrigin>('here');
  /** What a publish is doing now, while it runs. */
  publishing = $state<string | undefined>(undefined);

  constructor(private readonly engine: Engine) {
    this.notebook = new NotebookState(engine, () => this.tables, () => this.tablesCurrent());
    this.exportDialog = new ExportDialogState(engine);
    this.persistence = new Persistence({
      onError: (message) => this.notify('error', message),
      onConflict: (kind) =>
        this.notify(
          'error',
          kind === 'this-tab-is-second'
            ? 'This notebook is already open in another tab. Edits in both tabs overwrite each other: close one of them.'
            : 'This notebook was just opened in another tab. Edits in both tabs overwrite each other: close one of them.',
        ),
    });
    this.notebook.onDocumentChange = () => {
      // A read-only published notebook is the bundle's, not the user's, until they edit a copy.
      if (!this.sampleActive && !this.notebook.readOnly) this.persistence.saveText(this.notebook.text());
    };
    this.notebook.onBlocked = () => {
      const text = 'Nothing ran: this notebook came from elsewhere. Review its code, then use "Trust and run" at the top.';
      if (!this.notices.some((n) => n.text === text)) this.notify('info', text);
    };
    this.notebook.onConsent = () => void this.rememberTrust();
    this.notebook.onRunsSettled = () => {
      if (!this.sampleActive) this.persistence.saveSession(this.notebook.okPositions());
      if (this.tableListStale && !this.notebook.busy) void this.refreshTables();
    };
    engine.on((event) => {
      if (event.type === 'tables-changed') this.tablesChanged();
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
    await this.persistence.init();
    this.persistence.savesAreTrusted = () => this.notebook.trusted;
    const incoming = await readIncoming().catch((error: unknown) => {
      this.notify('error', messageOf(error));
      return undefined;
    });
    if (incoming) {
      await this.openIncoming(incoming);
      return;
    }
    const last = await this.persistence.lastNotebook().catch(() => undefined);
    if (last) {
      await this.restore(last);
      return;
    }
    await this.persistence.use(this.persistence.newId(), () => this.notebookTitle());
    if (withSample) {
      this.sampleLoad = this.loadSample();
      await this.sampleLoad;
    } else {
      this.notebook.addCell();
    }
  }

  private notebookTitle(): string {
    return this.notebook.title ?? this.fileName ?? 'Untitled notebook';
  }

  /** Reopens the last notebook: its text, its tables from the stored copies, and the results it had. */
  private async restore(last: { id: string; text: string; okCells: number[] }): Promise<void> {
    await this.persistence.use(last.id, () => this.notebookTitle());
    for (const { file, load } of await this.persistence.dataFiles(last.id)) {
      await this.loadFile(file, load, true);
    }
    // A notebook from elsewhere that was saved here but never trusted stays untrusted: no session re-run.
    await this.setTrust(last.text, 'stored', last.id);
    this.notebook.load(last.text);
    await this.notebook.rerun(last.okCells);
  }

  private async loadSample(): Promise<void> {
    this.sampleActive = true;
    this.setTrusted();
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
    this.sampleFiles = files;
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
    for (const table of this.sampleTables) {
      await this.engine.dropTable(table).catch(() => undefined);
      this.files.delete(table);
    }
    this.sampleTables = [];
  }

  /** Called when the user edits anything in the sample: from then on it is their notebook, saved like any other. */
  adoptSample(): void {
    if (!this.sampleActive) return;
    this.sampleActive = false;
    for (const file of this.sampleFiles) {
      const entry = [...this.files.values()].find((f) => f.file === file);
      if (entry) void this.persistence.saveDataFile(file, entry.load);
    }
    this.persistence.saveText(this.notebook.text());
  }

  async addFiles(files: File[]): Promise<void> {
    await this.leaveSample();
    const supported = files.filter((f) => formatOf(f.name) !== undefined);
    for (const file of files) {
      if (!supported.includes(file)) {
        this.notify('error', `${file.name}: unsupported file type. lakebook reads .csv, .tsv, .parquet, .json and .ndjson files.`);
      }
    }
    for (const file of supported) {
      const info = await this.loadFile(file);
      const entry = info ? this.files.get(info.name) : undefined;
      if (entry) await this.persistence.saveDataFile(file, entry.load);
    }
  }

  /** Loads a file as a table; `load` repeats an earlier load (same table name and options). */
  private async loadFile(file: File, load?: StoredLoad, stored = false): Promise<TableInfo | undefined> {
    const id = this.nextLoadId++;
    const entry: Loading = { id, file: file.name, startedAt: performance.now(), progress: undefined };
    this.loading = [...this.loading, entry];
    try {
      const info = await this.engine.addFile(
        { name: file.name, blob: file },
        {
          onProgress: (progress) => this.updateProgress(progress, id),
          ...(load ? { tableName: load.tableName, format: load.format, replace: true, ...(load.csv ? { csv: load.csv } : {}) } : {}),
        },
      );
      for (const note of info.notes) this.notify('info', note);
      const format = load?.format ?? formatOf(file.name) ?? 'csv';
      this.files.set(info.name, { file, load: { tableName: info.name, format, ...(load?.csv ? { csv: load.csv } : {}) }, stored });
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
        const entry = this.files.get(target.table);
        if (entry) {
          entry.load = { ...entry.load, csv };
          // A stored copy cannot be rewritten while it is the source being read (OPFS); the new
          // options then last for this visit only, which the notice says.
          if (entry.stored) this.notify('info', `${target.table} reloaded. The new CSV options apply until the page is reloaded.`);
          else await this.persistence.saveDataFile(entry.file, entry.load);
        }
      } else {
        const info = await this.engine.addFile({ name: target.file.name, blob: target.file }, { csv, format: 'csv' });
        this.files.set(info.name, { file: target.file, load: { tableName: info.name, format: 'csv', csv }, stored: false });
        await this.persistence.saveDataFile(target.file, { tableName: info.name, format: 'csv', csv });
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

  /**
   * While cells run, the table list is read once they settle: its catalog queries share the one
   * DuckDB worker with the cells and would otherwise go in front of the next cell's statements.
   */
  private tablesChanged(): void {
    if (this.notebook.busy) this.tableListStale = true;
    else void this.refreshTables();
  }

  /** A file is being loaded or a cell is running. */
  get busy(): boolean {
    return this.loading.length > 0 || this.notebook.busy;
  }

  /** Resolves when `tables` lists the catalog as it is now: a refresh put off while cells ran happens now. */
  async tablesCurrent(): Promise<void> {
    if (this.tableListStale) await this.refreshTables();
    else await this.tableRefresh;
  }

  async refreshTables(): Promise<void> {
    this.tableListStale = false;
    const refresh = this.readTables();
    this.tableRefresh = refresh;
    await refresh;
  }

  private async readTables(): Promise<void> {
    try {
      this.tables = await this.engine.listTables();
    } catch (error) {
      this.notify('error', `The table list could not be read: ${messageOf(error)}`);
    }
  }

  /** Opens a notebook file: it replaces the cells, keeps the tables, and runs nothing. */
  async openNotebook(file: File, handle?: NotebookFileHandle): Promise<void> {
    this.fileHandle = handle;
    this.adoptSample();
    try {
      this.notebook.stopAll();
      // file.text() would drop a byte order mark; the notebook keeps the file's bytes as they were.
      const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await file.arrayBuffer());
      await this.setTrust(text, 'file');
      this.notebook.load(text);
      this.fileName = file.name;
      this.notify(
        'info',
        this.notebook.trusted
          ? `Opened ${file.name}. Nothing has run yet: use Run all or Shift+Enter in a cell.`
          : `Opened ${file.name}, which was not made in this browser. Nothing has run: review its code; Run all or Shift+Enter runs it.`,
      );
    } catch (error) {
      this.notify('error', `${file.name} could not be opened: ${messageOf(error)}`);
    }
  }

  /** Leaves the current notebook (saved) for another stored one, or a new one: tables are swapped too. */
  async switchNotebook(id: string | 'new'): Promise<void> {
    this.adoptSample();
    await this.persistence.flush();
    this.notebook.stopAll();
    const views = this.tables.filter((t) => t.kind === 'view');
    for (const table of [...views, ...this.tables.filter((t) => t.kind === 'table')]) {
      await this.engine.dropTable(table.name).catch(() => undefined);
    }
    this.files.clear();
    this.fileHandle = undefined;
    this.fileName = undefined;
    const saved = id === 'new' ? undefined : await this.persistence.notebook(id);
    if (saved) {
      await this.restore(saved);
    } else {
      await this.persistence.use(this.persistence.newId(), () => this.notebookTitle());
      this.setTrusted();
      this.notebook.load('');
      this.notebook.addCell();
    }
    await this.refreshTables();
  }

  /** The file the notebook was opened from or saved to, for saving in place. */
  fileHandle: NotebookFileHandle | undefined;

  /** Saves the notebook to a file on disk (in place after the first time); a download where the browser cannot. */
  async saveToDisk(): Promise<void> {
    const { name, text } = this.notebookFile();
    try {
      const handle = await saveNotebookFile(text, name, this.fileHandle);
      if (handle) {
        await this.rememberTrust(text);
        this.fileHandle = handle;
        this.fileName = handle.name;
        this.notify('info', `Saved to ${handle.name}.`);
      }
    } catch (error) {
      this.notify('error', `The notebook could not be saved to disk: ${messageOf(error)}. Use "Download .md" instead.`);
    }
  }

  /** The notebook as a Markdown file, for the download button. */
  notebookFile(): { name: string; text: string } {
    const base = this.fileName ?? `${(this.notebook.title ?? 'notebook').replace(/[^\p{L}\p{N}_ -]+/gu, '').trim() || 'notebook'}.lakebook.md`;
    const text = this.notebook.text();
    // A downloaded notebook opened here again is recognised as made here.
    void this.rememberTrust(text);
    return { name: base.endsWith('.md') ? base : `${base}.md`, text };
  }

  // ---------------------------------------------------------------- sharing and trust (docs/sharing.md)

  /** A notebook made here, or trusted by the user: it runs, and what is saved of it is remembered as trusted. */
  private setTrusted(): void {
    this.notebook.trusted = true;
    this.notebook.runIsConsent = false;
    this.notebook.readOnly = false;
    this.origin = 'here';
  }

  /** Trusted if this exact text was trusted or written here before; else untrusted, from `origin`. */
  private async setTrust(text: string, origin: NotebookOrigin, notebookId?: string): Promise<void> {
    const trusted = await this.persistence.trust.isTrusted(text, notebookId).catch(() => false);
    this.notebook.readOnly = false;
    this.notebook.trusted = trusted;
    this.notebook.runIsConsent = origin === 'file';
    this.origin = trusted ? 'here' : origin;
  }

  /** Remembers the current text (or `text`) as trusted, when the notebook is trusted. */
  private async rememberTrust(text = this.notebook.text()): Promise<void> {
    if (!this.notebook.trusted) return;
    await this.persistence.trust.trust(text).catch((error: unknown) => this.notify('error', `Trust could not be remembered: ${messageOf(error)}`));
  }

  /** Opens what the page was opened with: a link's notebook, or the published bundle's notebook and data. */
  private async openIncoming(incoming: Incoming): Promise<void> {
    await this.persistence.use(this.persistence.newId(), () => this.notebookTitle());
    await this.setTrust(incoming.text, incoming.kind);
    if (incoming.kind === 'link') {
      this.notebook.load(incoming.text);
      forgetLinkInAddressBar();
      this.notify('info', 'Opened a notebook from a link. Links carry no data: add the files its cells read.');
      return;
    }
    this.notebook.readOnly = incoming.manifest.readOnly;
    for (const { table, file } of incoming.files) await this.loadFile(file, { tableName: table, format: 'parquet' });
    this.fileName = incoming.manifest.title;
    this.notebook.load(incoming.text);
  }

  /** The banner's "Trust and run": remembered for this exact text, then everything runs. */
  async trustAndRun(): Promise<void> {
    this.notebook.trusted = true;
    this.notebook.runIsConsent = false;
    await this.rememberTrust();
    await this.notebook.runAll();
  }

  /** Leaves a published notebook's read-only view: from now on it is the user's, saved with its data. */
  editCopy(): void {
    if (!this.notebook.readOnly) return;
    this.notebook.readOnly = false;
    for (const { file, load } of this.files.values()) void this.persistence.saveDataFile(file, load);
    this.persistence.saveText(this.notebook.text());
    this.notify('info', 'This copy is yours now: it is saved in this browser. The published notebook is unchanged.');
  }

  /** The notebook as a link (no data), or undefined with a notice when it is too large. */
  async shareLink(): Promise<string | undefined> {
    try {
      const text = this.notebook.text();
      const link = await notebookLink(text);
      await this.rememberTrust(text);
      return link;
    } catch (error) {
      this.notify('error', messageOf(error));
      return undefined;
    }
  }

  /** Publishes the notebook with its data as a static site, downloaded as a zip (docs/sharing.md). */
  async publish(): Promise<void> {
    if (this.publishing) return;
    const text = this.notebook.text();
    const fileTables = new Set(this.files.keys());
    const tables = this.tables.filter((t) => t.kind === 'table' && fileTables.has(t.name)).map((t) => ({ name: t.name, rowCount: t.rowCount }));
    this.publishing = 'Starting…';
    try {
      const result = await buildPublishBundle({
        title: this.notebookTitle(),
        notebookText: text,
        tables,
        appFiles: await loadAppFiles(),
        fetchAppFile,
        tableToParquet: (name) => tableToParquet(this.engine, name),
        onProgress: (message) => (this.publishing = message),
      });
      await this.rememberTrust(text);
      downloadBlob(result.zip, result.fileName);
      const data = tables.length ? ` with ${tables.map((t) => t.name).join(', ')} as Parquet` : ' (no data files)';
      const skipped = result.skipped.length ? ` Left out (not available offline): ${result.skipped.join(', ')}.` : '';
      this.notify('info', `Published ${result.fileName}${data}: unzip it and serve the folder with any static web server.${skipped}`);
    } catch (error) {
      this.notify('error', messageOf(error));
    } finally {
      this.publishing = undefined;
    }
  }

  // ---------------------------------------------------------------- export

  openExportForTable(name: string): void {
    const table = this.tables.find((t) => t.name === name);
    if (!table) return;
    this.exportDialog.open({ label: name, run: { table: name }, cell: { table: name }, columns: table.columns, rowCount: table.rowCount ?? undefined });
  }

  /**
   * A cell's result: the dialog reads the rows the engine keeps for it (`lakebook_results."rN"`,
   * docs/architecture.md) rather than running the cell again; an inserted export cell reads the
   * cell's name, or runs its query when it has none.
   */
  openExportForResult(cell: CellBlock, result: RowsResult): void {
    const run = { sql: `SELECT * FROM lakebook_results."${result.id.replace(/"/g, '""')}"` };
    this.exportDialog.open({
      label: cell.name ?? 'result',
      run,
      cell: cell.name ? { table: cell.name } : { sql: cell.source },
      columns: result.columns,
      rowCount: result.rowCount,
    });
  }

  /** An export cell's options in the dialog; "Apply to cell" writes them back to its fence line. */
  async openExportForCell(cell: CellBlock): Promise<void> {
    try {
      const spec = parseExportCell(cell.attributes, cell.source);
      const source = await resolveSource(this.engine, spec.source);
      this.exportDialog.open(
        { label: source.label, run: spec.source, cell: spec.source, columns: source.columns, rowCount: undefined },
        { spec, apply: (attributes) => this.notebook.setAttributes(cell.id, attributes) },
      );
    } catch (error) {
      this.notify('error', messageOf(error));
    }
  }

  /** "Insert as cell" in the dialog: a new export cell at the end of the notebook. */
  insertExportCell(attributes: Record<string, string>, sql: string | undefined): void {
    this.adoptSample();
    this.notebook.addCell(undefined, 'export', sql ?? '', false, attributes);
  }

  notify(kind: Notice['kind'], text: string): void {
    const notice = { id: this.nextNoticeId++, kind, text };
    this.notices = [...this.notices.slice(-4), notice];
    if (kind === 'info') setTimeout(() => this.dismiss(notice.id), 12_000);
  }

  dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
  }

  fetchPage: Engine['fetchPage'] = (result, offset, limit, columns) => this.engine.fetchPage(result, offset, limit, columns);

  /** A profile of a table or named cell, for the profile dialog (src/quality/profile.ts). */
  profile = (table: string, signal?: AbortSignal): Promise<TableProfile> => profileTable(this.engine, table, signal);
}

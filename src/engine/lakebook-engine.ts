import { Table as TableClass, tableToIPC, type Table } from 'apache-arrow';
import type { ConnectionName, Driver, DriverFactory } from './driver';
import type {
  ArrowRunOptions,
  ColumnInfo,
  ColumnRange,
  Engine,
  EngineEvent,
  EngineListener,
  FileFormat,
  FileSource,
  IngestOptions,
  LoadedTable,
  PageRows,
  RowsResult,
  RunOptions,
  RunResult,
  SqlAnalysis,
  TableInfo,
} from './engine';
import { LakebookError, isLakebookError } from './errors';
import { translateDuckDbError } from './error-translation';
import type { FileConverter } from './ingest/convert';
import { checkWriteOptions, type ParquetEncoder, type ParquetWriteOptions } from './parquet-writer/encode';
import { SerialQueue } from './serial-queue';
import { refuseNetworkAccess, resultShape, rewriteMemoryReset, splitStatements, type Statement } from './sql-statements';
import { formatOf, quoteIdent, quoteString, tableNameForFile } from './table-naming';
import { DEFAULT_TUNING, readCsvSql, type CsvReadTuning } from './csv-sql';
import { detectEncoding, lineLimitFor, longerLineLimit, MAX_LINE_BYTES, scanLines, toUtf8 } from './csv-text';
import { referencesFromTokens } from './sql-references';
import { findRaggedLine, likelyDelimiter } from './csv-check';

const RESULT_SCHEMA = 'lakebook_results';
/** Rows per message to the Parquet writer. */
const COALESCE_ROWS = 65_536;
/** After a cancel, how long a query may keep running before its worker is replaced. */
const CANCEL_GRACE_MS = 3_000;
/** How much of a file lakebook reads itself to decide encoding, line endings and ragged lines. */
const SAMPLE_BYTES = 4 * 1024 * 1024;
const CATALOG_CHANGING = new Set(['CREATE', 'DROP', 'ALTER', 'INSERT', 'UPDATE', 'DELETE', 'COPY', 'ATTACH', 'DETACH', 'IMPORT', 'TRUNCATE']);

interface LoadedSource {
  source: FileSource;
  format: FileFormat;
  options: IngestOptions;
}

/**
 * The engine the app uses: DuckDB behind a `Driver`, plus what DuckDB does not do for us — file
 * ingest that works offline, results kept for paging, errors in words, cancel, and recovery that
 * brings the user's tables back after the worker dies.
 */
export class LakebookEngine implements Engine {
  private driver: Driver | undefined;
  private starting: Promise<Driver>;
  private restarting: Promise<void> | undefined;
  private closed = false;
  private readonly queues: Record<ConnectionName, SerialQueue> = { user: new SerialQueue(), meta: new SerialQueue() };
  private readonly listeners = new Set<EngineListener>();
  /** Tables loaded from files, in load order: replayed after a restart. */
  private readonly sources = new Map<string, LoadedSource>();
  private readonly reserved = new Set<string>();
  private nextId = 1;
  private generation = 0;
  /** Names from the last listing, to tell the user which tables a restart could not bring back. */
  private lastKnownTables: string[] = [];
  /** Words DuckDB will not take as a bare table name (`semi`, `select`, …). */
  private keywords: ReadonlySet<string> = new Set();
  /** The memory limit the engine started with, which `RESET memory_limit` restores. */
  private memoryLimit = '2GiB';

  constructor(
    private readonly createDriver: DriverFactory,
    private readonly convert: FileConverter,
    private readonly encodeParquet: ParquetEncoder,
  ) {
    this.starting = this.boot();
  }

  ready(): Promise<void> {
    return this.current().then(() => undefined);
  }

  /** The live driver, waiting for a start or restart in progress. */
  private async current(): Promise<Driver> {
    if (this.closed) throw new LakebookError('engine-unavailable', 'The engine was closed.');
    if (this.restarting) await this.restarting;
    return this.driver ?? this.starting;
  }

  private async boot(): Promise<Driver> {
    const driver = await this.createDriver();
    const generation = ++this.generation;
    driver.onCrash((reason) => {
      if (generation === this.generation) void this.restart(reason);
    });
    await driver.query('meta', `CREATE SCHEMA IF NOT EXISTS ${RESULT_SCHEMA}`);
    const keywords = await driver.query('meta', "SELECT keyword_name FROM duckdb_keywords() WHERE keyword_category <> 'unreserved'");
    this.keywords = new Set(keywords.toArray().map((r) => String(r.keyword_name)));
    const limit = await driver.query('meta', "SELECT current_setting('memory_limit') AS v");
    this.memoryLimit = String(limit.getChild('v')?.get(0) ?? this.memoryLimit);
    this.driver = driver;
    return driver;
  }

  on(listener: EngineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: EngineEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  // ---------------------------------------------------------------- files

  async addFile(source: FileSource, options: IngestOptions = {}): Promise<LoadedTable> {
    const format = options.format ?? formatOf(source.name);
    if (!format) {
      throw new LakebookError(
        'file-unreadable',
        `${source.name}: unsupported file type. lakebook reads .csv, .tsv, .parquet, .json and .ndjson files.`,
      );
    }
    const name = options.tableName ?? (await this.chooseTableName(source.name));
    this.reserved.add(name);
    let notes: string[];
    try {
      notes = await this.load(source, format, { ...options, tableName: name });
      this.sources.set(name, { source, format, options: { ...options, tableName: name, replace: true } });
    } finally {
      this.reserved.delete(name);
    }
    // Only the new table is described (listing all would count every table), and before the change is
    // announced: listeners list the tables, and their queries would go first.
    const [info] = await this.onConnection('meta', (driver) => this.readTables(driver, name));
    this.emit({ type: 'tables-changed' });
    if (!info) throw new LakebookError('internal', `${source.name} loaded, but table ${name} is missing.`);
    return { ...info, sourceFile: source.name, notes };
  }

  private async chooseTableName(fileName: string): Promise<string> {
    const existing = (await this.onConnection('meta', (driver) => this.readRelations(driver))).map((t) => t.name);
    return tableNameForFile(fileName, [...existing, ...this.reserved], this.keywords);
  }

  private load(source: FileSource, format: FileFormat, options: IngestOptions): Promise<string[]> {
    return this.onConnection('user', (driver) => this.loadWith(driver, source, format, options));
  }

  /** Loads a file into its table; resolves to notes for the user (how the file was read). */
  private async loadWith(driver: Driver, source: FileSource, format: FileFormat, options: IngestOptions): Promise<string[]> {
    const table = options.tableName!;
    {
      if (source.blob.size === 0) {
        throw new LakebookError('file-empty', `${source.name} is empty: there are no rows to load.`);
      }
      const replace = options.replace ? 'OR REPLACE ' : '';
      if (format === 'csv') return this.loadCsv(driver, source, table, replace, options);
      if (options.replace) await driver.query('user', `DROP TABLE IF EXISTS ${quoteIdent(table)}`);
      const started = Date.now();
      await appendArrowChunks(
        this.convert(source.blob, format, source.name),
        (ipc, create) => driver.insertArrowIPC('user', ipc, table, create),
        () => driver.query('user', `DROP TABLE IF EXISTS ${quoteIdent(table)}`),
        (chunk) => {
          const progress = { table, bytesRead: chunk.bytesRead, totalBytes: chunk.totalBytes, rows: chunk.rows };
          options.onProgress?.(progress);
          if (Date.now() - started > 250) this.emit({ type: 'progress', progress });
        },
      );
      return [];
    }
  }

  /**
   * CSV through DuckDB's reader, after lakebook's own look at the bytes: the encoding (UTF-16 and
   * non-UTF-8 text become UTF-8), mixed line endings (read leniently, checked for ragged lines by us),
   * and lines longer than DuckDB's default limit (retried with a larger one).
   */
  private async loadCsv(driver: Driver, source: FileSource, table: string, replace: string, options: IngestOptions): Promise<string[]> {
    const notes: string[] = [];
    const head = new Uint8Array(await source.blob.slice(0, SAMPLE_BYTES).arrayBuffer());
    const guess = detectEncoding(head, source.blob.size <= SAMPLE_BYTES);
    const blob = guess.encoding === 'utf-8' ? source.blob : await toUtf8(source.blob, guess.encoding);
    if (guess.evidence === 'not-utf-8') {
      notes.push(`${source.name} is not valid UTF-8, so it was read as Windows-1252 (Latin-1). If letters look wrong, save the file as UTF-8 and add it again.`);
    } else if (guess.evidence === 'zero-bytes') {
      notes.push(`${source.name} has no byte order mark but looks like ${guess.encoding.toUpperCase()}, so it was read as such.`);
    }
    const sample = await blob.slice(0, SAMPLE_BYTES).text();
    const sampleComplete = blob.size <= SAMPLE_BYTES;
    const lines = scanLines(sample, options.csv?.quote ?? '"');
    let tuning: CsvReadTuning = { ...DEFAULT_TUNING, strict: lines.endings.size <= 1, maxLineSize: lineLimitFor(lines.longestRecord) };
    const virtualPath = `lakebook-file-${this.nextId++}-${source.name.replace(/[^A-Za-z0-9._-]/g, '_')}`;
    await driver.registerFile(virtualPath, blob);
    try {
      for (;;) {
        try {
          await this.refuseRaggedCsv(driver, virtualPath, source.name, { sample, sampleComplete }, options, tuning);
          await this.drain(driver, `CREATE ${replace}TABLE ${quoteIdent(table)} AS FROM ${readCsvSql(virtualPath, options.csv, tuning)}`);
          return notes;
        } catch (error) {
          const longer = longerLineLimit(error instanceof Error ? error.message : String(error), tuning.maxLineSize);
          if (longer === undefined) throw error;
          tuning = { ...tuning, maxLineSize: longer };
        }
      }
    } catch (error) {
      throw csvError(source.name, virtualPath, error);
    } finally {
      // The table holds the data now; the registration only pinned the file handle.
      await driver.dropFile(virtualPath).catch(() => undefined);
    }
  }

  private async refuseRaggedCsv(
    driver: Driver,
    virtualPath: string,
    fileName: string,
    text: { sample: string; sampleComplete: boolean },
    options: IngestOptions,
    tuning: CsvReadTuning,
  ): Promise<void> {
    if (options.csv?.skipRows !== undefined) return;
    const sniffSql = readCsvSql(virtualPath, options.csv, tuning).replace(/^read_csv/, 'sniff_csv');
    const sniff = (await driver.query('user', `SELECT Delimiter AS d, Quote AS q, SkipRows AS skip, len(Columns) AS n FROM ${sniffSql}`)).toArray()[0];
    if (!sniff) return;
    const skipped = Number(sniff.skip) > 0;
    const oneColumn = Number(sniff.n) === 1;
    // Outside strict mode DuckDB drops the fields of a line that has too many: check every file then.
    if (!skipped && !oneColumn && tuning.strict) return;
    const firstLine = text.sample.split(/\r\n|\n|\r/, 1)[0] ?? '';
    const delimiter = oneColumn ? likelyDelimiter(firstLine) : String(sniff.d);
    if (!delimiter) return;
    const quote = String(sniff.q) === '(empty)' ? '' : String(sniff.q) || '"';
    const bad = findRaggedLine(text.sample, delimiter, quote, text.sampleComplete);
    if (bad) {
      throw new LakebookError(
        'csv-malformed',
        `${fileName} line ${bad.line}: expected ${bad.expected} fields (as in the first line), found ${bad.found}. ` +
          'Fix that line, or add the file again with explicit CSV options (delimiter, header, rows to skip).',
      );
    }
  }

  // ---------------------------------------------------------------- SQL

  async run(sql: string, options: RunOptions = {}): Promise<RunResult> {
    const driver = await this.current();
    const statements = splitStatements(sql, await driver.tokenize(sql));
    if (statements.length === 0) {
      throw new LakebookError('syntax', 'Nothing to run: the cell has no SQL statement.');
    }
    for (const statement of statements) refuseNetworkAccess(statement, sql);
    for (let i = 0; i < statements.length; i++) statements[i] = rewriteMemoryReset(statements[i]!, this.memoryLimit);
    const id = `r${this.nextId++}`;
    const started = performance.now();
    // Announced when the run is over, failed or not: listeners read the catalog, which would otherwise
    // queue in the one DuckDB worker in front of this run's own statements.
    const catalogChanged = options.define !== undefined || statements.some((st) => CATALOG_CHANGING.has(st.lead));
    try {
      const outcome = await this.onConnection('user', (d) => this.withCancel(d, options.signal, async () => {
        for (const statement of statements.slice(0, -1)) await this.drainStatement(d, statement, sql);
        const last = statements[statements.length - 1]!;
        if (options.define) await this.defineName(d, last, sql, options.define);
        return this.keepLast(d, options.define ? { ...last, text: `FROM ${quoteIdent(options.define.name)}`, lead: 'FROM' } : last, sql, id);
      }));
      const elapsedMs = performance.now() - started;
      if (outcome.kind === 'statement') {
        return { kind: 'statement', id, message: outcome.message, elapsedMs, statementCount: statements.length };
      }
      const meta = await this.describeResult(id);
      return { kind: 'rows', id, rowCount: meta.rowCount, columns: meta.columns, elapsedMs, statementCount: statements.length };
    } finally {
      if (catalogChanged) this.emit({ type: 'tables-changed' });
    }
  }

  private async drainStatement(driver: Driver, statement: Statement, cellSql: string): Promise<Table[]> {
    try {
      return await this.drain(driver, statement.text);
    } catch (error) {
      throw translateDuckDbError(error, { sql: statement.text, cellSql, statementStart: statement.start });
    }
  }

  /** Runs one statement through the cancellable path and collects its batches. */
  private async drain(driver: Driver, sql: string): Promise<Table[]> {
    const batches: Table[] = [];
    for await (const batch of await driver.send('user', sql)) batches.push(batch);
    return batches;
  }

  /** `CREATE OR REPLACE VIEW|TABLE name AS <last statement>`; positions still point at the user's text. */
  private async defineName(driver: Driver, last: Statement, cellSql: string, define: { name: string; materialize: boolean }): Promise<void> {
    if (resultShape(last) !== 'query') {
      throw new LakebookError(
        'binder',
        `A cell named ${define.name} must end with a query (SELECT, WITH, FROM, VALUES…): its result becomes the table ${define.name}.`,
      );
    }
    const kind = define.materialize ? 'TABLE' : 'VIEW';
    const wrapper = `CREATE OR REPLACE ${kind} ${quoteIdent(define.name)} AS `;
    try {
      await createOrReplace(driver, kind, define.name, () => this.drain(driver, wrapper + last.text));
    } catch (error) {
      throw translateDuckDbError(error, { sql: wrapper + last.text, cellSql, statementStart: last.start - wrapper.length });
    }
  }

  private async keepLast(
    driver: Driver,
    statement: Statement,
    cellSql: string,
    id: string,
  ): Promise<{ kind: 'rows' } | { kind: 'statement'; message: string }> {
    const target = `${RESULT_SCHEMA}.${quoteIdent(id)}`;
    const shape = resultShape(statement);
    if (shape !== 'statement') {
      const body = shape === 'query' ? statement.text : `SELECT * FROM (${statement.text})`;
      const wrapper = `CREATE TABLE ${target} AS `;
      try {
        await this.drain(driver, wrapper + body);
      } catch (error) {
        // The wrapper is ours: DuckDB's positions are moved back onto the user's own text.
        throw translateDuckDbError(error, { sql: wrapper + body, cellSql, statementStart: statement.start - wrapper.length });
      }
      return { kind: 'rows' };
    }
    const batches = await this.drainStatement(driver, statement, cellSql);
    const first = batches[0];
    const rows = batches.reduce((n, b) => n + b.numRows, 0);
    if (!first || first.numCols === 0 || rows === 0) return { kind: 'statement', message: 'Done.' };
    const columnNames = first.schema.fields.map((f) => f.name);
    if (columnNames.length === 1 && columnNames[0] === 'Count' && rows === 1) {
      const count = Number(first.getChildAt(0)?.get(0) ?? 0);
      return { kind: 'statement', message: `Done: ${count.toLocaleString('en-US')} row${count === 1 ? '' : 's'} affected.` };
    }
    let create = true;
    for (const batch of batches) {
      await driver.insertArrowIPC('user', tableToIPC(batch, 'stream'), id, create, RESULT_SCHEMA);
      create = false;
    }
    return { kind: 'rows' };
  }

  private async describeResult(id: string): Promise<{ rowCount: number; columns: ColumnInfo[] }> {
    const target = `${RESULT_SCHEMA}.${quoteIdent(id)}`;
    return this.onConnection('meta', async (driver) => {
      // One round trip, and DESCRIBE binds only this table (duckdb_columns() walks every column of
      // every table, and a notebook keeps one result table per cell).
      const described = await driver.query('meta', `SELECT column_name, column_type, (SELECT count(*) FROM ${target})::BIGINT AS n FROM (DESCRIBE ${target})`);
      const rows = described.toArray();
      return {
        rowCount: Number(rows[0]?.n ?? 0),
        columns: rows.map((r) => ({ name: String(r.column_name), type: String(r.column_type) })),
      };
    });
  }

  async runArrow(batches: AsyncIterable<Table | Uint8Array>, options: ArrowRunOptions = {}): Promise<RowsResult> {
    const { signal, define } = options;
    const id = `r${this.nextId++}`;
    const target = `${RESULT_SCHEMA}.${quoteIdent(id)}`;
    const started = performance.now();
    const cancelled = () => new LakebookError('cancelled', 'The run was cancelled.');
    const dropResult = () => this.onConnection('user', (d) => d.query('user', `DROP TABLE IF EXISTS ${target}`));
    const chunks = (async function* () {
      for await (const batch of batches) {
        if (signal?.aborted) throw cancelled();
        yield { ipc: batch instanceof Uint8Array ? batch : tableToIPC(batch, 'stream') };
      }
    })();
    // The user connection is taken per batch, not for the whole stream: the producer may be a ts cell
    // that runs `sql` queries between its batches.
    const count = await appendArrowChunks(
      chunks,
      (ipc, create) => this.onConnection('user', (d) => d.insertArrowIPC('user', ipc, id, create, RESULT_SCHEMA)),
      dropResult,
    );
    if (count === 0) throw new LakebookError('binder', 'There is nothing to store: no Arrow batches arrived, not even a schema.');
    try {
      if (signal?.aborted) throw cancelled();
      await this.onConnection('user', async (d) => {
        for (const [column, type] of Object.entries(options.retype?.() ?? {})) {
          if (!/^[A-Za-z][A-Za-z0-9_ (),]*$/.test(type)) throw new LakebookError('internal', `Not a DuckDB type: ${type}`);
          await d.query('user', `ALTER TABLE ${target} ALTER COLUMN ${quoteIdent(column)} SET DATA TYPE ${type}`);
        }
        if (define) {
          await createOrReplace(d, 'TABLE', define.name, () => d.query('user', `CREATE OR REPLACE TABLE ${quoteIdent(define.name)} AS FROM ${target}`));
        }
      });
    } catch (error) {
      await dropResult().catch(() => undefined);
      throw error;
    }
    try {
      const meta = await this.describeResult(id);
      return { kind: 'rows', id, rowCount: meta.rowCount, columns: meta.columns, elapsedMs: performance.now() - started, statementCount: 0 };
    } finally {
      if (define) this.emit({ type: 'tables-changed' });
    }
  }

  async fetchPage(result: RowsResult, offset: number, limit: number, range?: ColumnRange): Promise<PageRows> {
    // DuckDB-WASM binds ~1 ms per column: casting all 10,000 columns of a wide result took 13 s a page.
    const columns = range ? result.columns.slice(Math.max(0, range.start), Math.max(0, range.start) + Math.max(0, range.count)) : result.columns;
    const select = columns.length === 0 ? '1' : columns.map((c) => `CAST(${quoteIdent(c.name)} AS VARCHAR)`).join(', ');
    const table = await this.onConnection('meta', (driver) =>
      driver.query(
        'meta',
        `SELECT ${select} FROM ${RESULT_SCHEMA}.${quoteIdent(result.id)} LIMIT ${Math.max(0, Math.floor(limit))} OFFSET ${Math.max(0, Math.floor(offset))}`,
      ),
    ).catch((error: unknown) => {
      if (isLakebookError(error) && error.code === 'catalog') {
        throw new LakebookError('catalog', 'This result is gone (the engine restarted). Run the cell again.', { cause: error });
      }
      throw error;
    });
    const vectors = columns.map((_, i) => table.getChildAt(i));
    const rows: (string | null)[][] = [];
    for (let r = 0; r < table.numRows; r++) {
      rows.push(vectors.map((v) => {
        const value: unknown = v?.get(r);
        return value === null || value === undefined ? null : String(value);
      }));
    }
    return { offset, rows };
  }

  async releaseResult(result: RunResult): Promise<void> {
    await this.onConnection('meta', (driver) =>
      driver.query('meta', `DROP TABLE IF EXISTS ${RESULT_SCHEMA}.${quoteIdent(result.id)}`),
    ).catch(() => undefined);
  }

  async analyze(sql: string): Promise<SqlAnalysis> {
    return this.onConnection('meta', async (driver) => {
      const statements = splitStatements(sql, await driver.tokenize(sql));
      const reads = new Set<string>();
      const creates = new Set<string>();
      let analyzedBy: SqlAnalysis['analyzedBy'] = 'duckdb';
      for (const statement of statements) {
        const fromTokens = referencesFromTokens(statement.words);
        fromTokens.creates.forEach((n) => creates.add(n));
        let parsed: string[] | undefined;
        // DuckDB's parser binds table functions, so a remote path would be fetched: tokens only.
        const touchesNetwork = (() => {
          try {
            refuseNetworkAccess(statement, sql);
            return false;
          } catch {
            return true;
          }
        })();
        if (!touchesNetwork) parsed = await driver.tableNames('meta', statement.text).catch(() => undefined);
        if (parsed === undefined) analyzedBy = 'tokens';
        for (const name of parsed ?? fromTokens.reads) {
          const lower = name.toLowerCase();
          if (!creates.has(lower)) reads.add(lower);
        }
      }
      return { reads: [...reads], creates: [...creates], analyzedBy };
    });
  }

  query(sql: string): Promise<Table> {
    return this.onConnection('meta', (driver) => driver.query('meta', sql));
  }

  /**
   * Yields batches as DuckDB produces them. The user connection stays reserved until the stream
   * ends or is abandoned; aborting the signal cancels the query in the engine.
   */
  async *stream(sql: string, options: { signal?: AbortSignal } = {}): AsyncIterable<Table> {
    let release: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (release = resolve));
    const reserved = new Promise<Driver>((resolve, reject) => {
      void this.queues.user.run(async () => {
        try {
          resolve(await this.current());
        } catch (error) {
          reject(error);
          return;
        }
        await finished;
      });
    });
    const signal = options.signal;
    let onAbort: (() => void) | undefined;
    try {
      const driver = await reserved;
      for (const statement of splitStatements(sql, await driver.tokenize(sql))) refuseNetworkAccess(statement, sql);
      if (signal?.aborted) throw new LakebookError('cancelled', 'The query was cancelled.');
      onAbort = () => void driver.cancel('user').catch(() => undefined);
      signal?.addEventListener('abort', onAbort, { once: true });
      const batches = await driver.send('user', sql);
      for await (const batch of batches) {
        if (signal?.aborted) throw new LakebookError('cancelled', 'The query was cancelled.');
        yield batch;
      }
    } catch (error) {
      if (signal?.aborted) throw new LakebookError('cancelled', 'The query was cancelled.', { cause: error });
      throw isLakebookError(error) ? error : translateDuckDbError(error, { sql });
    } finally {
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      release();
    }
  }

  async *writeParquet(batches: AsyncIterable<Table>, options: ParquetWriteOptions): AsyncIterable<Uint8Array> {
    checkWriteOptions(options);
    // DuckDB hands over 2,048 rows at a time; one IPC message per 64k rows spares the writer worker
    // hundreds of messages per million rows.
    async function* ipc(): AsyncGenerator<Uint8Array> {
      let pending: Table[] = [];
      let rows = 0;
      for await (const batch of batches) {
        if (batch.numRows === 0) continue;
        pending.push(batch);
        rows += batch.numRows;
        if (rows >= COALESCE_ROWS) {
          yield tableToIPC(pending.length === 1 ? pending[0]! : new TableClass(pending.flatMap((t) => t.batches)), 'stream');
          pending = [];
          rows = 0;
        }
      }
      if (pending.length > 0) yield tableToIPC(pending.length === 1 ? pending[0]! : new TableClass(pending.flatMap((t) => t.batches)), 'stream');
    }
    yield* this.encodeParquet(ipc(), options);
  }

  /** Loads a table's file again with other options (CSV delimiter, header, types). */
  async reloadTable(name: string, options: Pick<IngestOptions, 'csv'>): Promise<LoadedTable> {
    const loaded = this.sources.get(name);
    if (!loaded) throw new LakebookError('catalog', `${name} was not loaded from a file, so it cannot be re-imported.`);
    return this.addFile(loaded.source, { ...loaded.options, ...options, tableName: name, replace: true, format: loaded.format });
  }

  /** The options a file table was loaded with, for an options dialog. */
  loadOptionsOf(name: string): { format: FileFormat; options: IngestOptions } | undefined {
    const loaded = this.sources.get(name);
    return loaded ? { format: loaded.format, options: loaded.options } : undefined;
  }

  // ---------------------------------------------------------------- catalog

  async listTables(): Promise<TableInfo[]> {
    return this.onConnection('meta', async (driver) => {
      const tables = await this.readTables(driver);
      this.lastKnownTables = tables.map((t) => t.name);
      return tables;
    });
  }

  /** The tables and views of `main` (only the one named `only`, when given): kind, columns, row count. */
  private async readTables(driver: Driver, only?: string): Promise<TableInfo[]> {
    const list = await this.readRelations(driver, only);
    if (list.length === 0) return [];
    const columns = await driver.query(
      'meta',
      `SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE schema_name = 'main' AND NOT internal${nameIs('table_name', only)} ORDER BY table_name, column_index`,
    );
    const byTable = new Map<string, ColumnInfo[]>();
    for (const r of columns.toArray()) {
      const key = String(r.table_name);
      const tableColumns = byTable.get(key) ?? [];
      tableColumns.push({ name: String(r.column_name), type: String(r.data_type) });
      byTable.set(key, tableColumns);
    }
    const tables = list.filter((t) => t.kind === 'table');
    const counts = new Map<string, number>();
    if (tables.length > 0) {
      const countSql = tables
        .map((t) => `SELECT ${quoteString(t.name)} AS name, count(*)::BIGINT AS n FROM main.${quoteIdent(t.name)}`)
        .join(' UNION ALL ');
      for (const r of (await driver.query('meta', countSql)).toArray()) counts.set(String(r.name), Number(r.n));
    }
    return list.map((t) => ({
      name: t.name,
      kind: t.kind,
      rowCount: counts.get(t.name) ?? null,
      columns: byTable.get(t.name) ?? [],
      sourceFile: this.sources.get(t.name)?.source.name,
    }));
  }

  /** Names and kinds only: what naming a new table needs. */
  private async readRelations(driver: Driver, only?: string): Promise<{ name: string; kind: 'table' | 'view' }[]> {
    const relations = await driver.query(
      'meta',
      `SELECT table_name AS name, 'table' AS kind FROM duckdb_tables() WHERE schema_name = 'main' AND NOT internal AND NOT temporary${nameIs('table_name', only)}
       UNION ALL SELECT view_name, 'view' FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal AND NOT temporary${nameIs('view_name', only)}
       ORDER BY name`,
    );
    return relations.toArray().map((r) => ({ name: String(r.name), kind: String(r.kind) as 'table' | 'view' }));
  }

  async dropTable(name: string): Promise<void> {
    const [relation] = await this.onConnection('meta', (driver) => this.readRelations(driver, name));
    const kind = relation?.kind ?? 'table';
    await this.onConnection('user', (driver) => driver.query('user', `DROP ${kind === 'view' ? 'VIEW' : 'TABLE'} IF EXISTS ${quoteIdent(name)}`));
    this.sources.delete(name);
    this.emit({ type: 'tables-changed' });
  }

  // ---------------------------------------------------------------- lifecycle

  restart(reason: string): Promise<void> {
    if (this.restarting) return this.restarting;
    this.emit({ type: 'restarting', reason });
    const previous = this.driver;
    this.driver = undefined;
    this.generation++;
    const work = (async () => {
      await previous?.terminate().catch(() => undefined);
      this.starting = this.boot();
      const driver = await this.starting;
      const restored: string[] = [];
      for (const [name, loaded] of [...this.sources]) {
        try {
          await this.loadWith(driver, loaded.source, loaded.format, { ...loaded.options, tableName: name, replace: false });
          restored.push(name);
        } catch {
          this.sources.delete(name);
        }
      }
      const lost = this.lastKnownTables.filter((name) => !restored.includes(name));
      this.emit({ type: 'restarted', reason, restoredTables: restored, lostTables: lost });
      this.emit({ type: 'tables-changed' });
    })();
    this.restarting = work.finally(() => {
      this.restarting = undefined;
    });
    return this.restarting;
  }

  /** Test hook: kill the backend as a browser crash would. */
  killBackendForTest(): void {
    const driver = this.driver as (Driver & { killWorkerForTest?: () => void; killForTest?: () => void }) | undefined;
    driver?.killWorkerForTest?.();
    driver?.killForTest?.();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.driver?.terminate();
  }

  // ---------------------------------------------------------------- plumbing

  /**
   * Serializes work per connection and turns failures into LakebookErrors. A trap poisons the
   * WASM instance, so it triggers a restart rather than leaving a broken engine behind.
   */
  private onConnection<T>(conn: ConnectionName, work: (driver: Driver) => Promise<T>): Promise<T> {
    return this.queues[conn].run(async () => {
      const driver = await this.current();
      const generation = this.generation;
      try {
        return await work(driver);
      } catch (error) {
        const translated = isLakebookError(error) ? error : translateDuckDbError(error);
        // A watchdog kill has already restarted (and bumped the generation); a trap reported as an
        // ordinary error has not, and the poisoned instance must not serve the next query.
        if (translated.code === 'engine-crashed' && generation === this.generation) {
          const cause = translated.cause instanceof Error ? translated.cause.message : translated.userMessage;
          void this.restart(`engine failure: ${cause.split('\n')[0]}`);
        }
        throw translated;
      }
    });
  }

  /** Cancels in the engine when the signal aborts; replaces the worker if the query ignores it. */
  private async withCancel<T>(driver: Driver, signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
    if (!signal) return work();
    if (signal.aborted) throw new LakebookError('cancelled', 'The query was cancelled.');
    let graceTimer: ReturnType<typeof setTimeout> | undefined;
    let rejectCancelled: ((e: LakebookError) => void) | undefined;
    const cancelled = new Promise<never>((_, reject) => (rejectCancelled = reject));
    const onAbort = () => {
      void driver.cancel('user').catch(() => undefined);
      graceTimer = setTimeout(() => {
        rejectCancelled?.(new LakebookError('cancelled', 'The query was cancelled; it did not stop in time, so the engine was restarted and your tables were reloaded.'));
        void this.restart('a cancelled query did not stop');
      }, CANCEL_GRACE_MS);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await Promise.race([work(), cancelled]);
    } catch (error) {
      if (signal.aborted) throw new LakebookError('cancelled', 'The query was cancelled.', { cause: error });
      throw error;
    } finally {
      clearTimeout(graceTimer);
      signal.removeEventListener('abort', onAbort);
    }
  }
}

/**
 * Appends Arrow IPC chunks to one table, creating it with the first chunk; if a chunk fails, what was
 * created is dropped. File ingest (Parquet, NDJSON) and `runArrow` share it. Returns the chunk count.
 */
async function appendArrowChunks<C extends { ipc: Uint8Array }>(
  chunks: AsyncIterable<C>,
  insert: (ipc: Uint8Array, create: boolean) => Promise<void>,
  drop: () => Promise<unknown>,
  onChunk?: (chunk: C) => void,
): Promise<number> {
  let count = 0;
  try {
    for await (const chunk of chunks) {
      await insert(chunk.ipc, count === 0);
      count++;
      onChunk?.(chunk);
    }
  } catch (error) {
    if (count > 0) await drop().catch(() => undefined);
    throw isLakebookError(error) ? error : translateDuckDbError(error);
  }
  return count;
}

function csvError(fileName: string, virtualPath: string, error: unknown): LakebookError {
  if (isLakebookError(error) && error.code === 'csv-malformed') return error;
  if (isLakebookError(error) && error.code !== 'internal' && error.code !== 'conversion') return error;
  const raw = (isLakebookError(error) ? error.userMessage : error instanceof Error ? error.message : String(error)).replaceAll(virtualPath, fileName);
  const advice = 'Fix the file, or add it again with explicit CSV options (delimiter, header, types).';
  if (/Error when sniffing file/.test(raw)) {
    return new LakebookError(
      'csv-malformed',
      `${fileName}: could not tell how this CSV is laid out (delimiter, quotes, header): no setting reads every line the same way. ${advice}`,
      { cause: error },
    );
  }
  const lineNo = /Line: (\d+)/.exec(raw)?.[1];
  if (/Maximum line size/.test(raw)) {
    return new LakebookError(
      'csv-malformed',
      `${fileName}${lineNo ? ` line ${lineNo}` : ''}: a line is longer than ${MAX_LINE_BYTES / 1024 / 1024} MB, the most lakebook reads in one line. Check that the file really is CSV (a missing closing quote makes the rest of the file one line).`,
      { cause: error },
    );
  }
  const lines = raw.split('\n').map((l) => l.trim()).filter(Boolean);
  // DuckDB's own suggestions name reader options (encoding=, max_line_size=) the user cannot set here.
  const keep = lines.filter((l) => !/^(Possible fixes|Possible Solution|\*|Original Line|LINE \d|\^)/.test(l) && !/^file=/.test(l)).slice(0, 3);
  return new LakebookError(
    'csv-malformed',
    `${fileName}${lineNo ? ` line ${lineNo}` : ''}: ${keep.join(' ').replace(/^Invalid Input Error: /, '').replace(/^CSV Error on Line: \d+ /, '')}. ${advice}`,
    { cause: error },
  );
}

/**
 * `create` runs `CREATE OR REPLACE <kind> <name> AS …`. When the name is held by the other kind (a
 * view where a table is wanted), that one is dropped and `create` runs again. Tried first, because
 * dropping the other kind up front is itself a DuckDB error whenever the name already has this kind,
 * which is every re-run of a named cell.
 */
async function createOrReplace(driver: Driver, kind: 'TABLE' | 'VIEW', name: string, create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (error) {
    const other = kind === 'TABLE' ? 'View' : 'Table';
    const message = error instanceof Error ? error.message : String(error);
    if (!message.includes(`is of type ${other}, trying to replace with type`)) throw error;
    await driver.query('user', `DROP ${other.toUpperCase()} ${quoteIdent(name)}`);
    await create();
  }
}

/** ` AND <column> = '<name>'` when a name is given: the catalog functions filtered to one relation. */
function nameIs(column: string, name: string | undefined): string {
  return name === undefined ? '' : ` AND ${column} = ${quoteString(name)}`;
}

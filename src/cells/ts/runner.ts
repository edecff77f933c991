import { Table, tableToIPC } from 'apache-arrow';
import type { Engine, RowsResult } from '../../engine/engine';
import { LakebookError, isLakebookError } from '../../engine/errors';
import { quoteIdent, quoteString } from '../../engine/table-naming';
import type { CellOutput, CellRunContext } from '../cell-kind';
import { cellInputs } from './inputs';
import { describeDuration, limitsFor, type TsCellLimits } from './limits';
import { explainPageGlobal } from './page-globals';
import type { HostMessage, InputDescription, LogLevel, SandboxError, SandboxMessage } from './protocol';
import type { SandboxWorker, SpawnSandbox } from './sandbox';
import type { ColumnDescription } from './table-api';
import { transpileCell, type TranspiledCell } from './transpile';

/** Rows of an input gathered into one message to the worker (DuckDB hands them over 2,048 at a time). */
const INPUT_MESSAGE_ROWS = 65_536;

export interface LogLine {
  level: LogLevel;
  text: string;
}

/** What a ts cell's run leaves beside its grid: everything it printed, and counts. */
export interface TsCellDetail {
  logs: LogLine[];
  inputs: { name: string; rows: number }[];
  outputRows: number;
  /** Where the time went: reading the inputs into the worker, running the code (output streamed into the engine meanwhile), finishing the table. */
  timings: { inputMs: number; codeMs: number; storeMs: number };
}

/** A failed run keeps what the cell printed before it failed. */
export class TsCellError extends LakebookError {
  constructor(
    error: LakebookError,
    readonly logs: LogLine[],
  ) {
    super(error.code, error.userMessage, { cause: error.cause, ...(error.position ? { position: error.position } : {}) });
  }
}

/** The printed lines of a failed ts cell run, if it was one. */
export function logsOf(error: unknown): LogLine[] {
  return error instanceof TsCellError ? error.logs : [];
}

/** `console.log` lines as plain text for `CellOutput.logs`: warnings and errors say so. */
export function logText(line: LogLine): string {
  return line.level === 'warn' ? `warning: ${line.text}` : line.level === 'error' ? `error: ${line.text}` : line.text;
}

/**
 * Runs a ts cell: transpile (sucrase), hand the inputs to a fresh sandbox worker as Arrow, run the
 * code there, store what it returns through `engine.runArrow` batch by batch, and stop the worker at
 * the end, on Stop, past the time limit or past the memory limit. The page keeps running whatever the
 * cell does: only the worker is terminated.
 */
export async function runTsCell(context: CellRunContext, spawn: SpawnSandbox, defaults?: TsCellLimits): Promise<CellOutput> {
  const limits = limitsFor(context.cell.attributes, defaults);
  const transpiled = await transpileCell(context.cell.source);
  if (context.signal.aborted) throw cancelled();
  return new TsRun(context, transpiled, limits, spawn(transpiled.code)).run();
}

function cancelled(): LakebookError {
  return new LakebookError('cancelled', 'The cell was stopped.');
}

class TsRun {
  private readonly logs: LogLine[] = [];
  private readonly engine: Engine;
  private readonly name: string | undefined;
  private settle!: { resolve: (output: CellOutput) => void; reject: (error: unknown) => void };
  private settled = false;
  private stored: Promise<RowsResult> | undefined;
  private channel: BatchChannel | undefined;
  private wholeNumberColumns: string[] = [];
  private outputRows = 0;
  private sentBytes = 0;
  private readonly inputRows: { name: string; rows: number }[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly started = performance.now();
  private codeStarted: number | undefined;
  private codeEnded: number | undefined;

  constructor(
    private readonly context: CellRunContext,
    private readonly transpiled: TranspiledCell,
    private readonly limits: TsCellLimits,
    private readonly sandbox: SandboxWorker,
  ) {
    this.engine = context.engine;
    this.name = context.cell.name;
  }

  run(): Promise<CellOutput> {
    const done = new Promise<CellOutput>((resolve, reject) => (this.settle = { resolve, reject }));
    const onAbort = () => this.fail(cancelled());
    this.context.signal.addEventListener('abort', onAbort, { once: true });
    this.sandbox.onMessage((message) => this.receive(message));
    this.sandbox.onFailure((failure) => {
      if (failure.kind === 'memory') {
        this.fail(this.memoryError('the worker ran out of memory'));
      } else if (failure.frame) {
        // An error while the cell's script ran its top level: the browser names the line.
        const position = this.transpiled.toSource(failure.frame);
        this.fail(new LakebookError('script-error', explainPageGlobal(`${failure.message.replace(/^Uncaught /, '')} (line ${position.line}, column ${position.column})`), { position }));
      } else {
        this.fail(new LakebookError('script-error', `The cell's worker stopped unexpectedly: ${failure.message}`));
      }
    });
    void this.start().catch((error: unknown) => this.fail(error));
    return done.finally(() => {
      this.context.signal.removeEventListener('abort', onAbort);
      clearTimeout(this.timer);
      this.sandbox.terminate();
    });
  }

  private post(message: HostMessage, transfer: Transferable[] = []): void {
    if (!this.settled) this.sandbox.post(message, transfer);
  }

  /** Sends every input, whole, then the code; the time limit starts with the code. */
  private async start(): Promise<void> {
    const descriptions: InputDescription[] = [];
    for (const name of cellInputs(this.context.cell.source, this.context.cell.attributes['inputs'])) {
      descriptions.push({ name, columns: await this.columnsOf(name) });
      await this.sendInput(name);
      if (this.settled) return;
    }
    this.timer = setTimeout(() => {
      const limit = describeDuration(this.limits.timeoutMs);
      this.fail(
        new LakebookError(
          'time-limit',
          `Stopped: the cell ran longer than its time limit of ${limit}, so its worker was terminated. ` +
            `Make it faster, or raise the cell's time limit (timeout=${Math.ceil((this.limits.timeoutMs * 2) / 1000)} in its header, in seconds).`,
        ),
      );
    }, this.limits.timeoutMs);
    this.codeStarted = performance.now();
    this.post({ type: 'run', code: this.transpiled.code, inputs: descriptions, limits: { memoryBytes: this.limits.memoryBytes } });
  }

  private async columnsOf(name: string): Promise<ColumnDescription[]> {
    const columns = await this.engine.query(
      `SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name = 'main' AND lower(table_name) = lower(${quoteString(name)}) ORDER BY column_index`,
    );
    return columns.toArray().map((r) => ({ name: String(r.column_name), type: String(r.data_type) }));
  }

  private async sendInput(name: string): Promise<void> {
    let rows = 0;
    let pending: Table[] = [];
    let pendingRows = 0;
    let sent = 0;
    const flush = () => {
      if (pending.length === 0) return;
      const ipc = tableToIPC(new Table(pending.flatMap((t) => t.batches)), 'stream');
      pending = [];
      pendingRows = 0;
      this.account(ipc.byteLength, `input ${name}`);
      this.post({ type: 'input', name, ipc }, [ipc.buffer]);
      sent++;
    };
    try {
      for await (const batch of this.engine.stream(`FROM ${quoteIdent(name)}`, { signal: this.context.signal })) {
        if (this.settled) return;
        pending.push(batch);
        pendingRows += batch.numRows;
        rows += batch.numRows;
        if (pendingRows >= INPUT_MESSAGE_ROWS) flush();
      }
      flush();
      if (sent === 0) {
        // No rows: the schema alone still tells the cell the columns.
        const ipc = tableToIPC(await this.engine.query(`FROM ${quoteIdent(name)} LIMIT 0`), 'stream');
        this.post({ type: 'input', name, ipc }, [ipc.buffer]);
      }
    } catch (error) {
      if (isLakebookError(error) && (error.code === 'memory-limit' || error.code === 'cancelled')) throw error;
      const message = isLakebookError(error) ? error.userMessage : error instanceof Error ? error.message : String(error);
      throw new LakebookError(isLakebookError(error) ? error.code : 'internal', `Input ${name} could not be read: ${message}`, { cause: error });
    }
    this.inputRows.push({ name, rows });
  }

  /** Arrow bytes handed to the worker count against its memory limit. */
  private account(bytes: number, what: string): void {
    this.sentBytes += bytes;
    if (this.sentBytes > this.limits.memoryBytes) {
      throw this.memoryError(`${what} brought the cell's Arrow data to ${megabytes(this.sentBytes)}`);
    }
  }

  private memoryError(what: string): LakebookError {
    return new LakebookError(
      'memory-limit',
      `Stopped: ${what}, past its memory limit of ${megabytes(this.limits.memoryBytes)}, so its worker was terminated. ` +
        `Read fewer rows or columns (a SQL cell can filter first), or raise the cell's memory limit (memory=${Math.ceil((this.limits.memoryBytes * 2) / 1024 ** 2)} in its header, in MB).`,
    );
  }

  private receive(message: SandboxMessage | undefined): void {
    if (this.settled || !message) return;
    switch (message.type) {
      case 'log':
        this.logs.push({ level: message.level, text: message.text });
        return;
      case 'sql':
        void this.answerSql(message.id, message.query);
        return;
      case 'batch':
        this.outputRows += message.rows;
        this.context.progress({ rows: this.outputRows, message: 'out' });
        this.output().push(message.ipc);
        return;
      case 'done':
        this.codeEnded = performance.now();
        this.wholeNumberColumns = message.wholeNumberColumns;
        void this.finish().then(
          (output) => this.succeed(output),
          (error: unknown) => this.fail(error),
        );
        return;
      case 'error':
        this.fail(this.translate(message.error));
        return;
    }
  }

  /** The batches go to the engine as they come; the worker sends the next once this one is stored. */
  private output(): BatchChannel {
    if (!this.channel) {
      this.channel = new BatchChannel(() => this.post({ type: 'ack' }));
      this.stored = this.engine.runArrow(this.channel, {
        signal: this.context.signal,
        ...(this.name ? { define: { name: this.name } } : {}),
        retype: () => Object.fromEntries(this.wholeNumberColumns.map((c) => [c, 'BIGINT'])),
      });
      // Failures surface through finish(); this keeps an early one from being reported as unhandled.
      this.stored.catch(() => undefined);
    }
    return this.channel;
  }

  private async finish(): Promise<CellOutput> {
    const codeStarted = this.codeStarted ?? this.started;
    const codeEnded = this.codeEnded ?? performance.now();
    const detail: TsCellDetail = {
      logs: this.logs,
      inputs: this.inputRows,
      outputRows: this.outputRows,
      timings: { inputMs: codeStarted - this.started, codeMs: codeEnded - codeStarted, storeMs: 0 },
    };
    const logs = this.logs.map(logText);
    if (!this.channel || !this.stored) {
      if (this.name) {
        throw new LakebookError(
          'script-error',
          `The cell returned no rows, so there is no table ${this.name}: without rows the output has no columns. ` +
            'Return rows, or an Arrow table (its schema makes an empty table).',
        );
      }
      return { detail, logs };
    }
    this.channel.end();
    const result = await this.stored;
    detail.timings.storeMs = performance.now() - codeEnded;
    // The cell's time is the whole run (inputs, code, storing), not only the storing.
    return { result: { ...result, elapsedMs: performance.now() - this.started }, detail, logs };
  }

  private async answerSql(id: number, query: string): Promise<void> {
    const ipc: Uint8Array[] = [];
    try {
      for await (const batch of this.engine.stream(query, { signal: this.context.signal })) {
        const bytes = tableToIPC(batch, 'stream');
        this.account(bytes.byteLength, 'the answer to a sql query');
        ipc.push(bytes);
      }
      if (ipc.length === 0) {
        // No rows: the columns still come through a schema-only stream.
        const empty = await this.engine.query(`SELECT * FROM (${query}) LIMIT 0`).catch(() => undefined);
        if (empty) ipc.push(tableToIPC(empty, 'stream'));
      }
      this.post({ type: 'sql-result', id, ipc, columns: [] }, ipc.map((b) => b.buffer));
    } catch (error) {
      if (isLakebookError(error) && error.code === 'memory-limit') {
        this.fail(error);
        return;
      }
      const message = isLakebookError(error) ? error.userMessage : error instanceof Error ? error.message : String(error);
      this.post({ type: 'sql-error', id, message });
    }
  }

  private translate(error: SandboxError): LakebookError {
    switch (error.kind) {
      case 'memory':
        return this.memoryError(error.message);
      case 'output':
        return new LakebookError('script-error', error.message);
      case 'compile':
        return new LakebookError('syntax', `${error.name}: ${error.message}`);
      case 'script': {
        const position = error.frame ? this.transpiled.toSource(error.frame) : undefined;
        const where = position ? ` (line ${position.line}, column ${position.column})` : '';
        return new LakebookError('script-error', explainPageGlobal(`${error.name}: ${error.message}${where}`), position ? { position } : {});
      }
    }
  }

  private succeed(output: CellOutput): void {
    if (this.settled) return;
    this.settled = true;
    this.settle.resolve(output);
  }

  private fail(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    // Stop the worker first: nothing it does from here on may reach the engine.
    this.sandbox.terminate();
    const failure = isLakebookError(error) ? error : new LakebookError('internal', error instanceof Error ? error.message : String(error), { cause: error });
    this.channel?.fail(failure);
    const stored = this.stored;
    const reject = () => this.settle.reject(new TsCellError(failure, this.logs));
    // A partly stored output is dropped by runArrow once it sees the failure; wait for that.
    if (stored) void stored.then((result) => this.engine.releaseResult(result), () => undefined).finally(reject);
    else reject();
  }
}

function megabytes(bytes: number): string {
  return `${Math.ceil(bytes / 1024 / 1024).toLocaleString('en-US')} MB`;
}

/**
 * Output batches from the worker to `engine.runArrow`. The engine asks for the next batch once it has
 * stored the previous one; that request is the worker's `ack`.
 */
class BatchChannel implements AsyncIterable<Uint8Array> {
  private readonly queue: Uint8Array[] = [];
  private ended = false;
  private error: unknown;
  private wake: (() => void) | undefined;
  private delivered = 0;

  constructor(private readonly ack: () => void) {}

  push(batch: Uint8Array): void {
    this.queue.push(batch);
    this.wake?.();
  }

  end(): void {
    this.ended = true;
    this.wake?.();
  }

  fail(error: unknown): void {
    this.error = error;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (;;) {
      if (this.delivered > 0 && this.error === undefined) this.ack();
      while (this.queue.length === 0 && !this.ended && this.error === undefined) await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
      if (this.error !== undefined) throw this.error;
      const next = this.queue.shift();
      if (!next) return;
      this.delivered++;
      yield next;
    }
  }
}

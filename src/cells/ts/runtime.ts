import * as arrow from 'apache-arrow';
import { OutputError } from './build-arrow';
import { formatLogArguments, formatTable } from './console-format';
import { lockDown } from './lockdown';
import { outputBatches } from './output';
import { CELL_LOADED, type HostMessage, type InputDescription, type LogLevel, type SandboxError, type SandboxLimits, type SandboxMessage } from './protocol';
import { SqlIdentifier, sqlText } from './sql-literal';
import { LakebookTable } from './table-api';

/**
 * The inside of a ts cell's sandbox worker: receives the inputs, calls the cell's default export once,
 * streams its output back and reports logs and errors. It only has a port, and one of two ways to get
 * at the cell's code:
 *
 * - `module` (browser, sandbox-worker.ts): the cell's code *is* the worker's module script, a blob the
 *   page built (browser-sandbox.ts). This module is its first import, so everything below (globals,
 *   lockdown) is in place before the cell's first line runs. No eval: it works under the app's
 *   Content-Security-Policy, which the blob worker inherits (and which blocks `eval` and remote
 *   requests in it once more). Lines in stack traces are the cell's own lines.
 * - `function` (Node, node-sandbox-entry.ts): the code arrives with `run` and is compiled with the
 *   AsyncFunction constructor, named `lakebook-cell.js` in stack traces (`//# sourceURL`).
 */
export interface RuntimePort {
  post(message: SandboxMessage, transfer?: Transferable[]): void;
  onMessage(handler: (message: HostMessage) => void): void;
}

export type RuntimeMode = 'module' | 'function';

/** The name V8 gives the cell's code in stack traces in `function` mode (`//# sourceURL`). */
export const CELL_URL = 'lakebook-cell.js';
const MAX_LOG_MESSAGES = 1000;
const OUTPUT_WINDOW = 2;
/** DuckDB types whose values are not whole numbers in general. */
const FRACTIONAL = /^(FLOAT|DOUBLE|REAL|DECIMAL|NUMERIC|FLOAT4|FLOAT8)\b/i;
const MAX_LOG_CHARS = 200_000;

type AsyncFunctionConstructor = new (...args: string[]) => (...args: unknown[]) => Promise<unknown>;

export function startRuntime(port: RuntimePort, mode: RuntimeMode): void {
  // Taken before lockDown() guards code generation: in `function` mode the cell's code is compiled with it.
  const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor as AsyncFunctionConstructor;
  // Where the cell's code shows in stack traces, and how far down its line 1 is.
  const cellUrl = mode === 'module' ? String((globalThis as { location?: { href: string } }).location?.href ?? '') : CELL_URL;
  const lineOffset = mode === 'function' ? probeLineOffset() : 0;
  const frameOf = (stack: string | undefined) => cellFrame(stack, cellUrl, lineOffset);
  const inputBatches = new Map<string, Uint8Array[]>();
  const pendingSql = new Map<number, { resolve: (t: LakebookTable) => void; reject: (e: Error) => void; query: string }>();
  // Output batches sent and not yet stored: up to OUTPUT_WINDOW, so that the next batch is built while
  // the engine stores the previous one, and memory stays bounded.
  let inFlight = 0;
  let ack: (() => void) | undefined;
  let nextSql = 1;
  let heldBytes = 0;
  let limits: SandboxLimits = { memoryBytes: Number.POSITIVE_INFINITY };

  const hold = (bytes: number, what: string) => {
    heldBytes += bytes;
    if (heldBytes > limits.memoryBytes) throw new MemoryLimitError(heldBytes, limits.memoryBytes, what);
  };

  port.onMessage((message) => {
    switch (message.type) {
      case 'input': {
        const list = inputBatches.get(message.name) ?? [];
        list.push(message.ipc);
        inputBatches.set(message.name, list);
        return;
      }
      case 'ack':
        inFlight--;
        ack?.();
        return;
      case 'sql-result':
      case 'sql-error': {
        const pending = pendingSql.get(message.id);
        pendingSql.delete(message.id);
        if (!pending) return;
        if (message.type === 'sql-error') {
          pending.reject(new Error(message.message));
          return;
        }
        try {
          hold(message.ipc.reduce((n, b) => n + b.byteLength, 0), 'the answer to a sql query');
          pending.resolve(tableFromIpc('sql', message.ipc, message.columns));
        } catch (error) {
          pending.reject(error instanceof Error ? error : new Error(String(error)));
        }
        return;
      }
      case 'run':
        limits = message.limits;
        void run(message.code, message.inputs).catch((error: unknown) => port.post({ type: 'error', error: describeError(error, frameOf) }));
        return;
    }
  });

  const sql = Object.assign(
    (strings: TemplateStringsArray | string, ...values: unknown[]): Promise<LakebookTable> => {
      // Made here, so a failed query's stack points at the line of the cell that asked.
      const failure = new Error('sql query failed');
      let query: string;
      try {
        query = sqlText(strings, values);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      const id = nextSql++;
      return new Promise<LakebookTable>((resolve, reject) => {
        pendingSql.set(id, {
          resolve,
          reject: (error) => {
            failure.message = `sql: ${error.message}`;
            reject(failure);
          },
          query,
        });
        port.post({ type: 'sql', id, query });
      });
    },
    { ident: (name: string) => new SqlIdentifier(name) },
  );

  const log = (level: LogLevel, text: string) => {
    if (logCount >= MAX_LOG_MESSAGES || logChars >= MAX_LOG_CHARS) {
      if (!logTruncated) port.post({ type: 'log', level: 'warn', text: `… more output was dropped (a cell shows at most ${MAX_LOG_MESSAGES} messages).` });
      logTruncated = true;
      return;
    }
    const clipped = text.length > 10_000 ? `${text.slice(0, 10_000)}… (${text.length.toLocaleString('en-US')} characters)` : text;
    logCount++;
    logChars += clipped.length;
    port.post({ type: 'log', level, text: clipped });
  };
  let logCount = 0;
  let logChars = 0;
  let logTruncated = false;
  const counters = new Map<string, number>();
  const timers = new Map<string, number>();
  const cellConsole = {
    log: (...args: unknown[]) => log('log', formatLogArguments(args)),
    info: (...args: unknown[]) => log('info', formatLogArguments(args)),
    debug: (...args: unknown[]) => log('debug', formatLogArguments(args)),
    warn: (...args: unknown[]) => log('warn', formatLogArguments(args)),
    error: (...args: unknown[]) => log('error', formatLogArguments(args)),
    trace: (...args: unknown[]) => log('log', formatLogArguments(args)),
    table: (data: unknown, columns?: string[]) => log('log', formatTable(data, columns)),
    dir: (value: unknown) => log('log', formatLogArguments([value])),
    assert: (condition: unknown, ...args: unknown[]) => {
      if (!condition) log('error', `Assertion failed${args.length ? `: ${formatLogArguments(args)}` : ''}`);
    },
    count: (label = 'default') => {
      const n = (counters.get(label) ?? 0) + 1;
      counters.set(label, n);
      log('log', `${label}: ${n}`);
    },
    time: (label = 'default') => void timers.set(label, performance.now()),
    timeEnd: (label = 'default') => {
      const start = timers.get(label);
      timers.delete(label);
      if (start !== undefined) log('log', `${label}: ${(performance.now() - start).toFixed(1)} ms`);
    },
    timeLog: (label = 'default') => {
      const start = timers.get(label);
      if (start !== undefined) log('log', `${label}: ${(performance.now() - start).toFixed(1)} ms`);
    },
  };

  const require = (specifier: string): unknown => {
    if (specifier === 'apache-arrow') return arrow;
    const remote = /^[a-z][a-z0-9+.-]*:/i.test(specifier);
    throw new Error(
      remote
        ? `A ts cell cannot import ${JSON.stringify(specifier)}: code is never loaded from the network. Only 'apache-arrow' can be imported.`
        : `A ts cell cannot import ${JSON.stringify(specifier)}: only 'apache-arrow' is available.`,
    );
  };

  // What the cell's code sees: sucrase turned its imports and exports into require() and `exports.x =`.
  const exports: Record<string, unknown> = {};
  const module = { exports };
  const g = globalThis as Record<string, unknown>;
  Object.defineProperty(globalThis, 'console', { value: cellConsole, writable: true, configurable: true });
  g['sql'] = sql;
  g['require'] = require;
  g['exports'] = exports;
  g['module'] = module;
  // In `module` mode the script calls this after the cell's code: its top level (with any top-level
  // await) has finished, and its exports are set.
  let cellLoaded: () => void = () => undefined;
  const loaded = new Promise<void>((resolve) => (cellLoaded = resolve));
  Object.defineProperty(globalThis, CELL_LOADED, { value: () => cellLoaded(), configurable: false, writable: false });
  lockDown();

  async function run(code: string | undefined, inputs: InputDescription[]): Promise<void> {
    const tables: Record<string, LakebookTable> = {};
    for (const input of inputs) {
      const ipc = inputBatches.get(input.name) ?? [];
      hold(ipc.reduce((n, b) => n + b.byteLength, 0), `input ${input.name}`);
      tables[input.name] = tableFromIpc(input.name, ipc, input.columns);
    }
    inputBatches.clear();

    if (mode === 'function') {
      if (code === undefined) throw new Error('no code to run');
      let body: (...args: unknown[]) => Promise<unknown>;
      try {
        body = new AsyncFunction('exports', 'require', 'module', 'sql', 'console', `${code}\n//# sourceURL=${CELL_URL}`);
      } catch (error) {
        throw Object.assign(error instanceof Error ? error : new Error(String(error)), { compile: true });
      }
      await body(exports, require, module, sql, cellConsole);
    } else {
      await loaded;
    }
    const exported = (module.exports as Record<string, unknown>)['default'];
    if (!('default' in module.exports)) {
      throw new OutputError(
        'The cell has no default export. Export a function that receives the input tables and returns the output: export default ({ orders }) => orders.map((r) => ({ …r }))',
      );
    }
    const value = typeof exported === 'function' ? (exported as (t: unknown, c: unknown) => unknown)(tables, { sql }) : exported;

    let rows = 0;
    let batches = 0;
    const fractionalColumns = new Set(inputs.flatMap((input) => input.columns.filter((c) => FRACTIONAL.test(c.type)).map((c) => c.name)));
    const stream = outputBatches(value, { fractionalColumns });
    for (;;) {
      const next = await stream.next();
      if (next.done) {
        // Every batch stored before `done`: the page finishes the table when it reads it.
        while (inFlight > 0) await new Promise<void>((resolve) => (ack = resolve));
        port.post({ type: 'done', rows, batches, wholeNumberColumns: next.value.wholeNumberColumns, returned: batches === 0 ? 'nothing' : 'rows' });
        return;
      }
      const ipc = arrow.tableToIPC(new arrow.Table([next.value]), 'stream');
      if (ipc.byteLength > limits.memoryBytes) throw new MemoryLimitError(ipc.byteLength, limits.memoryBytes, 'one batch of output');
      port.post({ type: 'batch', ipc, rows: next.value.numRows }, [ipc.buffer]);
      inFlight++;
      rows += next.value.numRows;
      batches++;
      while (inFlight >= OUTPUT_WINDOW) await new Promise<void>((resolve) => (ack = resolve));
    }
  }
}

class MemoryLimitError extends Error {
  constructor(held: number, limit: number, what: string) {
    super(`${what} brought the cell's Arrow data to ${megabytes(held)}, past its memory limit of ${megabytes(limit)}`);
    this.name = 'MemoryLimitError';
  }
}

function megabytes(bytes: number): string {
  return `${Math.ceil(bytes / 1024 / 1024).toLocaleString('en-US')} MB`;
}

function tableFromIpc(name: string, ipc: readonly Uint8Array[], columns: InputDescription['columns']): LakebookTable {
  const tables = ipc.map((bytes) => arrow.tableFromIPC(bytes));
  const schema = tables[0]?.schema ?? new arrow.Schema([]);
  return new LakebookTable(name, schema, tables.flatMap((t) => t.batches), columns.length ? columns : undefined);
}

/**
 * V8 puts a Function body a couple of lines down its own source (`(async function anonymous(…\n) {\n`);
 * find how many with a function compiled the same way, rather than assume it.
 */
function probeLineOffset(): number {
  let stack: string | undefined;
  try {
    // Same parameter list as the cell's body; a plain function so that it throws synchronously.
    new Function('exports', 'require', 'module', 'sql', 'console', `throw new Error()\n//# sourceURL=${CELL_URL}`)();
  } catch (error) {
    stack = (error as Error).stack;
  }
  const match = stack ? /lakebook-cell\.js:(\d+):(\d+)/.exec(stack) : null;
  return match ? Number(match[1]) - 1 : 2;
}

/** The first stack frame in the cell's code, as a 1-based line and column of that code. */
export function cellFrame(stack: string | undefined, cellUrl: string, lineOffset: number): { line: number; column: number } | undefined {
  if (!stack || !cellUrl) return undefined;
  const escaped = cellUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`${escaped}:(\\d+):(\\d+)`).exec(stack);
  if (!match) return undefined;
  const line = Number(match[1]) - lineOffset;
  return line >= 1 ? { line, column: Number(match[2]) } : undefined;
}

export function describeError(error: unknown, frameOf: (stack: string | undefined) => { line: number; column: number } | undefined): SandboxError {
  if (error instanceof OutputError) return { kind: 'output', name: error.name, message: error.message };
  if (error instanceof MemoryLimitError) return { kind: 'memory', name: error.name, message: error.message };
  if (!(error instanceof Error)) return { kind: 'script', name: 'Error', message: `The cell threw ${formatLogArguments([error])}` };
  const compile = (error as { compile?: boolean }).compile === true;
  const frame = frameOf(error.stack);
  return { kind: compile ? 'compile' : 'script', name: error.name, message: error.message, ...(frame ? { frame } : {}) };
}

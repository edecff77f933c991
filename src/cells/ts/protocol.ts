import type { ColumnDescription } from './table-api';

/**
 * Messages between the page and a ts cell's sandbox worker. One worker runs one cell once and is
 * then terminated. Order: `input` batches (every input, whole), then `run`; the worker answers with
 * `log`, `sql` and `batch` messages and ends with `done` or `error`. At most two output batches are
 * in flight: the page sends `ack` once it has stored one, and the worker waits for acks before it
 * sends more (and before `done`).
 */
/** The global a browser sandbox's script calls once the cell's code has run (browser-sandbox.ts). */
export const CELL_LOADED = '__lakebookCellLoaded';

export type HostMessage =
  /** One Arrow IPC stream (schema and batches) of an input table. */
  | { type: 'input'; name: string; ipc: Uint8Array }
  /** `code` only for a sandbox that compiles it (Node); a browser sandbox's script is the code. */
  | { type: 'run'; code?: string; inputs: InputDescription[]; limits: SandboxLimits }
  | { type: 'ack' }
  | { type: 'sql-result'; id: number; ipc: Uint8Array[]; columns: ColumnDescription[] }
  | { type: 'sql-error'; id: number; message: string };

export type SandboxMessage =
  | { type: 'log'; level: LogLevel; text: string }
  | { type: 'sql'; id: number; query: string }
  | { type: 'batch'; ipc: Uint8Array; rows: number }
  | { type: 'done'; rows: number; batches: number; wholeNumberColumns: string[]; returned: 'nothing' | 'rows' }
  | { type: 'error'; error: SandboxError };

export type LogLevel = 'log' | 'info' | 'warn' | 'error' | 'debug';

export interface InputDescription {
  name: string;
  columns: ColumnDescription[];
}

export interface SandboxLimits {
  /** Bytes of Arrow data the cell may hold (inputs, `sql` answers, an output batch). */
  memoryBytes: number;
}

export interface SandboxError {
  /**
   * `script`: the cell's code threw; `output`: what it returned is not a table; `memory`: it passed
   * its memory limit; `compile`: the JavaScript engine refused the code.
   */
  kind: 'script' | 'output' | 'memory' | 'compile';
  name: string;
  message: string;
  /** Where in the transpiled code (1-based), when the stack shows a frame of the cell. */
  frame?: { line: number; column: number };
}

export function isSandboxMessage(value: unknown): value is SandboxMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as { type?: unknown };
  switch (m.type) {
    case 'log':
      return typeof (value as { text?: unknown }).text === 'string';
    case 'sql':
      return typeof (value as { query?: unknown }).query === 'string' && typeof (value as { id?: unknown }).id === 'number';
    case 'batch':
      return (value as { ipc?: unknown }).ipc instanceof Uint8Array;
    case 'done':
      return Array.isArray((value as { wholeNumberColumns?: unknown }).wholeNumberColumns);
    case 'error':
      return typeof (value as { error?: { message?: unknown } }).error?.message === 'string';
    default:
      return false;
  }
}

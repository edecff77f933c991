import type { HostMessage, SandboxMessage } from './protocol';

/**
 * A ts cell's worker as the page sees it: a browser Worker (browser-sandbox.ts) or a Node worker
 * thread (node-sandbox.ts, for tests and the CLI). One sandbox runs one cell once.
 */
export interface SandboxWorker {
  post(message: HostMessage, transfer?: Transferable[]): void;
  /** Messages that fail validation (the cell's code could post anything) arrive as undefined. */
  onMessage(handler: (message: SandboxMessage | undefined) => void): void;
  /** The worker failed outside the protocol: an uncaught error, a crash, running out of memory. */
  onFailure(handler: (failure: SandboxFailure) => void): void;
  terminate(): void;
}

export interface SandboxFailure {
  /** `memory`: the worker ran out of its heap (Node's resourceLimits); `crash`: anything else. */
  kind: 'memory' | 'crash';
  message: string;
  /** Where in the cell's transpiled code, when the browser says (an error while the script loaded). */
  frame?: { line: number; column: number };
}

/** Starts a sandbox for one run of the cell's transpiled code. */
export type SpawnSandbox = (code: string) => SandboxWorker;

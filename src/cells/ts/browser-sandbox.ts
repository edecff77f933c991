import { CELL_LOADED, isSandboxMessage } from './protocol';
import type { SandboxFailure, SandboxWorker } from './sandbox';
import runtimeUrl from './sandbox-worker?worker&url';

/**
 * A dedicated module Worker per run, whose script is the cell's own code followed by an import of the
 * runtime (sandbox-worker.ts). Imports run first, so the runtime is set up before the cell's first
 * line, and the cell's lines are the script's lines. The script is a blob: URL, so the worker inherits
 * the page's Content-Security-Policy (`worker-src blob:`): no eval, no request off the origin. No DOM,
 * no page; `terminate()` stops even `while (true) {}`.
 */
export function spawnBrowserSandbox(code: string): SandboxWorker {
  const runtime = new URL(runtimeUrl, document.baseURI).href;
  // After the code (imports are hoisted), on lines of their own: a final `//` comment in the cell cannot
  // swallow them, and line 1 stays the cell's line 1. The call tells the runtime the code has run.
  const script = `${code}\n;globalThis.${CELL_LOADED}();\nimport ${JSON.stringify(runtime)};\n`;
  const url = URL.createObjectURL(new Blob([script], { type: 'text/javascript' }));
  const worker = new Worker(url, { type: 'module', name: 'lakebook ts cell' });
  let onFailure: ((failure: SandboxFailure) => void) | undefined;
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    const frame = event.filename === url && event.lineno > 0 ? { line: event.lineno, column: event.colno } : undefined;
    onFailure?.({ kind: 'crash', message: event.message || 'the worker stopped unexpectedly', ...(frame ? { frame } : {}) });
  });
  worker.addEventListener('messageerror', () => onFailure?.({ kind: 'crash', message: 'a message from the worker could not be read' }));
  return {
    post: (message, transfer = []) => worker.postMessage(message, transfer),
    onMessage: (handler) => worker.addEventListener('message', (event: MessageEvent<unknown>) => handler(isSandboxMessage(event.data) ? event.data : undefined)),
    onFailure: (handler) => (onFailure = handler),
    terminate: () => {
      worker.terminate();
      URL.revokeObjectURL(url);
    },
  };
}

import { isSandboxMessage } from './protocol';
import type { SandboxFailure, SandboxWorker } from './sandbox';
import SandboxWorkerScript from './sandbox-worker?worker';

/** A dedicated Web Worker per run: no DOM, no page, and `terminate()` stops even `while (true) {}`. */
export function spawnBrowserSandbox(): SandboxWorker {
  const worker = new SandboxWorkerScript({ name: 'lakebook ts cell' });
  let onFailure: ((failure: SandboxFailure) => void) | undefined;
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    onFailure?.({ kind: 'crash', message: event.message || 'the worker stopped unexpectedly' });
  });
  worker.addEventListener('messageerror', () => onFailure?.({ kind: 'crash', message: 'a message from the worker could not be read' }));
  return {
    post: (message, transfer = []) => worker.postMessage(message, transfer),
    onMessage: (handler) => worker.addEventListener('message', (event: MessageEvent<unknown>) => handler(isSandboxMessage(event.data) ? event.data : undefined)),
    onFailure: (handler) => (onFailure = handler),
    terminate: () => worker.terminate(),
  };
}

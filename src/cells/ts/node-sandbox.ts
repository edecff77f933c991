import { Worker } from 'node:worker_threads';
import { isSandboxMessage } from './protocol';
import type { SandboxFailure, SandboxWorker, SpawnSandbox } from './sandbox';

/**
 * A Node worker thread per run, for unit tests and the CLI. The entry is TypeScript, so the thread
 * loads it through tsx. Unlike a browser, Node can cap a worker's heap: past `heapMb` the thread is
 * stopped and the run fails with the memory limit. (This is a guard, not a security boundary: a Node
 * process runs the user's own notebooks with the user's own rights.)
 */
export function nodeSandbox(options: { heapMb?: number } = {}): SpawnSandbox {
  return () => {
    const worker = new Worker(new URL('./node-sandbox-entry.ts', import.meta.url), {
      execArgv: ['--import', 'tsx'],
      ...(options.heapMb ? { resourceLimits: { maxOldGenerationSizeMb: options.heapMb } } : {}),
    });
    let onFailure: ((failure: SandboxFailure) => void) | undefined;
    let terminated = false;
    worker.on('error', (error: Error & { code?: string }) => {
      const memory = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
      onFailure?.({ kind: memory ? 'memory' : 'crash', message: memory ? 'the worker ran out of memory' : error.message });
    });
    worker.on('exit', (code) => {
      if (!terminated) onFailure?.({ kind: 'crash', message: `the worker exited (code ${code})` });
    });
    return {
      post: (message, transfer = []) => worker.postMessage(message, transfer as never),
      onMessage: (handler) => worker.on('message', (message: unknown) => handler(isSandboxMessage(message) ? message : undefined)),
      onFailure: (handler) => (onFailure = handler),
      terminate: () => {
        terminated = true;
        void worker.terminate();
      },
    };
  };
}

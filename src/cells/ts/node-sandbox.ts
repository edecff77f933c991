import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { isSandboxMessage } from './protocol';
import type { SandboxFailure, SpawnSandbox } from './sandbox';

/**
 * A Node worker thread per run, for unit tests and the CLI. The entry is TypeScript, so the thread
 * loads it through tsx. Unlike a browser, Node can cap a worker's heap: past `heapMb` the thread is
 * stopped and the run fails with the memory limit. (This is a guard, not a security boundary: a Node
 * process runs the user's own notebooks with the user's own rights.)
 */
export function nodeSandbox(options: { heapMb?: number } = {}): SpawnSandbox {
  // tsx's ESM API (its package resolves `require` to the .cjs build; the .mjs sits beside it).
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const entry = new URL('./node-sandbox-entry.ts', import.meta.url).href;
  // A worker thread does not inherit loaders: register tsx in it, then load the TypeScript entry.
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  // The code is sent with `run` and compiled in the thread (runtime.ts, `function` mode).
  return () => {
    const worker = new Worker(bootstrap, {
      eval: true,
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

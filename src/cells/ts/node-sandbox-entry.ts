// The Node entry of a ts cell's sandbox: a worker thread started by node-sandbox.ts.
import { parentPort } from 'node:worker_threads';
import type { HostMessage, SandboxMessage } from './protocol';
import { startRuntime } from './runtime';

const port = parentPort;
if (!port) throw new Error('node-sandbox-entry.ts runs as a worker thread');

process.on('unhandledRejection', (reason: unknown) => {
  const text = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
  port.postMessage({ type: 'log', level: 'error', text: `Unhandled promise rejection: ${text}` } satisfies SandboxMessage);
});

startRuntime(
  {
    post: (message, transfer) => port.postMessage(message, (transfer ?? []) as never),
    onMessage: (handler) => port.on('message', (message: HostMessage) => handler(message)),
  },
  'function',
);

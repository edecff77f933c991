/// <reference lib="webworker" />
// The browser entry of a ts cell's sandbox (bundled by Vite as its own worker script, served from our
// origin). Everything else is in runtime.ts.
import type { HostMessage, SandboxMessage } from './protocol';
import { startRuntime } from './runtime';

declare const self: DedicatedWorkerGlobalScope;

const post = self.postMessage.bind(self) as (message: SandboxMessage, transfer: Transferable[]) => void;
let handler: ((message: HostMessage) => void) | undefined;
self.addEventListener('message', (event: MessageEvent<HostMessage>) => handler?.(event.data));

// An error thrown from a timer or a promise nobody awaited, after the cell's code returned: report it
// rather than let it vanish into the browser's console.
self.addEventListener('error', (event) => {
  event.preventDefault();
  const error = event.error instanceof Error ? event.error : new Error(event.message);
  post({ type: 'error', error: { kind: 'script', name: error.name, message: error.message } }, []);
});
self.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  const reason: unknown = event.reason;
  post({ type: 'log', level: 'error', text: `Unhandled promise rejection: ${reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)}` }, []);
});

startRuntime({
  post: (message, transfer) => post(message, transfer ?? []),
  onMessage: (h) => (handler = h),
});

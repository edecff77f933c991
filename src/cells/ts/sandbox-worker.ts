/// <reference lib="webworker" />
// The browser side of a ts cell's sandbox, loaded as the first import of the worker's module script,
// whose body is the cell's own code (browser-sandbox.ts). So this runs before the cell's first line:
// the message port, the globals the code uses and the lockdown are in place. Bundled by Vite as its own
// script, served from our origin.
import type { HostMessage, SandboxMessage } from './protocol';
import { cellFrame, describeError, startRuntime } from './runtime';

declare const self: DedicatedWorkerGlobalScope;

const post = self.postMessage.bind(self) as (message: SandboxMessage, transfer: Transferable[]) => void;
let handler: ((message: HostMessage) => void) | undefined;
self.addEventListener('message', (event: MessageEvent<HostMessage>) => handler?.(event.data));

// An error the cell's code throws at its top level, from a timer, or from a promise nobody awaited
// after returning: reported with the cell's line rather than lost in the browser's console.
self.addEventListener('error', (event) => {
  event.preventDefault();
  const error = event.error instanceof Error ? event.error : new Error(event.message);
  post({ type: 'error', error: describeError(error, (stack) => cellFrame(stack, self.location.href, 0)) }, []);
});
self.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  const reason: unknown = event.reason;
  post({ type: 'log', level: 'error', text: `Unhandled promise rejection: ${reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)}` }, []);
});

startRuntime(
  {
    post: (message, transfer) => post(message, transfer ?? []),
    onMessage: (h) => (handler = h),
  },
  'module',
);

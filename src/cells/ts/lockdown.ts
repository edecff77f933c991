/**
 * Takes away, inside a ts cell's worker, every way to reach the network or the app's storage, before
 * the cell's code runs (DESIGN §6: user TypeScript runs without access to the page; data never leaves
 * the machine). The Content-Security-Policy blocks the same requests again at the browser's level.
 *
 * - Network APIs (`fetch`, `XMLHttpRequest`, `WebSocket`, `EventSource`, `WebTransport`,
 *   `importScripts`, nested workers) are removed from the global object and every prototype it
 *   inherits from, then replaced by functions that throw a `NetworkRefusedError` saying why.
 * - Storage and cross-context channels (`indexedDB`, `caches`, `BroadcastChannel`, `navigator.storage`,
 *   `navigator.locks`) are removed: the cell must not read the user's saved notebooks or take the
 *   notebook's locks.
 * - Code built from strings (`eval`, `Function` and its async/generator variants, string timers) is
 *   refused when it mentions `import`, the one way left to load remote code. (`import` cannot be
 *   spelled with escapes, so the check cannot be dodged; Arrow's own code generation still works.)
 */
export class NetworkRefusedError extends Error {
  constructor(what: string) {
    super(
      `${what} is not available in a ts cell: the cell runs without network access, so data never leaves this machine. ` +
        'Load data with “Add files”, and query tables with sql`…`.',
    );
    this.name = 'NetworkRefusedError';
  }
}

const NETWORK = ['fetch', 'XMLHttpRequest', 'WebSocket', 'WebSocketStream', 'EventSource', 'WebTransport', 'importScripts', 'Worker', 'SharedWorker', 'RTCPeerConnection'];
const STORAGE = ['indexedDB', 'caches', 'BroadcastChannel', 'IDBFactory', 'CacheStorage', 'FileSystemSyncAccessHandle'];
const NAVIGATOR = ['storage', 'locks', 'serviceWorker', 'sendBeacon'];

export function lockDown(global: typeof globalThis = globalThis): void {
  for (const name of NETWORK) replace(global, name, refusing(name));
  for (const name of STORAGE) replace(global, name, undefined);
  const navigator = (global as { navigator?: object }).navigator;
  if (navigator) for (const name of NAVIGATOR) replace(navigator, name, undefined);
  guardCodeGeneration(global);
}

/** Removes `name` from `target` and its prototypes, then pins `value` on `target`. */
function replace(target: object, name: string, value: unknown): void {
  for (let o: object | null = target; o; o = Object.getPrototypeOf(o) as object | null) {
    if (Object.prototype.hasOwnProperty.call(o, name)) {
      try {
        delete (o as Record<string, unknown>)[name];
      } catch {
        // A non-configurable property is pinned over below when it is on `target` itself.
      }
    }
  }
  try {
    Object.defineProperty(target, name, { value, writable: false, configurable: false, enumerable: false });
  } catch {
    // Already non-configurable (not the case for any of these in browsers or Node).
  }
}

function refusing(name: string): (...args: unknown[]) => never {
  const label = name === 'fetch' || name === 'importScripts' ? `${name}()` : name;
  return function refused() {
    throw new NetworkRefusedError(label);
  };
}

const IMPORT = /\bimport\b/;

function guardCodeGeneration(global: typeof globalThis): void {
  const check = (parts: readonly unknown[], what: string) => {
    if (parts.some((p) => IMPORT.test(String(p)))) {
      throw new NetworkRefusedError(`import() in code built with ${what}`);
    }
  };
  const constructors = [
    Function,
    Object.getPrototypeOf(async function () {}).constructor as FunctionConstructor,
    Object.getPrototypeOf(function* () {}).constructor as FunctionConstructor,
    Object.getPrototypeOf(async function* () {}).constructor as FunctionConstructor,
  ];
  for (const Original of constructors) {
    const guarded = function (this: unknown, ...args: unknown[]) {
      check(args, Original.name || 'Function');
      return Reflect.construct(Original, args);
    } as unknown as FunctionConstructor;
    Object.defineProperty(guarded, 'name', { value: Original.name });
    Object.defineProperty(guarded, 'prototype', { value: Original.prototype });
    Object.defineProperty(Original.prototype, 'constructor', { value: guarded, writable: false, configurable: false });
  }
  Object.defineProperty(global, 'Function', { value: constructors[0]!.prototype.constructor, writable: false, configurable: false });
  const originalEval = global.eval;
  Object.defineProperty(global, 'eval', {
    value: (code: unknown) => {
      check([code], 'eval');
      return originalEval(code as string);
    },
    writable: false,
    configurable: false,
  });
  for (const timer of ['setTimeout', 'setInterval'] as const) {
    const original = global[timer] as (...args: unknown[]) => unknown;
    Object.defineProperty(global, timer, {
      value: (handler: unknown, ...rest: unknown[]) => {
        if (typeof handler !== 'function') throw new TypeError(`${timer} needs a function in a ts cell (code in a string is not run).`);
        return original.call(global, handler, ...rest);
      },
      writable: false,
      configurable: false,
    });
  }
}

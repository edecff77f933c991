/**
 * Notices a second tab on the same notebook (DESIGN §2: DuckDB's OPFS database handle is exclusive,
 * and two tabs autosaving one notebook overwrite each other).
 *
 * Two mechanisms, used together when both exist:
 *
 * - **Web Locks.** Each tab asks for the lock `lakebook-notebook-<id>` with `ifAvailable`. The first
 *   gets it and holds it until `release()` or until the tab goes away (the browser frees it then);
 *   a later tab is refused at once and learns `'this-tab-is-second'`. The lock decides `role`.
 * - **BroadcastChannel** (same name). A new tab says `hello`; every tab already open on the notebook
 *   reports `'other-tab-opened'` and answers `here` to that tab, which reports
 *   `'this-tab-is-second'`. This is how the first tab learns of the second, and, without Web Locks
 *   (insecure context, old browser), the whole handshake: a tab that hears no `here` within
 *   `handshakeMs` takes the role `'first'`.
 *
 * Each kind is reported once per other tab (`'other-tab-opened'`) or once in all
 * (`'this-tab-is-second'`). Without Web Locks, two tabs opened in the same instant may both end up
 * `'second'` (each answers the other): conservative, and both warned. When the first tab closes, the
 * second is not told and does not take over the lock; reopening the notebook does.
 */

export type TabConflict = 'other-tab-opened' | 'this-tab-is-second';
export type TabRole = 'first' | 'second';

/** The part of `navigator.locks` this module uses (injectable for tests). */
export interface LockManagerLike {
  request(name: string, options: { ifAvailable: boolean }, callback: (lock: unknown) => Promise<void>): Promise<unknown>;
}

/** The part of `BroadcastChannel` this module uses (injectable for tests). */
export interface ChannelLike {
  postMessage(message: unknown): void;
  close(): void;
  onmessage: ((event: MessageEvent) => void) | null;
}

export type ChannelConstructor = new (name: string) => ChannelLike;

export interface TabGuardOptions {
  onConflict(kind: TabConflict): void;
  /** Web Locks. Default `navigator.locks` where it exists; `null`: act as if there were none. */
  locks?: LockManagerLike | null;
  /** Default the global `BroadcastChannel` where it exists; `null`: act as if there were none. */
  BroadcastChannel?: ChannelConstructor | null;
  /** Without Web Locks: how long to wait for an answer before taking the role `'first'`. Default 300. */
  handshakeMs?: number;
}

export interface TabGuard {
  /** What the guard could use: both, the channel only, or nothing (it then never reports). */
  readonly mode: 'locks' | 'broadcast' | 'none';
  /**
   * Whether this tab may use the notebook's exclusive resources (e.g. its DuckDB OPFS file): `'first'`
   * when it holds the lock (or, without Web Locks, nobody answered the handshake). `'second'` if the
   * guard is released before it knew.
   */
  readonly settled: Promise<TabRole>;
  role(): TabRole | 'pending' | 'released';
  /** Frees the lock and closes the channel. Idempotent. */
  release(): void;
}

const PROTOCOL = 'lakebook-tab-guard/1';

type Message = { protocol: typeof PROTOCOL; type: 'hello'; from: string } | { protocol: typeof PROTOCOL; type: 'here'; from: string; to: string };

function parseMessage(data: unknown): Message | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const m = data as Record<string, unknown>;
  if (m.protocol !== PROTOCOL || typeof m.from !== 'string') return undefined;
  if (m.type === 'hello') return { protocol: PROTOCOL, type: 'hello', from: m.from };
  if (m.type === 'here' && typeof m.to === 'string') return { protocol: PROTOCOL, type: 'here', from: m.from, to: m.to };
  return undefined;
}

function randomTabId(): string {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function tabGuardName(notebookId: string): string {
  return `lakebook-notebook-${notebookId}`;
}

export function createTabGuard(notebookId: string, options: TabGuardOptions): TabGuard {
  const locks =
    options.locks !== undefined
      ? options.locks
      : typeof navigator !== 'undefined' && navigator.locks
        ? (navigator.locks as LockManagerLike)
        : null;
  const Channel =
    options.BroadcastChannel !== undefined
      ? options.BroadcastChannel
      : typeof BroadcastChannel === 'function'
        ? (BroadcastChannel as ChannelConstructor)
        : null;
  const handshakeMs = options.handshakeMs ?? 300;
  const name = tabGuardName(notebookId);
  const tabId = randomTabId();

  let role: TabRole | 'pending' | 'released' = 'pending';
  let resolveSettled: (role: TabRole) => void = () => undefined;
  const settled = new Promise<TabRole>((resolve) => (resolveSettled = resolve));
  const settle = (value: TabRole): void => {
    if (role !== 'pending') return;
    role = value;
    resolveSettled(value);
  };

  const report = (kind: TabConflict): void => {
    try {
      options.onConflict(kind);
    } catch (e) {
      console.error('tab-guard: onConflict threw', e);
    }
  };
  const seenTabs = new Set<string>();
  let reportedSecond = false;
  const reportSecond = (): void => {
    if (reportedSecond || role === 'released') return;
    reportedSecond = true;
    report('this-tab-is-second');
  };

  let releaseLock: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (releaseLock = resolve));
  let handshakeTimer: ReturnType<typeof setTimeout> | undefined;

  const channel = Channel ? new Channel(name) : undefined;
  let mode: TabGuard['mode'] = locks ? 'locks' : channel ? 'broadcast' : 'none';

  if (channel) {
    channel.onmessage = (event) => {
      const message = parseMessage(event.data);
      if (!message || message.from === tabId || role === 'released') return;
      if (message.type === 'hello') {
        if (!seenTabs.has(message.from)) {
          seenTabs.add(message.from);
          report('other-tab-opened');
        }
        channel.postMessage({ protocol: PROTOCOL, type: 'here', from: tabId, to: message.from } satisfies Message);
      } else if (message.to === tabId) {
        reportSecond();
        if (mode !== 'locks') settle('second');
      }
    };
    channel.postMessage({ protocol: PROTOCOL, type: 'hello', from: tabId } satisfies Message);
  }

  const startHandshakeTimer = (): void => {
    handshakeTimer = setTimeout(() => settle('first'), handshakeMs);
  };

  if (locks) {
    locks
      .request(name, { ifAvailable: true }, async (lock) => {
        if (role === 'released') return;
        if (lock === null) {
          settle('second');
          reportSecond();
          return;
        }
        settle('first');
        await held; // hold the lock until release() or until the tab goes away
      })
      .catch(() => {
        // The lock manager refused (e.g. an opaque origin): fall back to the channel's answer.
        mode = channel ? 'broadcast' : 'none';
        if (role === 'released') return;
        if (channel) startHandshakeTimer();
        else settle('first');
      });
  } else if (channel) {
    startHandshakeTimer();
  } else {
    settle('first');
  }

  return {
    get mode() {
      return mode;
    },
    settled,
    role: () => role,
    release() {
      if (role === 'released') return;
      if (role === 'pending') resolveSettled('second');
      role = 'released';
      if (handshakeTimer !== undefined) clearTimeout(handshakeTimer);
      releaseLock();
      if (channel) {
        channel.onmessage = null;
        channel.close();
      }
    },
  };
}

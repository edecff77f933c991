import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTabGuard, type LockManagerLike, type TabConflict, type TabGuard, type TabGuardOptions } from './tab-guard';

/** Web Locks for one "browser": exclusive locks by name, `ifAvailable` answered at once. */
function fakeLocks(): LockManagerLike & { held: Set<string> } {
  const held = new Set<string>();
  return {
    held,
    async request(name, options, callback) {
      if (held.has(name)) {
        if (options.ifAvailable) return callback(null);
        throw new Error('waiting for a lock is not faked');
      }
      held.add(name);
      try {
        return await callback({ name, mode: 'exclusive' });
      } finally {
        held.delete(name);
      }
    },
  };
}

const guards: TabGuard[] = [];
afterEach(() => {
  for (const guard of guards.splice(0)) guard.release();
});

/** A guard (a "tab") that records its reports. */
function tab(notebookId: string, options: Omit<TabGuardOptions, 'onConflict'>) {
  const reports: TabConflict[] = [];
  const guard = createTabGuard(notebookId, { ...options, onConflict: (kind) => reports.push(kind) });
  guards.push(guard);
  return { guard, reports };
}

/** Lets BroadcastChannel messages travel (they are delivered asynchronously). */
const settleMessages = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('createTabGuard with Web Locks', () => {
  it('makes the first tab first and tells both tabs about the second', async () => {
    const locks = fakeLocks();
    const first = tab('nb', { locks });
    expect(first.guard.mode).toBe('locks');
    expect(await first.guard.settled).toBe('first');
    expect(locks.held.has('lakebook-notebook-nb')).toBe(true);

    const second = tab('nb', { locks });
    expect(await second.guard.settled).toBe('second');
    await vi.waitFor(() => expect(first.reports).toEqual(['other-tab-opened']));
    await settleMessages();
    // Told by the lock and by the first tab's answer: reported once.
    expect(second.reports).toEqual(['this-tab-is-second']);
    expect(first.reports).toEqual(['other-tab-opened']);
    expect(first.guard.role()).toBe('first');
    expect(second.guard.role()).toBe('second');
  });

  it('keeps notebooks apart', async () => {
    const locks = fakeLocks();
    const a = tab('a', { locks });
    const b = tab('b', { locks });
    expect(await a.guard.settled).toBe('first');
    expect(await b.guard.settled).toBe('first');
    await settleMessages();
    expect([...a.reports, ...b.reports]).toEqual([]);
  });

  it('frees the lock on release, so the next tab is first; a tab still open still speaks up', async () => {
    const locks = fakeLocks();
    const first = tab('nb', { locks });
    await first.guard.settled;
    const second = tab('nb', { locks });
    await second.guard.settled;
    await vi.waitFor(() => expect(first.reports).toEqual(['other-tab-opened']));
    first.guard.release();
    expect(first.guard.role()).toBe('released');
    await vi.waitFor(() => expect(locks.held.has('lakebook-notebook-nb')).toBe(false));

    const third = tab('nb', { locks });
    expect(await third.guard.settled).toBe('first'); // it holds the lock …
    await vi.waitFor(() => expect(third.reports).toEqual(['this-tab-is-second'])); // … but `second` is open
    await vi.waitFor(() => expect(second.reports).toEqual(['this-tab-is-second', 'other-tab-opened']));
    await settleMessages();
    expect(first.reports).toEqual(['other-tab-opened']); // released: hears nothing more
  });

  it('reports each other tab once, and a third tab to both', async () => {
    const locks = fakeLocks();
    const first = tab('nb', { locks });
    await first.guard.settled;
    const second = tab('nb', { locks });
    await second.guard.settled;
    const third = tab('nb', { locks });
    expect(await third.guard.settled).toBe('second');
    await settleMessages();
    expect(first.reports).toEqual(['other-tab-opened', 'other-tab-opened']);
    expect(second.reports).toEqual(['this-tab-is-second', 'other-tab-opened']);
    expect(third.reports).toEqual(['this-tab-is-second']);
  });

  it('falls back to the channel when the lock manager refuses', async () => {
    const locks: LockManagerLike = { request: () => Promise.reject(new DOMException('no', 'SecurityError')) };
    const first = tab('nb', { locks, handshakeMs: 40 });
    expect(await first.guard.settled).toBe('first');
    expect(first.guard.mode).toBe('broadcast');
    const second = tab('nb', { locks, handshakeMs: 40 });
    expect(await second.guard.settled).toBe('second');
    await vi.waitFor(() => expect(first.reports).toEqual(['other-tab-opened']));
  });

  it('works without a BroadcastChannel (the lock alone; the first tab is not told)', async () => {
    const locks = fakeLocks();
    const first = tab('nb', { locks, BroadcastChannel: null });
    const second = tab('nb', { locks, BroadcastChannel: null });
    expect(await first.guard.settled).toBe('first');
    expect(await second.guard.settled).toBe('second');
    expect(second.reports).toEqual(['this-tab-is-second']);
    expect(first.reports).toEqual([]);
  });
});

describe('createTabGuard without Web Locks (BroadcastChannel ping/pong)', () => {
  it('settles first after a silent handshake, second when a tab answers', async () => {
    const first = tab('nb', { locks: null, handshakeMs: 50 });
    expect(first.guard.mode).toBe('broadcast');
    expect(first.guard.role()).toBe('pending');
    expect(await first.guard.settled).toBe('first');

    const second = tab('nb', { locks: null, handshakeMs: 50 });
    expect(await second.guard.settled).toBe('second');
    expect(second.reports).toEqual(['this-tab-is-second']);
    await vi.waitFor(() => expect(first.reports).toEqual(['other-tab-opened']));
  });

  it('hears nothing from a released tab', async () => {
    const first = tab('nb', { locks: null, handshakeMs: 30 });
    await first.guard.settled;
    first.guard.release();
    first.guard.release(); // idempotent
    const second = tab('nb', { locks: null, handshakeMs: 30 });
    expect(await second.guard.settled).toBe('first');
    expect(second.reports).toEqual([]);
    expect(first.reports).toEqual([]);
  });

  it('ignores foreign messages on the channel', async () => {
    const first = tab('nb', { locks: null, handshakeMs: 30 });
    await first.guard.settled;
    const other = new BroadcastChannel('lakebook-notebook-nb');
    other.postMessage('hello');
    other.postMessage({ type: 'hello', from: 'x' });
    other.postMessage({ protocol: 'lakebook-tab-guard/1', type: 'here', from: 'x' });
    await settleMessages();
    other.close();
    expect(first.reports).toEqual([]);
  });
});

describe('createTabGuard with neither', () => {
  it('is first at once and never reports', async () => {
    const only = tab('nb', { locks: null, BroadcastChannel: null });
    expect(only.guard.mode).toBe('none');
    expect(await only.guard.settled).toBe('first');
  });

  it('settles second when released before it knew', async () => {
    const first = tab('nb', { locks: null, handshakeMs: 10_000 });
    first.guard.release();
    expect(await first.guard.settled).toBe('second');
  });

  it('uses the globals by default (Node 20: BroadcastChannel, no navigator.locks)', () => {
    const guard = tab('nb', {}).guard;
    expect(guard.mode).toBe(typeof navigator !== 'undefined' && navigator.locks ? 'locks' : 'broadcast');
  });
});

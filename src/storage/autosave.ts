/**
 * Debounced saving of the notebook text.
 *
 * - `schedule(text)` after every edit. The newest text is saved `delayMs` (400) after the last edit,
 *   and at most `maxWaitMs` (1000) after the first unsaved one, so steady typing still saves about
 *   once a second.
 * - Saves never overlap. If a save is in flight when the next one is due, exactly one more save
 *   follows it, with the newest text only (texts scheduled in between are skipped).
 * - A failed save goes to `onError(error, text)`, once. Its text stays pending (`pending()` is true)
 *   and is retried by the next `schedule()` or `flush()`, not in a loop: a full disk is not hammered.
 * - `flush()` saves now whatever is pending (waiting for a save in flight first) and resolves when
 *   that is done. It never rejects: failures go to `onError`.
 *
 * Flushing when the page goes away is the caller's job:
 *
 *     addEventListener('pagehide', () => void autosaver.flush());
 *     document.addEventListener('visibilitychange', () => {
 *       if (document.visibilityState === 'hidden') void autosaver.flush();
 *     });
 *
 * A browser does not wait for promises on `pagehide`: a write started there usually completes
 * (OPFS and IndexedDB writes outlive the page's last task) but is not guaranteed to. `hidden` comes
 * first and has time, which is why both are wired.
 */

export interface AutosaverOptions {
  /** Quiet time after the last edit before saving. Default 400. */
  delayMs?: number;
  /** Longest time an edit waits while edits keep coming. Default 1000; at least `delayMs`. */
  maxWaitMs?: number;
  /** Every failed save, with the text it tried to save. Required: errors are never swallowed. */
  onError: (error: unknown, text: string) => void;
  /** Injected clock for tests; defaults to `Date.now`. */
  now?: () => number;
}

export interface Autosaver {
  schedule(text: string): void;
  flush(): Promise<void>;
  /** True while some text is not saved yet: waiting, being saved, or failed to save. */
  pending(): boolean;
  /** Stops the timer. An in-flight save still finishes; unsaved text is dropped (flush first). */
  dispose(): void;
}

export function createAutosaver(save: (text: string) => Promise<void>, options: AutosaverOptions): Autosaver {
  const delayMs = options.delayMs ?? 400;
  const maxWaitMs = Math.max(options.maxWaitMs ?? 1000, delayMs);
  const now = options.now ?? Date.now;

  /** The newest text not yet saved and not being saved. */
  let dirty: string | undefined;
  /** When the oldest edit in `dirty` was made (for `maxWaitMs`). */
  let dirtySince: number | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> | undefined;
  /** The save of `dirty` is due, but waits for the save in flight. */
  let due = false;
  let disposed = false;

  const clearTimer = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };

  const report = (error: unknown, text: string): void => {
    try {
      options.onError(error, text);
    } catch (e) {
      console.error('autosave: onError threw', e, 'while reporting', error);
    }
  };

  function start(): void {
    const text = dirty as string;
    dirty = undefined;
    dirtySince = undefined;
    due = false;
    // Started from a microtask, so that `inFlight` is set before the save can settle (even if
    // `save` throws synchronously).
    inFlight = Promise.resolve().then(async () => {
      try {
        await save(text);
      } catch (e) {
        // Keep the text unless a newer one is already waiting.
        if (dirty === undefined) {
          dirty = text;
          dirtySince ??= now();
        }
        report(e, text);
      } finally {
        inFlight = undefined;
        if (due && dirty !== undefined && !disposed) start();
      }
    });
  }

  function onTimer(): void {
    timer = undefined;
    if (dirty === undefined) return;
    if (inFlight) due = true;
    else start();
  }

  return {
    schedule(text) {
      if (disposed) throw new Error('autosave: schedule() after dispose()');
      dirty = text;
      const at = now();
      dirtySince ??= at;
      clearTimer();
      const wait = Math.max(0, Math.min(delayMs, dirtySince + maxWaitMs - at));
      timer = setTimeout(onTimer, wait);
    },

    async flush() {
      clearTimer();
      if (dirty !== undefined) {
        if (inFlight) due = true;
        else if (!disposed) start();
      }
      while (inFlight) await inFlight;
    },

    pending() {
      return dirty !== undefined || inFlight !== undefined;
    },

    dispose() {
      disposed = true;
      clearTimer();
    },
  };
}

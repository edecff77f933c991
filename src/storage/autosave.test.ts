import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAutosaver } from './autosave';

/** A save function whose calls stay in flight until the test settles them. */
function controlledSave() {
  const calls: { text: string; at: number; resolve: () => void; reject: (e: unknown) => void }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const save = (text: string): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const done = (): void => void inFlight--;
      calls.push({
        text,
        at: Date.now(),
        resolve: () => (done(), resolve()),
        reject: (e) => (done(), reject(e)),
      });
    });
  return { save, calls, maxInFlight: () => maxInFlight };
}

/** A save function that completes at once and records what it saved. */
function instantSave() {
  const saved: { text: string; at: number }[] = [];
  return { saved, save: async (text: string) => void saved.push({ text, at: Date.now() }) };
}

const noErrors = (error: unknown): void => {
  throw new Error(`unexpected save error: ${String(error)}`);
};

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(0);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createAutosaver', () => {
  it('saves the last text once, delayMs after the last edit', async () => {
    const { saved, save } = instantSave();
    const autosaver = createAutosaver(save, { onError: noErrors });
    autosaver.schedule('a');
    await vi.advanceTimersByTimeAsync(100);
    autosaver.schedule('ab');
    await vi.advanceTimersByTimeAsync(100);
    autosaver.schedule('abc');
    expect(autosaver.pending()).toBe(true);
    await vi.advanceTimersByTimeAsync(399);
    expect(saved).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(saved).toEqual([{ text: 'abc', at: 600 }]);
    expect(autosaver.pending()).toBe(false);
    await vi.advanceTimersByTimeAsync(5000);
    expect(saved).toHaveLength(1);
  });

  it('honours a custom delay', async () => {
    const { saved, save } = instantSave();
    const autosaver = createAutosaver(save, { delayMs: 50, onError: noErrors });
    autosaver.schedule('x');
    await vi.advanceTimersByTimeAsync(50);
    expect(saved).toEqual([{ text: 'x', at: 50 }]);
  });

  it('saves at least once a second while edits keep coming, each time the newest text', async () => {
    const { saved, save } = instantSave();
    const autosaver = createAutosaver(save, { onError: noErrors });
    let lastEditAt = 0;
    for (let i = 1; i <= 30; i++) {
      autosaver.schedule(`v${i}`);
      lastEditAt = Date.now();
      await vi.advanceTimersByTimeAsync(100);
    }
    await vi.advanceTimersByTimeAsync(1000);
    expect(saved.length).toBeGreaterThanOrEqual(3);
    // No gap of more than a second between the first unsaved edit and its save.
    expect(saved[0]?.at).toBeLessThanOrEqual(1000);
    for (let i = 1; i < saved.length; i++) expect((saved[i]?.at ?? 0) - (saved[i - 1]?.at ?? 0)).toBeLessThanOrEqual(1000);
    // Each save carries the text that was newest at that moment, and the last one the final text.
    for (const { text, at } of saved) expect(text).toBe(`v${Math.min(30, Math.floor(at / 100))}`);
    expect(saved.at(-1)?.text).toBe('v30');
    expect((saved.at(-1)?.at ?? 0) - lastEditAt).toBeLessThanOrEqual(1000);
  });

  it('never overlaps saves; after the one in flight, saves once more with the newest text only', async () => {
    const { save, calls, maxInFlight } = controlledSave();
    const autosaver = createAutosaver(save, { onError: noErrors });
    autosaver.schedule('one');
    await vi.advanceTimersByTimeAsync(400);
    expect(calls.map((c) => c.text)).toEqual(['one']);

    autosaver.schedule('two');
    await vi.advanceTimersByTimeAsync(400);
    autosaver.schedule('three');
    await vi.advanceTimersByTimeAsync(400);
    autosaver.schedule('four');
    await vi.advanceTimersByTimeAsync(2000);
    expect(calls.map((c) => c.text)).toEqual(['one']); // still waiting for the first
    expect(autosaver.pending()).toBe(true);

    calls[0]?.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.map((c) => c.text)).toEqual(['one', 'four']);
    calls[1]?.resolve();
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toHaveLength(2);
    expect(maxInFlight()).toBe(1);
    expect(autosaver.pending()).toBe(false);
  });

  it('waits for the debounce, not the end of a save, when the next edit is recent', async () => {
    const { save, calls } = controlledSave();
    const autosaver = createAutosaver(save, { onError: noErrors });
    autosaver.schedule('one');
    await vi.advanceTimersByTimeAsync(400);
    autosaver.schedule('two'); // at 400: due at 800
    await vi.advanceTimersByTimeAsync(100);
    calls[0]?.resolve(); // at 500, before 'two' is due
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(300);
    expect(calls.map((c) => [c.text, c.at])).toEqual([
      ['one', 400],
      ['two', 800],
    ]);
  });

  it('flush() saves at once and resolves when the text is saved', async () => {
    const { save, calls } = controlledSave();
    const autosaver = createAutosaver(save, { onError: noErrors });
    autosaver.schedule('draft');
    let flushed = false;
    const flushing = autosaver.flush().then(() => (flushed = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.map((c) => [c.text, c.at])).toEqual([['draft', 0]]);
    expect(flushed).toBe(false);
    calls[0]?.resolve();
    await flushing;
    expect(autosaver.pending()).toBe(false);
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toHaveLength(1); // the cancelled timer does not save again
  });

  it('flush() waits for the save in flight, then saves the newest text', async () => {
    const { save, calls, maxInFlight } = controlledSave();
    const autosaver = createAutosaver(save, { onError: noErrors });
    autosaver.schedule('one');
    await vi.advanceTimersByTimeAsync(400);
    autosaver.schedule('two');
    autosaver.schedule('three');
    let flushed = false;
    const flushing = autosaver.flush().then(() => (flushed = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.map((c) => c.text)).toEqual(['one']);
    calls[0]?.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.map((c) => c.text)).toEqual(['one', 'three']);
    expect(flushed).toBe(false);
    calls[1]?.resolve();
    await flushing;
    expect(maxInFlight()).toBe(1);
    expect(autosaver.pending()).toBe(false);
  });

  it('flush() with nothing pending resolves at once', async () => {
    const { saved, save } = instantSave();
    const autosaver = createAutosaver(save, { onError: noErrors });
    await autosaver.flush();
    expect(saved).toEqual([]);
  });

  it('reports a failed save through onError once, keeps the text pending, and retries on flush', async () => {
    const { save, calls } = controlledSave();
    const onError = vi.fn();
    const autosaver = createAutosaver(save, { onError });
    autosaver.schedule('precious');
    await vi.advanceTimersByTimeAsync(400);
    const failure = new DOMException('full', 'QuotaExceededError');
    calls[0]?.reject(failure);
    await vi.advanceTimersByTimeAsync(0);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledWith(failure, 'precious');
    expect(autosaver.pending()).toBe(true);

    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toHaveLength(1); // no retry loop

    const flushing = autosaver.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.map((c) => c.text)).toEqual(['precious', 'precious']);
    calls[1]?.resolve();
    await flushing;
    expect(autosaver.pending()).toBe(false);
    expect(onError).toHaveBeenCalledTimes(1);
  });

  it('after a failure, a newer edit replaces the failed text', async () => {
    const { save, calls } = controlledSave();
    const onError = vi.fn();
    const autosaver = createAutosaver(save, { onError });
    autosaver.schedule('old');
    await vi.advanceTimersByTimeAsync(400);
    autosaver.schedule('new'); // arrives while 'old' is being saved
    calls[0]?.reject(new Error('disk'));
    await vi.advanceTimersByTimeAsync(400);
    expect(calls.map((c) => c.text)).toEqual(['old', 'new']);
    expect(onError).toHaveBeenCalledWith(new Error('disk'), 'old');
    calls[1]?.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(autosaver.pending()).toBe(false);
  });

  it('reports a save that throws synchronously, and flush() still terminates', async () => {
    const onError = vi.fn();
    const autosaver = createAutosaver(
      () => {
        throw new Error('sync');
      },
      { onError },
    );
    autosaver.schedule('x');
    await autosaver.flush();
    expect(onError).toHaveBeenCalledWith(new Error('sync'), 'x');
    expect(autosaver.pending()).toBe(true);
    await autosaver.flush();
    expect(onError).toHaveBeenCalledTimes(2);
  });

  it('dispose() cancels the timer; schedule() afterwards is a programming error', async () => {
    const { saved, save } = instantSave();
    const autosaver = createAutosaver(save, { onError: noErrors });
    autosaver.schedule('x');
    autosaver.dispose();
    await vi.advanceTimersByTimeAsync(5000);
    expect(saved).toEqual([]);
    expect(() => autosaver.schedule('y')).toThrow(/dispose/);
  });
});

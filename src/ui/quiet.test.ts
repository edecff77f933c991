import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { whenQuiet } from './quiet';

describe('whenQuiet', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] }));
  afterEach(() => vi.useRealTimers());

  it('waits until the page has been idle for the whole quiet time', async () => {
    const busyUntil = 2_000;
    let resolvedAt: number | undefined;
    void whenQuiet(() => performance.now() < busyUntil, 3_000, 500).then(() => (resolvedAt = performance.now()));
    await vi.advanceTimersByTimeAsync(4_500);
    expect(resolvedAt).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(resolvedAt).toBe(5_000);
  });

  it('starts the quiet time over when work starts again', async () => {
    const busyAt = new Set([1_500, 4_000]);
    let resolvedAt: number | undefined;
    void whenQuiet(() => busyAt.has(performance.now()), 3_000, 500).then(() => (resolvedAt = performance.now()));
    await vi.advanceTimersByTimeAsync(7_000);
    expect(resolvedAt).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(resolvedAt).toBe(7_500);
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, limitsFor } from './limits';

describe('limitsFor', () => {
  it('uses the defaults: 30 s and 1 GiB', () => {
    expect(limitsFor({})).toEqual({ timeoutMs: 30_000, memoryBytes: 1024 ** 3 });
    expect(limitsFor({})).toEqual(DEFAULT_LIMITS);
  });

  it('reads timeout= in seconds or with a unit, and memory= in megabytes or gigabytes', () => {
    expect(limitsFor({ timeout: '2' }).timeoutMs).toBe(2000);
    expect(limitsFor({ timeout: '1.5m' }).timeoutMs).toBe(90_000);
    expect(limitsFor({ timeout: '250ms' }).timeoutMs).toBe(250);
    expect(limitsFor({ memory: '512' }).memoryBytes).toBe(512 * 1024 ** 2);
    expect(limitsFor({ memory: '2GB' }).memoryBytes).toBe(2 * 1024 ** 3);
  });

  it('refuses values it cannot read instead of ignoring them', () => {
    expect(() => limitsFor({ timeout: 'soon' })).toThrow(/timeout=soon is not a time limit/);
    expect(() => limitsFor({ timeout: '0' })).toThrow(/not a time limit/);
    expect(() => limitsFor({ memory: '-5' })).toThrow(/memory=-5 is not a memory limit/);
    expect(() => limitsFor({ memory: '0.1' })).toThrow(/not a memory limit/);
  });
});

import { describe, expect, it } from 'vitest';
// Arrow's own, compiled with `new Function`: the replacement must agree with it.
import { createIsValidFunction as arrows } from 'apache-arrow/builder/valid';
import { createIsValidFunction } from './arrow-is-valid';

describe('createIsValidFunction without eval', () => {
  it.each([
    ['null', [null]],
    ['null and undefined', [null, undefined]],
    ['NaN, a string, zero', [NaN, 'N/A', 0]],
    ['a bigint and a number', [1n, -1]],
    ['nothing', []],
  ])('agrees with Arrow’s for %s', (_label, nullValues) => {
    const ours = createIsValidFunction(nullValues);
    const theirs = arrows(nullValues as never) as (value: unknown) => boolean;
    for (const value of [null, undefined, NaN, 'N/A', 'x', 0, -0, 1, -1, 1n, 2n, '', false]) {
      expect(ours(value), `value ${String(value)}`).toBe(theirs(value));
    }
  });
});

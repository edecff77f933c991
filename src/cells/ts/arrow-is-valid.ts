/**
 * apache-arrow's `createIsValidFunction` (builder/valid.mjs) without `new Function`: vite.config.ts
 * aliases Arrow's module here. The app's Content-Security-Policy forbids eval in the page and in ts
 * cells' workers (they inherit it), and Arrow's builders (`vectorFromArray`, `tableFromArrays` on plain
 * arrays) would otherwise compile their null check from a string and fail with an EvalError.
 * Same semantics: a value is invalid (null) when it equals one of `nullValues`, NaN included.
 */
export function createIsValidFunction(nullValues: readonly unknown[] | null | undefined): (value: unknown) => boolean {
  if (!nullValues || nullValues.length <= 0) return () => true;
  const matchesNaN = nullValues.some((x) => x !== x);
  const nulls = new Set(nullValues.filter((x) => x === x));
  return (value) => !(nulls.has(value) || (matchesNaN && value !== value));
}

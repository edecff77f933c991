/** JSON values as they appear in expectation kwargs and in validation results. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Python's ordering of the values GE sorts (`sorted(..., key=lambda x: (-count, value))`): numbers by
 * value, strings by code point (not UTF-16 unit, which is what `<` on JS strings compares), tuples
 * element by element. Mixed kinds are not comparable in Python; they are ordered by kind here.
 */
export function comparePython(a: JsonValue, b: JsonValue): number {
  const rank = (v: JsonValue): number => (v === null ? 0 : typeof v === 'boolean' || typeof v === 'number' ? 1 : typeof v === 'string' ? 2 : Array.isArray(v) ? 3 : 4);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 1) return Number(a) - Number(b);
  if (ra === 2) return compareCodePoints(a as string, b as string);
  if (ra === 3) {
    const la = a as JsonValue[];
    const lb = b as JsonValue[];
    for (let i = 0; i < Math.min(la.length, lb.length); i++) {
      const c = comparePython(la[i] ?? null, lb[i] ?? null);
      if (c !== 0) return c;
    }
    return la.length - lb.length;
  }
  return 0;
}

function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

/** A stable key for counting equal values (GE's `Counter` over the partial list). */
export function valueKey(value: JsonValue): string {
  return JSON.stringify(value);
}

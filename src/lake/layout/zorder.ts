/**
 * Z-order (Morton order) keys: each column's value is mapped to an unsigned integer of `bits` bits,
 * and the bits of the 2–4 columns are interleaved into one 64-bit key, column 0 holding the most
 * significant bit of each group. Sorting by the key keeps rows that are close in *every* column close
 * in the file, so a row group's min/max range is narrow in all of them and a reader can skip it for a
 * range predicate on any subset of the columns.
 *
 * The per-column integer is a dense rank of the value within the partition (ties share a rank, NULLs
 * last), scaled to the full `bits` range. Ranks rather than min/max scaling: a skewed column (a few
 * huge amounts, most small) would otherwise crowd nearly every row into the same few key values.
 * It costs one window sort per column, bounded by the partition being written.
 */

export const MIN_ZORDER_COLUMNS = 2;
export const MAX_ZORDER_COLUMNS = 4;

/** Bits per column so that `k` columns fill at most 64 bits: 32, 21, 16. */
export function bitsPerColumn(columns: number): number {
  if (!Number.isInteger(columns) || columns < MIN_ZORDER_COLUMNS || columns > MAX_ZORDER_COLUMNS) {
    throw new RangeError(`Z-order takes ${MIN_ZORDER_COLUMNS} to ${MAX_ZORDER_COLUMNS} columns, not ${columns}.`);
  }
  return Math.floor(64 / columns);
}

/** Reference implementation: interleaves the low `bits` bits of each value (column 0 most significant). */
export function interleave(values: readonly bigint[], bits = bitsPerColumn(values.length)): bigint {
  const k = values.length;
  let key = 0n;
  for (let b = bits - 1; b >= 0; b--) {
    for (let i = 0; i < k; i++) {
      key = (key << 1n) | ((values[i]! >> BigInt(b)) & 1n);
    }
  }
  return key;
}

interface SpreadStep {
  /** How far the moving bits go. */
  shift: number;
  /** Where every bit is after the step. */
  mask: bigint;
}

/**
 * The shift-and-mask steps that move bit j of a `bits`-bit value to bit j·k (the classic
 * "part1by1"/"part1by2" magic numbers, derived for any k). Each step halves the group size g and moves
 * the upper half of every group up by g·(k−1).
 */
export function spreadSteps(bits: number, k: number): SpreadStep[] {
  let group = 1;
  while (group < bits) group *= 2;
  const steps: SpreadStep[] = [];
  for (let g = group / 2; g >= 1; g /= 2) {
    let mask = 0n;
    for (let j = 0; j < bits; j++) mask |= 1n << BigInt(Math.floor(j / g) * g * k + (j % g));
    steps.push({ shift: g * (k - 1), mask });
  }
  return steps;
}

/** The same spreading as `spreadSteps`, in BigInt, for tests and for checking the SQL. */
export function spreadBits(value: bigint, bits: number, k: number): bigint {
  let x = value & ((1n << BigInt(bits)) - 1n);
  for (const { shift, mask } of spreadSteps(bits, k)) {
    x = (x | ((x << BigInt(shift)) & ((1n << 64n) - 1n))) & mask;
  }
  return x;
}

const U64 = (v: bigint) => `${v.toString()}::UBIGINT`;

/**
 * A query over `source` that adds `keyAlias`: the interleaved bits of `columns` (column names in
 * `source` holding UBIGINTs below 2^bits). Each spreading step is its own `SELECT * REPLACE` layer:
 * written as one expression, `(x | x << s) & m` would repeat x at every step and DuckDB would
 * compute it 2^steps times. DuckDB also checks `<<` for overflow where C wraps around, so each shift
 * first drops the bits that would leave the 64 (they would be masked away afterwards anyway).
 */
export function interleaveSelect(source: string, columns: readonly string[], keyAlias: string): string {
  const k = columns.length;
  const bits = bitsPerColumn(k);
  let sql = `SELECT * REPLACE (${columns.map((c) => `CAST(${c} AS UBIGINT) AS ${c}`).join(', ')}) FROM (${source})`;
  for (const { shift, mask } of spreadSteps(bits, k)) {
    const keep = (1n << BigInt(64 - shift)) - 1n;
    const replaced = columns.map((c) => `(${c} | ((${c} & ${U64(keep)}) << ${shift})) & ${U64(mask)} AS ${c}`);
    sql = `SELECT * REPLACE (${replaced.join(', ')}) FROM (${sql})`;
  }
  const key = columns.map((c, i) => (k - 1 - i === 0 ? c : `(${c} << ${k - 1 - i})`)).join(' | ');
  return `SELECT *, ${key} AS ${keyAlias} FROM (${sql})`;
}

/**
 * A query over `source` that adds the Z-order key as column `keyAlias`. `partitionBy` (SQL
 * expressions, possibly none) scopes the ranks, so each output file uses all the bits for its own rows.
 * `columns` are quoted identifiers (or expressions) present in `source`.
 */
export function zorderKeySelect(options: {
  source: string;
  columns: readonly string[];
  partitionBy?: readonly string[];
  keyAlias: string;
}): string {
  const { source, columns, keyAlias } = options;
  const k = columns.length;
  const bits = bitsPerColumn(k);
  const over = (order: string) =>
    `OVER (${options.partitionBy && options.partitionBy.length > 0 ? `PARTITION BY ${options.partitionBy.join(', ')} ` : ''}${order})`;
  const top = (1n << BigInt(bits)) - 1n;
  const ranks = columns.map((c, i) => `dense_rank() ${over(`ORDER BY ${c} ASC NULLS LAST`)} AS __lb_zr${i}`).join(', ');
  const counts = columns.map((_, i) => `max(__lb_zr${i}) ${over('')} AS __lb_zn${i}`).join(', ');
  // rank 1..n → 0..2^bits−1; a single distinct value maps to 0.
  const scaled = columns.map((_, i) =>
    `CASE WHEN __lb_zn${i} <= 1 THEN 0::UBIGINT ELSE CAST(floor((__lb_zr${i} - 1) * ${top.toString()}::DOUBLE / (__lb_zn${i} - 1)) AS UBIGINT) END AS __lb_zs${i}`,
  );
  const helpers = columns.flatMap((_, i) => [`__lb_zr${i}`, `__lb_zn${i}`, `__lb_zs${i}`]).join(', ');
  const ranked = `SELECT *, ${ranks} FROM (${source})`;
  const counted = `SELECT *, ${counts} FROM (${ranked})`;
  const withScaled = `SELECT *, ${scaled.join(', ')} FROM (${counted})`;
  const keyed = interleaveSelect(withScaled, columns.map((_, i) => `__lb_zs${i}`), keyAlias);
  return `SELECT * EXCLUDE (${helpers}) FROM (${keyed})`;
}

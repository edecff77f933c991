import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../engine/node-engine';
import type { LakebookEngine } from '../../engine/lakebook-engine';
import { bitsPerColumn, interleave, interleaveSelect, spreadBits, zorderKeySelect } from './zorder';

/** Deterministic pseudo-random 64-bit values (xorshift), so failures reproduce. */
function* randoms(seed: bigint): Generator<bigint> {
  let x = seed;
  const mask = (1n << 64n) - 1n;
  for (;;) {
    x ^= (x << 13n) & mask;
    x ^= x >> 7n;
    x ^= (x << 17n) & mask;
    yield x;
  }
}

function naiveSpread(value: bigint, bits: number, k: number): bigint {
  let out = 0n;
  for (let j = 0; j < bits; j++) if ((value >> BigInt(j)) & 1n) out |= 1n << BigInt(j * k);
  return out;
}

describe('z-order keys', () => {
  it('gives 32, 21 and 16 bits per column for 2, 3 and 4 columns, and refuses 1 or 5', () => {
    expect([2, 3, 4].map(bitsPerColumn)).toEqual([32, 21, 16]);
    expect(() => bitsPerColumn(1)).toThrow(/2 to 4/);
    expect(() => bitsPerColumn(5)).toThrow(/2 to 4/);
  });

  it('interleaves bits with column 0 most significant', () => {
    // x = 0b11, y = 0b01 with 2 bits each: x1 y1 x0 y0 = 1 0 1 1
    expect(interleave([0b11n, 0b01n], 2)).toBe(0b1011n);
    expect(interleave([0n, (1n << 32n) - 1n])).toBe(0x5555555555555555n);
    expect(interleave([(1n << 32n) - 1n, 0n])).toBe(0xaaaaaaaaaaaaaaaan);
  });

  it('spreads bits with the shift-and-mask steps exactly as the bit-by-bit definition', () => {
    const random = randoms(0x9e3779b97f4a7c15n);
    for (const k of [2, 3, 4]) {
      const bits = bitsPerColumn(k);
      for (let n = 0; n < 500; n++) {
        const v = random.next().value & ((1n << BigInt(bits)) - 1n);
        expect(spreadBits(v, bits, k)).toBe(naiveSpread(v, bits, k));
      }
      const all = (1n << BigInt(bits)) - 1n;
      expect(spreadBits(all, bits, k)).toBe(naiveSpread(all, bits, k));
    }
  });

  describe('in DuckDB', () => {
    let engine: LakebookEngine;
    beforeAll(async () => {
      engine = createNodeEngine();
      await engine.ready();
    });
    afterAll(() => engine.close());

    it('computes the same key in SQL as the reference, for 2, 3 and 4 columns, extreme values included', async () => {
      const random = randoms(42n);
      for (const k of [2, 3, 4]) {
        const bits = bitsPerColumn(k);
        const top = (1n << BigInt(bits)) - 1n;
        const rows: bigint[][] = [Array(k).fill(top), Array(k).fill(0n), Array.from({ length: k }, (_, i) => (i % 2 ? top : 0n))];
        for (let n = 0; n < 40; n++) rows.push(Array.from({ length: k }, () => random.next().value & top));
        const columns = Array.from({ length: k }, (_, i) => `c${i}`);
        const values = rows.map((r, n) => `(${n}, ${r.map((v) => `${v}::UBIGINT`).join(', ')})`).join(', ');
        const source = `SELECT * FROM (VALUES ${values}) t(n, ${columns.join(', ')})`;
        const sql = `SELECT key::VARCHAR AS key FROM (${interleaveSelect(source, columns, 'key')}) ORDER BY n`;
        const got = (await engine.query(sql)).toArray().map((r) => BigInt(String(r.key)));
        expect(got).toEqual(rows.map((r) => interleave(r)));
      }
    });

    it('ranks each column within its partition, NULLs last, and interleaves the scaled ranks', async () => {
      const source = `SELECT * FROM (VALUES ('a', 10, 1.5), ('a', 20, 0.5), ('a', NULL, 2.5), ('b', 7, 9.0), ('b', 7, 1.0)) t(p, x, y)`;
      const sql = zorderKeySelect({ source, columns: ['x', 'y'], partitionBy: ['p'], keyAlias: 'zk' });
      const rows = (await engine.query(`SELECT p, x, y, zk::VARCHAR AS zk FROM (${sql}) ORDER BY p, y`)).toArray();
      const top = (1n << 32n) - 1n;
      // Partition a: x ranks 10→1, 20→2, NULL→3 (of 3): scaled 0, top/2, top; y ranks 0.5→1, 1.5→2, 2.5→3.
      const half = top >> 1n; // floor(1 · top / 2)
      expect(rows.map((r) => [r.p, BigInt(String(r.zk))])).toEqual([
        ['a', interleave([half, 0n])],
        ['a', interleave([0n, half])],
        ['a', interleave([top, top])],
        // Partition b: x has one distinct value (scaled 0); y ranks 1.0→1, 9.0→2 of 2.
        ['b', interleave([0n, 0n])],
        ['b', interleave([0n, top])],
      ]);
    });
  });
});

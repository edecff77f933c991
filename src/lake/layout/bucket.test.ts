import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../engine/node-engine';
import type { LakebookEngine } from '../../engine/lakebook-engine';
import { bucketOfDigest, bucketSql } from './bucket';

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

describe('hash buckets', () => {
  let engine: LakebookEngine;
  beforeAll(async () => {
    engine = createNodeEngine();
    await engine.ready();
  });
  afterAll(() => engine.close());

  it('are pinned: the same values land in the same buckets in every version', async () => {
    // If this test fails, exports made by an earlier version disagree with this one: do not "fix" the numbers.
    const sql = `SELECT v, ${bucketSql('v', 10)} AS b FROM (VALUES ('abc'), ('customer-1'), ('héllo'), (''), (NULL)) t(v)`;
    const rows = (await engine.query(sql)).toArray().map((r) => [r.v, r.b]);
    expect(rows).toEqual([
      ['abc', Number(BigInt('0x900150983cd24fb0') % 10n)],
      ['customer-1', bucketOfDigest(md5('customer-1'), 10)],
      ['héllo', bucketOfDigest(md5('héllo'), 10)],
      ['', bucketOfDigest(md5(''), 10)],
      [null, 0],
    ]);
    expect(rows.map((r) => r[1])).toEqual([2, 3, 7, 8, 0]);
  });

  it('agree with an independent MD5 for integers, dates and strings (DuckDB text form)', async () => {
    const sql = `SELECT CAST(v AS VARCHAR) AS t, ${bucketSql('v', 7)} AS b FROM (
      SELECT range::BIGINT AS v FROM range(-50, 300)) UNION ALL
      SELECT CAST(d AS VARCHAR), ${bucketSql('d', 7)} FROM (SELECT DATE '2024-01-01' + range::INTEGER AS d FROM range(60))`;
    const rows = (await engine.query(sql)).toArray();
    expect(rows.length).toBe(410);
    for (const r of rows) expect(r.b).toBe(bucketOfDigest(md5(String(r.t)), 7));
  });

  it('spread a uniform key evenly', async () => {
    const rows = (await engine.query(
      `SELECT ${bucketSql('c', 10)} AS b, count(*)::INTEGER AS n FROM (SELECT range AS c FROM range(100000)) GROUP BY b ORDER BY b`,
    )).toArray();
    expect(rows.map((r) => r.b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const r of rows) expect(Math.abs(Number(r.n) - 10_000)).toBeLessThan(500);
  });

  it('refuses 0, negative, fractional and absurd bucket counts', () => {
    for (const n of [0, -1, 2.5, 10_001]) expect(() => bucketSql('x', n)).toThrow(/number of buckets/);
  });
});

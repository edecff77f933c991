import { describe, expect, it } from 'vitest';
import { computeColumnWindow, computeViewport, pagesFor } from './viewport';

describe('computeViewport', () => {
  it('maps scroll to rows one to one for small results', () => {
    const v = computeViewport(1000, 20, 200, 100, 0);
    expect([v.firstRow, v.lastRow, v.bodyHeight, v.top(10)]).toEqual([10, 15, 20_000, 200]);
  });
  it('clamps at the ends', () => {
    const v = computeViewport(3, 20, 0, 400, 5);
    expect([v.firstRow, v.lastRow]).toEqual([0, 2]);
  });
  it('scales huge results so the last row is reachable', () => {
    const rows = 10_000_000;
    const viewport = 400;
    const end = computeViewport(rows, 24, 8_000_000 - viewport, viewport, 0);
    expect(end.lastRow).toBe(rows - 1);
    expect(end.top(end.lastRow) + 24).toBeLessThanOrEqual(8_000_000 + 24);
    const start = computeViewport(rows, 24, 0, viewport, 0);
    expect(start.firstRow).toBe(0);
    const middle = computeViewport(rows, 24, (8_000_000 - viewport) / 2, viewport, 0);
    expect(Math.abs(middle.firstRow - rows / 2)).toBeLessThan(100);
  });
});

describe('pagesFor', () => {
  it('lists the pages a row range touches', () => {
    expect(pagesFor(150, 450, 200)).toEqual([0, 1, 2]);
    expect(pagesFor(5, 4, 200)).toEqual([]);
  });
});

describe('computeColumnWindow', () => {
  it('draws every column of a narrow result', () => {
    expect(computeColumnWindow([100, 100, 100], 0, 1000)).toEqual({ first: 0, last: 2, before: 0, after: 0 });
  });
  it('draws only the columns in view of a 10,000-column result, with spacers for the rest', () => {
    const widths = Array.from({ length: 10_000 }, () => 100);
    const w = computeColumnWindow(widths, 500_000, 800, 2);
    expect([w.first, w.last]).toEqual([4998, 5009]);
    expect(w.before).toBe(4998 * 100);
    expect(w.after).toBe((10_000 - 5010) * 100);
    expect(w.before + w.after + (w.last - w.first + 1) * 100).toBe(1_000_000);
  });
  it('clamps a scroll position past the end', () => {
    const w = computeColumnWindow([50, 50, 50, 50], 10_000, 100, 1);
    expect(w.last).toBe(3);
    expect(w.after).toBe(0);
  });
  it('handles an empty column list', () => {
    expect(computeColumnWindow([], 0, 100)).toEqual({ first: 0, last: -1, before: 0, after: 0 });
  });
});

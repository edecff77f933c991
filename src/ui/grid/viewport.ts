/**
 * Which rows of a virtualized grid are visible, and where each is drawn. Browsers cap an
 * element's height (~33M px in Chromium), so past `maxHeight` the scroll range is scaled: the
 * scrollbar maps proportionally onto rows and the visible rows are drawn at the scroll position.
 */
export interface Viewport {
  firstRow: number;
  lastRow: number;
  /** Height of the scrollable body. */
  bodyHeight: number;
  /** Top offset, inside the body, of the row `index`. */
  top(index: number): number;
}

export const MAX_BODY_HEIGHT = 8_000_000;

export function computeViewport(
  rowCount: number,
  rowHeight: number,
  scrollTop: number,
  viewportHeight: number,
  overscan = 5,
  maxHeight = MAX_BODY_HEIGHT,
): Viewport {
  const natural = rowCount * rowHeight;
  const visibleCount = Math.max(1, Math.ceil(viewportHeight / rowHeight));
  if (natural <= maxHeight) {
    const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
    const last = Math.min(rowCount - 1, Math.floor((scrollTop + viewportHeight) / rowHeight) + overscan);
    return { firstRow: first, lastRow: last, bodyHeight: natural, top: (i) => i * rowHeight };
  }
  const scrollRange = Math.max(1, maxHeight - viewportHeight);
  const ratio = Math.min(1, Math.max(0, scrollTop / scrollRange));
  const anchor = Math.round(ratio * Math.max(0, rowCount - visibleCount));
  const first = Math.max(0, anchor - overscan);
  const last = Math.min(rowCount - 1, anchor + visibleCount + overscan);
  return {
    firstRow: first,
    lastRow: last,
    bodyHeight: maxHeight,
    top: (i) => scrollTop + (i - anchor) * rowHeight,
  };
}

/** Page indexes covering rows [first, last]. */
export function pagesFor(first: number, last: number, pageSize: number): number[] {
  if (last < first) return [];
  const pages: number[] = [];
  for (let p = Math.floor(first / pageSize); p <= Math.floor(last / pageSize); p++) pages.push(p);
  return pages;
}

/** The columns of a grid that are in view (plus `overscan` on each side), and the space left of and right of them. */
export interface ColumnWindow {
  first: number;
  last: number;
  /** Width of the columns before `first`, drawn as one spacer. */
  before: number;
  /** Width of the columns after `last`. */
  after: number;
}

/**
 * Horizontal virtualization: a result of 10,000 columns draws only the few in view. `widths` are the
 * column widths in px, `scrollLeft` and `viewportWidth` measured past the fixed row-number column.
 */
export function computeColumnWindow(widths: readonly number[], scrollLeft: number, viewportWidth: number, overscan = 3): ColumnWindow {
  const n = widths.length;
  if (n === 0) return { first: 0, last: -1, before: 0, after: 0 };
  let x = 0;
  let first = n - 1;
  for (let i = 0; i < n; i++) {
    if (x + widths[i]! > scrollLeft) {
      first = i;
      break;
    }
    x += widths[i]!;
  }
  let last = first;
  let right = x + widths[first]!;
  while (last < n - 1 && right < scrollLeft + viewportWidth) {
    last++;
    right += widths[last]!;
  }
  first = Math.max(0, first - overscan);
  last = Math.min(n - 1, last + overscan);
  let before = 0;
  for (let i = 0; i < first; i++) before += widths[i]!;
  let after = 0;
  for (let i = last + 1; i < n; i++) after += widths[i]!;
  return { first, last, before, after };
}

/** Blocks of `blockSize` columns covering columns [first, last]. */
export function columnBlocksFor(first: number, last: number, blockSize: number): number[] {
  return pagesFor(first, last, blockSize);
}

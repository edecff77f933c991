/**
 * Cell ids (STYLE: marimo's branded ids). A `CellId` is a plain string at runtime, branded so that
 * arbitrary strings cannot be passed where an id is expected. Ids live in the app only: opening a
 * file assigns fresh ones and nothing is written back into the text (DESIGN §3).
 */
declare const cellIdBrand: unique symbol;

export type CellId = string & { readonly [cellIdBrand]: 'CellId' };

/** The DOM id of a cell's element (marimo's `HTMLCellId`). */
export type HTMLCellId = `cell-${CellId}`;

function randomHex(bytes: number): string {
  const buffer = new Uint8Array(bytes);
  // getRandomValues works in Node ≥ 19 and in every browser context (randomUUID needs a secure context).
  if (typeof globalThis.crypto?.getRandomValues === 'function') {
    globalThis.crypto.getRandomValues(buffer);
  } else {
    for (let i = 0; i < buffer.length; i++) buffer[i] = Math.floor(Math.random() * 256);
  }
  return Array.from(buffer, (b) => b.toString(16).padStart(2, '0')).join('');
}

export const CellId = {
  /** A fresh random id (64 bits: unique for any realistic session). */
  create(): CellId {
    return randomHex(8) as CellId;
  },
  /** Brands an existing string (e.g. read back from app storage). */
  of(value: string): CellId {
    if (value === '') throw new RangeError('A CellId cannot be empty');
    return value as CellId;
  },
  toHTMLId(id: CellId): HTMLCellId {
    return `cell-${id}`;
  },
} as const;

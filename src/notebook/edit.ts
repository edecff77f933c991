/**
 * Pure edits: each returns a new document and leaves its argument untouched. Ids are kept; the
 * bytes of blocks that an edit does not concern are kept too (see serializeNotebook).
 *
 * Indexes are positions in `doc.blocks` (prose and cells alike; front matter is not a block).
 * Blank lines between blocks are positional (model.ts): a block inserted in the middle gets one
 * blank line after it; a block appended at the end is separated by a blank line and the file keeps
 * its trailing blank lines; removing the last block hands its trailing blank lines to the new last.
 */
import { assertValidAttributes } from './info-string';
import type { Block, CellBlock, CellSpec, NotebookDocument } from './model';
import { createCell, nameOf } from './model';
import type { CellId } from './ids';

export function findBlockIndex(doc: NotebookDocument, id: CellId): number {
  return doc.blocks.findIndex((b) => b.id === id);
}

function indexOf(doc: NotebookDocument, id: CellId): number {
  const index = findBlockIndex(doc, id);
  if (index === -1) throw new RangeError(`No block with id ${id} in this notebook`);
  return index;
}

function cellAt(doc: NotebookDocument, id: CellId): { index: number; cell: CellBlock } {
  const index = indexOf(doc, id);
  const cell = doc.blocks[index];
  if (cell?.type !== 'cell') throw new RangeError(`Block ${id} is prose, not a cell`);
  return { index, cell };
}

function replaceAt(doc: NotebookDocument, index: number, block: Block): NotebookDocument {
  return { ...doc, blocks: doc.blocks.map((b, i) => (i === index ? block : b)) };
}

export function updateCellSource(doc: NotebookDocument, id: CellId, source: string): NotebookDocument {
  const { index, cell } = cellAt(doc, id);
  if (cell.source === source) return doc;
  return replaceAt(doc, index, { ...cell, source });
}

/**
 * Replaces a cell's attributes (the whole record). Keys already in the info string keep their place;
 * new keys go last, in the record's order. Throws a RangeError for a key with spaces, quotes,
 * backticks or `=`, or a value with a line break.
 */
export function updateCellAttributes(
  doc: NotebookDocument,
  id: CellId,
  attributes: Readonly<Record<string, string>>,
): NotebookDocument {
  assertValidAttributes(attributes);
  const { index, cell } = cellAt(doc, id);
  const oldKeys = Object.keys(cell.attributes).filter((k) => Object.hasOwn(attributes, k));
  const newKeys = Object.keys(attributes).filter((k) => !Object.hasOwn(cell.attributes, k));
  const next = Object.fromEntries([...oldKeys, ...newKeys].map((k) => [k, attributes[k] ?? '']));
  const same =
    newKeys.length === 0 &&
    oldKeys.length === Object.keys(cell.attributes).length &&
    oldKeys.every((k) => cell.attributes[k] === next[k]);
  if (same) return doc;
  return replaceAt(doc, index, { ...cell, attributes: next, name: nameOf(next) });
}

/** Inserts a new cell so that it ends up at `doc.blocks[index]` (0 ≤ index ≤ blocks.length). */
export function insertCell(doc: NotebookDocument, index: number, spec: CellSpec): NotebookDocument {
  return insertBlock(doc, index, createCell(spec));
}

/** Removes a block (cell or prose). */
export function removeCell(doc: NotebookDocument, id: CellId): NotebookDocument {
  return removeAt(doc, indexOf(doc, id));
}

/** Moves a block (cell or prose) so that it ends up at `doc.blocks[toIndex]`. */
export function moveCell(doc: NotebookDocument, id: CellId, toIndex: number): NotebookDocument {
  const from = indexOf(doc, id);
  checkIndex(toIndex, doc.blocks.length - 1);
  if (from === toIndex) return doc;
  return insertBlock(removeAt(doc, from), toIndex, doc.blocks[from] as Block);
}

function checkIndex(index: number, max: number): void {
  if (!Number.isInteger(index) || index < 0 || index > max) {
    throw new RangeError(`Index ${index} is outside 0…${max}`);
  }
}

function insertBlock(doc: NotebookDocument, index: number, block: Block): NotebookDocument {
  const blocks = doc.blocks;
  checkIndex(index, blocks.length);
  if (index < blocks.length) {
    const inserted = { ...block, gap: doc.lineEnding };
    return { ...doc, blocks: [...blocks.slice(0, index), inserted, ...blocks.slice(index)] };
  }
  // Appending: the file's trailing blank lines stay at the end; a blank line separates the new block.
  const previous = blocks[blocks.length - 1];
  const trailing = previous?.gap ?? doc.frontMatter?.gap;
  if (trailing === undefined) return { ...doc, blocks: [{ ...block, gap: '' }] };
  const separator = trailing === '' ? doc.lineEnding : trailing;
  const appended = { ...block, gap: trailing };
  if (previous === undefined) {
    return { ...doc, frontMatter: doc.frontMatter && { ...doc.frontMatter, gap: separator }, blocks: [appended] };
  }
  return { ...doc, blocks: [...blocks.slice(0, -1), { ...previous, gap: separator }, appended] };
}

function removeAt(doc: NotebookDocument, index: number): NotebookDocument {
  const blocks = doc.blocks;
  const removed = blocks[index] as Block;
  const rest = blocks.filter((_, i) => i !== index);
  if (index < blocks.length - 1) return { ...doc, blocks: rest };
  // Removing the last block: the one before it (or the front matter) takes over the trailing blank lines.
  const previous = rest[rest.length - 1];
  if (previous !== undefined) return { ...doc, blocks: [...rest.slice(0, -1), { ...previous, gap: removed.gap }] };
  return { ...doc, frontMatter: doc.frontMatter && { ...doc.frontMatter, gap: removed.gap }, blocks: rest };
}

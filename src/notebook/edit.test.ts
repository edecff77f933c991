import { describe, expect, it } from 'vitest';
import {
  insertCell,
  moveCell,
  parseNotebook,
  removeCell,
  serializeNotebook,
  serializeNotebookWithSpans,
  updateCellAttributes,
  updateCellSource,
} from './format';
import type { Block, CellBlock, NotebookDocument } from './model';
import { createNotebook } from './model';
import { cellFacts, loadFixtures } from './test-fixtures';

const fixtures = loadFixtures();
const NEW = { kind: 'sql', source: 'SELECT 2', attributes: { name: 'fresh' } };
const newFacts = { kind: 'sql', name: 'fresh', attributes: { name: 'fresh' }, source: 'SELECT 2' };
const cellsOf = (blocks: readonly Block[]) => blocks.filter((b): b is CellBlock => b.type === 'cell');
const factsOf = (blocks: readonly Block[]) => cellFacts({ ...createNotebook(), blocks: [...blocks] });
const reparse = (doc: NotebookDocument) => parseNotebook(serializeNotebook(doc));

describe.each(fixtures)('$name', ({ text }) => {
  const doc = parseNotebook(text);
  const n = doc.blocks.length;
  const before = serializeNotebookWithSpans(doc);

  it('inserts a cell at every index; removing it again restores the bytes', () => {
    for (let index = 0; index <= n; index++) {
      const inserted = insertCell(doc, index, NEW);
      const cell = inserted.blocks[index];
      expect(cell).toMatchObject({ type: 'cell', ...newFacts, origin: undefined });
      expect(inserted.blocks.filter((b) => b !== cell).map((b) => b.id)).toEqual(doc.blocks.map((b) => b.id));
      const expected = [...doc.blocks.slice(0, index), cell as Block, ...doc.blocks.slice(index)];
      expect(cellFacts(reparse(inserted))).toEqual(factsOf(expected));
      const out = serializeNotebook(inserted);
      if (index < n) {
        const at = before.blocks[index]!.start;
        expect(out.startsWith(before.text.slice(0, at))).toBe(true);
        expect(out.endsWith(before.text.slice(at))).toBe(true);
      }
      expect(serializeNotebook(removeCell(inserted, cell!.id))).toBe(text);
    }
  });

  it('removes every block, leaving the other cells intact', () => {
    doc.blocks.forEach((block, index) => {
      const removed = removeCell(doc, block.id);
      expect(removed.blocks.map((b) => b.id)).toEqual(doc.blocks.filter((b) => b !== block).map((b) => b.id));
      expect(cellFacts(reparse(removed))).toEqual(factsOf(doc.blocks.filter((_, i) => i !== index)));
    });
  });

  it('moves every block to every index, keeping ids and the cells’ bytes', () => {
    doc.blocks.forEach((block, from) => {
      for (let to = 0; to < n; to++) {
        const moved = moveCell(doc, block.id, to);
        const order = doc.blocks.filter((b) => b !== block);
        order.splice(to, 0, block);
        expect(moved.blocks.map((b) => b.id)).toEqual(order.map((b) => b.id));
        expect(cellFacts(reparse(moved))).toEqual(factsOf(order));
        const out = serializeNotebookWithSpans(moved);
        moved.blocks.forEach((b, i) => {
          if (b.type === 'cell' && b.origin?.closing !== undefined) {
            expect(out.text.slice(out.blocks[i]!.start, out.blocks[i]!.end)).toBe(b.origin.raw);
          }
        });
        if (to === from) expect(moved).toBe(doc);
      }
    });
  });
});

describe('insert, remove, move', () => {
  const text = '# T\n\n```sql name=a\nSELECT 1\n```\n\n```ts name=b\nx\n```\n';
  const doc = parseNotebook(text);
  const [prose, a, b] = doc.blocks as [Block, CellBlock, CellBlock];
  const cell = (source: string) => ({ kind: 'sql', source, attributes: {} });

  it('separates an inserted cell by blank lines', () => {
    expect(serializeNotebook(insertCell(doc, 3, cell('SELECT 2')))).toBe(text + '\n```sql\nSELECT 2\n```\n');
    expect(serializeNotebook(insertCell(doc, 1, cell('SELECT 2')))).toBe(
      '# T\n\n```sql\nSELECT 2\n```\n\n```sql name=a\nSELECT 1\n```\n\n```ts name=b\nx\n```\n',
    );
    expect(serializeNotebook(insertCell(doc, 0, cell('SELECT 2')))).toBe('```sql\nSELECT 2\n```\n\n' + text);
  });

  it('renders new cells from their fields', () => {
    const empty = createNotebook();
    expect(serializeNotebook(insertCell(empty, 0, cell('')))).toBe('```sql\n```\n');
    expect(serializeNotebook(insertCell(empty, 0, { kind: 'export', source: '', attributes: { from: 't', to: 'zip' } }))).toBe(
      '```export from=t to=zip\n```\n',
    );
    expect(serializeNotebook(insertCell(empty, 0, cell('a\n```\nb')))).toBe('````sql\na\n```\nb\n````\n');
    expect(serializeNotebook(insertCell(empty, 0, cell('```` x\n````')))).toBe('`````sql\n```` x\n````\n`````\n');
    const quoted = insertCell(empty, 0, { kind: 'chart', source: '', attributes: { title: 'a "b" = c', x: 'day' } });
    expect(serializeNotebook(quoted)).toBe('```chart title="a \\"b\\" = c" x=day\n```\n');
    expect(cellFacts(reparse(quoted))[0]?.attributes).toEqual({ title: 'a "b" = c', x: 'day' });
  });

  it('uses the document’s line ending and keeps a front matter gap', () => {
    const crlf = parseNotebook('---\r\ntitle: x\r\n---\r\n');
    expect(serializeNotebook(insertCell(crlf, 0, cell('a\nb')))).toBe('---\r\ntitle: x\r\n---\r\n\r\n```sql\r\na\r\nb\r\n```\r\n');
    const noNewline = parseNotebook('```sql name=a\nSELECT 1\n```');
    expect(serializeNotebook(insertCell(noNewline, 1, cell('SELECT 2')))).toBe(
      '```sql name=a\nSELECT 1\n```\n\n```sql\nSELECT 2\n```\n',
    );
  });

  it('removes blocks and hands trailing blank lines on', () => {
    expect(serializeNotebook(removeCell(doc, b.id))).toBe('# T\n\n```sql name=a\nSELECT 1\n```\n');
    expect(serializeNotebook(removeCell(doc, a.id))).toBe('# T\n\n```ts name=b\nx\n```\n');
    expect(serializeNotebook(removeCell(doc, prose.id))).toBe('```sql name=a\nSELECT 1\n```\n\n```ts name=b\nx\n```\n');
    const only = parseNotebook('---\ntitle: t\n---\n\n```sql\nx\n```\n\n');
    expect(serializeNotebook(removeCell(only, only.blocks[0]!.id))).toBe('---\ntitle: t\n---\n\n');
  });

  it('moves blocks with tidy blank lines', () => {
    const moved = moveCell(doc, b.id, 1);
    expect(serializeNotebook(moved)).toBe('# T\n\n```ts name=b\nx\n```\n\n```sql name=a\nSELECT 1\n```\n');
    expect(serializeNotebook(moveCell(doc, a.id, 2))).toBe(serializeNotebook(moved));
    expect(serializeNotebook(moveCell(moved, b.id, 2))).toBe(text);
    expect(moved.blocks.map((x) => x.id)).toEqual([prose.id, b.id, a.id]);
  });

  it('closes a fence left open at the end of the file once something follows it', () => {
    const open = parseNotebook('# T\n\n```sql name=open\nSELECT 1\n');
    const id = open.blocks[1]!.id;
    expect(serializeNotebook(moveCell(open, id, 0))).toBe('```sql name=open\nSELECT 1\n```\n\n# T\n');
    const sample = parseNotebook('```sql name=a\nx\n```\n\n~~~~\ncode sample');
    expect(serializeNotebook(moveCell(sample, sample.blocks[0]!.id, 1))).toBe('~~~~\ncode sample\n~~~~\n\n```sql name=a\nx\n```\n');
  });

  it('ends an HTML block left open at the end of the file before what follows it', () => {
    const d = parseNotebook('```sql name=a\nx\n```\n\n<details>\nstill html');
    const out = serializeNotebook(moveCell(d, d.blocks[1]!.id, 0));
    expect(out).toBe('<details>\nstill html\n\n\n```sql name=a\nx\n```\n');
    expect(cellFacts(parseNotebook(out))).toEqual(cellFacts(d));
  });

  it('keeps a lone CR line ending from fusing with an LF blank line after it', () => {
    const d = parseNotebook('```sql\ny\n```\nx\r');
    const out = serializeNotebook(insertCell(d, 2, cell('SELECT 2')));
    expect(out).toBe('```sql\ny\n```\nx\r\r\n```sql\nSELECT 2\n```\n');
    expect(cellFacts(parseNotebook(out)).map((c) => c.source)).toEqual(['y', 'SELECT 2']);
  });

  it('does not let moved prose become front matter', () => {
    const d = parseNotebook('```sql\nx\n```\n\n---\nlooks: like front matter\n---\n');
    const out = serializeNotebook(moveCell(d, d.blocks[1]!.id, 0));
    expect(parseNotebook(out).frontMatter).toBeUndefined();
    expect(cellFacts(parseNotebook(out))).toEqual(cellFacts(d));
  });

  it('keeps ids across a chain of edits', () => {
    let d = insertCell(doc, 3, cell('SELECT 3'));
    const fresh = d.blocks[3]!.id;
    d = moveCell(d, fresh, 0);
    d = removeCell(d, a.id);
    expect(d.blocks.map((x) => x.id)).toEqual([fresh, prose.id, b.id]);
    expect(cellsOf(d.blocks).map((c) => c.source)).toEqual(['SELECT 3', 'x']);
  });

  it('rejects bad indexes, kinds and ids', () => {
    expect(() => insertCell(doc, 4, cell('x'))).toThrow(RangeError);
    expect(() => insertCell(doc, -1, cell('x'))).toThrow(RangeError);
    expect(() => insertCell(doc, 0, { kind: 'c++', source: '', attributes: {} })).toThrow(RangeError);
    expect(() => moveCell(doc, a.id, 3)).toThrow(RangeError);
    expect(() => removeCell(createNotebook(), a.id)).toThrow(RangeError);
  });
});

describe('random documents and edit sequences (seeded)', () => {
  // mulberry32: a tiny deterministic PRNG, so a failure reproduces.
  const prng = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const LINES = ['```sql name=a', '```', '````', '~~~', '~~~ts x="a b"', '```ts', '', '  ', 'text', '<!--', '-->',
    '<details>', '</details>', '   ```sql name=i', '    ```sql', ' ```', '---', 'title: x', '> ```sql', '<pre>', '</pre>',
    '```chart a=`b`', '~~~check t=`x`', '\t```', 'SELECT 1', '- item', '  ```py k=\'v w\''];
  const SOURCES = ['x', '```', '````', '~~~', '', 'a\nb', '  ```', '\n', 'x\r\ny', '   ~~~~', '<!--', '---'];
  const meaning = (d: NotebookDocument) => ({
    frontMatter: d.frontMatter?.content,
    cells: cellFacts(d).map((c) => ({ ...c, source: c.source.replace(/\r\n|\r/g, '\n') })),
  });

  it('round-trips and keeps its meaning through 1000 × 4 random edits', () => {
    const random = prng(20261125);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    for (let iteration = 0; iteration < 1000; iteration++) {
      const lineCount = Math.floor(random() * 12);
      let text = random() < 0.1 ? '\uFEFF' : '';
      for (let i = 0; i < lineCount; i++) {
        text += pick(LINES) + (i === lineCount - 1 && random() < 0.3 ? '' : pick(['\n', '\r\n', '\r']));
      }
      let doc = parseNotebook(text);
      expect(serializeNotebook(doc)).toBe(text);
      for (let step = 0; step < 4; step++) {
        const blocks = doc.blocks;
        const cells = cellsOf(blocks);
        const op = Math.floor(random() * 5);
        if (op === 0 && cells.length > 0) doc = updateCellSource(doc, pick(cells).id, `${pick(SOURCES)}\n${pick(SOURCES)}`);
        if (op === 1 && cells.length > 0) {
          doc = updateCellAttributes(doc, pick(cells).id, random() < 0.5 ? { name: 'n', z: 'a`b' } : { q: 'x "y"', name: 'n' });
        }
        if (op === 2) doc = insertCell(doc, Math.floor(random() * (blocks.length + 1)), { kind: 'sql', source: pick(SOURCES), attributes: {} });
        if (op === 3 && blocks.length > 0) doc = removeCell(doc, pick(blocks).id);
        if (op === 4 && blocks.length > 0) doc = moveCell(doc, pick(blocks).id, Math.floor(random() * blocks.length));
        expect({ text, step, op, meaning: meaning(reparse(doc)) }).toEqual({ text, step, op, meaning: meaning(doc) });
      }
    }
  });
});

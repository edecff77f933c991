import { describe, expect, it } from 'vitest';
import { parseNotebook, serializeNotebook, serializeNotebookWithSpans, updateCellAttributes, updateCellSource } from './format';
import type { CellBlock, NotebookDocument } from './model';
import { blockFacts, cellFacts, loadFixtures, normalizeEol } from './test-fixtures';

const fixtures = loadFixtures();
const byName = (name: string) => {
  const f = fixtures.find((x) => x.name === name);
  if (!f) throw new Error(`no fixture ${name}`);
  return parseNotebook(f.text);
};
const cells = (doc: NotebookDocument) => doc.blocks.filter((b): b is CellBlock => b.type === 'cell');

describe('fixtures', () => {
  it('has 30+ of them', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
  });

  describe.each(fixtures)('$name', ({ bytes, text }) => {
    it('round-trips byte-identically', () => {
      const out = serializeNotebook(parseNotebook(text));
      expect(Buffer.from(out, 'utf8').equals(bytes)).toBe(true);
      expect(out).toBe(text);
    });

    it('locates every block at its own bytes', () => {
      const doc = parseNotebook(text);
      const { text: out, blocks, frontMatter } = serializeNotebookWithSpans(doc);
      if (doc.frontMatter && frontMatter) expect(out.slice(frontMatter.start, frontMatter.end)).toBe(doc.frontMatter.raw);
      doc.blocks.forEach((b, i) => {
        const span = blocks[i];
        expect(span).toBeDefined();
        expect(out.slice(span?.start, span?.end)).toBe(b.type === 'cell' ? b.origin?.raw : b.raw);
      });
    });

    it('parses to the same blocks twice, with fresh ids', () => {
      const a = parseNotebook(text);
      const b = parseNotebook(serializeNotebook(a));
      expect(b.blocks.map(blockFacts)).toEqual(a.blocks.map(blockFacts));
      const ids = [...a.blocks, ...b.blocks].map((x) => x.id);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('changes only the edited cell when its source is edited', () => {
      const doc = parseNotebook(text);
      const before = serializeNotebookWithSpans(doc);
      const edited = 'SELECT 42\n```\n~~~~\n\n  -- edited ✓';
      for (const [i, block] of doc.blocks.entries()) {
        if (block.type !== 'cell') continue;
        const next = updateCellSource(doc, block.id, edited);
        const after = serializeNotebookWithSpans(next);
        const span = before.blocks[i]!;
        const suffix = before.text.length - span.end;
        expect(after.text.slice(0, span.start)).toBe(before.text.slice(0, span.start));
        expect(after.text.slice(after.text.length - suffix)).toBe(before.text.slice(span.end));
        // The edited cell re-parses to the new source (in the document's line ending), the rest to what they were.
        const reparsed = parseNotebook(after.text);
        const expected = cellFacts(doc).map((c, k) =>
          k === cells(doc).indexOf(block) ? { ...c, source: normalizeEol(edited, doc.lineEnding) } : c,
        );
        expect(cellFacts(reparsed)).toEqual(expected);
        expect(next.blocks.map((b) => b.id)).toEqual(doc.blocks.map((b) => b.id));
      }
    });

    it('changes only the edited cell when its attributes are edited', () => {
      const doc = parseNotebook(text);
      const before = serializeNotebookWithSpans(doc);
      for (const [i, block] of doc.blocks.entries()) {
        if (block.type !== 'cell') continue;
        const attributes = { ...block.attributes, name: 'renamed', note: 'has "quotes" = and \\ too' };
        const next = updateCellAttributes(doc, block.id, attributes);
        const after = serializeNotebook(next);
        const span = before.blocks[i]!;
        expect(after.slice(0, span.start)).toBe(before.text.slice(0, span.start));
        expect(after.endsWith(before.text.slice(span.end))).toBe(true);
        const edited = cells(parseNotebook(after))[cells(doc).indexOf(block)];
        expect(edited?.attributes).toEqual(attributes);
        expect(edited?.name).toBe('renamed');
        expect(edited?.source).toBe(block.source);
      }
    });
  });
});

describe('parsed cells', () => {
  const expectations: Record<string, Array<Partial<ReturnType<typeof cellFacts>[number]>>> = {
    'design-example.lakebook.md': [
      { kind: 'sql', name: 'orders_clean', source: 'SELECT * FROM orders WHERE amount > 0' },
      { kind: 'ts', name: 'enriched' },
      { kind: 'check', attributes: { table: 'orders_clean' } },
      {
        kind: 'export',
        name: undefined,
        attributes: { from: 'orders_clean', format: 'parquet', partition_by: 'year,month' },
        source: '',
      },
    ],
    'four-backtick-fence.md': [
      { kind: 'ts', name: 'docs', source: 'const md = `\n```sql\nSELECT 1\n```\n`;\nexport default () => md;' },
    ],
    'nested-fence-in-prose.md': [{ kind: 'sql', name: 'real', source: 'SELECT 1' }],
    'tilde-fence.md': [
      { kind: 'sql', name: 't', source: "SELECT '```' AS fence\n```" },
      { kind: 'ts', source: '~~~' },
    ],
    'crlf.md': [
      { kind: 'sql', name: 'a', source: 'SELECT 1\r\nFROM t' },
      { kind: 'ts', name: 'b' },
    ],
    'cr.md': [{ kind: 'sql', name: 'a', source: 'SELECT 1' }],
    'mixed-newlines.md': [{ kind: 'sql', source: 'SELECT 1\nFROM t' }],
    'unicode.md': [
      { kind: 'sql', name: '주문', attributes: { name: '주문', label: '매출 💰' }, source: "SELECT '안녕하세요 👋' AS 인사, '🇰🇷' AS flag" },
    ],
    'unknown-kinds.md': [
      { kind: 'python', source: 'print("kept verbatim")' },
      { kind: 'future-kind', attributes: { mode: 'fast' } },
      { kind: 'chart', attributes: { from: 'orders', x: 'day', y: 'total' } },
      { kind: 'stream', source: '' },
    ],
    'empty-cells.md': [
      { kind: 'sql', name: 'empty', source: '' },
      { kind: 'sql', name: 'blank', source: '' },
      { kind: 'ts', name: undefined, attributes: {}, source: '' },
    ],
    'quoted-attributes.md': [
      { attributes: { name: 'q', label: 'A label with spaces', filter: 'a = b AND c=d', empty: '' } },
    ],
    'single-quotes.md': [{ kind: 'check', attributes: { table: 'orders clean', note: 'say "hi" = ok' } }],
    'escaped-quotes.md': [{ attributes: { name: 'e', title: 'He said "hi"', path: 'C:\\data\\x', raw: 'C:\\data' } }],
    'no-trailing-newline.md': [{ name: 'last', source: 'SELECT 1' }],
    'indented-fences.md': [
      { name: 'one', source: 'SELECT 1' },
      { name: 'two', source: 'SELECT 2\n  + 0\n-- less indented' },
      { name: 'three', source: 'SELECT 3' },
    ],
    'four-space-indent.md': [{ name: 'cell', source: 'SELECT 2' }],
    'unclosed-fence.md': [
      { name: 'a', source: 'SELECT 1' },
      { name: 'open', source: 'SELECT 2\n\n-- runs to the end of the file' },
    ],
    'unclosed-fence-no-newline.md': [{ name: 'open', source: 'SELECT 1' }],
    'unclosed-prose-fence.md': [{ name: 'a' }],
    'info-trailing-spaces.md': [
      { kind: 'sql', attributes: { name: 't' }, source: 'SELECT 1' },
      { kind: 'ts', attributes: { name: 'u' }, source: 'x' },
    ],
    'list-item-fence.md': [
      { kind: 'sql', name: 'step1', source: 'SELECT 1' },
      { kind: 'check', source: '- expectation_type: expect_column_values_to_not_be_null\n  kwargs: { column: id }' },
      { kind: 'ts', name: 'step3', source: 'export default () => 3;' },
    ],
    'bom.md': [{ name: 'a', source: 'SELECT 1' }],
    'bom-no-front-matter.md': [{ name: 'a', source: 'SELECT 1' }],
    'html-comments.md': [
      { name: 'visible', source: 'SELECT 1' },
      { name: 'after_blank', source: 'SELECT 3' },
    ],
    'unclosed-html-comment.md': [{ name: 'a' }],
    'export-only-attributes.md': [
      { kind: 'sql', name: 'orders_clean' },
      { kind: 'export', attributes: { from: 'orders_clean', format: 'parquet', partition_by: 'year,month', to: 'zip' }, source: '' },
    ],
    'backtick-in-info.md': [],
    'tilde-info-with-backticks.md': [{ attributes: { name: 't', note: '`code`' } }],
    'closing-fence-variants.md': [
      { name: 'a', source: 'SELECT 1' },
      { kind: 'ts', name: 'b', source: '~~~' },
      { name: 'c', source: 'x' },
    ],
    'adjacent-cells.md': [{ name: 'a' }, { name: 'b' }, { kind: 'ts', source: 'x' }],
    'tab-indented.md': [{ name: 'real' }],
    'invalid-kinds.md': [],
    'blockquote-fence.md': [{ name: 'real' }],
    'flags-and-strays.md': [{ attributes: { name: 'f', hidden: '', cache: 'false', key: '', a: 'b', c: '' } }],
    'html-pre-block.md': [{ name: 'after' }],
    'duplicate-keys.md': [{ name: 'b', attributes: { name: 'b', mode: 'x' } }],
    'case-and-space-before-kind.md': [{ kind: 'SQL', name: 'Upper' }, { kind: 'check', attributes: { table: 't' } }],
    'prose-only.md': [],
    'empty.md': [],
  };

  it.each(Object.entries(expectations))('%s', (name, expected) => {
    const facts = cellFacts(byName(name));
    expect(facts).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(facts[i]).toMatchObject(e));
  });

  it('reads front matter verbatim and its title', () => {
    const doc = byName('front-matter.md');
    expect(doc.frontMatter?.title).toBe('Orders: Q1 "draft"');
    expect(doc.frontMatter?.content).toBe(
      'title: "Orders: Q1 \\"draft\\""\nauthor: data team\nfiles:\n  - data/orders.parquet',
    );
    expect(byName('design-example.lakebook.md').frontMatter?.title).toBe('Orders');
    expect(byName('unicode.md').frontMatter?.title).toBe('주문 분석 📊');
    expect(byName('only-front-matter.md').frontMatter?.title).toBe("It's only");
    expect(byName('front-matter-crlf.md').frontMatter?.content).toBe('title: CRLF front matter');
    expect(byName('thematic-breaks.md').frontMatter).toBeUndefined();
    expect(byName('prose-only.md').frontMatter).toBeUndefined();
  });

  it('records line endings, BOM and fences', () => {
    expect(byName('crlf.md').lineEnding).toBe('\r\n');
    expect(byName('cr.md').lineEnding).toBe('\r');
    expect(byName('prose-only.md').lineEnding).toBe('\n');
    expect(byName('bom.md').bom).toBe(true);
    expect(byName('bom.md').frontMatter?.title).toBe('With BOM');
    expect(byName('crlf.md').bom).toBe(false);
    expect(cells(byName('four-backtick-fence.md'))[0]?.fence).toEqual({ char: '`', length: 4, indent: 0 });
    expect(cells(byName('indented-fences.md')).map((c) => c.fence.indent)).toEqual([1, 2, 3]);
    expect(cells(byName('tilde-fence.md')).map((c) => c.fence.char)).toEqual(['~', '~']);
    expect(cells(byName('info-trailing-spaces.md'))[0]?.origin?.info).toBe('sql name=t   \t');
    const unclosed = cells(byName('unclosed-fence.md'))[1];
    expect(unclosed?.origin?.closing).toBeUndefined();
  });

  it('keeps prose raw, code samples included, and splits blank lines into gaps', () => {
    const doc = byName('nested-fence-in-prose.md');
    expect(doc.blocks[0]).toMatchObject({
      type: 'prose',
      raw: 'How to write a cell:\n\n````\n```sql name=example\nSELECT 42\n```\n````\n',
      gap: '\n',
    });
    expect(byName('prose-only.md').blocks).toHaveLength(1);
    expect(byName('empty.md').blocks).toEqual([]);
    expect(byName('blank-lines-start.md').blocks[0]).toMatchObject({ type: 'prose', raw: '', gap: '\n\n' });
    expect(byName('blank-lines-start.md').blocks[1]).toMatchObject({ type: 'cell', gap: '\n\n\n' });
    expect(byName('unclosed-prose-fence.md').blocks[1]).toMatchObject({ type: 'prose', closeWith: '```' });
    expect(byName('unclosed-html-comment.md').blocks[1]).toMatchObject({ type: 'prose', closeWith: '-->' });
  });
});

describe('edits', () => {
  const doc = parseNotebook('# T\n\n```sql name=a\nSELECT 1\n```\n\n```ts name=b\nx\n```\n');
  const [a, b] = cells(doc) as [CellBlock, CellBlock];

  it('returns the same document for a no-op and never mutates its argument', () => {
    const text = serializeNotebook(doc);
    expect(updateCellSource(doc, a.id, 'SELECT 1')).toBe(doc);
    expect(updateCellAttributes(doc, a.id, { name: 'a' })).toBe(doc);
    updateCellSource(doc, a.id, 'SELECT 2');
    expect(serializeNotebook(doc)).toBe(text);
  });

  it('writes the original bytes again when an edit is undone', () => {
    const text = '```sql   name=a   \r\n  SELECT 1\r\n````  \r\n';
    const d = parseNotebook(text);
    const id = cells(d)[0]!.id;
    const edited = updateCellSource(d, id, 'SELECT 2');
    expect(serializeNotebook(edited)).toBe('```sql   name=a   \r\nSELECT 2\r\n````  \r\n');
    expect(serializeNotebook(updateCellSource(edited, id, '  SELECT 1'))).toBe(text);
  });

  it('lengthens the fence when the new source needs it, and keeps indentation', () => {
    const edited = updateCellSource(doc, a.id, 'x\n```\ny');
    expect(serializeNotebook(edited)).toContain('````sql name=a\nx\n```\ny\n````\n');
    const indented = parseNotebook('1. item\n\n   ```sql name=i\n   SELECT 1\n   ```\n');
    const id = cells(indented)[0]!.id;
    expect(serializeNotebook(updateCellSource(indented, id, 'SELECT 2\n\n  AND x'))).toBe(
      '1. item\n\n   ```sql name=i\n   SELECT 2\n\n     AND x\n   ```\n',
    );
  });

  it('closes an edited fence that ran to the end of the file', () => {
    const d = parseNotebook('```sql name=open\nSELECT 1');
    expect(serializeNotebook(updateCellSource(d, cells(d)[0]!.id, 'SELECT 2'))).toBe('```sql name=open\nSELECT 2\n```');
  });

  it('rewrites only the attribute tokens that changed', () => {
    const d = parseNotebook('```sql  name=a   label="x y"  mode=fast \nSELECT 1\n```\n');
    const id = cells(d)[0]!.id;
    const set = (attrs: Record<string, string>) => serializeNotebook(updateCellAttributes(d, id, attrs)).split('\n')[0];
    expect(set({ name: 'a', label: 'x y', mode: 'slow' })).toBe('```sql  name=a   label="x y"  mode=slow ');
    expect(set({ name: 'a', mode: 'fast' })).toBe('```sql  name=a  mode=fast ');
    expect(set({ name: 'a', label: 'x y', mode: 'fast', to: 'zip', q: 'a b' })).toBe(
      '```sql  name=a   label="x y"  mode=fast to=zip q="a b" ',
    );
    expect(set({ mode: 'fast', name: 'a', label: 'x y' })).toBe('```sql  name=a   label="x y"  mode=fast ');
    expect(set({ label: 'z' })).toBe('```sql   label=z ');
    expect(updateCellAttributes(d, id, { label: 'z' }).blocks[0]).toMatchObject({ name: undefined });
  });

  it('switches to a tilde fence when an attribute holds a backtick', () => {
    const next = updateCellAttributes(doc, b.id, { name: 'b', note: '`x`' });
    expect(serializeNotebook(next)).toContain('~~~ts name=b note="`x`"\nx\n~~~\n');
    expect(cellFacts(parseNotebook(serializeNotebook(next)))[1]?.attributes).toEqual({ name: 'b', note: '`x`' });
  });

  it('rejects invalid attributes and unknown ids', () => {
    expect(() => updateCellAttributes(doc, a.id, { 'bad key': 'x' })).toThrow(RangeError);
    expect(() => updateCellAttributes(doc, a.id, { k: 'two\nlines' })).toThrow(RangeError);
    expect(() => updateCellSource(doc, doc.blocks[0]!.id, 'x')).toThrow(/prose/);
    const other = parseNotebook('```sql\nx\n```\n');
    expect(() => updateCellSource(doc, cells(other)[0]!.id, 'x')).toThrow(RangeError);
  });
});

/**
 * The notebook file format (DESIGN §3): Markdown whose fenced code blocks with an info string are cells.
 *
 * Why no Markdown library: the format needs exactly one thing from Markdown — where fenced code
 * blocks start and end — and it needs it byte-exact: parse → serialize must give back the same bytes
 * (line endings, indentation, trailing spaces, BOM, a missing final newline). Markdown libraries
 * (markdown-it, micromark, remark) build a tree for rendering and do not give byte-identical round
 * trips; remark-stringify re-formats whatever it prints. The CommonMark rules involved are small
 * (§4.5 fences and, so that a commented-out cell stays commented out, §4.6 HTML block starts), so
 * they are implemented here (scan.ts) with fixture tests, and the model keeps every byte it read.
 *
 * Known simplification: containers are not modelled. A fence indented 0–3 spaces is a fence wherever
 * it sits (so a cell inside a list item is found, with the list indentation stripped); a fence inside a
 * block quote (`> ````) or indented 4+ spaces inside a nested list item is prose. Either way the text
 * round-trips unchanged.
 */
import { CellId } from './ids';
import { parseInfo, renderInfo, sameAttributes, updateInfo } from './info-string';
import { matchFrontMatter } from './front-matter';
import {
  concatLines,
  contentOf,
  dominantLineEnding,
  endsWithLineBreak,
  isBlank,
  joinLines,
  splitLines,
  splitSourceLines,
  type Line,
} from './lines';
import type { Block, CellBlock, Fence, LineEnding, NotebookDocument, ProseBlock } from './model';
import { nameOf } from './model';
import { isClosingFence, longestLeadingRun, matchFenceOpening, matchHtmlBlockStart } from './scan';

export {
  findBlockIndex,
  insertCell,
  moveCell,
  removeCell,
  updateCellAttributes,
  updateCellSource,
} from './edit';

const BOM = '\uFEFF';

// ---------------------------------------------------------------------------------------------
// Parse
// ---------------------------------------------------------------------------------------------

export function parseNotebook(text: string): NotebookDocument {
  const bom = text.startsWith(BOM);
  const lines = splitLines(bom ? text.slice(1) : text);
  const lineEnding = dominantLineEnding(lines);
  const front = matchFrontMatter(lines);
  let i = front?.next ?? 0;
  const frontGap = front ? blankRun(lines, i) : 0;
  i += frontGap;

  const blocks: Block[] = [];
  let prose: Line[] = [];
  let closeWith: string | undefined;
  const flushProse = () => {
    if (prose.length > 0) blocks.push(toProse(prose, closeWith));
    prose = [];
    closeWith = undefined;
  };

  while (i < lines.length) {
    const line = lines[i] as Line;
    const fence = matchFenceOpening(line.text);
    if (fence) {
      let close = i + 1;
      while (close < lines.length && !isClosingFence((lines[close] as Line).text, fence.char, fence.length)) close++;
      const closed = close < lines.length;
      const last = closed ? close : lines.length - 1;
      const info = parseInfo(fence.info);
      if (info === undefined) {
        // No info string (or no valid kind): a code sample in the prose.
        prose.push(...lines.slice(i, last + 1));
        if (!closed) closeWith = fence.char.repeat(fence.length);
        i = last + 1;
        continue;
      }
      flushProse();
      const gap = closed ? blankRun(lines, last + 1) : 0;
      const cellLines = lines.slice(i, last + 1);
      const source = contentOf(lines.slice(i + 1, closed ? close : lines.length), fence.indent);
      blocks.push({
        type: 'cell',
        id: CellId.create(),
        kind: info.kind,
        attributes: info.attributes,
        name: nameOf(info.attributes),
        source,
        fence: { char: fence.char, length: fence.length, indent: fence.indent },
        gap: joinLines(lines.slice(last + 1, last + 1 + gap)),
        origin: {
          raw: joinLines(cellLines),
          kind: info.kind,
          attributes: info.attributes,
          source,
          info: fence.info,
          closing: closed ? (lines[close] as Line).text : undefined,
          finalLineEnding: (lines[last] as Line).eol,
        },
      });
      i = last + 1 + gap;
      continue;
    }
    const html = matchHtmlBlockStart(line.text);
    if (html) {
      let end = i;
      while (end < lines.length && !html.endsAt((lines[end] as Line).text)) end++;
      if (end === lines.length) closeWith = html.closeWith;
      prose.push(...lines.slice(i, end + 1));
      i = end + 1;
      continue;
    }
    prose.push(line);
    i++;
  }
  flushProse();

  const frontMatter =
    front === undefined
      ? undefined
      : {
          type: 'front-matter' as const,
          raw: front.raw,
          content: front.content,
          title: front.title,
          gap: joinLines(lines.slice(front.next, front.next + frontGap)),
        };
  return { frontMatter, blocks, bom, lineEnding };
}

/** Number of blank lines starting at `from`. */
function blankRun(lines: readonly Line[], from: number): number {
  let n = 0;
  while (from + n < lines.length && isBlank((lines[from + n] as Line).text)) n++;
  return n;
}

function toProse(lines: readonly Line[], closeWith: string | undefined): ProseBlock {
  let end = lines.length;
  // Trailing blank lines are the gap — unless they belong to a construct left open at the end of the file.
  if (closeWith === undefined) while (end > 0 && isBlank((lines[end - 1] as Line).text)) end--;
  return {
    type: 'prose',
    id: CellId.create(),
    raw: joinLines(lines.slice(0, end)),
    gap: joinLines(lines.slice(end)),
    closeWith,
  };
}

// ---------------------------------------------------------------------------------------------
// Serialize
// ---------------------------------------------------------------------------------------------

/** Where a block's own text (without its gap) sits in the serialized file, as string offsets. */
export interface BlockSpan {
  readonly start: number;
  readonly end: number;
}

export interface SerializedNotebook {
  readonly text: string;
  readonly frontMatter: BlockSpan | undefined;
  /** One span per `doc.blocks` entry. */
  readonly blocks: BlockSpan[];
}

export function serializeNotebook(doc: NotebookDocument): string {
  return serializeNotebookWithSpans(doc).text;
}

export function serializeNotebookWithSpans(doc: NotebookDocument): SerializedNotebook {
  const out = layout(doc, '');
  // Without front matter, text that would now read as front matter (a `---` line first, edits bringing
  // a second one) gets a blank line in front. Never the case for text as parsed.
  if (doc.frontMatter === undefined && looksLikeFrontMatter(out.text, doc.bom)) return layout(doc, doc.lineEnding);
  return out;
}

function looksLikeFrontMatter(text: string, bom: boolean): boolean {
  const body = bom ? text.slice(1) : text;
  return body.startsWith('---') && matchFrontMatter(splitLines(body)) !== undefined;
}

function layout(doc: NotebookDocument, lead: string): SerializedNotebook {
  const eol = doc.lineEnding;
  const last = doc.blocks.length - 1;
  const pieces: Array<{ own: string; gap: string }> = [];
  if (doc.frontMatter) pieces.push({ own: doc.frontMatter.raw, gap: doc.frontMatter.gap });
  doc.blocks.forEach((block, i) => pieces.push({ own: blockText(block, i === last, eol), gap: block.gap }));

  let text = (doc.bom ? BOM : '') + lead;
  const spans: BlockSpan[] = [];
  pieces.forEach(({ own, gap }, p) => {
    const isLast = p === pieces.length - 1;
    text = concatLines(text, own);
    spans.push({ start: text.length - own.length, end: text.length });
    // Lines only lack a line ending at the end of the file; a block that no longer ends it gets one.
    if (own !== '' && !endsWithLineBreak(own) && (!isLast || gap !== '')) text += eol;
    text = concatLines(text, gap);
    if (gap !== '' && !isLast && !endsWithLineBreak(gap)) text += eol;
  });
  const frontMatter = doc.frontMatter ? spans.shift() : undefined;
  return { text, frontMatter, blocks: spans };
}

function blockText(block: Block, isLast: boolean, eol: LineEnding): string {
  if (block.type === 'prose') {
    if (block.closeWith === undefined || isLast) return block.raw;
    return concatLines(block.raw + (endsWithLineBreak(block.raw) ? '' : eol), block.closeWith + eol);
  }
  return cellText(block, isLast, eol);
}

/** Whether the cell is as it was parsed (then its original bytes are written back). */
export function isCellUnchanged(cell: CellBlock): boolean {
  const o = cell.origin;
  return o !== undefined && o.kind === cell.kind && o.source === cell.source && sameAttributes(o.attributes, cell.attributes);
}

function cellText(cell: CellBlock, isLast: boolean, eol: LineEnding): string {
  const o = cell.origin;
  const indent = ' '.repeat(cell.fence.indent);
  const info =
    o === undefined
      ? renderInfo(cell.kind, cell.attributes)
      : o.kind === cell.kind && sameAttributes(o.attributes, cell.attributes)
        ? o.info
        : updateInfo(o.info, cell.kind, cell.attributes);
  if (o !== undefined && o.source === cell.source) {
    // Source as parsed: the original bytes, with at most the opening line's info string rewritten.
    const openingEnd = o.raw.search(/[\r\n]|$/);
    const head = o.raw.slice(0, openingEnd - o.info.length); // indentation and fence characters
    if (!(head.endsWith('`') && info.includes('`'))) {
      const text = head + info + o.raw.slice(openingEnd);
      if (o.closing !== undefined || isLast) return text;
      // A fence left open at the end of the file that now has blocks after it: close it.
      return text + (endsWithLineBreak(text) ? '' : eol) + head;
    }
  }
  const fence = safeFence(cell.fence, cell.source, info.includes('`'));
  const marker = fence.char.repeat(fence.length);
  const body = cell.source === '' ? [] : splitSourceLines(cell.source).map((l) => (l === '' ? '' : indent + l));
  const closing =
    o?.closing !== undefined && isClosingFence(o.closing, fence.char, fence.length) ? o.closing : indent + marker;
  return [indent + marker + info, ...body, closing].join(eol) + (o ? o.finalLineEnding : eol);
}

/**
 * The fence to write `source` with: `preferred` unless a source line could close it early (then a
 * longer one), or a backtick fence whose info string would contain a backtick (then `~~~`).
 */
export function safeFence(preferred: Fence, source: string, infoHasBacktick: boolean): Fence {
  const char = preferred.char === '`' && infoHasBacktick ? '~' : preferred.char;
  const base = char === preferred.char ? preferred.length : 3;
  const longest = longestLeadingRun(splitSourceLines(source), char);
  return { char, length: Math.max(base, longest + 1), indent: preferred.indent };
}

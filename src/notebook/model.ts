/**
 * The notebook model: what `parseNotebook` returns and `serializeNotebook` writes back (DESIGN §3).
 *
 * Every block keeps the exact text it was parsed from, so whatever the app does not change comes
 * back byte-identical. The file is partitioned as
 *
 *     [BOM] [front matter + gap] (block + gap)*
 *
 * where a `gap` is the run of blank lines that follows a block. Gaps belong to positions rather than
 * to content: when blocks are inserted, removed or moved, the edit helpers keep the blank lines
 * between blocks tidy without touching any block's own bytes.
 */
import { CellId } from './ids';
import { assertValidAttributes, assertValidKind } from './info-string';

export type LineEnding = '\n' | '\r\n' | '\r';
export type FenceChar = '`' | '~';

export interface Fence {
  readonly char: FenceChar;
  /** Number of fence characters (3 or more). */
  readonly length: number;
  /** Spaces before the opening fence (0–3); the same number is stripped from each source line. */
  readonly indent: number;
}

export interface FrontMatterBlock {
  readonly type: 'front-matter';
  /** The exact text from the opening `---` line through the closing `---` line and its line ending. */
  readonly raw: string;
  /** The exact text between the two `---` lines (without the line break before the closing one). */
  readonly content: string;
  /** The value of a top-level `title: …` line, if there is a simple one. */
  readonly title: string | undefined;
  /** Blank lines after the front matter. */
  readonly gap: string;
}

export interface ProseBlock {
  readonly type: 'prose';
  /** Prose has an id too, so that a UI can key, move and remove it like a cell. */
  readonly id: CellId;
  /** The exact Markdown text, without its trailing blank lines (see `gap`). Empty only for blank lines that open a file. */
  readonly raw: string;
  readonly gap: string;
  /**
   * When the prose ends in a construct left open at the end of the file (a code sample without its
   * closing fence, an unterminated HTML comment…), the line that closes it. The serializer appends it
   * only if some block comes to follow this one, so that the block cannot swallow what follows.
   * '' stands for a blank line (what ends an HTML block such as `<details>`).
   */
  readonly closeWith: string | undefined;
}

/** What a cell looked like in the file it was parsed from. */
export interface CellOrigin {
  /** The exact text from the opening fence through the closing fence's line ending (to the end of the file when unclosed). */
  readonly raw: string;
  readonly kind: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly source: string;
  /** The opening line after the fence characters, verbatim (leading and trailing spaces included). */
  readonly info: string;
  /** The closing fence line, verbatim without its line ending; undefined when the fence ran to the end of the file. */
  readonly closing: string | undefined;
  /** The line ending of the cell's last line ('' at the end of a file without a trailing newline). */
  readonly finalLineEnding: LineEnding | '';
}

export interface CellBlock {
  readonly type: 'cell';
  readonly id: CellId;
  /** The first word of the info string (`sql`, `ts`, `check`, …, or any unknown kind, verbatim). */
  readonly kind: string;
  /** `key=value` pairs of the info string, in the order written. Bare `key` flags have the value ''. */
  readonly attributes: Readonly<Record<string, string>>;
  /** Mirror of `attributes.name`: the table name the cell's result gets. */
  readonly name: string | undefined;
  /** The code between the fences: line endings as written, fence indentation stripped, no final line break. */
  readonly source: string;
  /** The fence as written (the serializer lengthens it if an edited source needs that). */
  readonly fence: Fence;
  readonly gap: string;
  /** Undefined for cells created in the app. */
  readonly origin: CellOrigin | undefined;
}

export type Block = ProseBlock | CellBlock;

export interface NotebookDocument {
  readonly frontMatter: FrontMatterBlock | undefined;
  readonly blocks: Block[];
  /** Whether the file started with a U+FEFF byte order mark (written back as it was). */
  readonly bom: boolean;
  /** The most common line ending of the file (LF for a file without any): used for edited and new text. */
  readonly lineEnding: LineEnding;
}

/** What the app supplies to create a cell. */
export interface CellSpec {
  readonly kind: string;
  readonly source: string;
  readonly attributes: Readonly<Record<string, string>>;
}

export const DEFAULT_FENCE: Fence = { char: '`', length: 3, indent: 0 };

export function createNotebook(): NotebookDocument {
  return { frontMatter: undefined, blocks: [], bom: false, lineEnding: '\n' };
}

/** A new cell (no origin: it is rendered from its fields). Throws a RangeError for an invalid kind or attribute. */
export function createCell(spec: CellSpec, id: CellId = CellId.create()): CellBlock {
  assertValidKind(spec.kind);
  assertValidAttributes(spec.attributes);
  const attributes = Object.fromEntries(Object.entries(spec.attributes));
  return {
    type: 'cell',
    id,
    kind: spec.kind,
    attributes,
    name: nameOf(attributes),
    source: spec.source,
    fence: DEFAULT_FENCE,
    gap: '',
    origin: undefined,
  };
}

export function nameOf(attributes: Readonly<Record<string, string>>): string | undefined {
  return Object.hasOwn(attributes, 'name') ? attributes['name'] : undefined;
}

export function isCell(block: Block): block is CellBlock {
  return block.type === 'cell';
}

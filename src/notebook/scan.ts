/**
 * The few CommonMark block rules that decide where a fenced code block starts and ends
 * (spec 0.31, §4.5 fenced code blocks and §4.6 HTML blocks). Each function looks at one line's text
 * (without its line ending). Containers (block quotes, deeply nested list items) are not modelled:
 * a fence is recognised at up to 3 spaces of indentation wherever it is.
 */
import type { FenceChar } from './model';

export interface FenceOpening {
  readonly char: FenceChar;
  readonly length: number;
  readonly indent: number;
  /** The rest of the line after the fence characters, verbatim. */
  readonly info: string;
}

const OPENING = /^( {0,3})(`{3,}|~{3,})(.*)$/s;
const CLOSING = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;

export function matchFenceOpening(text: string): FenceOpening | undefined {
  const m = OPENING.exec(text);
  if (!m) return undefined;
  const [, indent = '', run = '', info = ''] = m;
  const char = run[0] === '`' ? '`' : '~';
  // A backtick fence's info string may not contain backticks: such a line is a paragraph with inline code.
  if (char === '`' && info.includes('`')) return undefined;
  return { char, length: run.length, indent: indent.length, info };
}

/** A closing fence: up to 3 spaces, at least `length` of the same character, then only spaces or tabs. */
export function isClosingFence(text: string, char: FenceChar, length: number): boolean {
  const m = CLOSING.exec(text);
  const run = m?.[1];
  return run !== undefined && run[0] === char && run.length >= length;
}

/** Longest run of `char` that starts a line (after up to 3 spaces) in `lines`. */
export function longestLeadingRun(lines: readonly string[], char: FenceChar): number {
  let longest = 0;
  for (const line of lines) {
    let i = 0;
    while (i < 3 && line.charCodeAt(i) === 32) i++;
    let n = 0;
    while (line[i + n] === char) n++;
    longest = Math.max(longest, n);
  }
  return longest;
}

/** An HTML block: inside it no fence can start. */
export interface HtmlBlockStart {
  /** Whether `text` (the start line included) ends the block. */
  readonly endsAt: (text: string) => boolean;
  /** A line that ends the block if it is left open at the end of the file ('' = a blank line). */
  readonly closeWith: string;
}

// CommonMark §4.6 condition 6.
const BLOCK_TAGS = new Set(
  (
    'address article aside base basefont blockquote body caption center col colgroup dd details dialog dir div dl dt ' +
    'fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header hr html iframe legend li link ' +
    'main menu menuitem nav noframes ol optgroup option p param search section summary table tbody td tfoot th thead ' +
    'title tr track ul'
  ).split(' '),
);

const contains = (marker: string) => (text: string) => text.toLowerCase().includes(marker);

/**
 * HTML block start conditions 1–6. Condition 7 (any other lone tag) cannot interrupt a paragraph,
 * which would need paragraph tracking; it is left out, so a fence right after such a tag is still a fence.
 */
export function matchHtmlBlockStart(text: string): HtmlBlockStart | undefined {
  const m = /^ {0,3}(<.*)$/s.exec(text);
  const rest = m?.[1];
  if (rest === undefined) return undefined;
  const raw = /^<(pre|script|style|textarea)(?=[ \t>]|$)/i.exec(rest);
  if (raw) {
    const ends = ['</pre>', '</script>', '</style>', '</textarea>'];
    return {
      endsAt: (line) => ends.some((end) => line.toLowerCase().includes(end)),
      closeWith: `</${(raw[1] ?? 'pre').toLowerCase()}>`,
    };
  }
  if (rest.startsWith('<!--')) return { endsAt: contains('-->'), closeWith: '-->' };
  if (rest.startsWith('<?')) return { endsAt: contains('?>'), closeWith: '?>' };
  if (rest.startsWith('<![CDATA[')) return { endsAt: contains(']]>'), closeWith: ']]>' };
  if (/^<![A-Za-z]/.test(rest)) return { endsAt: contains('>'), closeWith: '>' };
  const tag = /^<\/?([A-Za-z][A-Za-z0-9-]*)(?=[ \t>]|\/>|$)/.exec(rest)?.[1];
  if (tag !== undefined && BLOCK_TAGS.has(tag.toLowerCase())) {
    return { endsAt: (line) => /^[ \t]*$/.test(line), closeWith: '' };
  }
  return undefined;
}

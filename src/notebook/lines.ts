/** Line splitting that keeps every line ending as written (LF, CRLF, lone CR — CommonMark's three). */
import type { LineEnding } from './model';

export interface Line {
  readonly text: string;
  /** '' only for a last line without a line ending. */
  readonly eol: LineEnding | '';
}

export function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      lines.push({ text: text.slice(start, i), eol: '\n' });
      start = i + 1;
    } else if (c === 13) {
      const crlf = text.charCodeAt(i + 1) === 10;
      lines.push({ text: text.slice(start, i), eol: crlf ? '\r\n' : '\r' });
      if (crlf) i++;
      start = i + 1;
    }
  }
  if (start < text.length) lines.push({ text: text.slice(start), eol: '' });
  return lines;
}

export function joinLines(lines: readonly Line[]): string {
  let out = '';
  for (const line of lines) out += line.text + line.eol;
  return out;
}

/**
 * The text of `lines` without the last line's ending: the content between two delimiter lines.
 * `strip` removes up to that many leading spaces from each line (CommonMark fence indentation).
 */
export function contentOf(lines: readonly Line[], strip = 0): string {
  let out = '';
  lines.forEach((line, i) => {
    out += stripSpaces(line.text, strip) + (i < lines.length - 1 ? line.eol : '');
  });
  return out;
}

export function stripSpaces(text: string, max: number): string {
  let i = 0;
  while (i < max && text.charCodeAt(i) === 32) i++;
  return text.slice(i);
}

/** The most common line ending; ties go to the one seen first; LF when there is none. */
export function dominantLineEnding(lines: readonly Line[]): LineEnding {
  const counts = new Map<LineEnding, number>();
  for (const { eol } of lines) if (eol !== '') counts.set(eol, (counts.get(eol) ?? 0) + 1);
  let best: LineEnding = '\n';
  let bestCount = 0;
  for (const [eol, count] of counts) {
    if (count > bestCount) {
      best = eol;
      bestCount = count;
    }
  }
  return best;
}

/** CommonMark: a line containing no characters, or only spaces and tabs. */
export function isBlank(text: string): boolean {
  return /^[ \t]*$/.test(text);
}

export function endsWithLineBreak(text: string): boolean {
  return text.endsWith('\n') || text.endsWith('\r');
}

/** Splits source text on any line ending (for re-emitting it with the document's). */
export function splitSourceLines(source: string): string[] {
  return source.split(/\r\n|\r|\n/);
}

/**
 * `a + b`, except that a line ending in a lone CR followed by text starting with LF would fuse into
 * one CRLF line break: then b's first LF is written as CRLF so that both line breaks stay.
 * (Only after blocks are rearranged: parsed text never has that boundary.)
 */
export function concatLines(a: string, b: string): string {
  return a.endsWith('\r') && b.startsWith('\n') ? `${a}\r${b}` : a + b;
}

/**
 * YAML front matter: a `---` line as the file's first line (after an optional BOM), up to the next
 * `---` line. The text is kept verbatim; only a simple top-level `title:` line is read (no YAML
 * library: the app needs the title, everything else is for the tools that own the YAML).
 */
import { contentOf, joinLines, type Line } from './lines';

const DELIMITER = /^---[ \t]*$/;

export interface FrontMatterMatch {
  readonly raw: string;
  readonly content: string;
  readonly title: string | undefined;
  /** Index of the first line after the closing delimiter. */
  readonly next: number;
}

export function matchFrontMatter(lines: readonly Line[]): FrontMatterMatch | undefined {
  const first = lines[0];
  if (first === undefined || first.eol === '' || !DELIMITER.test(first.text)) return undefined;
  const close = lines.findIndex((line, i) => i > 0 && DELIMITER.test(line.text));
  if (close === -1) return undefined;
  const content = contentOf(lines.slice(1, close));
  return { raw: joinLines(lines.slice(0, close + 1)), content, title: readTitle(content), next: close + 1 };
}

/** The value of a top-level `title:` line: plain, 'single' or "double" quoted; undefined for block scalars and nulls. */
export function readTitle(content: string): string | undefined {
  const line = content.split(/\r\n|\r|\n/).find((l) => /^title[ \t]*:/.test(l));
  if (line === undefined) return undefined;
  const value = line.slice(line.indexOf(':') + 1).trim();
  if (value.startsWith('"')) {
    const m = /^"((?:[^"\\]|\\.)*)"/.exec(value);
    return m ? unescapeDoubleQuoted(m[1] ?? '') : undefined;
  }
  if (value.startsWith("'")) {
    const m = /^'((?:[^']|'')*)'/.exec(value);
    return m ? (m[1] ?? '').replace(/''/g, "'") : undefined;
  }
  const plain = value.replace(/(?:^|[ \t])#.*$/, '').trim();
  if (plain === '' || plain === '~' || plain === 'null' || /^[|>]/.test(plain)) return undefined;
  return plain;
}

function unescapeDoubleQuoted(text: string): string {
  const simple: Record<string, string> = { n: '\n', t: '\t', '"': '"', '\\': '\\', '/': '/', '0': '\0' };
  return text.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (all, esc: string) => {
    if (esc.length === 5) return String.fromCharCode(parseInt(esc.slice(1), 16));
    return simple[esc] ?? all;
  });
}

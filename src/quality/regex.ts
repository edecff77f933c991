/**
 * GE evaluates regexes with Python's `re` (pandas `str.contains`); DuckDB uses RE2. This rewrites a
 * Python pattern so RE2 gives the same answer where that is possible, and names what RE2 cannot do.
 *
 * Rewritten (outside character classes unless noted):
 * - `\d` `\w` `\s` and their negations match Unicode as in Python 3 (RE2's are ASCII-only); inside a
 *   class, the positive forms are expanded too.
 * - `$` also matches before a final newline, as Python's `$` does (not under the `m` flag).
 * - `\Z` → `\z`; `\uXXXX`, `\UXXXXXXXX` → `\x{…}`; `(?<name>` → `(?P<name>`; `{,n}` → `{0,n}`.
 *
 * Refused with a message: lookahead and lookbehind, backreferences, conditionals, atomic groups and
 * possessive quantifiers, `\N{…}`. What remains different (`\b` is ASCII-only in RE2, and RE2 has no
 * catastrophic backtracking) is listed in docs/quality.md.
 */

const WORD = '\\p{L}\\p{N}_';
const SPACE = '\\t\\n\\v\\f\\r\\x{1c}-\\x{1f}\\x{85}\\p{Z}';
const DIGIT = '\\p{Nd}';

export class RegexNotSupported extends Error {}

export function pythonRegexToRe2(pattern: string): string {
  const multiline = /^\(\?[a-zA-Z]*m[a-zA-Z]*\)/.test(pattern);
  let out = '';
  let inClass = false;
  let classStart = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const e = pattern[i + 1];
      if (e === undefined) throw new RegexNotSupported('the pattern ends with a lone backslash');
      i++;
      if (e === 'd') out += inClass ? DIGIT : `[${DIGIT}]`;
      else if (e === 'w') out += inClass ? WORD : `[${WORD}]`;
      else if (e === 's') out += inClass ? SPACE : `[${SPACE}]`;
      else if (e === 'D' && !inClass) out += `[^${DIGIT}]`;
      else if (e === 'W' && !inClass) out += `[^${WORD}]`;
      else if (e === 'S' && !inClass) out += `[^${SPACE}]`;
      else if (e === 'Z' && !inClass) out += '\\z';
      else if (e === 'u' || e === 'U') {
        const width = e === 'u' ? 4 : 8;
        const hex = pattern.slice(i + 1, i + 1 + width);
        if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) throw new RegexNotSupported(`\\${e} needs ${width} hex digits`);
        out += `\\x{${hex}}`;
        i += width;
      } else if (/[1-9]/.test(e) && !inClass) {
        throw new RegexNotSupported(`it uses a backreference (\\${e}), which DuckDB's regex engine (RE2) does not support`);
      } else if (e === 'N') {
        throw new RegexNotSupported('named characters (\\N{…}) are not supported; write the character itself');
      } else out += `\\${e}`;
      classStart = false;
      continue;
    }
    if (inClass) {
      if (c === ']' && !classStart) inClass = false;
      else if (c === '^' && classStart && pattern[i - 1] === '[') {
        out += c;
        continue;
      }
      classStart = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      classStart = true;
      out += c;
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?') {
      const rest = pattern.slice(i + 2);
      if (rest.startsWith('=') || rest.startsWith('!')) throw new RegexNotSupported(`it uses a lookahead (?${rest[0]}…), which DuckDB's regex engine (RE2) does not support`);
      if (rest.startsWith('<=') || rest.startsWith('<!')) throw new RegexNotSupported(`it uses a lookbehind (?${rest.slice(0, 2)}…), which DuckDB's regex engine (RE2) does not support`);
      if (rest.startsWith('P=')) throw new RegexNotSupported('it uses a named backreference (?P=…), which DuckDB\'s regex engine (RE2) does not support');
      if (rest.startsWith('>')) throw new RegexNotSupported('it uses an atomic group (?>…), which DuckDB\'s regex engine (RE2) does not support');
      if (rest.startsWith('(')) throw new RegexNotSupported('it uses a conditional group (?(…)…), which DuckDB\'s regex engine (RE2) does not support');
      if (rest.startsWith('#')) {
        const end = pattern.indexOf(')', i);
        if (end < 0) throw new RegexNotSupported('a comment group (?#…) is never closed');
        i = end;
        continue;
      }
      if (rest.startsWith('<')) {
        out += '(?P<';
        i += 2;
        continue;
      }
    }
    if (c === '{' && /^\{,\d+\}/.test(pattern.slice(i)) && i > 0) {
      out += '{0';
      continue;
    }
    if ((c === '+' || c === '*' || c === '?' || c === '}') && pattern[i + 1] === '+') {
      throw new RegexNotSupported('it uses a possessive quantifier (…+), which DuckDB\'s regex engine (RE2) does not support');
    }
    if (c === '$' && !multiline) {
      out += '(?:\\n?\\z)';
      continue;
    }
    out += c;
  }
  return out;
}

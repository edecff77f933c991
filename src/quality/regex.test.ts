import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../engine/node-engine';
import type { LakebookEngine } from '../engine/lakebook-engine';
import { pythonRegexToRe2, RegexNotSupported } from './regex';
import { quoteString } from './sql';

/**
 * Patterns and subjects with the answer Python 3.11's `re.search` gave for each (GE's pandas engine
 * evaluates regexes with it); generated once with python3 and kept here as the reference.
 */
const PYTHON_ANSWERS: [string, [string, boolean][]][] = JSON.parse(
  String.raw`[["^\\w+$", [["Jos\u00e9", true], ["na\u00efve", true], ["abc_1", true], ["a-b", false], ["\u65e5\u672c\u8a9e", true], ["", false]]], ["^\\d+$", [["123", true], ["\u0663\u0664", true], ["12a", false], ["\uff11\uff12", true]]], ["^\\S+$", [["a\u00a0b", false], ["ab", true], ["a\u2003b", false], ["a\tb", false]]], ["^\\s*$", [["\u00a0", true], [" ", true], ["\u3000", true], ["x", false], ["\u001c", true]]], ["^abc$", [["abc", true], ["abc\n", true], ["abc\n\n", false], ["xabc", false]]], ["^a{,2}$", [["", true], ["a", true], ["aa", true], ["aaa", false]]], ["(?P<year>\\d{4})-\\d\\d", [["2024-01", true], ["24-01", false]]], ["\\Aab\\Z", [["ab", true], ["ab\n", false]]], ["[\\w.]+@", [["jos\u00e9.x@", true], ["@", false]]], ["\\u00e9", [["\u00e9", true], ["e", false]]], [".", [["\n", false], ["x", true]]], ["(?i)^stra\u00dfe$", [["STRASSE", false], ["Stra\u00dfe", true], ["STRA\u00dfE", true]]], ["^\\W+$", [["!!", true], ["\u00e9!", false], ["--", true]]], ["^[^\\d]+$", [["abc", true], ["a1", false]]], ["^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}$", [["a@b.co", true], ["jos\u00e9@x.com", false], ["a@b.c", false], ["a@b.com\n", true]]]]`,
);

let engine: LakebookEngine;
beforeAll(async () => {
  engine = createNodeEngine();
  await engine.ready();
});
afterAll(() => engine.close());

async function re2Matches(pattern: string, subject: string): Promise<boolean> {
  const table = await engine.query(`SELECT regexp_matches(${quoteString(subject)}, ${quoteString(pythonRegexToRe2(pattern))}) AS m`);
  return table.get(0)?.toJSON()['m'] === true;
}

describe('Python regex → RE2', () => {
  it.each(PYTHON_ANSWERS)('%s gives the answers of Python re', async (pattern, cases) => {
    for (const [subject, python] of cases) {
      expect({ subject, match: await re2Matches(pattern, subject) }).toEqual({ subject, match: python });
    }
  });

  it('shows why a plain RE2 call would differ: \\w is ASCII-only there', async () => {
    const table = await engine.query(`SELECT regexp_matches('José', '^\\w+$') AS m`);
    expect(table.get(0)?.toJSON()['m']).toBe(false);
  });

  it('leaves character classes and escapes it does not know alone', () => {
    expect(pythonRegexToRe2('[$]x\\.y')).toBe('[$]x\\.y');
    expect(pythonRegexToRe2('[]a]')).toBe('[]a]');
    expect(pythonRegexToRe2('(?m)^a$')).toBe('(?m)^a$');
    expect(pythonRegexToRe2('a(?#comment)b')).toBe('ab');
  });

  it.each([
    ['foo(?=bar)', 'lookahead'],
    ['(?<!x)y', 'lookbehind'],
    ['(a)\\1', 'backreference'],
    ['(?P<q>a)(?P=q)', 'named backreference'],
    ['(?>a)', 'atomic group'],
    ['a++', 'possessive'],
    ['\\N{BULLET}', 'named characters'],
  ])('refuses %s with a message naming the %s', (pattern, what) => {
    expect(() => pythonRegexToRe2(pattern)).toThrow(RegexNotSupported);
    expect(() => pythonRegexToRe2(pattern)).toThrow(what);
  });
});

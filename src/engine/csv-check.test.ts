import { describe, expect, it } from 'vitest';
import { findRaggedLine, likelyDelimiter } from './csv-check';

describe('findRaggedLine', () => {
  it('finds the first record with a different field count', () => {
    expect(findRaggedLine('a,b,c\n1,2,3\n4,5,6,7,8\n', ',')).toEqual({ line: 3, expected: 3, found: 5 });
  });
  it('accepts a consistent file, with CRLF, BOM, blank lines and no final newline', () => {
    expect(findRaggedLine('\ufeffa,b\r\n1,2\r\n\r\n3,4', ',')).toBeUndefined();
  });
  it('counts quoted delimiters and newlines as content', () => {
    expect(findRaggedLine('a,b\n"x,y","multi\nline"\n1,2\n', ',')).toBeUndefined();
    expect(findRaggedLine('a,b\n"x ""q"", y",2\n"z"\n', ',')).toEqual({ line: 3, expected: 2, found: 1 });
  });
  it('reports physical line numbers after multi-line fields', () => {
    expect(findRaggedLine('a,b\n"1\n2\n3",x\n1,2,3\n', ',')).toEqual({ line: 5, expected: 2, found: 3 });
  });
  it('ignores a cut last record when the sample is partial', () => {
    expect(findRaggedLine('a,b,c\n1,2,3\n4,5', ',', '"', false)).toBeUndefined();
    expect(findRaggedLine('a,b,c\n1,2,3\n4,5', ',', '"', true)).toEqual({ line: 3, expected: 3, found: 2 });
  });
});

describe('likelyDelimiter', () => {
  it('picks the most frequent common delimiter', () => {
    expect(likelyDelimiter('a;b;c')).toBe(';');
    expect(likelyDelimiter('a\tb')).toBe('\t');
    expect(likelyDelimiter('plain')).toBeUndefined();
  });
});

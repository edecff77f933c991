import { describe, expect, it } from 'vitest';
import { detectEncoding, lineLimitFor, longerLineLimit, MAX_LINE_BYTES, scanLines, toUtf8 } from './csv-text';

const utf16 = (text: string, order: 'le' | 'be', bom = true): Uint8Array<ArrayBuffer> => {
  const out: number[] = bom ? (order === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]) : [];
  for (const unit of Array.from(text, (ch) => ch.charCodeAt(0))) out.push(...(order === 'le' ? [unit & 0xff, unit >> 8] : [unit >> 8, unit & 0xff]));
  return Uint8Array.from(out);
};

describe('detectEncoding', () => {
  it('reads byte order marks', () => {
    expect(detectEncoding(Uint8Array.from([0xef, 0xbb, 0xbf, 0x61]), true)).toEqual({ encoding: 'utf-8', evidence: 'bom' });
    expect(detectEncoding(utf16('a,b', 'le'), true)).toEqual({ encoding: 'utf-16le', evidence: 'bom' });
    expect(detectEncoding(utf16('a,b', 'be'), true)).toEqual({ encoding: 'utf-16be', evidence: 'bom' });
  });
  it('recognizes UTF-16 without a BOM by its zero bytes', () => {
    expect(detectEncoding(utf16('id,name\n1,x\n', 'le', false), true).encoding).toBe('utf-16le');
    expect(detectEncoding(utf16('id,name\n1,x\n', 'be', false), true).encoding).toBe('utf-16be');
  });
  it('takes valid UTF-8 as UTF-8 and anything else as Windows-1252', () => {
    expect(detectEncoding(new TextEncoder().encode('id,name\n1,café\n'), true)).toEqual({ encoding: 'utf-8', evidence: 'utf-8' });
    expect(detectEncoding(Uint8Array.from([0x63, 0x61, 0x66, 0xe9, 0x0a]), true)).toEqual({ encoding: 'windows-1252', evidence: 'not-utf-8' });
  });
  it('does not hold a character cut at the end of a partial sample against UTF-8', () => {
    const cut = new TextEncoder().encode('a,é').subarray(0, 3);
    expect(detectEncoding(cut, false).encoding).toBe('utf-8');
    expect(detectEncoding(cut, true).encoding).toBe('windows-1252');
  });
});

describe('toUtf8', () => {
  it('transcodes UTF-16 in both byte orders and drops the BOM', async () => {
    const text = 'id,name\n1,café\n2,日本\n';
    expect(await (await toUtf8(new Blob([utf16(text, 'le')]), 'utf-16le')).text()).toBe(text);
    expect(await (await toUtf8(new Blob([utf16(text, 'be')]), 'utf-16be')).text()).toBe(text);
  });
  it('transcodes Windows-1252, including the characters Latin-1 lacks', async () => {
    const bytes = Uint8Array.from([0x63, 0x61, 0x66, 0xe9, 0x2c, 0x80, 0x93, 0x0a]);
    expect(await (await toUtf8(new Blob([bytes]), 'windows-1252')).text()).toBe('café,€“\n');
  });
  it('carries a character split across 4 MiB slices', async () => {
    const text = 'x'.repeat(4 * 1024 * 1024 - 1) + 'é,ü\n';
    const bytes = utf16(text, 'le');
    expect(await (await toUtf8(new Blob([bytes]), 'utf-16le')).text()).toBe(text);
  });
});

describe('scanLines', () => {
  it('tells which line endings are used outside quotes', () => {
    expect([...scanLines('a,b\r\n1,2\r\n').endings]).toEqual(['\r\n']);
    expect([...scanLines('a,b\r\n1,2\n3,4\r5,6').endings].sort()).toEqual(['\n', '\r', '\r\n']);
    expect([...scanLines('a,b\n"x\r\ny",2\n').endings]).toEqual(['\n']);
  });
  it('measures the longest record, quoted line breaks included', () => {
    expect(scanLines('a,b\n"1234\n5678",9\nz').longestRecord).toBe(13);
    expect(scanLines('ab').longestRecord).toBe(2);
  });
});

describe('line limits', () => {
  it('raises max_line_size only for records near DuckDB’s 2 MB default', () => {
    expect(lineLimitFor(1000)).toBeUndefined();
    expect(lineLimitFor(3_000_000)).toBe(18_000_000);
    expect(lineLimitFor(100_000_000)).toBe(MAX_LINE_BYTES);
  });
  it('retries with a larger limit after DuckDB refused a line, up to the maximum', () => {
    const message = 'CSV Error on Line: 1\nMaximum line size of 2000000 bytes exceeded. Actual Size:3000003 bytes.';
    expect(longerLineLimit(message, undefined)).toBe(8_000_000);
    expect(longerLineLimit(message, MAX_LINE_BYTES)).toBeUndefined();
    expect(longerLineLimit('Invalid unicode', undefined)).toBeUndefined();
  });
});

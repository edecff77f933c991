/**
 * What a CSV file's bytes need before DuckDB's reader sees them. DuckDB reads UTF-8 (and, through its
 * `encoding` option, UTF-16LE and Latin-1); measured with DuckDB-WASM 1.32: a UTF-16 file fails with
 * "Invalid unicode", `encoding='utf-16'` reads a big-endian file as **zero rows without an error**, and a
 * Latin-1 file fails with advice to try UTF-16. So lakebook decides the encoding itself and hands DuckDB
 * UTF-8: UTF-16 (by BOM, or by its zero bytes when there is none) and text that is not valid UTF-8
 * (read as Windows-1252, the superset of Latin-1 that browsers use for "latin1") are transcoded.
 */
export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface EncodingGuess {
  encoding: CsvEncoding;
  /** How it was decided; `guessed` encodings are told to the user. */
  evidence: 'bom' | 'utf-8' | 'zero-bytes' | 'not-utf-8';
}

/**
 * The encoding of a file from its first bytes. `complete` says whether `head` is the whole file; if
 * not, a multi-byte character cut at the end of `head` is not held against UTF-8.
 */
export function detectEncoding(head: Uint8Array, complete: boolean): EncodingGuess {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', evidence: 'bom' };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', evidence: 'bom' };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', evidence: 'bom' };
  const zeros = zeroBytes(head);
  if (zeros) return { encoding: zeros, evidence: 'zero-bytes' };
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: !complete });
    return { encoding: 'utf-8', evidence: 'utf-8' };
  } catch {
    return { encoding: 'windows-1252', evidence: 'not-utf-8' };
  }
}

/**
 * UTF-16 without a BOM: text in Latin script has a zero byte in every other position. Text files in
 * UTF-8 or a single-byte encoding have no zero bytes at all, so a clear majority on one side decides.
 */
function zeroBytes(head: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(head.length, 4096) & ~1;
  if (n < 4) return undefined;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) even++;
    if (head[i + 1] === 0) odd++;
  }
  const pairs = n / 2;
  if (odd > pairs * 0.4 && even < pairs * 0.05) return 'utf-16le';
  if (even > pairs * 0.4 && odd < pairs * 0.05) return 'utf-16be';
  return undefined;
}

const CHUNK = 4 * 1024 * 1024;

/**
 * The file as UTF-8, decoded in 4 MiB slices (a character split across slices is carried over by the
 * streaming decoder). The BOM is dropped. The result is a second copy of the file in memory.
 */
export async function toUtf8(blob: Blob, encoding: Exclude<CsvEncoding, 'utf-8'>): Promise<Blob> {
  const decoder = new TextDecoder(encoding);
  const encoder = new TextEncoder();
  const parts: Uint8Array<ArrayBuffer>[] = [];
  for (let offset = 0; offset < blob.size; offset += CHUNK) {
    const bytes = new Uint8Array(await blob.slice(offset, offset + CHUNK).arrayBuffer());
    parts.push(encoder.encode(decoder.decode(bytes, { stream: true })));
  }
  parts.push(encoder.encode(decoder.decode()));
  return new Blob(parts, { type: 'text/csv' });
}

export interface LineScan {
  /** The line endings used outside quoted fields. */
  endings: Set<'\r\n' | '\n' | '\r'>;
  /** The longest record, in UTF-16 code units (quoted line breaks included). */
  longestRecord: number;
}

/** Line endings and the longest record of a CSV text. */
export function scanLines(text: string, quote = '"'): LineScan {
  const endings = new Set<'\r\n' | '\n' | '\r'>();
  let inQuotes = false;
  let recordStart = 0;
  let longestRecord = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote !== '' && ch === quote) {
      inQuotes = !inQuotes;
      continue;
    }
    if (inQuotes || (ch !== '\r' && ch !== '\n')) continue;
    longestRecord = Math.max(longestRecord, i - recordStart);
    if (ch === '\r' && text[i + 1] === '\n') {
      endings.add('\r\n');
      i++;
    } else if (ch === '\n') {
      endings.add('\n');
    } else if (i + 1 < text.length) {
      endings.add('\r');
    }
    recordStart = i + 1;
  }
  return { endings, longestRecord: Math.max(longestRecord, text.length - recordStart) };
}

/** The `max_line_size` for a record of this many UTF-16 units (up to 3 UTF-8 bytes each), when the default is too small. */
export function lineLimitFor(longestRecord: number): number | undefined {
  const bytes = longestRecord * 3;
  if (bytes < DEFAULT_LINE_BYTES) return undefined;
  return Math.min(MAX_LINE_BYTES, Math.max(8 * 1024 * 1024, bytes * 2));
}

const LINE_SIZE_ERROR = /Maximum line size of (\d+) bytes exceeded\. Actual Size:\s*(\d+) bytes/;
/** DuckDB's default line limit; lakebook raises it on demand up to MAX_LINE_BYTES. */
export const DEFAULT_LINE_BYTES = 2_000_000;
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * After DuckDB refused a line as too long, the `max_line_size` to try next, or undefined when the
 * message is another error or the limit is already at MAX_LINE_BYTES.
 */
export function longerLineLimit(message: string, current: number | undefined): number | undefined {
  const m = LINE_SIZE_ERROR.exec(message);
  if (!m) return undefined;
  const limit = current ?? Number(m[1]);
  if (limit >= MAX_LINE_BYTES) return undefined;
  const actual = Number(m[2]);
  return Math.min(MAX_LINE_BYTES, Math.max(limit * 4, actual * 2));
}

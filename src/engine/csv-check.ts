/**
 * DuckDB's CSV sniffer copes with a ragged file by silently treating its first lines as a preamble
 * (skipping them) or by choosing a delimiter that puts every line in one column. Both lose the
 * user's data without a word, so lakebook checks a sample itself and names the first bad line.
 */
export interface RaggedLine {
  /** 1-based physical line number where the bad record starts. */
  line: number;
  expected: number;
  found: number;
}

const CANDIDATES = [',', ';', '\t', '|'];

/** The delimiter a person would assume from the first line, when the sniffer found only one column. */
export function likelyDelimiter(firstLine: string): string | undefined {
  let best: string | undefined;
  let bestCount = 0;
  for (const candidate of CANDIDATES) {
    const count = firstLine.split(candidate).length - 1;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

/**
 * Counts fields per record (quotes may hold delimiters and newlines; a doubled quote escapes) and
 * returns the first record whose count differs from the first record's. `complete` says whether
 * `text` is the whole file; if not, the last, possibly cut, record is ignored.
 */
export function findRaggedLine(text: string, delimiter: string, quote = '"', complete = true): RaggedLine | undefined {
  let expected: number | undefined;
  let fields = 1;
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  let recordHasContent = false;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const endRecord = (): RaggedLine | undefined => {
    if (recordHasContent) {
      if (expected === undefined) expected = fields;
      else if (fields !== expected) return { line: recordLine, expected, found: fields };
    }
    fields = 1;
    recordHasContent = false;
    return undefined;
  };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (inQuotes) {
      if (ch === quote) {
        if (body[i + 1] === quote) i++;
        else inQuotes = false;
      } else if (ch === '\n') line++;
      continue;
    }
    if (ch === quote && quote !== '') {
      inQuotes = true;
      recordHasContent = true;
    } else if (ch === delimiter) {
      fields++;
      recordHasContent = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i++;
      const bad = endRecord();
      if (bad) return bad;
      line++;
      recordLine = line;
    } else if (ch !== ' ') {
      recordHasContent = true;
    }
  }
  return complete && !inQuotes ? endRecord() : undefined;
}

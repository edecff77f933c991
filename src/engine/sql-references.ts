import type { TokenText } from './sql-statements';

/** The tables a statement reads and the ones it creates, by name (lower case, unqualified). */
export interface StatementReferences {
  reads: string[];
  creates: string[];
}

const SOURCE_KEYWORDS = new Set(['FROM', 'JOIN', 'INTO', 'UPDATE', 'USING', 'TABLE', 'DESCRIBE', 'SUMMARIZE']);
const CREATED_KINDS = new Set(['TABLE', 'VIEW']);

function unquote(text: string): string {
  return text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1).replace(/""/g, '"') : text;
}

/** `schema.table` or `db.schema.table` starting at `i`: returns the last part and the index after it. */
function qualifiedName(words: TokenText[], i: number): { name: string; next: number } | undefined {
  const first = words[i];
  if (!first || (first.kind !== 'identifier' && first.kind !== 'keyword')) return undefined;
  let name = unquote(first.text);
  let j = i + 1;
  while (words[j]?.text === '.' && words[j + 1]) {
    name = unquote(words[j + 1]!.text);
    j += 2;
  }
  return { name: name.toLowerCase(), next: j };
}

/**
 * Table references from DuckDB's tokens, for statements its parser refuses to analyze (a USING join
 * over tables that do not exist yet, a table function that would be evaluated, a syntax error). It
 * reads the identifier after FROM/JOIN/INTO/UPDATE/TABLE, skips names a WITH clause defines, and
 * takes the name after CREATE [OR REPLACE] [TEMP] TABLE|VIEW [IF NOT EXISTS] as created.
 */
export function referencesFromTokens(words: TokenText[]): StatementReferences {
  const reads = new Set<string>();
  const creates = new Set<string>();
  const cteNames = new Set<string>();
  const upper = (i: number) => words[i]?.text.toUpperCase() ?? '';

  for (let i = 0; i < words.length; i++) {
    const word = upper(i);
    if (word === 'WITH' || (word === ',' && cteNames.size > 0)) {
      let j = i + 1;
      if (upper(j) === 'RECURSIVE') j++;
      const cte = qualifiedName(words, j);
      if (cte && upper(cte.next) === 'AS') cteNames.add(cte.name);
      else if (cte && upper(cte.next) === '(') {
        // WITH x(a, b) AS (...)
        let k = cte.next;
        while (k < words.length && !words[k]!.text.includes(')')) k++;
        if (upper(k + 1) === 'AS') cteNames.add(cte.name);
      }
      continue;
    }
    if (word === 'CREATE') {
      let j = i + 1;
      if (upper(j) === 'OR' && upper(j + 1) === 'REPLACE') j += 2;
      if (['TEMP', 'TEMPORARY'].includes(upper(j))) j++;
      if (!CREATED_KINDS.has(upper(j))) continue;
      j++;
      if (upper(j) === 'IF' && upper(j + 1) === 'NOT' && upper(j + 2) === 'EXISTS') j += 3;
      const created = qualifiedName(words, j);
      if (created) creates.add(created.name);
      i = (created?.next ?? j) - 1;
      continue;
    }
    if (!SOURCE_KEYWORDS.has(word)) continue;
    if (word === 'USING' && upper(i + 1) === '(') continue;
    const ref = qualifiedName(words, i + 1);
    if (!ref || words[i + 1]?.kind === 'keyword') continue;
    // A table function (read_csv(...)) is not a table.
    if (upper(ref.next) === '(') continue;
    if (!cteNames.has(ref.name)) reads.add(ref.name);
  }
  for (const created of creates) reads.delete(created);
  return { reads: [...reads], creates: [...creates] };
}

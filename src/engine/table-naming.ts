/**
 * Table names derived from file names: the stem, lower-cased, non-identifier characters folded to
 * `_`, never empty, never starting with a digit, never a reserved word, and unique among `taken`.
 */
const RESERVED = new Set([
  'all', 'analyse', 'analyze', 'and', 'any', 'array', 'as', 'asc', 'asymmetric', 'both', 'case', 'cast',
  'check', 'collate', 'column', 'constraint', 'create', 'default', 'deferrable', 'desc', 'distinct', 'do',
  'else', 'end', 'except', 'false', 'fetch', 'for', 'foreign', 'from', 'grant', 'group', 'having', 'in',
  'initially', 'intersect', 'into', 'lateral', 'leading', 'limit', 'not', 'null', 'offset', 'on', 'only',
  'or', 'order', 'placing', 'primary', 'references', 'returning', 'select', 'some', 'symmetric', 'table',
  'then', 'to', 'trailing', 'true', 'union', 'unique', 'using', 'variadic', 'when', 'where', 'window', 'with',
  'pivot', 'unpivot', 'qualify', 'summarize', 'describe', 'show',
]);

const KNOWN_EXTENSIONS = /\.(csv|tsv|txt|parquet|pq|json|ndjson|jsonl)(\.gz)?$/i;

export function fileStem(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const withoutExt = base.replace(KNOWN_EXTENSIONS, '');
  return withoutExt === base ? base.replace(/\.[^.]*$/, '') || base : withoutExt;
}

export function sanitizeTableName(raw: string, keywords: ReadonlySet<string> = RESERVED): string {
  // Accents are dropped (Café → cafe) but letters of every script stay: DuckDB accepts them
  // unquoted, and a Korean or Chinese file name should give a table name its owner can read.
  let name = raw
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_]+/gu, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (name === '') name = 'data';
  if (/^[0-9]/.test(name)) name = `t_${name}`;
  if (keywords.has(name) || RESERVED.has(name)) name = `${name}_`;
  return name.slice(0, 63);
}

export function uniqueName(base: string, taken: Iterable<string>): string {
  const lower = new Set([...taken].map((t) => t.toLowerCase()));
  if (!lower.has(base)) return base;
  for (let i = 2; ; i++) {
    const candidate = `${base}_${i}`;
    if (!lower.has(candidate)) return candidate;
  }
}

export function tableNameForFile(fileName: string, taken: Iterable<string>, keywords?: ReadonlySet<string>): string {
  return uniqueName(sanitizeTableName(fileStem(fileName), keywords), taken);
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function formatOf(fileName: string): 'csv' | 'parquet' | 'ndjson' | undefined {
  const lower = fileName.toLowerCase().replace(/\.gz$/, '');
  if (/\.(csv|tsv|txt)$/.test(lower)) return 'csv';
  if (/\.(parquet|pq)$/.test(lower)) return 'parquet';
  if (/\.(json|ndjson|jsonl)$/.test(lower)) return 'ndjson';
  return undefined;
}

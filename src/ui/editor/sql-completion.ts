// SQL completion from the text, the cursor and the engine's catalog. Pure: no Monaco, no DOM.
//
//   - `alias.` / `table.`           → that table's columns (aliases come from FROM/JOIN in the statement)
//   - after FROM, JOIN, INTO, …     → tables and table functions
//   - anywhere else                 → columns of the tables the statement reads, tables, functions, keywords
//   - inside a string or a comment  → nothing
// What has been typed of the current word filters the items (case-insensitive prefix match).

import type { Catalog, CatalogTable } from './catalog';
import { identifierOf, isSignificant, stringValueOf, tokenizeSql, type SqlToken } from './sql-lexer';
import { CLAUSE_WORDS, DUCKDB_FUNCTIONS, SQL_KEYWORDS, TABLE_CONTEXT_WORDS } from './sql-vocabulary';

export type CompletionKind = 'table' | 'column' | 'function' | 'keyword';

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  detail?: string;
  insertText: string;
  /** `insertText` is a snippet: `$0` marks where the cursor goes. */
  snippet?: boolean;
}

export interface SqlCompletions {
  /** In the order to show them. */
  items: CompletionItem[];
  /** Offset where the text the items replace begins: the start of what has been typed of the word. */
  from: number;
  /** End of the replaced text when inserting (the cursor). */
  to: number;
  /** End of the replaced text when overwriting the rest of the word. */
  replaceTo: number;
}

interface TableRef {
  table: CatalogTable;
  alias: string | undefined;
}

/** A statement's significant tokens plus the source text, for the parsing helpers below. */
interface Scan {
  sql: string;
  tokens: SqlToken[];
}

export function completeSql(sql: string, offset: number, catalog: Catalog): SqlCompletions {
  const all = tokenizeSql(sql);
  const none: SqlCompletions = { items: [], from: offset, to: offset, replaceTo: offset };
  const current = all.find((t) => t.start < offset && offset <= t.end);

  let from = offset;
  let replaceTo = offset;
  let typed = '';
  let quoted = false;
  if (current) {
    if (isInsideLiteral(sql, current, offset) || current.kind === 'number') return none;
    if (current.kind === 'word') {
      from = current.start;
      replaceTo = current.end;
      typed = sql.slice(current.start, offset);
    } else if (current.kind === 'quoted') {
      from = current.start;
      quoted = true;
      replaceTo = current.closed ? current.end : offset;
      const atClosingQuote = current.closed && offset === current.end;
      typed = identifierOf(sql, { ...current, end: offset, closed: atClosingQuote });
    }
  }

  const statement = statementAround(sql, all, from, offset);
  const scan: Scan = { sql, tokens: statement.filter(isSignificant) };
  const before = scan.tokens.filter((t) => t.end <= from);
  const refs = tableRefs(scan, catalog);
  const result = (items: CompletionItem[]): SqlCompletions => ({
    items: items.filter((item) => matches(item, typed, quoted)),
    from,
    to: offset,
    replaceTo,
  });

  // `alias.` or `table.` (written right against the dot, as people do).
  const dot = before.at(-1);
  const owner = before.at(-2);
  if (dot && dot.end === from && sql.slice(dot.start, dot.end) === '.') {
    if (!owner || owner.end !== dot.start || (owner.kind !== 'word' && owner.kind !== 'quoted')) return none;
    const name = identifierOf(sql, owner);
    const table = resolveQualifier(name, refs, catalog);
    if (table) return result(columnItems([table], quoted, false));
    // `main.` and other schema names: the tables.
    return result(isSchemaName(name) ? tableItems(catalog, quoted) : []);
  }

  if (inTableContext(scan, before)) {
    return result(quoted ? tableItems(catalog, true) : [...tableItems(catalog, false), ...functionItems(true)]);
  }

  const columnsFrom = refs.length > 0 ? dedupeTables(refs.map((r) => r.table)) : catalog.tables;
  if (quoted) return result([...columnItems(columnsFrom, true, true), ...tableItems(catalog, true)]);
  return result([
    ...columnItems(columnsFrom, false, true),
    ...tableItems(catalog, false),
    ...functionItems(false),
    ...keywordItems(typed),
  ]);
}

/** True when the cursor sits inside a string literal or a comment (the token `token`). */
function isInsideLiteral(sql: string, token: SqlToken, offset: number): boolean {
  if (token.kind !== 'string' && token.kind !== 'comment') return false;
  if (offset < token.end) return true;
  // At the very end: an unclosed string/block comment, or a `--` comment (it runs to the newline).
  return !token.closed || (token.kind === 'comment' && sql.startsWith('--', token.start));
}

/** The tokens of the statement (between semicolons) that holds the cursor. */
function statementAround(sql: string, tokens: SqlToken[], from: number, offset: number): SqlToken[] {
  let first = 0;
  let last = tokens.length;
  tokens.forEach((t, i) => {
    if (t.kind !== 'punct' || sql[t.start] !== ';') return;
    if (t.end <= from) first = i + 1;
    else if (t.start >= offset && last === tokens.length) last = i;
  });
  return tokens.slice(first, last);
}

function matches(item: CompletionItem, typed: string, quoted: boolean): boolean {
  if (quoted && item.kind !== 'table' && item.kind !== 'column') return false;
  return item.label.toLowerCase().startsWith(typed.toLowerCase());
}

// ---- table references --------------------------------------------------------------------------

/** `FROM a [AS] x, b y JOIN c AS z`, `UPDATE t`, `INSERT INTO t`: the catalog tables named and their aliases. */
function tableRefs(scan: Scan, catalog: Catalog): TableRef[] {
  const refs: TableRef[] = [];
  const { tokens } = scan;
  for (let i = 0; i < tokens.length; i++) {
    const word = wordAt(scan, i);
    if (word !== 'from' && word !== 'join' && word !== 'update' && word !== 'into') continue;
    let k = i + 1;
    for (;;) {
      const parsed = parseTableRef(scan, k);
      k = parsed.next;
      const table = parsed.name === undefined ? undefined : findTable(catalog, parsed.name);
      if (table) refs.push({ table, alias: parsed.alias });
      if (word !== 'from' || textAt(scan, k) !== ',') break;
      k++;
    }
    i = Math.max(i, k - 1);
  }
  return refs;
}

/** One table reference starting at token `k`: its (last) name part and alias, and the token after it. */
function parseTableRef(scan: Scan, start: number): { name: string | undefined; alias: string | undefined; next: number } {
  const { sql, tokens } = scan;
  let k = start;
  let name: string | undefined;
  const first = tokens[k];
  if (!first) return { name, alias: undefined, next: k };
  if (textAt(scan, k) === '(') {
    k = skipParens(scan, k); // a subquery or VALUES list
  } else if (first.kind === 'string') {
    name = fileStem(stringValueOf(sql, first));
    k++;
  } else if (first.kind === 'quoted' || (first.kind === 'word' && !CLAUSE_WORDS.has(wordAt(scan, k)!))) {
    name = identifierOf(sql, first);
    k++;
    while (textAt(scan, k) === '.' && isName(tokens[k + 1])) {
      name = identifierOf(sql, tokens[k + 1]!);
      k += 2;
    }
    if (textAt(scan, k) === '(') {
      name = undefined; // a table function: read_csv('…')
      k = skipParens(scan, k);
    }
  } else {
    return { name, alias: undefined, next: k };
  }

  let alias: string | undefined;
  if (wordAt(scan, k) === 'as') k++;
  const candidate = tokens[k];
  if (candidate && (candidate.kind === 'quoted' || (candidate.kind === 'word' && !CLAUSE_WORDS.has(wordAt(scan, k)!)))) {
    alias = identifierOf(sql, candidate);
    k++;
    if (textAt(scan, k) === '(') k = skipParens(scan, k); // column aliases: t(a, b)
  }
  return { name, alias, next: k };
}

function resolveQualifier(name: string, refs: TableRef[], catalog: Catalog): CatalogTable | undefined {
  const key = name.toLowerCase();
  return (
    refs.find((r) => r.alias?.toLowerCase() === key)?.table ??
    refs.find((r) => r.alias === undefined && r.table.name.toLowerCase() === key)?.table ??
    findTable(catalog, name)
  );
}

function findTable(catalog: Catalog, name: string): CatalogTable | undefined {
  const key = name.toLowerCase();
  return catalog.tables.find((t) => t.name.toLowerCase() === key);
}

/** `data/orders.csv.gz` → `orders`: the name a data file is registered under. */
function fileStem(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path;
  return base.split('.')[0] ?? base;
}

function isSchemaName(name: string): boolean {
  return ['main', 'memory', 'temp'].includes(name.toLowerCase());
}

/** Is the cursor where a table name goes: after FROM/JOIN/INTO/…, or after a comma in a FROM list? */
function inTableContext(scan: Scan, before: SqlToken[]): boolean {
  const prev = before.at(-1);
  if (!prev) return false;
  const index = before.length - 1;
  if (prev.kind === 'word') return TABLE_CONTEXT_WORDS.has(wordAt(scan, index)!);
  if (textAt(scan, index) !== ',') return false;
  // Walk back over the list at this parenthesis depth to the clause that holds it.
  let depth = 0;
  for (let i = index - 1; i >= 0; i--) {
    const text = textAt(scan, i);
    if (text === ')') depth++;
    else if (text === '(') {
      if (depth === 0) return false;
      depth--;
    } else if (depth === 0 && scan.tokens[i]!.kind === 'word') {
      const word = wordAt(scan, i)!;
      if (word === 'from') return true;
      if (CLAUSE_WORDS.has(word) && word !== 'as') return false;
    }
  }
  return false;
}

// ---- items -------------------------------------------------------------------------------------

function tableItems(catalog: Catalog, quoted: boolean): CompletionItem[] {
  return [...catalog.tables]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((t) => ({
      label: t.name,
      kind: 'table' as const,
      detail: `table · ${t.columns.length} column${t.columns.length === 1 ? '' : 's'}`,
      insertText: quoteIdentifier(t.name, quoted),
    }));
}

function columnItems(tables: readonly CatalogTable[], quoted: boolean, withTable: boolean): CompletionItem[] {
  const seen = new Set<string>();
  const items: CompletionItem[] = [];
  for (const table of tables) {
    for (const column of table.columns) {
      const key = column.name.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      items.push({
        label: column.name,
        kind: 'column',
        detail: withTable ? `${column.type} · ${table.name}` : column.type,
        insertText: quoteIdentifier(column.name, quoted),
      });
    }
  }
  return items;
}

function functionItems(tableFunctions: boolean): CompletionItem[] {
  return DUCKDB_FUNCTIONS.filter((f) => (f.group === 'table') === tableFunctions)
    .map((f) => ({
      label: f.name,
      kind: 'function' as const,
      detail: `${f.name}${f.signature} · ${f.group}`,
      insertText: `${f.name}($0)`,
      snippet: true,
    }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

/** Keywords, lower-cased when the user types in lower case. */
function keywordItems(typed: string): CompletionItem[] {
  const lower = typed !== '' && typed === typed.toLowerCase() && /[a-z]/.test(typed);
  return SQL_KEYWORDS.map((k) => ({ label: k, kind: 'keyword' as const, insertText: lower ? k.toLowerCase() : k }));
}

/** The identifier as SQL text: bare when it can be, in double quotes otherwise (or when asked). */
export function quoteIdentifier(name: string, always = false): string {
  if (!always && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !CLAUSE_WORDS.has(name.toLowerCase())) return name;
  return `"${name.replaceAll('"', '""')}"`;
}

function dedupeTables(tables: CatalogTable[]): CatalogTable[] {
  return tables.filter((t, i) => tables.indexOf(t) === i);
}

// ---- token helpers -----------------------------------------------------------------------------

function textAt(scan: Scan, i: number): string | undefined {
  const t = scan.tokens[i];
  return t && scan.sql.slice(t.start, t.end);
}

function wordAt(scan: Scan, i: number): string | undefined {
  const t = scan.tokens[i];
  return t?.kind === 'word' ? scan.sql.slice(t.start, t.end).toLowerCase() : undefined;
}

function isName(t: SqlToken | undefined): boolean {
  return t?.kind === 'word' || t?.kind === 'quoted';
}

/** Index just past the `)` that closes the `(` at `open` (or the end). */
function skipParens(scan: Scan, open: number): number {
  let depth = 0;
  for (let i = open; i < scan.tokens.length; i++) {
    const text = textAt(scan, i);
    if (text === '(') depth++;
    else if (text === ')' && --depth === 0) return i + 1;
  }
  return scan.tokens.length;
}

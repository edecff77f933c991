import { LakebookError } from './errors';
import type { SqlToken } from './driver';

/** One statement of a cell, located in the cell's text. */
export interface Statement {
  text: string;
  /** Offset of the statement's first character in the cell text. */
  start: number;
  /** Upper-cased first keyword or operator, e.g. `SELECT`, `WITH`, `(`, `CREATE`. */
  lead: string;
  words: TokenText[];
}

export interface TokenText {
  kind: SqlToken['kind'];
  text: string;
  offset: number;
}

export function tokenTexts(sql: string, tokens: SqlToken[]): TokenText[] {
  const out: TokenText[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const end = i + 1 < tokens.length ? tokens[i + 1]!.offset : sql.length;
    const text = sql.slice(t.offset, end).trimEnd();
    if (t.kind !== 'comment' && text.length > 0) out.push({ kind: t.kind, text, offset: t.offset });
  }
  return out;
}

/** Splits a cell into statements at top-level semicolons, using DuckDB's own tokenizer output. */
export function splitStatements(sql: string, tokens: SqlToken[]): Statement[] {
  const words = tokenTexts(sql, tokens);
  const statements: Statement[] = [];
  let current: TokenText[] = [];
  const flush = (endOffset: number) => {
    if (current.length === 0) return;
    const start = current[0]!.offset;
    statements.push({
      text: sql.slice(start, endOffset).trim(),
      start,
      lead: current[0]!.text.toUpperCase(),
      words: current,
    });
    current = [];
  };
  for (const w of words) {
    // The tokenizer may glue `;` to a neighbouring operator (`);`), so split on its presence.
    if (w.kind === 'operator' && w.text.includes(';')) {
      const before = w.text.slice(0, w.text.indexOf(';'));
      if (before.trim()) current.push({ ...w, text: before.trim() });
      flush(w.offset + w.text.indexOf(';'));
      continue;
    }
    current.push(w);
  }
  flush(sql.length);
  return statements;
}

const QUERY_LEADS = new Set(['SELECT', 'WITH', 'FROM', 'VALUES', 'TABLE', 'PIVOT', 'UNPIVOT', '(']);
const SUBQUERY_LEADS = new Set(['DESCRIBE', 'SHOW', 'SUMMARIZE']);

/** How the last statement of a cell is kept for paging. */
export function resultShape(statement: Statement): 'query' | 'subquery' | 'statement' {
  if (QUERY_LEADS.has(statement.lead) || statement.lead.startsWith('(')) return 'query';
  if (SUBQUERY_LEADS.has(statement.lead)) return 'subquery';
  return 'statement';
}

const REMOTE_URL = /^'\s*(https?|s3|s3a|s3n|gcs|gs|r2|az|azure|abfss|hf|ftp|wss?):\/\//i;
/** A quoted name is a file path too: `FROM "https://…/x.csv"` is DuckDB's replacement scan of that URL. */
const REMOTE_NAME = /^"\s*(https?|s3|s3a|s3n|gcs|gs|r2|az|azure|abfss|hf|ftp|wss?):\/\//i;
const LOCKED_SETTINGS = new Set([
  'autoload_known_extensions',
  'autoinstall_known_extensions',
  'custom_extension_repository',
  'autoinstall_extension_repository',
  'allow_unsigned_extensions',
  'allow_community_extensions',
  'extension_directory',
]);

const OFFLINE_ADVICE =
  'lakebook runs offline and never sends your data or queries over the network.';

/**
 * Refuses, before DuckDB sees them, statements that would reach for the network: extension
 * installs and loads, remote URLs, and settings that would re-enable extension autoloading.
 */
export function refuseNetworkAccess(statement: Statement, cellSql: string): void {
  const w = statement.words;
  const upper = (i: number) => (w[i] ? w[i]!.text.toUpperCase() : '');
  const at = (offset: number) => positionOf(cellSql, offset);
  const where = (offset: number) => {
    const p = at(offset);
    return ` (line ${p.line}, column ${p.column})`;
  };
  if (upper(0) === 'INSTALL' || upper(0) === 'LOAD' || (upper(0) === 'FORCE' && upper(1) === 'INSTALL')) {
    const name = (upper(0) === 'FORCE' ? w[2]?.text : w[1]?.text) ?? 'an extension';
    throw new LakebookError(
      'network-refused',
      `${upper(0) === 'LOAD' ? 'LOAD' : 'INSTALL'} ${name}: DuckDB extensions cannot be installed or loaded here. ${OFFLINE_ADVICE} ` +
        'Parquet, CSV and NDJSON files load with "Add files"; query them by table name.' + where(w[0]!.offset),
      { sql: statement.text, position: at(w[0]!.offset) },
    );
  }
  if (upper(0) === 'SET' || upper(0) === 'RESET') {
    const nameAt = ['GLOBAL', 'SESSION', 'LOCAL'].includes(upper(1)) ? 2 : 1;
    const setting = w[nameAt];
    if (setting && LOCKED_SETTINGS.has(setting.text.toLowerCase())) {
      throw new LakebookError(
        'network-refused',
        `${setting.text} cannot be changed: extensions are never downloaded. ${OFFLINE_ADVICE}${where(setting.offset)}`,
        { sql: statement.text, position: at(setting.offset) },
      );
    }
  }
  for (const word of w) {
    if ((word.kind === 'string' && REMOTE_URL.test(word.text)) || (word.kind === 'identifier' && REMOTE_NAME.test(word.text))) {
      throw new LakebookError(
        'network-refused',
        `${word.text.slice(0, 80)} is a remote address. ${OFFLINE_ADVICE} Download the file and add it with "Add files".${where(word.offset)}`,
        { sql: statement.text, position: at(word.offset) },
      );
    }
  }
}

export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

const MEMORY_SETTINGS = new Set(['memory_limit', 'max_memory']);

/**
 * `RESET memory_limit` is rewritten as `SET memory_limit = '<the engine's default>'`. DuckDB 1.4.3's
 * RESET puts the setting's text back but leaves the buffer pool at the old limit, so after
 * `SET memory_limit = '64MB'; RESET memory_limit` every larger query still ran out of memory while
 * `current_setting('memory_limit')` claimed 3.1 GiB.
 */
export function rewriteMemoryReset(statement: Statement, defaultLimit: string): Statement {
  const w = statement.words;
  if (w[0]?.text.toUpperCase() !== 'RESET') return statement;
  const nameAt = ['GLOBAL', 'SESSION', 'LOCAL'].includes(w[1]?.text.toUpperCase() ?? '') ? 2 : 1;
  const setting = w[nameAt]?.text.toLowerCase();
  if (setting === undefined || !MEMORY_SETTINGS.has(setting) || w.length !== nameAt + 1) return statement;
  return { ...statement, text: `SET memory_limit = '${defaultLimit.replace(/'/g, "''")}'`, lead: 'SET' };
}

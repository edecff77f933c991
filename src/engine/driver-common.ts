import type { SqlTokenKind } from './driver';

/** DuckDB-WASM's TokenType enum, in its order. */
const TOKEN_KINDS: SqlTokenKind[] = ['identifier', 'number', 'string', 'operator', 'keyword', 'comment'];

export function tokenKind(type: number): SqlTokenKind {
  return TOKEN_KINDS[type] ?? 'identifier';
}

/**
 * Run on every connection. Extension autoloading would fetch from the internet and, offline, fail
 * with misleading errors that can poison the instance; with it off the user gets a clean Catalog
 * Error that we translate. The repository points at our own origin so that any load DuckDB still
 * attempts can never leave it.
 */
export function connectionSettings(origin: string): string[] {
  return [
    'SET autoload_known_extensions = false',
    'SET autoinstall_known_extensions = false',
    `SET custom_extension_repository = '${origin.replace(/'/g, "''")}/duckdb-extensions-unavailable'`,
  ];
}

import type { SqlTokenKind } from './driver';

/** DuckDB-WASM's TokenType enum, in its order. */
const TOKEN_KINDS: SqlTokenKind[] = ['identifier', 'number', 'string', 'operator', 'keyword', 'comment'];

export function tokenKind(type: number): SqlTokenKind {
  return TOKEN_KINDS[type] ?? 'identifier';
}

/**
 * DuckDB's own default is 80 % of the 4 GiB WASM heap (3.1 GiB). Measured in headless Chromium with an
 * exponential recursive CTE: at 3.1 GiB the worker stopped answering for over 60 s (the watchdog
 * restarted it); at 2.5 GiB it failed cleanly with out-of-memory after 46 s; at 2 GiB after 9 s. What
 * the buffer manager does not count (result transfers, Arrow copies) needs the headroom.
 */
export const DEFAULT_MEMORY_LIMIT = '2GiB';

/**
 * Run on every connection. Extension autoloading would fetch from the internet and, offline, fail
 * with misleading errors that can poison the instance; with it off the user gets a clean Catalog
 * Error that we translate. The repository points at our own origin so that any load DuckDB still
 * attempts can never leave it.
 */
export function connectionSettings(origin: string): string[] {
  return [
    `SET memory_limit = '${DEFAULT_MEMORY_LIMIT}'`,
    'SET autoload_known_extensions = false',
    'SET autoinstall_known_extensions = false',
    `SET custom_extension_repository = '${origin.replace(/'/g, "''")}/duckdb-extensions-unavailable'`,
  ];
}

import { describe, expect, it } from 'vitest';
import { isEngineTrap, translateDuckDbError } from './error-translation';

describe('translateDuckDbError', () => {
  it('reads structured errors of pending queries and maps the offset into the cell', () => {
    const raw = JSON.stringify({ exception_type: 'Parser', exception_message: 'syntax error at or near "x"\n\nLINE 1: ...', position: '9' });
    const cell = 'SELECT 1;\nSELECT * FORM x';
    const error = translateDuckDbError(new Error(raw), { sql: 'SELECT * FORM x', cellSql: cell, statementStart: 10 });
    expect(error.code).toBe('syntax');
    expect(error.userMessage).toBe('Parser Error: syntax error at or near "x" (line 2, column 10)');
    expect(error.position).toEqual({ line: 2, column: 10 });
  });

  it('drops system-table suggestions that only confuse', () => {
    const error = translateDuckDbError(new Error('Catalog Error: Table with name nope does not exist!\nDid you mean "pg_enum"?'));
    expect(error.userMessage).toBe('Catalog Error: Table with name nope does not exist!');
  });

  it('explains extensions missing from the catalog', () => {
    const error = translateDuckDbError(
      new Error('Catalog Error: Table Function with name "read_parquet" is not in the catalog, but it exists in the parquet extension.\n\nPlease try installing'),
    );
    expect(error.code).toBe('missing-extension');
    expect(error.userMessage).toMatch(/^read_parquet needs DuckDB's parquet extension, which is unavailable offline/);
  });

  it('explains extensions DuckDB tried to autoload anyway', () => {
    const error = translateDuckDbError(
      new Error("Extension Autoloading Error: An error occurred while trying to automatically install the required extension 'icu':\nExtension \"http://x/icu.duckdb_extension.wasm\" could not be loaded"),
    );
    expect(error.code).toBe('missing-extension');
    expect(error.userMessage).toMatch(/icu extension, which is unavailable offline.*UTC/);
  });

  it('says out-of-memory is recoverable', () => {
    const error = translateDuckDbError(new Error('Out of Memory Error: failed to allocate data of size 1.0 GiB (3.1 GiB/3.1 GiB used)'));
    expect(error.code).toBe('out-of-memory');
    expect(error.userMessage).toMatch(/Nothing was lost/);
  });

  it('recognizes WASM traps', () => {
    expect(isEngineTrap('RuntimeError: unreachable')).toBe(true);
    expect(isEngineTrap('Binder Error: column x not found')).toBe(false);
  });
});

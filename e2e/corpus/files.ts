// The hostile files of the corpus (docs/corpus.md), generated deterministically into e2e/.data/corpus/.
// Text files are written byte for byte here; Parquet files by native DuckDB (@duckdb/node-api), which
// reads nothing from the app. Spark's INT96 file is vendored (fixtures/README.md): DuckDB cannot write INT96.
//
// Adding a file: one entry in CORPUS_FILES (its bytes), then a case in cases.ts that uses it.
// Bump CORPUS_VERSION when an entry changes: the next run rewrites e2e/.data/corpus/.

import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DuckDBConnection } from '@duckdb/node-api';

const CORPUS_VERSION = '2';

export const CORPUS_DIR = fileURLToPath(new URL('../.data/corpus/', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

type Maker =
  | { text: string }
  | { bytes: () => Uint8Array }
  | { parquet: string }
  | { derived: () => Uint8Array }
  | { copy: string };

const utf16 = (text: string, order: 'le' | 'be'): Uint8Array => {
  const out = new Uint8Array(2 + text.length * 2);
  out.set(order === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const [hi, lo] = [unit >> 8, unit & 0xff];
    out.set(order === 'le' ? [lo, hi] : [hi, lo], 2 + 2 * i);
  }
  return out;
};

const latin1 = (text: string): Uint8Array => Uint8Array.from(text, (ch) => {
  const code = ch.charCodeAt(0);
  if (code > 0xff) throw new Error(`not Latin-1: ${ch}`);
  return code;
});

/** 10,000 columns c1…c10000; row r (1–3) holds r * 100000 + column number. */
function wideCsv(): string {
  const columns = 10_000;
  const lines = [Array.from({ length: columns }, (_, i) => `c${i + 1}`).join(',')];
  for (let r = 1; r <= 3; r++) lines.push(Array.from({ length: columns }, (_, i) => String(r * 100_000 + i + 1)).join(','));
  return lines.join('\n') + '\n';
}

/** A 3,000,000-character field (longer than DuckDB's default 2 MB max_line_size) between short lines. */
function longLineCsv(): string {
  return `id,payload\n1,${'x'.repeat(3_000_000)}\n2,short\n`;
}

/** small.parquet with its footer (Thrift file metadata) overwritten; length and magic stay intact. */
function corruptFooter(): Uint8Array {
  const whole = new Uint8Array(readFileSync(join(CORPUS_DIR, 'small.parquet')));
  const view = new DataView(whole.buffer);
  const metadataLength = view.getUint32(whole.byteLength - 8, true);
  const start = whole.byteLength - 8 - metadataLength;
  for (let i = start; i < whole.byteLength - 8; i++) whole[i] = (i * 37 + 11) & 0xff;
  return whole;
}

export const CORPUS_FILES = {
  // ---- CSV shapes
  'ragged.csv': { text: 'a,b,c\n1,x,10\n2,y,20\n3,z,30,extra,more\n4,w,40\n5,v,50\n' },
  'ragged_semicolon.csv': { text: 'a;b;c\n1;2;3\n4;5;6;7;8\n9;10;11\n' },
  'quoted.csv': { text: 'id,name,note\n1,"Smith, John","He said ""hi"""\n2,plain,"semi;colon, and comma"\n3,"",\n' },
  'unterminated_quote.csv': { text: 'a,b\n1,"unterminated\n2,3\n4,5\n' },
  'multiline.csv': { text: 'id,text,after\n1,"line one\nline two",a\n2,"crlf\r\ninside",b\n3,single,c\n' },
  'empty.csv': { text: '' },
  'header_only.csv': { text: 'alpha,beta,gamma\n' },
  'duplicate_columns.csv': { text: 'id,name,name,ID\n1,first,second,2\n' },
  'non_ascii_columns.csv': { text: 'prénom,名前,Größe,with space,🙂,"quoted ""col"""\nÉlodie,太郎,1.5,a b,ok,q\n' },
  'select.csv': { text: 'select,from,where,group,order,limit\n1,2,3,4,5,6\n' },
  'mixed_newlines.csv': { text: 'id,word\r\n1,one\n2,two\r\n3,three\n4,four' },
  'wide_10k.csv': { text: wideCsv() },
  'long_line.csv': { text: longLineCsv() },
  // ---- encodings
  'bom_utf8.csv': { text: '\ufeffid,name\n1,café\n2,日本\n' },
  'utf16le.csv': { bytes: () => utf16('id,name\n1,café\n2,日本\n3,Ölçü\n', 'le') },
  'utf16be.csv': { bytes: () => utf16('id,name\n1,café\n2,日本\n3,Ölçü\n', 'be') },
  // Excel's "Unicode Text": UTF-16LE with a BOM, tab-separated, CRLF.
  'excel_unicode.txt': { bytes: () => utf16('id\tcity\tamount\r\n1\tKöln\t12.5\r\n2\tZürich\t7\r\n', 'le') },
  'latin1.csv': { bytes: () => latin1('id,name,city\n1,café,Zürich\n2,Ñandú,São Paulo\n3,plain,Oslo\n') },
  // ---- Parquet
  'small.parquet': { parquet: "SELECT i AS id, 'row ' || i AS label, i * 1.5 AS value FROM range(5000) t(i) ORDER BY i" },
  'truncated.parquet': { derived: () => {
    const whole = readFileSync(join(CORPUS_DIR, 'small.parquet'));
    return whole.subarray(0, Math.floor(whole.byteLength * 0.6));
  } },
  'corrupt_footer.parquet': { derived: () => corruptFooter() },
  'not_parquet.parquet': { text: 'This is not a Parquet file.\nIt is plain text that happens to be named .parquet.\n' },
  'zero_rowgroups.parquet': { parquet: "SELECT 1::INTEGER AS id, 'x'::VARCHAR AS name, DATE '2024-01-01' AS day WHERE false" },
  'nested.parquet': { parquet: `
    SELECT * FROM (VALUES
      (1, [1, 2, 3], {'a': 1, 'b': 'x'}, MAP {'k1': 10, 'k2': 20}, [{'p': 1.5}], [[1], [2, 3]]),
      (2, [], {'a': NULL, 'b': 'y'}, MAP {}, [], [[]]),
      (3, NULL, NULL, NULL, NULL, NULL)
    ) t(id, ints, rec, m, list_of_struct, nested_list)` },
  'decimals.parquet': { parquet: `
    SELECT * FROM (VALUES
      (1, 12.34::DECIMAL(4,2), 123456789012.345678::DECIMAL(18,6), '12345678901234567890123456.7890123456'::DECIMAL(38,10)),
      (2, -0.01::DECIMAL(4,2), -0.000001::DECIMAL(18,6), '-99999999999999999999999999.9999999999'::DECIMAL(38,10)),
      (3, NULL, 0::DECIMAL(18,6), 0::DECIMAL(38,10))
    ) t(id, d4, d18, d38)` },
  'spark_int96.parquet': { copy: 'spark_all_types.parquet' },
  // ---- NDJSON
  'broken.ndjson': { text: '{"id": 1, "name": "a"}\n{"id": 2, "name": "b"}\n{"id": 3, "name": \n{"id": 4, "name": "d"}\n' },
  // ---- data as attack (the payloads set window.__pwned or open a dialog if they ever run)
  'xss_values.csv': { text:
    '"<img src=x onerror=window.__pwned=1>",javascript:alert(1),plain\n' +
    '"<img src=x onerror=window.__pwned=1>","javascript:window.__pwned=1","<script>window.__pwned=1</script>"\n' +
    '"<svg onload=alert(1)>","<a href=""javascript:alert(1)"">x</a>",ok\n' },
  '<img src=x onerror=window.__pwned=1>.csv': { text: 'a\n1\n' },
  '"><svg onload=window.__pwned=1>.parquet': { text: 'not parquet <script>window.__pwned=1</script>\n' },
  'xss_keys.ndjson': { text: '{"<img src=x onerror=window.__pwned=1>": "<b onmouseover=alert(1)>bold</b>", "ok": 1}\n' },
  // A large file for faults during ingest: 2,000,000 rows in 16 row groups.
  'large.parquet': { parquet: `
    SELECT i AS id, 'name ' || (i % 1000) AS name, i * 0.5 AS amount, DATE '2024-01-01' + CAST(i % 365 AS INTEGER) AS day
    FROM range(2000000) t(i) ORDER BY i` },
} satisfies Record<string, Maker>;

export type CorpusFileName = keyof typeof CORPUS_FILES;

export function corpusFile(name: CorpusFileName): string {
  return join(CORPUS_DIR, name);
}

const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Writes every missing corpus file (all of them after a CORPUS_VERSION bump). */
export async function generateCorpusFiles(): Promise<void> {
  const stamp = join(CORPUS_DIR, '.corpus-version');
  if (existsSync(CORPUS_DIR) && (!existsSync(stamp) || readFileSync(stamp, 'utf8').trim() !== CORPUS_VERSION)) {
    rmSync(CORPUS_DIR, { recursive: true, force: true });
  }
  mkdirSync(CORPUS_DIR, { recursive: true });
  const missing = (Object.entries(CORPUS_FILES) as [string, Maker][]).filter(([name]) => !existsSync(join(CORPUS_DIR, name)));
  if (missing.length === 0) return;

  let instance: { closeSync(): void } | undefined;
  let con: DuckDBConnection | undefined;
  try {
    for (const [name, maker] of missing) {
      const target = join(CORPUS_DIR, name);
      const tmp = join(CORPUS_DIR, `.tmp-${process.pid}`);
      rmSync(tmp, { force: true });
      if ('text' in maker) writeFileSync(tmp, maker.text, 'utf8');
      else if ('bytes' in maker) writeFileSync(tmp, maker.bytes());
      else if ('copy' in maker) copyFileSync(join(FIXTURES, maker.copy), tmp);
      else if ('derived' in maker) writeFileSync(tmp, maker.derived());
      else {
        if (!con) {
          const { DuckDBInstance } = await import('@duckdb/node-api');
          const db = await DuckDBInstance.create(':memory:');
          instance = db;
          con = await db.connect();
        }
        const rowGroupSize = name === 'large.parquet' ? ', ROW_GROUP_SIZE 122880' : '';
        await con.run(`COPY (${maker.parquet}) TO ${sqlString(tmp)} (FORMAT parquet${rowGroupSize})`);
      }
      renameSync(tmp, target);
    }
  } finally {
    con?.closeSync();
    instance?.closeSync();
  }
  writeFileSync(stamp, CORPUS_VERSION + '\n');
}

// Regressions found by the hostile-input corpus (issue #10, docs/corpus.md), on the real engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from './node-engine';
import type { LakebookEngine } from './lakebook-engine';
import type { RowsResult } from './engine';
import { translateDuckDbError } from './error-translation';
import { failureOf, resultRows } from './test-helpers';

let engine: LakebookEngine;

const utf16 = (text: string, order: 'le' | 'be'): Uint8Array<ArrayBuffer> => {
  const out: number[] = order === 'le' ? [0xff, 0xfe] : [0xfe, 0xff];
  for (const unit of Array.from(text, (ch) => ch.charCodeAt(0))) out.push(...(order === 'le' ? [unit & 0xff, unit >> 8] : [unit >> 8, unit & 0xff]));
  return Uint8Array.from(out);
};

const rows = (sql: string) => resultRows(engine, sql);

const failure = failureOf;

beforeAll(async () => {
  engine = createNodeEngine();
  await engine.ready();
});
afterAll(() => engine.close());

describe('CSV encodings (were: UTF-16 refused, big-endian read as 0 rows by encoding=utf-16, Latin-1 refused)', () => {
  it('loads UTF-16 little- and big-endian files with their values', async () => {
    const text = 'id,name\n1,café\n2,日本\n';
    for (const order of ['le', 'be'] as const) {
      const info = await engine.addFile({ name: `u16${order}.csv`, blob: new Blob([utf16(text, order)]) });
      expect(info.rowCount).toBe(2);
      expect(info.notes).toEqual([]);
      expect(await rows(`SELECT id, name FROM u16${order} ORDER BY id`)).toEqual([['1', 'café'], ['2', '日本']]);
    }
  });

  it("loads Excel's Unicode Text (UTF-16LE, tabs, CRLF)", async () => {
    const info = await engine.addFile({ name: 'excel.txt', blob: new Blob([utf16('id\tcity\r\n1\tKöln\r\n2\tZürich\r\n', 'le')]) });
    expect(info.columns.map((c) => c.name)).toEqual(['id', 'city']);
    expect(await rows('SELECT city FROM excel ORDER BY id')).toEqual([['Köln'], ['Zürich']]);
  });

  it('reads a file that is not UTF-8 as Windows-1252 and says so', async () => {
    const latin1 = Uint8Array.from('id,name\n1,café\n2,Ñandú\n', (ch) => ch.charCodeAt(0));
    const info = await engine.addFile({ name: 'latin.csv', blob: new Blob([latin1]) });
    expect(info.notes.join(' ')).toMatch(/latin\.csv is not valid UTF-8, so it was read as Windows-1252/);
    expect(await rows('SELECT name FROM latin ORDER BY id')).toEqual([['café'], ['Ñandú']]);
  });
});

describe('CSV shapes', () => {
  it('loads a file with mixed line endings (was: the sniffer gave up with an empty "search space")', async () => {
    await engine.addFile({ name: 'mixed.csv', blob: new Blob(['id,word\r\n1,one\n2,two\r\n3,three\n4,four']) });
    expect(await rows('SELECT id, word FROM mixed ORDER BY id')).toEqual([['1', 'one'], ['2', 'two'], ['3', 'three'], ['4', 'four']]);
  });

  it('still refuses a ragged line in a file with mixed line endings (read leniently, so checked by lakebook)', async () => {
    const error = await failure(engine.addFile({ name: 'mixedragged.csv', blob: new Blob(['a,b\r\n1,2\n3,4,5\r\n6,7\n']) }));
    expect(error.code).toBe('csv-malformed');
    expect(error.userMessage).toMatch(/^mixedragged\.csv line 3: expected 2 fields/);
  });

  it('loads a line longer than DuckDB’s 2 MB default (was: refused with advice to set max_line_size)', async () => {
    await engine.addFile({ name: 'long.csv', blob: new Blob([`id,payload\n1,${'x'.repeat(3_000_000)}\n2,short\n`]) });
    expect(await rows('SELECT id, length(payload) FROM long ORDER BY id')).toEqual([['1', '3000000'], ['2', '5']]);
  });

  it('keeps a quoted empty field as an empty string; only an unquoted empty field is NULL', async () => {
    await engine.addFile({ name: 'quoted_empty.csv', blob: new Blob(['id,a,b\n1,"",\n2,x,y\n']) });
    expect(await rows("SELECT a = '', b IS NULL FROM quoted_empty WHERE id = 1")).toEqual([['true', 'true']]);
  });
});

describe('SQL', () => {
  it('RESET memory_limit gives the memory back (was: the buffer pool kept the lowered limit)', async () => {
    expect(await rows("SELECT current_setting('memory_limit')")).toEqual([['2.0 GiB']]);
    await engine.run("SET memory_limit = '64MB'");
    const oom = await failure(engine.run('SELECT count(*) FROM (SELECT i, md5(i::VARCHAR) AS h FROM range(3000000) t(i) ORDER BY h)'));
    expect(oom.code).toBe('out-of-memory');
    await engine.run('RESET memory_limit');
    expect(await rows('SELECT count(*) FROM (SELECT i, md5(i::VARCHAR) AS h FROM range(3000000) t(i) ORDER BY h)')).toEqual([['3000000']]);
  }, 120_000);

  it('refuses a remote URL written as a quoted name (DuckDB would scan it as a file)', async () => {
    const error = await failure(engine.run('SELECT *\nFROM "https://example.com/data.csv"'));
    expect(error.code).toBe('network-refused');
    expect(error.position).toEqual({ line: 2, column: 6 });
  });

  it('turns a request refused by the worker guard into a network refusal', () => {
    const error = translateDuckDbError(new Error('Invalid Error: Error: lakebook refused a network request to https://example.com/a.csv (lakebook runs offline…)'));
    expect(error.code).toBe('network-refused');
    expect(error.userMessage).toMatch(/^https:\/\/example\.com\/a\.csv is a remote address\. lakebook runs offline/);
  });
});

describe('wide results', () => {
  it('fetches only the columns asked for (was: every page cast all 10,000 columns, 13 s)', async () => {
    const select = Array.from({ length: 300 }, (_, i) => `${i} AS c${i}`).join(', ');
    const result = (await engine.run(`SELECT ${select}`)) as RowsResult;
    expect(result.columns).toHaveLength(300);
    const page = await engine.fetchPage(result, 0, 10, { start: 128, count: 64 });
    expect(page.rows).toEqual([Array.from({ length: 64 }, (_, i) => String(128 + i))]);
    const tail = await engine.fetchPage(result, 0, 10, { start: 256, count: 64 });
    expect(tail.rows[0]).toHaveLength(44);
  });
});

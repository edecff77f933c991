import { describe, expect, it } from 'vitest';
import { createMemoryStore, type BlobStore } from './blob-store';
import { StorageError } from './errors';
import { MAX_RECENT, createWorkspaceStore } from './workspace-store';

function setup(): { blobs: BlobStore; ws: ReturnType<typeof createWorkspaceStore> } {
  const blobs = createMemoryStore();
  return { blobs, ws: createWorkspaceStore(blobs) };
}

async function rejection(promise: Promise<unknown>): Promise<StorageError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof StorageError) return e;
    throw e;
  }
  throw new Error('expected a StorageError');
}

const csv = (text: string, name = 'orders.csv'): File =>
  new File([text], name, { type: 'text/csv', lastModified: 1_700_000_000_000 });

describe('notebooks', () => {
  it('saves and loads text and meta byte for byte', async () => {
    const { ws } = setup();
    const text = '---\ntitle: Orders\n---\n# Orders\r\n\n```sql name=x\nSELECT 1\n```\n';
    await ws.saveNotebook('nb1', text, { title: 'Orders', updatedAt: 1000 });
    expect(await ws.loadNotebook('nb1')).toEqual({ text, meta: { title: 'Orders', updatedAt: 1000 } });
    expect(await ws.loadNotebook('other')).toBeUndefined();
    expect(ws.kind).toBe('memory');
  });

  it('overwrites on save', async () => {
    const { ws } = setup();
    await ws.saveNotebook('nb', 'one', { title: 'A', updatedAt: 1 });
    await ws.saveNotebook('nb', 'two', { title: 'B', updatedAt: 2 });
    expect(await ws.loadNotebook('nb')).toEqual({ text: 'two', meta: { title: 'B', updatedAt: 2 } });
  });

  it('accepts any id, including ones that look like paths', async () => {
    const { ws, blobs } = setup();
    for (const id of ['..', 'a/b', 'Ünï code', '%2E']) {
      await ws.saveNotebook(id, `text of ${id}`, { title: id, updatedAt: 1 });
    }
    for (const id of ['..', 'a/b', 'Ünï code', '%2E']) {
      expect((await ws.loadNotebook(id))?.text).toBe(`text of ${id}`);
    }
    expect((await blobs.list('notebooks')).every((p) => p.split('/').length === 3)).toBe(true);
  });

  it('refuses an empty id and a bad meta', async () => {
    const { ws } = setup();
    expect((await rejection(ws.saveNotebook('', 'x', { title: '', updatedAt: 1 }))).code).toBe('invalid-path');
    await expect(ws.saveNotebook('a', 'x', { title: 'a', updatedAt: Number.NaN })).rejects.toThrow(TypeError);
  });

  it('loads a notebook whose meta is missing or broken, titled by its id', async () => {
    const { ws, blobs } = setup();
    await ws.saveNotebook('nb', 'text', { title: 'T', updatedAt: 5 });
    await blobs.put('notebooks/nb/meta.json', '{not json');
    expect(await ws.loadNotebook('nb')).toEqual({ text: 'text', meta: { title: 'nb', updatedAt: 0 } });
    expect(await ws.listRecent()).toEqual([{ notebookId: 'nb', title: 'nb', updatedAt: 0 }]);
  });
});

describe('listRecent', () => {
  it('lists newest first, at most 20', async () => {
    const { ws } = setup();
    expect(await ws.listRecent()).toEqual([]);
    for (let i = 0; i < 25; i++) {
      // Out of order on purpose: the order comes from updatedAt, not from saving or ids.
      const updatedAt = ((i * 7) % 25) * 100;
      await ws.saveNotebook(`nb${i}`, `text ${i}`, { title: `Notebook ${i}`, updatedAt });
    }
    const recent = await ws.listRecent();
    expect(recent).toHaveLength(MAX_RECENT);
    expect(MAX_RECENT).toBe(20);
    const times = recent.map((r) => r.updatedAt);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(recent[0]).toEqual({ notebookId: 'nb7', title: 'Notebook 7', updatedAt: 2400 });
    expect(times.at(-1)).toBe(500);
  });

  it('reflects a re-save and a delete', async () => {
    const { ws } = setup();
    await ws.saveNotebook('a', 'a', { title: 'A', updatedAt: 1 });
    await ws.saveNotebook('b', 'b', { title: 'B', updatedAt: 2 });
    await ws.saveNotebook('a', 'a2', { title: 'A2', updatedAt: 3 });
    expect((await ws.listRecent()).map((r) => r.notebookId)).toEqual(['a', 'b']);
    await ws.deleteNotebook('a');
    expect((await ws.listRecent()).map((r) => r.notebookId)).toEqual(['b']);
  });

  it('ignores data files and folders that are not notebooks', async () => {
    const { ws, blobs } = setup();
    await ws.saveNotebook('a', 'a', { title: 'A', updatedAt: 1 });
    await ws.saveDataFile('a', 'meta.json', csv('x'), null);
    await ws.saveDataFile('only-data', 'x.csv', csv('x'), null);
    await blobs.put('notebooks/%E0%A4%A/meta.json', '{}'); // not our encoding
    expect((await ws.listRecent()).map((r) => r.notebookId)).toEqual(['a']);
  });
});

describe('last opened', () => {
  it('remembers, replaces and forgets', async () => {
    const { ws } = setup();
    expect(await ws.lastOpened()).toBeUndefined();
    await ws.setLastOpened('a');
    expect(await ws.lastOpened()).toBe('a');
    await ws.setLastOpened('b');
    expect(await ws.lastOpened()).toBe('b');
    await ws.setLastOpened(undefined);
    expect(await ws.lastOpened()).toBeUndefined();
  });

  it('survives a new WorkspaceStore over the same blobs (a reload)', async () => {
    const { ws, blobs } = setup();
    await ws.saveNotebook('a/b', 'text', { title: 'T', updatedAt: 1 });
    await ws.setLastOpened('a/b');
    const again = createWorkspaceStore(blobs);
    const id = await again.lastOpened();
    expect(id).toBe('a/b');
    expect((await again.loadNotebook(id as string))?.text).toBe('text');
  });

  it('is forgotten when that notebook is deleted, kept when another is', async () => {
    const { ws } = setup();
    await ws.saveNotebook('a', 'a', { title: 'A', updatedAt: 1 });
    await ws.saveNotebook('b', 'b', { title: 'B', updatedAt: 1 });
    await ws.setLastOpened('a');
    await ws.deleteNotebook('b');
    expect(await ws.lastOpened()).toBe('a');
    await ws.deleteNotebook('a');
    expect(await ws.lastOpened()).toBeUndefined();
  });

  it('treats a broken workspace.json as nothing opened', async () => {
    const { ws, blobs } = setup();
    await blobs.put('workspace.json', '[');
    expect(await ws.lastOpened()).toBeUndefined();
  });
});

describe('data files', () => {
  it('lists files in insertion order with their options and sizes', async () => {
    const { ws } = setup();
    await ws.saveDataFile('nb', 'zeta.csv', csv('a,b\n1,2\n', 'zeta.csv'), { delimiter: ',', header: true });
    await ws.saveDataFile('nb', 'alpha.parquet', new Blob([new Uint8Array(10)]), undefined);
    await ws.saveDataFile('nb', 'mid.ndjson', csv('{}\n', 'mid.ndjson'), { columns: ['a', 'b'], nested: { n: 1.5 } });
    expect(await ws.listDataFiles('nb')).toEqual([
      { fileName: 'zeta.csv', options: { delimiter: ',', header: true }, size: 8, type: 'text/csv', lastModified: 1_700_000_000_000 },
      { fileName: 'alpha.parquet', options: null, size: 10, type: '', lastModified: expect.any(Number) },
      { fileName: 'mid.ndjson', options: { columns: ['a', 'b'], nested: { n: 1.5 } }, size: 3, type: 'text/csv', lastModified: 1_700_000_000_000 },
    ]);
    expect(await ws.listDataFiles('empty')).toEqual([]);
  });

  it('round-trips options through JSON (what is listed is what JSON keeps)', async () => {
    const { ws } = setup();
    const options = { quote: '"', skip: 0, nullstr: ['', 'NA'], when: new Date(0), drop: undefined, deep: { a: [null, true] } };
    await ws.saveDataFile('nb', 'x.csv', csv('x'), options);
    const [entry] = await ws.listDataFiles('nb');
    expect(entry?.options).toEqual({ quote: '"', skip: 0, nullstr: ['', 'NA'], when: '1970-01-01T00:00:00.000Z', deep: { a: [null, true] } });
  });

  it('refuses options that JSON cannot hold, storing nothing', async () => {
    const { ws, blobs } = setup();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const bad of [{ n: 1n }, cyclic, () => 1]) {
      expect((await rejection(ws.saveDataFile('nb', 'x.csv', csv('x'), bad))).code).toBe('invalid-options');
    }
    expect(await blobs.list('')).toEqual([]);
  });

  it('loads a stored copy as a File with its name, type, date and bytes', async () => {
    const { ws } = setup();
    await ws.saveDataFile('nb', 'data/orders 2024.csv', csv('id,amount\n1,9.5\n'), { header: true });
    const file = await ws.loadDataFile('nb', 'data/orders 2024.csv');
    expect(file).toBeInstanceOf(File);
    expect(file?.name).toBe('data/orders 2024.csv');
    expect(file?.type).toBe('text/csv');
    expect(file?.lastModified).toBe(1_700_000_000_000);
    expect(await file?.text()).toBe('id,amount\n1,9.5\n');
    expect(await ws.loadDataFile('nb', 'missing.csv')).toBeUndefined();
    expect(await ws.loadDataFile('other', 'data/orders 2024.csv')).toBeUndefined();
  });

  it('hands the Blob itself to the store (streamed there, never read into a string here)', async () => {
    const memory = createMemoryStore();
    const received: unknown[] = [];
    const spy: BlobStore = { ...memory, put: (path, data) => (received.push(data), memory.put(path, data)) };
    const ws = createWorkspaceStore(spy);
    const blob = csv('a\n1\n');
    await ws.saveDataFile('nb', 'a.csv', blob, null);
    expect(received).toContain(blob);
  });

  it('replaces a re-saved file in place, keeping the order', async () => {
    const { ws } = setup();
    await ws.saveDataFile('nb', 'a.csv', csv('1'), { v: 1 });
    await ws.saveDataFile('nb', 'b.csv', csv('22'), { v: 2 });
    await ws.saveDataFile('nb', 'a.csv', csv('333'), { v: 3 });
    expect((await ws.listDataFiles('nb')).map((f) => [f.fileName, f.size, f.options])).toEqual([
      ['a.csv', 3, { v: 3 }],
      ['b.csv', 2, { v: 2 }],
    ]);
    expect(await (await ws.loadDataFile('nb', 'a.csv'))?.text()).toBe('333');
  });

  it('removes one file and keeps the others in order', async () => {
    const { ws, blobs } = setup();
    for (const name of ['a.csv', 'b.csv', 'c.csv']) await ws.saveDataFile('nb', name, csv(name), null);
    await ws.removeDataFile('nb', 'b.csv');
    await ws.removeDataFile('nb', 'not-there.csv');
    expect((await ws.listDataFiles('nb')).map((f) => f.fileName)).toEqual(['a.csv', 'c.csv']);
    expect(await ws.loadDataFile('nb', 'b.csv')).toBeUndefined();
    expect(await blobs.list('notebooks/nb/data')).toEqual(['notebooks/nb/data/a.csv', 'notebooks/nb/data/c.csv']);
  });

  it('keeps every entry when saves run concurrently (one manifest update at a time)', async () => {
    const { ws } = setup();
    const names = Array.from({ length: 12 }, (_, i) => `f${i}.csv`);
    await Promise.all(names.map((name) => ws.saveDataFile('nb', name, csv(name), { name })));
    expect((await ws.listDataFiles('nb')).map((f) => f.fileName)).toEqual(names);
  });

  it('reports a broken file list instead of silently forgetting the files', async () => {
    const { ws, blobs } = setup();
    await ws.saveDataFile('nb', 'a.csv', csv('1'), null);
    await blobs.put('notebooks/nb/data.json', '{"version":1,"files":[{"fileName":3}]}');
    expect((await rejection(ws.listDataFiles('nb'))).code).toBe('corrupt');
    await blobs.put('notebooks/nb/data.json', 'nope');
    expect((await rejection(ws.saveDataFile('nb', 'b.csv', csv('2'), null))).code).toBe('corrupt');
  });

  it('removes a new copy again when its file list cannot be written', async () => {
    const memory = createMemoryStore();
    const failing: BlobStore = {
      ...memory,
      put: (path, data) =>
        path.endsWith('data.json') ? Promise.reject(new DOMException('full', 'QuotaExceededError')) : memory.put(path, data),
    };
    const ws = createWorkspaceStore(failing);
    const error = await rejection(ws.saveDataFile('nb', 'a.csv', csv('1'), null));
    expect(error.code).toBe('quota-exceeded');
    expect(error.userMessage).toMatch(/storage is full/);
    expect(await memory.list('')).toEqual([]);
  });
});

describe('deleteNotebook', () => {
  it('deletes text, meta and data files, and leaves other notebooks alone', async () => {
    const { ws, blobs } = setup();
    await ws.saveNotebook('a', 'a', { title: 'A', updatedAt: 1 });
    await ws.saveDataFile('a', 'x.csv', csv('x'), null);
    await ws.saveNotebook('ab', 'ab', { title: 'AB', updatedAt: 1 });
    await ws.saveDataFile('ab', 'y.csv', csv('y'), null);
    await ws.deleteNotebook('a');
    expect(await ws.loadNotebook('a')).toBeUndefined();
    expect(await ws.listDataFiles('a')).toEqual([]);
    expect(await blobs.list('notebooks/a')).toEqual([]);
    expect((await ws.loadNotebook('ab'))?.text).toBe('ab');
    expect((await ws.listDataFiles('ab')).map((f) => f.fileName)).toEqual(['y.csv']);
    await ws.deleteNotebook('never-existed');
  });

  it('runs after the operations on that notebook called before it', async () => {
    const { ws } = setup();
    const save = ws.saveNotebook('a', 'a', { title: 'A', updatedAt: 1 });
    const data = ws.saveDataFile('a', 'x.csv', csv('x'), null);
    const del = ws.deleteNotebook('a');
    await Promise.all([save, data, del]);
    expect(await ws.loadNotebook('a')).toBeUndefined();
    expect(await ws.listDataFiles('a')).toEqual([]);
  });
});

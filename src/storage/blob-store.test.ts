import { describe, expect, it } from 'vitest';
import { createBrowserStore, createMemoryStore } from './blob-store';
import { StorageError } from './errors';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof StorageError) return e.code;
    throw e;
  }
  throw new Error('expected a StorageError');
}

describe('createMemoryStore', () => {
  it('stores strings and blobs and reads them back', async () => {
    const store = createMemoryStore();
    await store.put('a/b.txt', 'héllo');
    await store.put('a/c.bin', new Blob([new Uint8Array([1, 2, 3])]));
    expect(await (await store.get('a/b.txt'))?.text()).toBe('héllo');
    expect(new Uint8Array(await (await store.get('a/c.bin'))!.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    expect(store.kind).toBe('memory');
  });

  it('replaces on put', async () => {
    const store = createMemoryStore();
    await store.put('x', 'one');
    await store.put('x', 'two');
    expect(await (await store.get('x'))?.text()).toBe('two');
  });

  it('gives undefined for a missing path and for a folder', async () => {
    const store = createMemoryStore();
    await store.put('a/b', '1');
    expect(await store.get('nope')).toBeUndefined();
    expect(await store.get('a')).toBeUndefined();
  });

  it('lists a folder recursively, sorted, and not names that merely start alike', async () => {
    const store = createMemoryStore();
    for (const path of ['notebooks/b/meta.json', 'notebooks/a/data/z.csv', 'notebooks/a/meta.json', 'notes/x', 'top']) {
      await store.put(path, path);
    }
    expect(await store.list('notebooks')).toEqual([
      'notebooks/a/data/z.csv',
      'notebooks/a/meta.json',
      'notebooks/b/meta.json',
    ]);
    expect(await store.list('notebooks/')).toEqual(await store.list('notebooks'));
    expect(await store.list('note')).toEqual([]);
    expect(await store.list('top')).toEqual([]);
    expect(await store.list('')).toEqual([
      'notebooks/a/data/z.csv',
      'notebooks/a/meta.json',
      'notebooks/b/meta.json',
      'notes/x',
      'top',
    ]);
  });

  it('deletes a blob, or a folder with everything under it; missing is a no-op', async () => {
    const store = createMemoryStore();
    await store.put('a/1', '1');
    await store.put('a/b/2', '2');
    await store.put('ab/3', '3');
    await store.delete('a/1');
    expect(await store.list('')).toEqual(['a/b/2', 'ab/3']);
    await store.delete('a');
    expect(await store.list('')).toEqual(['ab/3']);
    await store.delete('missing/path');
    expect(await store.list('')).toEqual(['ab/3']);
  });

  it('refuses a blob inside a blob, and a blob where a folder is', async () => {
    const store = createMemoryStore();
    await store.put('a/b', '1');
    expect(await codeOf(store.put('a/b/c', '2'))).toBe('path-conflict');
    expect(await codeOf(store.put('a', '3'))).toBe('path-conflict');
    expect(await store.list('')).toEqual(['a/b']);
  });

  it('rejects invalid paths on every method', async () => {
    const store = createMemoryStore();
    expect(await codeOf(store.put('../x', '1'))).toBe('invalid-path');
    expect(await codeOf(store.get('a//b'))).toBe('invalid-path');
    expect(await codeOf(store.delete(''))).toBe('invalid-path');
    expect(await codeOf(store.list('a/../b'))).toBe('invalid-path');
  });
});

describe('createBrowserStore', () => {
  it('falls back to memory where there is neither OPFS nor IndexedDB (Node), and says why', async () => {
    const choice = await createBrowserStore();
    expect(choice.kind).toBe('memory');
    expect(choice.store.kind).toBe('memory');
    expect(choice.fallbacks).toHaveLength(2);
    expect(choice.fallbacks[0]).toMatch(/OPFS/);
    expect(choice.fallbacks[1]).toMatch(/IndexedDB/);
  });
});

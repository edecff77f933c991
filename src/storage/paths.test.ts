import { describe, expect, it } from 'vitest';
import { StorageError } from './errors';
import { ancestorsOf, decodeSegment, encodeSegment, splitPath, splitPrefix } from './paths';

describe('splitPath', () => {
  it('splits a plain path', () => {
    expect(splitPath('notebooks/a b/notebook.md')).toEqual(['notebooks', 'a b', 'notebook.md']);
  });

  it.each(['', '/a', 'a/', 'a//b', '.', '..', 'a/../b', 'a/./b', 'a\\b', 'a\0b'])('refuses %j', (path) => {
    expect(() => splitPath(path)).toThrow(StorageError);
    try {
      splitPath(path);
    } catch (e) {
      expect((e as StorageError).code).toBe('invalid-path');
    }
  });

  it('allows names that merely contain dots', () => {
    expect(splitPath('a/..b/c.../.hidden')).toEqual(['a', '..b', 'c...', '.hidden']);
  });
});

describe('splitPrefix', () => {
  it('treats "" as everything and allows one trailing slash', () => {
    expect(splitPrefix('')).toEqual([]);
    expect(splitPrefix('a/b/')).toEqual(['a', 'b']);
    expect(() => splitPrefix('a//')).toThrow(StorageError);
    expect(() => splitPrefix('/')).not.toThrow();
  });
});

describe('ancestorsOf', () => {
  it('lists the folders a path is inside of', () => {
    expect(ancestorsOf('a/b/c')).toEqual(['a', 'a/b']);
    expect(ancestorsOf('a')).toEqual([]);
  });
});

describe('encodeSegment', () => {
  it.each(['orders.csv', 'data/Q1 2024.csv', '.', '..', '.env', '100%', 'a\\b', 'Ünïcødé ✓', '%2E'])(
    'round-trips %j into one valid segment',
    (name) => {
      const segment = encodeSegment(name);
      expect(splitPath(segment)).toEqual([segment]);
      expect(decodeSegment(segment)).toBe(name);
    },
  );

  it('keeps ordinary file names readable', () => {
    expect(encodeSegment('orders_2024-01.parquet')).toBe('orders_2024-01.parquet');
  });

  it('refuses an empty name', () => {
    expect(() => encodeSegment('')).toThrow(StorageError);
  });
});

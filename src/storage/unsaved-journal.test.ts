import { describe, expect, it } from 'vitest';
import { createUnsavedJournal, type SyncStorage } from './unsaved-journal';

function mapStorage(quotaChars = Infinity): SyncStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => {
      if (v.length > quotaChars) throw new DOMException('quota', 'QuotaExceededError');
      map.set(k, v);
    },
    removeItem: (k) => void map.delete(k),
  };
}

describe('unsaved journal', () => {
  it('keeps the last unsaved text per notebook, with its trust', () => {
    const journal = createUnsavedJournal(mapStorage());
    expect(journal.write('a', { text: 'SELECT 1', trusted: true, at: 5 })).toBe(true);
    journal.write('b', { text: 'SELECT 2', trusted: false, at: 6 });
    expect(journal.read('a')).toEqual({ text: 'SELECT 1', trusted: true, at: 5 });
    expect(journal.read('b')).toEqual({ text: 'SELECT 2', trusted: false, at: 6 });
    expect(journal.read('c')).toBeUndefined();
  });

  it('a completed save removes the entry only when it saved that same text', () => {
    const journal = createUnsavedJournal(mapStorage());
    journal.write('a', { text: 'newer', trusted: false, at: 1 });
    journal.saved('a', 'older, saved while newer was being typed');
    expect(journal.read('a')?.text).toBe('newer');
    journal.saved('a', 'newer');
    expect(journal.read('a')).toBeUndefined();
  });

  it('a text over the quota is refused and leaves no stale entry behind', () => {
    const storage = mapStorage(100);
    const journal = createUnsavedJournal(storage);
    journal.write('a', { text: 'short', trusted: false, at: 1 });
    expect(journal.write('a', { text: 'x'.repeat(200), trusted: false, at: 2 })).toBe(false);
    expect(journal.read('a')).toBeUndefined();
  });

  it('damaged or foreign entries read as none; no storage at all is no journal', () => {
    const storage = mapStorage();
    const journal = createUnsavedJournal(storage);
    storage.map.set('lakebook.unsaved.a', '{not json');
    storage.map.set('lakebook.unsaved.b', JSON.stringify({ text: 42 }));
    storage.map.set('lakebook.unsaved.c', JSON.stringify({ text: 'ok', trusted: 'yes' }));
    expect(journal.read('a')).toBeUndefined();
    expect(journal.read('b')).toBeUndefined();
    expect(journal.read('c')).toEqual({ text: 'ok', trusted: false, at: 0 });
    const none = createUnsavedJournal(undefined);
    expect(none.write('a', { text: 't', trusted: true, at: 1 })).toBe(false);
    expect(none.read('a')).toBeUndefined();
  });

  it('storage that throws on every access (disabled by settings) is no journal, not an error', () => {
    const throwing: SyncStorage = {
      getItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
      removeItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
    };
    const journal = createUnsavedJournal(throwing);
    expect(journal.write('a', { text: 't', trusted: false, at: 1 })).toBe(false);
    expect(journal.read('a')).toBeUndefined();
    expect(() => journal.saved('a', 't')).not.toThrow();
  });
});

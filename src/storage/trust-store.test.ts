import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMemoryStore, type BlobStore } from './blob-store';
import { TRUST_PATH, contentHash, createTrustStore } from './trust-store';

describe('contentHash', () => {
  it('is the SHA-256 of the exact UTF-8 bytes: BOM and line endings count', async () => {
    for (const text of ['', '# x\n', '\uFEFF# x\n', '# x\r\n', 'ünïcödé ✓']) {
      expect(await contentHash(text)).toBe(createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex'));
    }
    expect(await contentHash('# x\n')).not.toBe(await contentHash('# x\r\n'));
  });
});

describe('trust store', () => {
  it('trusts exactly the texts it was told to, across a new store on the same storage', async () => {
    const blobs = createMemoryStore();
    const trust = createTrustStore(blobs);
    expect(await trust.isTrusted('SELECT 1')).toBe(false);
    await trust.trust('SELECT 1');
    expect(await trust.isTrusted('SELECT 1')).toBe(true);
    expect(await trust.isTrusted('SELECT 1 ')).toBe(false);
    // A reload: a fresh store on the same backend remembers.
    const again = createTrustStore(blobs);
    expect(await again.isTrusted('SELECT 1')).toBe(true);
    expect(await again.isTrusted('SELECT 2')).toBe(false);
  });

  it('remembers the trusted saved state of each stored notebook without growing the shared list', async () => {
    const blobs = createMemoryStore();
    const trust = createTrustStore(blobs, { limit: 2 });
    await trust.trust('downloaded');
    for (let i = 0; i < 50; i++) await trust.trustSaved('nb-1', `draft ${i}`);
    await trust.trustSaved('nb-2', 'other');
    const fresh = createTrustStore(blobs, { limit: 2 });
    expect(await fresh.isTrusted('draft 49', 'nb-1')).toBe(true);
    expect(await fresh.isTrusted('draft 48', 'nb-1')).toBe(false); // replaced
    expect(await fresh.isTrusted('draft 49', 'nb-2')).toBe(false); // another notebook's state
    expect(await fresh.isTrusted('draft 49')).toBe(false); // not in the shared list
    expect(await fresh.isTrusted('other', 'nb-2')).toBe(true);
    expect(await fresh.isTrusted('downloaded', 'nb-1')).toBe(true);
    expect(JSON.parse(await (await blobs.get(TRUST_PATH))!.text()).hashes).toHaveLength(1);
  });

  it('stores hashes, never the notebook text', async () => {
    const blobs = createMemoryStore();
    await createTrustStore(blobs).trust('secret notebook text');
    const stored = await (await blobs.get(TRUST_PATH))!.text();
    expect(stored).not.toContain('secret');
    expect(JSON.parse(stored)).toEqual({ version: 1, hashes: [await contentHash('secret notebook text')] });
  });

  it('forgets on request', async () => {
    const trust = createTrustStore(createMemoryStore());
    await trust.trust('a');
    await trust.trust('b');
    await trust.forget('a');
    expect(await trust.isTrusted('a')).toBe(false);
    expect(await trust.isTrusted('b')).toBe(true);
  });

  it('keeps the newest entries up to the limit; trusting again refreshes an entry', async () => {
    const trust = createTrustStore(createMemoryStore(), { limit: 3 });
    for (const t of ['1', '2', '3']) await trust.trust(t);
    await trust.trust('1'); // refreshed: now the newest
    await trust.trust('4'); // evicts '2', the oldest
    expect(await trust.isTrusted('1')).toBe(true);
    expect(await trust.isTrusted('2')).toBe(false);
    expect(await trust.isTrusted('3')).toBe(true);
    expect(await trust.isTrusted('4')).toBe(true);
  });

  it('loses no hash when writes overlap', async () => {
    const blobs = createMemoryStore();
    const trust = createTrustStore(blobs);
    await Promise.all(Array.from({ length: 20 }, (_, i) => trust.trust(`n${i}`)));
    const fresh = createTrustStore(blobs);
    for (let i = 0; i < 20; i++) expect(await fresh.isTrusted(`n${i}`)).toBe(true);
  });

  it('treats a damaged trust file as trusting nothing, and repairs it on the next write', async () => {
    const blobs = createMemoryStore();
    await blobs.put(TRUST_PATH, '{not json');
    const trust = createTrustStore(blobs);
    expect(await trust.isTrusted('x')).toBe(false);
    await trust.trust('x');
    expect(await createTrustStore(blobs).isTrusted('x')).toBe(true);
    await blobs.put(TRUST_PATH, JSON.stringify({ version: 1, hashes: ['<img onerror=alert(1)>', 42] }));
    expect(await createTrustStore(blobs).isTrusted('x')).toBe(false);
  });

  it('reports a failed write as a StorageError and keeps working', async () => {
    const base = createMemoryStore();
    let fail = true;
    const flaky: BlobStore = { ...base, kind: base.kind, put: async (p, d) => (fail ? Promise.reject(new Error('disk gone')) : base.put(p, d)) };
    const trust = createTrustStore(flaky);
    await expect(trust.trust('a')).rejects.toMatchObject({ name: 'StorageError', code: 'io' });
    expect(await trust.isTrusted('a')).toBe(false);
    fail = false;
    await trust.trust('b');
    expect(await createTrustStore(base).isTrusted('b')).toBe(true);
  });
});

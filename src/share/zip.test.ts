import { crc32 as zlibCrc32 } from 'node:zlib';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildZip, crc32 } from './zip';

async function bytesOf(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(await blob.arrayBuffer());
}

describe('crc32', () => {
  it('matches zlib for empty, short, long and chunked input', () => {
    const long = new Uint8Array(100_000).map((_, i) => (i * 7919) % 251);
    for (const bytes of [new Uint8Array(), new TextEncoder().encode('123456789'), long]) {
      expect(crc32(bytes)).toBe(zlibCrc32(bytes));
    }
    expect(crc32(long.subarray(40_000), crc32(long.subarray(0, 40_000)))).toBe(zlibCrc32(long));
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
});

describe('buildZip', () => {
  it('writes an archive that another implementation reads back byte for byte', async () => {
    const big = new Uint8Array(3_000_000).map((_, i) => (i % 1000 < 500 ? i % 7 : (i * 31) % 256));
    const zip = await buildZip([
      { path: 'site/index.html', data: '<!doctype html><p>héllo ✓</p>' },
      { path: 'site/data/big.bin', data: new Blob([big]) },
      { path: 'site/data/stored.parquet', data: new Uint8Array([1, 2, 3, 250]), compress: false },
      { path: 'site/empty.txt', data: '' },
      { path: 'site/ünïcode name.md', data: '# x\n' },
    ]);
    const files = unzipSync(await bytesOf(zip));
    expect(Object.keys(files).sort()).toEqual(
      ['site/data/big.bin', 'site/data/stored.parquet', 'site/empty.txt', 'site/index.html', 'site/ünïcode name.md'].sort(),
    );
    expect(new TextDecoder().decode(files['site/index.html'])).toBe('<!doctype html><p>héllo ✓</p>');
    expect(Buffer.compare(Buffer.from(files['site/data/big.bin']!), Buffer.from(big))).toBe(0);
    expect([...files['site/data/stored.parquet']!]).toEqual([1, 2, 3, 250]);
    expect(files['site/empty.txt']!.length).toBe(0);
    // Compression happened: the repetitive 3 MB file is much smaller in the archive.
    expect(zip.size).toBeLessThan(big.length / 2);
  });

  it('records CRCs and sizes that match the data (central directory checked field by field)', async () => {
    const text = 'lakebook '.repeat(1000);
    const zip = await bytesOf(await buildZip([{ path: 'a.txt', data: text }]));
    const view = new DataView(zip.buffer);
    const end = zip.length - 22;
    expect(view.getUint32(end, true)).toBe(0x06054b50);
    const directory = view.getUint32(end + 16, true);
    expect(view.getUint32(directory, true)).toBe(0x02014b50);
    expect(view.getUint32(directory + 16, true)).toBe(zlibCrc32(new TextEncoder().encode(text)));
    expect(view.getUint32(directory + 24, true)).toBe(text.length);
    expect(view.getUint16(directory + 10, true)).toBe(8);
  });

  it('refuses the same path twice', async () => {
    await expect(buildZip([{ path: 'a', data: '1' }, { path: 'a', data: '2' }])).rejects.toThrow(/twice/);
  });
});

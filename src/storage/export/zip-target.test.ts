import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { createBlobParts } from './download';
import type { ByteSink } from './target';
import { createZipTarget } from './zip-target';

function recordingSink() {
  const chunks: Uint8Array[] = [];
  const events: string[] = [];
  const sink: ByteSink = {
    async write(chunk) {
      chunks.push(chunk.slice());
      events.push(`write ${chunk.byteLength}`);
    },
    async close() {
      events.push('close');
    },
    async abort() {
      events.push('abort');
    },
  };
  const bytes = () => {
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.byteLength;
    }
    return out;
  };
  return { sink, events, bytes };
}

describe('zip target', () => {
  it('streams entries as they are written: stored for Parquet, deflated for text, readable by an unzipper', async () => {
    const { sink, events, bytes } = recordingSink();
    const zip = createZipTarget(async () => sink, { description: 'test.zip', now: new Date('2024-05-06T07:08:09Z') });
    await zip.begin();
    const binary = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 31) % 251);
    const file = await zip.openFile('year=2024/month=5/part-00000.parquet', { compressible: false });
    await file.write(binary.subarray(0, 100_000));
    const afterFirstChunk = events.length;
    await file.write(binary.subarray(100_000));
    await file.close();
    const text = 'id,name\n' + Array.from({ length: 5000 }, (_, i) => `${i},row ${i}`).join('\n');
    const csv = await zip.openFile('données/été.csv', { compressible: true });
    await csv.write(new TextEncoder().encode(text));
    await csv.close();
    const success = await zip.openFile('_SUCCESS', { compressible: true });
    await success.close();
    expect(afterFirstChunk).toBeGreaterThan(0); // bytes left before the entry was finished
    expect(events.at(-1)).not.toBe('close');
    await zip.commit();
    expect(events.at(-1)).toBe('close');
    const archive = bytes();
    const files = unzipSync(archive);
    expect(Object.keys(files)).toEqual(['year=2024/month=5/part-00000.parquet', 'données/été.csv', '_SUCCESS']);
    expect(files['year=2024/month=5/part-00000.parquet']).toEqual(binary);
    expect(new TextDecoder().decode(files['données/été.csv'])).toBe(text);
    expect(files['_SUCCESS']!.byteLength).toBe(0);
    // The CSV was deflated (much smaller than its text), the binary stored as is.
    expect(archive.byteLength).toBeLessThan(binary.byteLength + text.length / 2);
  });

  it('abort cancels the sink', async () => {
    const { sink, events } = recordingSink();
    const zip = createZipTarget(async () => sink, { description: 'test.zip' });
    await zip.begin();
    const file = await zip.openFile('a.parquet', { compressible: false });
    await file.write(new Uint8Array(10));
    await zip.abort(new Error('stop'));
    expect(events.at(-1)).toBe('abort');
  });
});

describe('blob parts (the download fallback)', () => {
  it('keeps at most one part of bytes on the heap and assembles them in order', async () => {
    const parts = createBlobParts(1000);
    for (let i = 0; i < 25; i++) {
      parts.add(new Uint8Array(300).fill(i));
      expect(parts.heapBytes).toBeLessThan(1000);
    }
    const blob = parts.finish('application/zip');
    expect(blob.size).toBe(7500);
    expect(blob.type).toBe('application/zip');
    const bytes = new Uint8Array(await blob.arrayBuffer());
    expect(bytes[0]).toBe(0);
    expect(bytes[7499]).toBe(24);
    expect(bytes[3 * 300]).toBe(3);
  });
});

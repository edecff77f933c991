import { deflateRawSync } from 'node:zlib';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_LINK_PAYLOAD, decodeNotebookLink, encodeNotebookLink, linkPayloadOf } from './link';

const FIXTURES = join(import.meta.dirname, '..', 'notebook', 'fixtures');

function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

describe('notebook links', () => {
  it('round-trips every notebook fixture byte for byte (BOM, CRLF, lone CR, unicode)', async () => {
    const names = readdirSync(FIXTURES).filter((n) => n.endsWith('.md'));
    expect(names.length).toBeGreaterThan(30);
    for (const name of names) {
      const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(readFileSync(join(FIXTURES, name)));
      const fragment = await encodeNotebookLink(text);
      expect(fragment).toMatch(/^notebook=v1\.[A-Za-z0-9_-]*$/);
      expect(await decodeNotebookLink(linkPayloadOf(`#${fragment}`)!), name).toBe(text);
    }
  });

  it('compresses: a 20 KB repetitive notebook fits in a short link', async () => {
    const text = Array.from({ length: 200 }, (_, i) => `\`\`\`sql name=c${i}\nSELECT * FROM orders WHERE id = ${i}\n\`\`\`\n`).join('\n');
    const fragment = await encodeNotebookLink(text);
    expect(fragment.length).toBeLessThan(text.length / 4);
  });

  it('refuses a notebook too large for a link, with advice', async () => {
    const random = Array.from({ length: 60_000 }, (_, i) => String.fromCharCode(0x4e00 + ((i * 7919) % 20000))).join('');
    await expect(encodeNotebookLink(random)).rejects.toMatchObject({ code: 'share-invalid', userMessage: expect.stringMatching(/Publish it as a bundle/) });
    expect(MAX_LINK_PAYLOAD).toBe(32_000);
  });

  it('finds the payload only in a notebook fragment', () => {
    expect(linkPayloadOf('#notebook=v1.abc')).toBe('v1.abc');
    expect(linkPayloadOf('notebook=v1.abc')).toBe('v1.abc');
    expect(linkPayloadOf('#other=1')).toBeUndefined();
    expect(linkPayloadOf('')).toBeUndefined();
  });

  it('reads a payload made by another deflate implementation (zlib)', async () => {
    const text = '# Hello\n\n```sql\nSELECT 1\n```\n';
    expect(await decodeNotebookLink(`v1.${base64url(deflateRawSync(Buffer.from(text)))}`)).toBe(text);
  });

  it('rejects damaged, foreign and hostile payloads with share-invalid', async () => {
    const good = (await encodeNotebookLink('# x\n'.repeat(50))).slice('notebook='.length);
    const cases = [
      'v2.AAAA', // unknown version
      'nope', // no version
      'v1.<script>', // characters a link never has
      `v1.${'A'.repeat(MAX_LINK_PAYLOAD + 4)}`, // longer than lakebook makes
      `${good.slice(0, good.length - 5)}`, // cut short
      'v1.' + base64url(new TextEncoder().encode('not deflate at all')),
      'v1.' + base64url(deflateRawSync(Buffer.from([0xff, 0xfe, 0xc0, 0x80]))), // not UTF-8
    ];
    for (const payload of cases) {
      await expect(decodeNotebookLink(payload), payload).rejects.toMatchObject({ code: 'share-invalid' });
    }
  });

  it('stops a decompression bomb at 2 MB instead of inflating it', async () => {
    const bomb = deflateRawSync(Buffer.alloc(20 * 1024 * 1024, 0x41), { level: 9 });
    expect(base64url(bomb).length).toBeLessThan(MAX_LINK_PAYLOAD);
    await expect(decodeNotebookLink(`v1.${base64url(bomb)}`)).rejects.toMatchObject({ code: 'share-invalid', userMessage: expect.stringMatching(/more than 2 MB/) });
  });
});

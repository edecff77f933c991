/** Test helpers shared by the notebook tests (imported only from *.test.ts). */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Block, NotebookDocument } from './model';

const dir = fileURLToPath(new URL('./fixtures/', import.meta.url));

export interface Fixture {
  readonly name: string;
  readonly bytes: Buffer;
  readonly text: string;
}

export function loadFixtures(): Fixture[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((name) => {
      const bytes = readFileSync(dir + name);
      // Buffer#toString keeps a BOM (TextDecoder would drop it unless told ignoreBOM).
      return { name, bytes, text: bytes.toString('utf8') };
    });
}

/** What a cell means, without ids or raw bytes. */
export function cellFacts(doc: NotebookDocument) {
  return doc.blocks.flatMap((b) =>
    b.type === 'cell' ? [{ kind: b.kind, name: b.name, attributes: { ...b.attributes }, source: b.source }] : [],
  );
}

/** A block's identity-free meaning, for comparing documents across a re-parse. */
export function blockFacts(b: Block) {
  return b.type === 'cell'
    ? { type: b.type, kind: b.kind, attributes: { ...b.attributes }, source: b.source }
    : { type: b.type, raw: b.raw };
}

export function normalizeEol(text: string, eol: string): string {
  return text.replace(/\r\n|\r|\n/g, eol);
}

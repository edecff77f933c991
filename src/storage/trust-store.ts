/**
 * Which notebook texts this browser trusts to run (DESIGN §6, issue #8). A notebook from elsewhere — a
 * link, a published bundle, a file this browser did not write — shows its code and runs nothing until
 * the user trusts it. Trust is remembered per content hash (SHA-256 of the exact UTF-8 text): the
 * same bytes opened again run without asking; one changed byte asks again.
 *
 * The app also records the hash of every text it writes for a trusted notebook, so a notebook made here
 * and opened again is recognised as its own: downloads, saves to disk, links and publishes go into the
 * shared list; autosaves only replace their notebook's own entry (`trustSaved`), so hours of typing do
 * not push other notebooks out of the list.
 */
import type { BlobStore } from './blob-store';
import { toStorageError } from './errors';

export const TRUST_PATH = 'trust/trusted.json';
const SAVED_PREFIX = 'trust/saved/';

/**
 * The newest entries are kept. Autosave records a hash per saved revision (at most one a second while
 * typing), so a long-lived browser would grow without bound; 5,000 hashes are ≈350 KB of JSON and
 * cover months of work. An evicted notebook only asks for trust again.
 */
export const MAX_TRUSTED = 5_000;

interface TrustFile {
  version: 1;
  /** Oldest first. */
  hashes: string[];
}

export interface TrustStore {
  /** Trusted when the text was trusted, or is the text last saved as trusted for `notebookId`. */
  isTrusted(text: string, notebookId?: string): Promise<boolean>;
  /** Records `text` as the trusted saved state of a stored notebook (replacing its previous one). */
  trustSaved(notebookId: string, text: string): Promise<void>;
  /** Remembers `text` as trusted (moves it to the newest end if already known). */
  trust(text: string): Promise<void>;
  /** Forgets `text` (the user withdraws trust). */
  forget(text: string): Promise<void>;
}

/** SHA-256 of the text's UTF-8 bytes, lower-case hex. The BOM and line endings count: they are bytes. */
export async function contentHash(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function savedPath(notebookId: string): string {
  return `${SAVED_PREFIX}${encodeURIComponent(notebookId)}`;
}

export function createTrustStore(store: BlobStore, { limit = MAX_TRUSTED }: { limit?: number } = {}): TrustStore {
  let loaded: Promise<string[]> | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  async function read(): Promise<string[]> {
    try {
      const blob = await store.get(TRUST_PATH);
      if (!blob) return [];
      const parsed = JSON.parse(await blob.text()) as Partial<TrustFile>;
      return Array.isArray(parsed.hashes) ? parsed.hashes.filter((h) => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h)) : [];
    } catch {
      // An unreadable trust file costs only questions: everything from elsewhere asks again.
      return [];
    }
  }

  const hashes = (): Promise<string[]> => (loaded ??= read());

  /** Changes are serialized, so two quick writes never lose each other's hash. */
  function update(change: (list: string[]) => void): Promise<void> {
    const next = queue.then(async () => {
      const list = [...(await hashes())];
      change(list);
      if (list.length > limit) list.splice(0, list.length - limit);
      const file: TrustFile = { version: 1, hashes: list };
      try {
        await store.put(TRUST_PATH, JSON.stringify(file));
      } catch (error) {
        throw toStorageError(error, 'remembering a trusted notebook');
      }
      // Only what was stored counts, so this tab never believes in trust a reload would not find.
      loaded = Promise.resolve(list);
    });
    queue = next.catch(() => undefined);
    return next;
  }

  return {
    async isTrusted(text, notebookId) {
      const [list, hash] = await Promise.all([hashes(), contentHash(text)]);
      if (list.includes(hash)) return true;
      if (notebookId === undefined) return false;
      const saved = await store.get(savedPath(notebookId)).catch(() => undefined);
      return saved !== undefined && (await saved.text().catch(() => '')) === hash;
    },
    async trustSaved(notebookId, text) {
      const hash = await contentHash(text);
      try {
        await store.put(savedPath(notebookId), hash);
      } catch (error) {
        throw toStorageError(error, 'remembering a trusted notebook');
      }
    },
    async trust(text) {
      const hash = await contentHash(text);
      await update((list) => {
        const at = list.indexOf(hash);
        if (at >= 0) list.splice(at, 1);
        list.push(hash);
      });
    },
    async forget(text) {
      const hash = await contentHash(text);
      await update((list) => {
        const at = list.indexOf(hash);
        if (at >= 0) list.splice(at, 1);
      });
    },
  };
}

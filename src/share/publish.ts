import { LakebookError, messageOf } from '../engine/errors';
import { isSafeRelativePath, type AppFiles } from './app-files';
import { createZipTarget } from '../storage/export/zip-target';

/**
 * A published notebook is a static folder: the app's own files, plus `published/` with the notebook and
 * its data as Parquet, and a `<meta name="lakebook-published">` in index.html that tells the app to open
 * it (read-only, untrusted) instead of the user's last notebook. Any static server can host it; nothing
 * in it reaches beyond its own origin.
 */
export const PUBLISHED_META = 'lakebook-published';
export const PUBLISHED_MANIFEST = 'published/manifest.json';
const NOTEBOOK_FILE = 'notebook.lakebook.md';

export interface PublishedTable {
  /** The table name the notebook's SQL uses. */
  name: string;
  /** Relative to `published/`. */
  file: string;
  rows: number | null;
  bytes: number;
}

export interface PublishedManifest {
  format: 'lakebook-published';
  version: 1;
  title: string;
  /** Relative to `published/`. */
  notebook: string;
  /** Opens read-only; the reader may still choose to edit a copy. */
  readOnly: boolean;
  publishedAt: string;
  tables: PublishedTable[];
}

export interface PublishSource {
  title: string;
  notebookText: string;
  /** The tables loaded from files: the notebook's data. Tables its cells build are rebuilt by running it. */
  tables: { name: string; rowCount: number | null }[];
  appFiles: AppFiles;
  /** A file of the running site; undefined when it cannot be had (offline and not cached). */
  fetchAppFile(path: string): Promise<Blob | undefined>;
  tableToParquet(name: string): Promise<Blob>;
  onProgress?(message: string): void;
  now?: Date;
}

export interface PublishResult {
  zip: Blob;
  /** The zip's suggested name; its files sit in a folder of the same stem. */
  fileName: string;
  manifest: PublishedManifest;
  /** Optional app files left out (see isOptionalAppFile), for the user to know. */
  skipped: string[];
}

/** Table names a published bundle may carry: what lakebook itself gives a file's table (engine/table-naming.ts). */
export function isPublishableTableName(name: string): boolean {
  return /^[\p{L}\p{N}_]{1,63}$/u.test(name);
}

/** A table name as a file name: kept as is where safe (names are already identifiers), else escaped. */
function dataFileName(table: string, taken: Set<string>): string {
  const base = table.replace(/[^\p{L}\p{N}_-]/gu, '_') || 'table';
  let name = `${base}.parquet`;
  for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${base}_${i}.parquet`;
  taken.add(name.toLowerCase());
  return `data/${name}`;
}

export function slugOf(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return slug || 'notebook';
}

/** index.html with the marker that makes the app open the published notebook. */
export function injectPublishedMeta(html: string): string {
  const meta = `<meta name="${PUBLISHED_META}" content="${PUBLISHED_MANIFEST}" />`;
  if (html.includes(`name="${PUBLISHED_META}"`)) return html;
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (!head) throw new LakebookError('publish-failed', 'index.html of this build has no <head>: it cannot be published.');
  // After the CSP meta, which must stay first.
  const csp = /<meta http-equiv="Content-Security-Policy"[^>]*>/i.exec(html);
  const at = csp ? csp.index + csp[0].length : head.index + head[0].length;
  return `${html.slice(0, at)}\n    ${meta}${html.slice(at)}`;
}

const README = (title: string) => `${title} — a lakebook notebook, published as a static site.

Serve this folder with any static web server and open it in a browser, for example:

    python3 -m http.server 8000      # then open http://localhost:8000/

Opening index.html straight from the disk (file://) does not work: browsers do not run the
database's workers from file:// pages. Hosting (GitHub Pages, S3, nginx) is described in the
lakebook repository's docs/deploy.md.

The notebook opens read-only and runs nothing until you trust it. Its data is in published/data/
as Parquet; nothing is sent anywhere: the page runs entirely in your browser, also offline once
it has been opened.
`;

/** Builds the zip of a published notebook. */
export async function buildPublishBundle(source: PublishSource): Promise<PublishResult> {
  const now = source.now ?? new Date();
  const slug = slugOf(source.title);
  const root = `${slug}/`;
  if (!source.appFiles.files.some((f) => f.path === 'index.html')) {
    throw new LakebookError('publish-failed', 'The notebook could not be published: this build lists no index.html.');
  }
  const skipped: string[] = [];
  const taken = new Set<string>();
  const tables: PublishedTable[] = [];
  const dataBlobs: Blob[] = [];
  for (const table of source.tables) {
    if (!isPublishableTableName(table.name)) {
      throw new LakebookError('publish-failed', `The notebook could not be published: the table name "${table.name}" is not a plain name (letters, digits, _).`);
    }
    source.onProgress?.(`Writing ${table.name} as Parquet…`);
    let blob: Blob;
    try {
      blob = await source.tableToParquet(table.name);
    } catch (cause) {
      throw new LakebookError('publish-failed', `The notebook could not be published: table ${table.name} could not be written as Parquet (${messageOf(cause)}).`, { cause });
    }
    tables.push({ name: table.name, file: dataFileName(table.name, taken), rows: table.rowCount, bytes: blob.size });
    dataBlobs.push(blob);
  }
  const manifest: PublishedManifest = {
    format: 'lakebook-published',
    version: 1,
    title: source.title,
    notebook: NOTEBOOK_FILE,
    readOnly: true,
    publishedAt: now.toISOString(),
    tables,
  };

  interface Entry {
    path: string;
    data: Blob | string;
    compress?: boolean;
  }
  async function* entries(): AsyncGenerator<Entry> {
    yield { path: `${root}README.txt`, data: README(source.title) };
    yield { path: `${root}published/manifest.json`, data: `${JSON.stringify(manifest, null, 2)}\n` };
    yield { path: `${root}published/${NOTEBOOK_FILE}`, data: source.notebookText };
    for (const [i, table] of tables.entries()) {
      yield { path: `${root}published/${table.file}`, data: dataBlobs[i]!, compress: false };
    }
    const files = source.appFiles.files;
    for (const [i, file] of files.entries()) {
      if (!isSafeRelativePath(file.path) || file.path.startsWith('published/')) continue;
      source.onProgress?.(`Copying the app (${i + 1} of ${files.length} files)…`);
      let blob: Blob | undefined;
      try {
        blob = await source.fetchAppFile(file.path);
      } catch (cause) {
        if (!file.optional) throw new LakebookError('publish-failed', `The notebook could not be published: ${file.path} could not be read (${messageOf(cause)}).`, { cause });
      }
      if (!blob) {
        if (file.optional) {
          skipped.push(file.path);
          continue;
        }
        throw new LakebookError(
          'publish-failed',
          `The notebook could not be published: the app file ${file.path} is not available (offline and not cached?). Try again online.`,
        );
      }
      if (file.path === 'index.html') {
        yield { path: `${root}index.html`, data: injectPublishedMeta(await blob.text()) };
      } else {
        yield { path: `${root}${file.path}`, data: blob, compress: !/\.(png|jpe?g|webp|gz|zip|parquet)$/i.test(file.path) };
      }
    }
  }

  const zip = await writeZip(entries(), now);
  source.onProgress?.('Done.');
  return { zip, fileName: `${slug}.zip`, manifest, skipped };
}

/**
 * The bundle as a zip Blob, through the exporter's streamed zip writer (src/storage/export/zip-target.ts):
 * each file is read in chunks and deflated (or stored, when already compressed) as it goes.
 */
async function writeZip(entries: AsyncIterable<{ path: string; data: Blob | string; compress?: boolean }>, now: Date): Promise<Blob> {
  const parts: Uint8Array[] = [];
  const target = createZipTarget(
    async () => ({
      write: async (chunk) => void parts.push(chunk),
      close: async () => undefined,
      abort: async () => undefined,
    }),
    { description: 'published notebook', now },
  );
  await target.begin();
  try {
    for await (const entry of entries) {
      const file = await target.openFile(entry.path, { compressible: entry.compress !== false });
      const blob = typeof entry.data === 'string' ? new Blob([entry.data]) : entry.data;
      const reader = blob.stream().getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        await file.write(value);
      }
      await file.close();
    }
    await target.commit();
  } catch (error) {
    await target.abort(error);
    throw error;
  }
  return new Blob(parts as BlobPart[], { type: 'application/zip' });
}

/** Reads a bundle's `published/manifest.json`; anything off (paths leaving the folder, odd names) is refused. */
export function parsePublishedManifest(text: string): PublishedManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new LakebookError('share-invalid', `This published notebook is damaged: ${PUBLISHED_MANIFEST} is not valid JSON.`, { cause });
  }
  const m = value as Partial<PublishedManifest> | null;
  const bad = (what: string) => new LakebookError('share-invalid', `This published notebook is damaged: ${PUBLISHED_MANIFEST} ${what}.`);
  if (!m || m.format !== 'lakebook-published') throw bad('is not a lakebook manifest');
  if (m.version !== 1) throw bad(`has version ${String(m.version)}, which this lakebook does not read`);
  if (typeof m.notebook !== 'string' || !isSafeRelativePath(m.notebook) || !m.notebook.endsWith('.md')) throw bad('names no notebook file it may read');
  if (!Array.isArray(m.tables)) throw bad('lists no tables');
  const names = new Set<string>();
  for (const t of m.tables) {
    if (typeof t?.name !== 'string' || !isPublishableTableName(t.name)) throw bad(`names a table lakebook would not create (${String(t?.name).slice(0, 40)})`);
    if (names.has(t.name.toLowerCase())) throw bad(`names table ${t.name} twice`);
    names.add(t.name.toLowerCase());
    if (typeof t.file !== 'string' || !isSafeRelativePath(t.file) || !t.file.endsWith('.parquet')) throw bad(`gives table ${t.name} a file it may not read`);
  }
  return {
    format: 'lakebook-published',
    version: 1,
    title: typeof m.title === 'string' ? m.title : 'Published notebook',
    notebook: m.notebook,
    readOnly: m.readOnly !== false,
    publishedAt: typeof m.publishedAt === 'string' ? m.publishedAt : '',
    tables: m.tables.map((t) => ({ name: t.name, file: t.file, rows: typeof t.rows === 'number' ? t.rows : null, bytes: typeof t.bytes === 'number' ? t.bytes : 0 })),
  };
}

import { LakebookError, messageOf } from '../engine/errors';
import { APP_FILES_NAME, parseAppFiles, type AppFiles } from '../share/app-files';
import { decodeNotebookLink, encodeNotebookLink, linkPayloadOf } from '../share/link';
import { PUBLISHED_META, parsePublishedManifest, type PublishedManifest } from '../share/publish';

/** A notebook the page was opened with, from elsewhere: a link, or the published bundle it is part of. */
export type Incoming =
  | { kind: 'link'; text: string }
  | { kind: 'published'; manifest: PublishedManifest; text: string; files: { table: string; file: File }[] };

async function fetchOk(url: URL, what: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (cause) {
    throw new LakebookError('share-invalid', `${what} could not be read (${messageOf(cause)}). Open the page again while online.`, { cause });
  }
  if (!response.ok) throw new LakebookError('share-invalid', `${what} is missing from this published notebook (HTTP ${response.status}).`);
  return response;
}

/** What the page should open instead of the last notebook, if anything. Throws for a damaged bundle or link. */
export async function readIncoming(): Promise<Incoming | undefined> {
  const marker = document.querySelector(`meta[name="${PUBLISHED_META}"]`)?.getAttribute('content');
  if (marker) {
    const manifestUrl = new URL(marker, document.baseURI);
    if (manifestUrl.origin !== location.origin) throw new LakebookError('share-invalid', 'This published notebook points outside its own site.');
    const manifest = parsePublishedManifest(await (await fetchOk(manifestUrl, 'The notebook list')).text());
    const base = new URL('./', manifestUrl);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await (await fetchOk(new URL(manifest.notebook, base), manifest.notebook)).arrayBuffer());
    const files = await Promise.all(
      manifest.tables.map(async (t) => {
        const blob = await (await fetchOk(new URL(t.file, base), t.file)).blob();
        return { table: t.name, file: new File([blob], `${t.name}.parquet`) };
      }),
    );
    return { kind: 'published', manifest, text, files };
  }
  const payload = linkPayloadOf(location.hash);
  if (payload !== undefined) return { kind: 'link', text: await decodeNotebookLink(payload) };
  return undefined;
}

/** Removes a notebook link from the address bar, so a reload opens the saved copy instead of the link again. */
export function forgetLinkInAddressBar(): void {
  if (linkPayloadOf(location.hash) !== undefined) history.replaceState(history.state, '', `${location.pathname}${location.search}`);
}

/** The page's address with the notebook in its fragment (and no query: `?sample=0` is not part of a share). */
export async function notebookLink(text: string): Promise<string> {
  return `${location.origin}${location.pathname}#${await encodeNotebookLink(text)}`;
}

export async function loadAppFiles(): Promise<AppFiles> {
  let response: Response;
  try {
    response = await fetch(new URL(APP_FILES_NAME, document.baseURI));
  } catch (cause) {
    throw new LakebookError('publish-failed', `The list of the app's files could not be read (${messageOf(cause)}).`, { cause });
  }
  if (!response.ok) {
    throw new LakebookError('publish-failed', `Publishing needs the built app (${APP_FILES_NAME} is missing: run "npm run build" and use that site).`);
  }
  return parseAppFiles(await response.text());
}

/** One of the site's own files, or undefined when it cannot be had (offline and not cached). */
export async function fetchAppFile(path: string): Promise<Blob | undefined> {
  try {
    const response = await fetch(new URL(path, document.baseURI));
    return response.ok ? await response.blob() : undefined;
  } catch {
    return undefined;
  }
}

export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

import { LakebookError } from '../engine/errors';

/**
 * A small notebook shared as a link: the Markdown text, deflated (the browser's own `deflate-raw`) and
 * base64url-encoded into the URL's fragment, `#notebook=v1.<payload>`. The fragment never reaches a
 * server, so the notebook is only in the link itself. Data files are never included.
 */
export const LINK_PARAM = 'notebook';
const VERSION = 'v1';

/**
 * Past this the link is refused with advice to publish or download instead. Browsers take URLs of
 * megabytes, but chat tools, mail clients and QR codes cut far earlier; 32,000 characters fits what
 * common tools pass on unharmed.
 */
export const MAX_LINK_PAYLOAD = 32_000;

/** A decoded notebook may not exceed this (a crafted link cannot inflate into gigabytes). */
export const MAX_LINK_NOTEBOOK_BYTES = 2 * 1024 * 1024;

export async function encodeNotebookLink(text: string): Promise<string> {
  const compressed = await pipeBytes(new TextEncoder().encode(text), new CompressionStream('deflate-raw'));
  const payload = toBase64Url(compressed);
  if (payload.length > MAX_LINK_PAYLOAD) {
    throw new LakebookError(
      'share-invalid',
      `This notebook is too large for a link (${payload.length.toLocaleString('en-US')} characters compressed, the limit is ${MAX_LINK_PAYLOAD.toLocaleString('en-US')}). Publish it as a bundle or download the .md instead.`,
    );
  }
  return `${LINK_PARAM}=${VERSION}.${payload}`;
}

/** The fragment (with or without `#`) for a notebook link, or undefined when it is not one. */
export function linkPayloadOf(hash: string): string | undefined {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
  const prefix = `${LINK_PARAM}=`;
  return fragment.startsWith(prefix) ? fragment.slice(prefix.length) : undefined;
}

/** Decodes `v1.<payload>`; a damaged or hostile payload gives a `share-invalid` error, never a partial text. */
export async function decodeNotebookLink(payload: string): Promise<string> {
  const dot = payload.indexOf('.');
  const version = dot < 0 ? '' : payload.slice(0, dot);
  if (version !== VERSION) {
    throw new LakebookError('share-invalid', `This link holds a notebook in a format this version of lakebook does not know (${version || 'none'}).`);
  }
  const body = payload.slice(dot + 1);
  if (body.length > MAX_LINK_PAYLOAD) {
    throw new LakebookError('share-invalid', `This notebook link is longer than lakebook makes them (${MAX_LINK_PAYLOAD.toLocaleString('en-US')} characters): it was not made by lakebook.`);
  }
  if (!/^[A-Za-z0-9_-]*$/.test(body)) {
    throw new LakebookError('share-invalid', 'This notebook link is damaged (it holds characters a link never has). Ask for the link again.');
  }
  let bytes: Uint8Array;
  try {
    bytes = await pipeBytes(fromBase64Url(body), new DecompressionStream('deflate-raw'), MAX_LINK_NOTEBOOK_BYTES);
  } catch (cause) {
    if (cause instanceof LakebookError) throw cause;
    throw new LakebookError('share-invalid', 'This notebook link is damaged (it does not decompress). It may have been cut short; ask for the link again.', { cause });
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (cause) {
    throw new LakebookError('share-invalid', 'This notebook link is damaged (its text is not UTF-8).', { cause });
  }
}

async function pipeBytes(input: Uint8Array, transform: CompressionStream | DecompressionStream, limit = Infinity): Promise<Uint8Array> {
  const stream = new Blob([input as BlobPart]).stream().pipeThrough(transform as unknown as TransformStream<Uint8Array, Uint8Array>);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > limit) {
      await reader.cancel();
      throw new LakebookError('share-invalid', `This notebook link unpacks to more than ${limit / 1024 / 1024} MB, more than a link-shared notebook may hold.`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  if (text.length % 4 === 1) throw new LakebookError('share-invalid', 'This notebook link is damaged (cut short). Ask for the link again.');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

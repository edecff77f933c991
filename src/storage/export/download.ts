import { StorageError } from '../errors';
import type { ByteSink } from './target';

/**
 * A browser download fed chunk by chunk.
 *
 * - `stream` (Chromium, Firefox; wherever service workers and transferable streams exist): the bytes go
 *   through a `TransformStream` whose readable end is handed to `public/download-sw.js`, which answers
 *   a hidden iframe's request with it as an attachment. The download starts at once and is written to
 *   disk as it arrives; nothing is held but the chunk in flight (backpressure crosses the threads).
 * - `blob` (no service worker: `file://`, some private modes, Safari without transferable streams):
 *   the chunks are gathered into Blobs of 8 MiB and handed over at the end. The JS heap holds one
 *   chunk, but the archive exists whole in the browser's blob storage, which Chromium moves to disk
 *   beyond its memory quota; the download only appears when the export has finished.
 */
export interface DownloadSink extends ByteSink {
  readonly mode: 'stream' | 'blob';
}

const SCOPE = './__download/';
let registration: Promise<ServiceWorker | undefined> | undefined;

/** The active download worker, or undefined where there is none (then downloads use Blobs). */
function downloadWorker(): Promise<ServiceWorker | undefined> {
  registration ??= (async () => {
    if (typeof navigator === 'undefined' || !('serviceWorker' in navigator) || !window.isSecureContext) return undefined;
    try {
      const reg = await navigator.serviceWorker.register('./download-sw.js', { scope: SCOPE });
      const worker = reg.active ?? reg.waiting ?? reg.installing;
      if (!worker) return undefined;
      if (worker.state === 'activated') return worker;
      return await new Promise<ServiceWorker | undefined>((resolve) => {
        const timer = setTimeout(() => resolve(undefined), 10_000);
        worker.addEventListener('statechange', () => {
          if (worker.state === 'activated') {
            clearTimeout(timer);
            resolve(worker);
          } else if (worker.state === 'redundant') {
            clearTimeout(timer);
            resolve(undefined);
          }
        });
      });
    } catch {
      return undefined;
    }
  })();
  return registration;
}

export async function openDownload(fileName: string, options: { type: string; mode?: 'stream' | 'blob' }): Promise<DownloadSink> {
  if (options.mode !== 'blob') {
    const worker = await downloadWorker();
    const sink = worker ? await streamedDownload(worker, fileName, options.type).catch(() => undefined) : undefined;
    if (sink) return sink;
    if (options.mode === 'stream') throw new StorageError('unavailable', 'This browser cannot stream a download (no service worker).');
  }
  return blobDownload(fileName, options.type);
}

async function streamedDownload(worker: ServiceWorker, fileName: string, type: string): Promise<DownloadSink> {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>(undefined, { highWaterMark: 4 }, { highWaterMark: 4 });
  const id = crypto.randomUUID();
  const channel = new MessageChannel();
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the download worker did not answer')), 5_000);
    channel.port1.onmessage = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  // Throws DataCloneError where streams are not transferable: the caller falls back to a Blob.
  worker.postMessage({ type: 'lakebook-download', id, name: fileName, mime: type, stream: readable }, [readable, channel.port2]);
  await ready;
  const frame = document.createElement('iframe');
  frame.hidden = true;
  frame.title = 'download';
  frame.src = `${SCOPE}${encodeURIComponent(id)}/${encodeURIComponent(fileName)}`;
  document.body.append(frame);
  const removeFrame = () => setTimeout(() => frame.remove(), 30_000);
  const writer = writable.getWriter();
  return {
    mode: 'stream',
    async write(chunk) {
      await writer.ready;
      await writer.write(chunk);
    },
    async close() {
      await writer.close();
      removeFrame();
    },
    async abort(reason) {
      await writer.abort(reason).catch(() => undefined);
      removeFrame();
    },
  };
}

/** Gathers chunks into Blob parts so the JS heap holds at most `partSize` bytes of them. */
export function createBlobParts(partSize = 8 * 1024 * 1024) {
  const parts: Blob[] = [];
  let current: Uint8Array[] = [];
  let currentSize = 0;
  const flush = () => {
    if (current.length === 0) return;
    parts.push(new Blob(current as BlobPart[]));
    current = [];
    currentSize = 0;
  };
  return {
    add(chunk: Uint8Array) {
      current.push(chunk);
      currentSize += chunk.byteLength;
      if (currentSize >= partSize) flush();
    },
    /** Bytes still on the JS heap (not yet handed to a Blob). */
    get heapBytes() {
      return currentSize;
    },
    finish(type: string): Blob {
      flush();
      return new Blob(parts, { type });
    },
    clear() {
      parts.length = 0;
      current = [];
      currentSize = 0;
    },
  };
}

function blobDownload(fileName: string, type: string): DownloadSink {
  const parts = createBlobParts();
  return {
    mode: 'blob',
    async write(chunk) {
      parts.add(chunk);
    },
    async close() {
      const url = URL.createObjectURL(parts.finish(type));
      const a = document.createElement('a');
      a.href = url;
      a.download = fileName;
      a.hidden = true;
      document.body.append(a);
      a.click();
      a.remove();
      // The download manager has read the URL long before this.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      parts.clear();
    },
    async abort() {
      parts.clear();
    },
  };
}

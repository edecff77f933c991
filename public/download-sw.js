// lakebook's download service worker (src/storage/export/download.ts registers it).
//
// It lets a page hand a ReadableStream to the browser's download manager, so an export streams to disk
// and never exists whole in memory, as a Blob would. The page posts {id, name, mime, stream}; then it
// navigates a hidden iframe to <scope><id>/<name>, and this worker answers that navigation with the
// stream as an attachment. Its scope is only that folder: it never sees the app's own requests.
'use strict';

/** id → { name, mime, stream }, waiting for the iframe's request. */
const waiting = new Map();

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('message', (event) => {
  const data = event.data || {};
  const port = event.ports[0];
  if (data.type !== 'lakebook-download' || !port) return;
  waiting.set(data.id, { name: data.name, mime: data.mime, stream: data.stream });
  // A download nobody fetched within a minute is dropped, so its stream does not pin memory.
  setTimeout(() => {
    const entry = waiting.get(data.id);
    if (entry) {
      waiting.delete(data.id);
      entry.stream.cancel('download not started').catch(() => undefined);
    }
  }, 60_000);
  port.postMessage({ ready: true });
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  const scope = new URL(self.registration.scope);
  if (!url.pathname.startsWith(scope.pathname)) return;
  const id = decodeURIComponent(url.pathname.slice(scope.pathname.length).split('/')[0] || '');
  const entry = waiting.get(id);
  if (!entry) {
    event.respondWith(new Response('This download is no longer available; export again.', { status: 404, headers: { 'Content-Type': 'text/plain' } }));
    return;
  }
  waiting.delete(id);
  const headers = {
    'Content-Type': entry.mime || 'application/octet-stream',
    'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(entry.name)}`,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  };
  event.respondWith(new Response(entry.stream, { headers }));
});

/**
 * The Content-Security-Policy of the built site (DESIGN §6), injected into index.html as a `<meta>` at
 * build time so it holds on any static host, also one that cannot set headers. docs/deploy.md gives
 * the same policy as a header (which also covers what a `<meta>` cannot: frame-ancestors, workers'
 * own responses).
 *
 * Why each source is there:
 * - `script-src 'self' 'wasm-unsafe-eval'`: our own modules only, no inline script, no eval; WebAssembly
 *   (DuckDB in its worker, parquet-wasm when publishing) needs `wasm-unsafe-eval` to compile.
 * - `worker-src 'self' blob:`: the DuckDB, ingest and Monaco workers are files on our origin; `blob:`
 *   for workers built at run time (sandboxed TS cells). A blob URL can only be made by code already
 *   running here, so it adds no way in.
 * - `connect-src 'self'`: data never leaves the machine; fetch/XHR/WebSocket/EventSource only to the
 *   origin that served the app (its own files, the service worker's precache).
 * - `style-src 'self' 'unsafe-inline'`: Monaco injects `<style>` elements at run time and Svelte sets
 *   style attributes. CSS cannot run script, and `img-src`/`font-src` stop CSS from fetching elsewhere.
 * - `img-src 'self' data: blob:`: icons and Monaco's inline SVGs; no remote images (a tracking pixel
 *   in Markdown loads nothing).
 * - `frame-src 'self'`: only our own frames — the export's streamed download is a hidden iframe under
 *   `./__download/` (src/storage/export/download.ts); nothing from elsewhere can be framed.
 * - `object-src 'none'`, `base-uri 'self'`, `form-action 'none'`: no plugins, no `<base>` rewrite of our
 *   relative URLs, no form posts.
 */
export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  'worker-src': ["'self'", 'blob:'],
  'connect-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'manifest-src': ["'self'"],
  'media-src': ["'self'", 'blob:'],
  'object-src': ["'none'"],
  'frame-src': ["'self'"],
  'base-uri': ["'self'"],
  'form-action': ["'none'"],
};

/** Directives a `<meta>` policy ignores (browsers warn about them); only a header can carry them. */
export const HEADER_ONLY_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'frame-ancestors': ["'none'"],
};

/** The policy as one line, for a `<meta http-equiv>` (header: true adds the header-only directives). */
export function contentSecurityPolicy({ header = false }: { header?: boolean } = {}): string {
  const all = header ? { ...CSP_DIRECTIVES, ...HEADER_ONLY_DIRECTIVES } : CSP_DIRECTIVES;
  return Object.entries(all)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/** index.html with the policy as the first element of `<head>`, so it governs everything after it. */
export function injectCspMeta(html: string): string {
  if (html.includes('http-equiv="Content-Security-Policy"')) return html;
  const meta = `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy()}" />`;
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (!head) throw new Error('index.html has no <head>: the Content-Security-Policy cannot be injected');
  const at = head.index + head[0].length;
  return `${html.slice(0, at)}\n    ${meta}${html.slice(at)}`;
}

// Build-time plugins for the static site (docs/deploy.md): the Content-Security-Policy `<meta>` and
// the list of the site's own files that "Publish" copies into a notebook bundle.
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { Plugin, ResolvedConfig } from 'vite';
import { injectCspMeta } from '../src/share/csp';
import { APP_FILES_NAME, isOptionalAppFile, isPublishedAppFile, type AppFiles } from '../src/share/app-files';

/** Injects DESIGN §6's policy into the built index.html (not in dev: Vite's HMR client needs inline script and a WebSocket). */
export function cspPlugin(): Plugin {
  return {
    name: 'lakebook:csp',
    apply: 'build',
    transformIndexHtml: { order: 'post', handler: (html) => injectCspMeta(html) },
  };
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/**
 * Writes `app-files.json` into the output folder: every file of the site with its size, so the page can
 * copy itself into a published bundle. It runs before the service worker is generated (order 'pre'),
 * so the list is precached too and names the worker file that is still to come.
 */
export function appFilesPlugin(serviceWorkerFile: string): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'lakebook:app-files',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    closeBundle: {
      order: 'pre',
      sequential: true,
      handler() {
        const outDir = resolve(config.root, config.build.outDir);
        const files = walk(outDir)
          .map((path) => ({ path: relative(outDir, path).split(sep).join('/'), bytes: statSync(path).size }))
          .filter((f) => isPublishedAppFile(f.path))
          .map((f) => (isOptionalAppFile(f.path) ? { ...f, optional: true } : f));
        // The worker is not in its own precache: offline, a publish goes on without it (the bundle then
        // works online only), rather than failing.
        files.push({ path: serviceWorkerFile, bytes: -1, optional: true }, { path: APP_FILES_NAME, bytes: -1 });
        files.sort((a, b) => a.path.localeCompare(b.path));
        const list: AppFiles = { format: 'lakebook-app-files', version: 1, files };
        writeFileSync(join(outDir, APP_FILES_NAME), `${JSON.stringify(list, null, 1)}\n`);
      },
    },
  };
}

import { describe, expect, it } from 'vitest';
import { isOptionalAppFile, isPublishedAppFile, isSafeRelativePath, parseAppFiles } from './app-files';

describe('the app file list', () => {
  it('accepts only paths that stay inside the site', () => {
    for (const ok of ['index.html', 'assets/duckdb-eh-x.wasm', 'sample/sales.csv', 'icons/icon.svg']) expect(isSafeRelativePath(ok), ok).toBe(true);
    for (const bad of ['', '/etc/passwd', '../x', 'a/../../x', 'a//b', './a', 'a\\b', 'https://evil.example/x.js', 'javascript:alert(1)', 'C:/x']) {
      expect(isSafeRelativePath(bad), bad).toBe(false);
    }
  });

  it('marks only DuckDB mvp wasm as optional and keeps published/ and source maps out', () => {
    expect(isOptionalAppFile('assets/duckdb-mvp-BP0pRkMH.wasm')).toBe(true);
    expect(isOptionalAppFile('assets/duckdb-browser-mvp.worker-C9hF7LGh.js')).toBe(false);
    expect(isOptionalAppFile('assets/duckdb-eh-9ubY-jlA.wasm')).toBe(false);
    expect(isPublishedAppFile('published/manifest.json')).toBe(false);
    expect(isPublishedAppFile('assets/index.js.map')).toBe(false);
    expect(isPublishedAppFile('sample/sales.csv')).toBe(true);
  });

  it('parses the list and refuses a foreign or unsafe one', () => {
    const good = { format: 'lakebook-app-files', version: 1, files: [{ path: 'index.html', bytes: 3 }] };
    expect(parseAppFiles(JSON.stringify(good)).files).toEqual([{ path: 'index.html', bytes: 3 }]);
    for (const bad of ['nope', '{}', JSON.stringify({ ...good, version: 2 }), JSON.stringify({ ...good, files: [{ path: '../x', bytes: 1 }] })]) {
      expect(() => parseAppFiles(bad), bad).toThrow(expect.objectContaining({ code: 'publish-failed' }));
    }
  });
});

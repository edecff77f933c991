import { describe, expect, it } from 'vitest';
import { CSP_DIRECTIVES, contentSecurityPolicy, injectCspMeta } from './csp';

describe('Content-Security-Policy', () => {
  it('keeps data home and script to our own files (DESIGN §6)', () => {
    expect(CSP_DIRECTIVES['connect-src']).toEqual(["'self'"]);
    expect(CSP_DIRECTIVES['script-src']).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    const policy = contentSecurityPolicy();
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    expect(policy).not.toMatch(/https?:|\*/);
    // frame-ancestors only works as a header; browsers warn about it in a <meta>.
    expect(policy).not.toContain('frame-ancestors');
    expect(contentSecurityPolicy({ header: true })).toContain("frame-ancestors 'none'");
  });

  it('is injected as the first element of <head>, once', () => {
    const html = '<!doctype html>\n<html lang="en">\n  <head data-x="1">\n    <meta charset="UTF-8" />\n    <script type="module" src="./a.js"></script>\n  </head>\n</html>\n';
    const out = injectCspMeta(html);
    const head = out.indexOf('<head data-x="1">');
    const meta = out.indexOf('<meta http-equiv="Content-Security-Policy"');
    expect(meta).toBeGreaterThan(head);
    expect(meta).toBeLessThan(out.indexOf('<meta charset'));
    expect(meta).toBeLessThan(out.indexOf('<script'));
    expect(injectCspMeta(out)).toBe(out);
    expect(() => injectCspMeta('<html><body></body></html>')).toThrow(/no <head>/);
  });
});

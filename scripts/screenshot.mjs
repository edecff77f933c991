// Takes a screenshot of the built app (served by `vite preview` on :4173) for the README and reviews.
// Usage: node scripts/screenshot.mjs [out.png] [url-path]
import { chromium } from '@playwright/test';

const out = process.argv[2] ?? 'docs/screenshot.png';
const path = process.argv[3] ?? './';
const base = process.env.LAKEBOOK_URL ?? 'http://127.0.0.1:4173/';
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
await page.goto(new URL(path, base).href);
// The callback runs in the page, where globalThis is the window.
await page.waitForFunction(() => globalThis.__lakebook?.isReady === true, null, { timeout: 60_000 });
await page.waitForTimeout(500);
await page.screenshot({ path: out });
await browser.close();
console.log(`screenshot: ${out}`);

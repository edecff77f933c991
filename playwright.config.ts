import { defineConfig } from '@playwright/test';

const CI = !!process.env.CI;
// E2E_PORT lets a second run (another checkout) share the machine without fighting over the port.
const PORT = Number(process.env.E2E_PORT ?? 4173);
const BASE_URL = `http://127.0.0.1:${PORT}/`;

// The app is built by `npm run test:e2e` (vite build) before Playwright starts; here we only serve dist/.
// The browser is the system Chromium (no browser download is possible or wanted).
export default defineConfig({
  testDir: 'e2e',
  globalSetup: './e2e/global-setup.ts',
  workers: 1, // 2-core machine; DuckDB-WASM and Chromium want a core each
  fullyParallel: false,
  forbidOnly: CI,
  retries: CI ? 1 : 0,
  timeout: 120_000,
  globalTimeout: CI ? 45 * 60_000 : 0,
  expect: { timeout: 30_000 },
  reporter: [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: BASE_URL,
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
      ],
    },
    // The offline service worker precaches ≈52 MB after start; only e2e/share.spec.ts (which opts in on
    // its own contexts) tests it, the other tests would just pay for the download.
    serviceWorkers: 'block',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: BASE_URL,
    reuseExistingServer: !CI,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});

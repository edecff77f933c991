import type { FullConfig } from '@playwright/test';
import { generateTestData } from './data/generate';

/** Playwright global setup: make sure e2e/.data/ holds the generated test files (see data/generate.ts). */
export default async function globalSetup(_config: FullConfig): Promise<void> {
  const started = Date.now();
  const files = await generateTestData();
  console.log(`e2e data ready in ${Date.now() - started} ms: ${Object.keys(files).join(', ')}`);
}

import type { FullConfig } from '@playwright/test';
import { generateTestData } from './data/generate';
import { generateCorpusFiles } from './corpus/files';

/** Playwright global setup: make sure e2e/.data/ holds the generated test files (see data/generate.ts, corpus/files.ts). */
export default async function globalSetup(_config: FullConfig): Promise<void> {
  const started = Date.now();
  const files = await generateTestData();
  // After generateTestData: a generator version bump wipes e2e/.data/, the corpus folder with it.
  await generateCorpusFiles();
  console.log(`e2e data ready in ${Date.now() - started} ms: ${Object.keys(files).join(', ')}, corpus/`);
}

/** Reads the Great Expectations files in ./fixtures (tests only). */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JsonObject } from './json';

const root = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'great_expectations');

export function geFixture(path: string): JsonObject {
  return JSON.parse(readFileSync(join(root, path), 'utf8')) as JsonObject;
}

export function geFixtureText(path: string): string {
  return readFileSync(join(root, path), 'utf8');
}

/** Helpers shared by the Vitest suites that drive a real engine (imported by tests only). */
import type { Engine } from './engine';
import { LakebookError } from './errors';

/** Every row of `sql`'s result, as the grid shows the values; the result is released. */
export async function resultRows(engine: Engine, sql: string, limit = 1000): Promise<(string | null)[][]> {
  const result = await engine.run(sql);
  if (result.kind !== 'rows') throw new Error(`expected rows from ${sql}, got ${result.message}`);
  const page = await engine.fetchPage(result, 0, limit);
  await engine.releaseResult(result);
  return page.rows;
}

/** The LakebookError `promise` rejects with; a test failure if it resolves or rejects with anything else. */
export async function failureOf(promise: Promise<unknown>): Promise<LakebookError> {
  const error = await promise.then(
    () => new Error('expected a failure, but it succeeded'),
    (e: unknown) => e,
  );
  if (!(error instanceof LakebookError)) throw error instanceof Error ? error : new Error(`expected a LakebookError, got ${String(error)}`);
  return error;
}

import type { Engine } from '../../engine/engine';
import { LakebookError } from '../../engine/errors';
import type { CellBlock } from '../../notebook/model';
import { parseChecks } from '../../quality/parse';
import { quoteIdent, quoteString, relationOf } from '../../quality/sql';
import { runCheck, type CheckOutcome } from '../../quality/validate';
import type { CellKind } from '../cell-kind';

/**
 * Check cells: Great Expectations' expectations on `table=`, answered with GE's validation result
 * (`CellOutput.detail`, a CheckOutcome). `passed` is the suite's `success`, so cells with
 * `requires=<this cell's name>` wait for it to pass. A named check also writes its results as a table
 * of that name, one row per expectation, for SQL cells to read.
 */
export const checkCell: CellKind = {
  kind: 'check',
  async dependencies(cell, engine) {
    const table = cell.attributes['table']?.trim();
    const reads = new Set<string>();
    if (table) reads.add(relationOf(table).name.toLowerCase());
    for (const query of customQueries(cell)) {
      const analysis = await engine.analyze(query).catch(() => undefined);
      for (const name of analysis?.reads ?? []) reads.add(name.toLowerCase());
    }
    return { reads: [...reads], defines: cell.name ? [cell.name] : [] };
  },
  async run({ engine, cell, signal }) {
    const table = cell.attributes['table']?.trim();
    if (!table) {
      throw new LakebookError('syntax', 'A check needs the table it checks: write table=<name> after check on the first line, e.g. ```check table=orders');
    }
    const outcome = await runCheck(engine, { table, source: cell.source, suiteName: cell.name, signal });
    if (cell.name) await writeResultsTable(engine, cell.name, outcome, signal);
    return { detail: outcome, passed: outcome.validation.success };
  },
};

/** The custom SQL of a check with `{batch}` replaced, for the dependency graph; nothing for text that does not parse. */
function customQueries(cell: CellBlock): string[] {
  const table = cell.attributes['table']?.trim();
  if (!table) return [];
  try {
    return parseChecks(cell.source)
      .expectations.filter((e) => e.spec.family === 'query')
      .map((e) => String(e.kwargs['unexpected_rows_query']).replace(/\{(?:batch|active_batch)\}/g, relationOf(table).sql));
  } catch {
    return [];
  }
}

const RESULT_COLUMNS = 'line, expectation_type, description, success, element_count, unexpected_count, unexpected_percent, missing_count, observed_value';

/** One row per expectation: what SQL downstream needs to react to a check (e.g. count what failed). */
async function writeResultsTable(engine: Engine, name: string, outcome: CheckOutcome, signal: AbortSignal): Promise<void> {
  const rows = outcome.validation.results.map((r, i) => {
    const report = outcome.reports[i]!;
    const result = r.result;
    const config = r.expectation_config;
    const int = (v: unknown) => (typeof v === 'number' ? `CAST(${v} AS BIGINT)` : 'CAST(NULL AS BIGINT)');
    const observed = result['observed_value'];
    return `(${[
      `CAST(${report.line} AS INTEGER)`,
      quoteString(String(config['type'] ?? config['expectation_type'])),
      quoteString(report.label),
      r.success ? 'TRUE' : 'FALSE',
      int(result['element_count']),
      int(result['unexpected_count']),
      typeof result['unexpected_percent'] === 'number' ? `CAST(${result['unexpected_percent']} AS DOUBLE)` : 'CAST(NULL AS DOUBLE)',
      int(result['missing_count']),
      observed === undefined ? 'CAST(NULL AS VARCHAR)' : quoteString(JSON.stringify(observed)),
    ].join(', ')})`;
  });
  const result = await engine.run(`CREATE OR REPLACE TABLE ${quoteIdent(name)} AS SELECT * FROM (VALUES ${rows.join(',\n')}) AS results(${RESULT_COLUMNS})`, { signal });
  await engine.releaseResult(result);
}

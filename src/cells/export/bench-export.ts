import type { Engine } from '../../engine/engine';
import { createDiscardTarget } from '../../storage/export/memory-target';
import { parseExportCell } from './options';
import { runExport } from './run-export';
import { browserTargets } from './targets';

export interface BenchExportResult {
  rows: number;
  files: number;
  bytes: number;
  elapsedMs: number;
  rowsPerSecond: number;
  passes: number;
}

/**
 * What `bench/export-bench.ts` calls in the page (through `window.__lakebook.exportForBench`): an
 * export cell's attributes, written to a streamed zip download or to nowhere (the pipeline alone).
 */
export async function exportForBench(engine: Engine, attributes: Record<string, string>, to: 'zip' | 'discard'): Promise<BenchExportResult> {
  const spec = parseExportCell({ ...attributes, to: 'zip' }, '');
  const target = to === 'zip' ? browserTargets(spec, { sourceLabel: 'bench', key: 'bench' }) : createDiscardTarget();
  const started = performance.now();
  const outcome = await runExport({ engine, spec, target });
  const elapsedMs = performance.now() - started;
  return {
    rows: outcome.manifest.rows,
    files: outcome.manifest.files.length,
    bytes: outcome.manifest.bytes,
    elapsedMs,
    rowsPerSecond: (outcome.manifest.rows / elapsedMs) * 1000,
    passes: outcome.passes,
  };
}

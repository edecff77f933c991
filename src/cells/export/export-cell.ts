import type { Engine } from '../../engine/engine';
import type { CellKind } from '../cell-kind';
import { parseExportCell } from './options';
import { runExport, type ExportOutcome } from './run-export';
import { browserTargets, type TargetFactory } from './targets';

/** What an export cell's run leaves for its view: the outcome, with the manifest. */
export type ExportCellDetail = ExportOutcome;

const rate = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

async function readsOf(attributes: Readonly<Record<string, string>>, body: string, engine: Engine): Promise<string[]> {
  const from = attributes.from?.trim();
  if (from) return [from.toLowerCase()];
  if (body.trim() === '') return [];
  return (await engine.analyze(body)).reads;
}

/**
 * Export cells (DESIGN §3): ```export from=orders format=parquet partition_by=year,month to=zip```.
 * The cell reads its source (a table, or the query in its body) and defines nothing; its output is
 * the export's manifest. `requires=` gating is the notebook's (a failed check stops the export).
 */
export function createExportCell(targets: TargetFactory): CellKind {
  return {
    kind: 'export',
    async dependencies(cell, engine) {
      try {
        return { reads: await readsOf(cell.attributes, cell.source, engine), defines: [] };
      } catch {
        return { reads: [], defines: [] };
      }
    },
    async run({ engine, cell, signal, progress }) {
      const spec = parseExportCell(cell.attributes, cell.source);
      const sourceLabel = 'table' in spec.source ? spec.source.table : (cell.name ?? 'query');
      const target = targets(spec, { sourceLabel, key: `cell:${cell.id}` });
      const outcome = await runExport({
        engine,
        spec,
        target,
        signal,
        onProgress: (p) =>
          progress({
            rows: p.rows,
            totalRows: p.totalRows,
            bytes: p.bytes,
            message:
              p.phase === 'planning'
                ? 'planning…'
                : p.phase === 'finishing'
                  ? 'writing _manifest.json'
                  : `· ${rate.format(p.rowsPerSecond)} rows/s · ${formatBytes(p.bytes)} · file ${Math.min(p.files + 1, p.totalFiles)} of ${p.totalFiles}`,
          }),
      });
      const detail: ExportCellDetail = outcome;
      return { detail };
    },
  };
}

export const exportCell = createExportCell(browserTargets);

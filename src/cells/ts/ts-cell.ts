import type { CellKind } from '../cell-kind';
import { analyzeCached } from '../sql-analysis';
import { cellInputs, sqlTemplates } from './inputs';
import type { TsCellLimits } from './limits';
import { runTsCell } from './runner';
import type { SpawnSandbox } from './sandbox';

/**
 * `ts` cells (docs/ts-cells.md): TypeScript run in a sandbox worker. A cell reads the tables its
 * default export destructures (and its `inputs=`, and what its `sql` templates read); with `name=`, what
 * it returns becomes that table.
 */
export function createTsCellKind(spawn: SpawnSandbox, limits?: TsCellLimits): CellKind {
  return {
    kind: 'ts',
    async dependencies(cell, engine) {
      const reads = cellInputs(cell.source, cell.attributes['inputs']);
      const analyses = await Promise.all(sqlTemplates(cell.source).map((sql) => analyzeCached(engine, sql).catch(() => undefined)));
      const seen = new Set(reads.map((r) => r.toLowerCase()));
      for (const analysis of analyses) {
        for (const name of analysis?.reads ?? []) {
          if (!seen.has(name.toLowerCase())) {
            seen.add(name.toLowerCase());
            reads.push(name);
          }
        }
      }
      return { reads, defines: cell.name ? [cell.name] : [] };
    },
    run: (context) => runTsCell(context, spawn, limits),
  };
}

import type { CellKind } from '../cell-kind';
import { analyzeCached } from '../sql-analysis';

/** `true`, `cache` alone, or `cache=""` materialize the result (the seed's `.cache()`); anything else is a view. */
export function wantsMaterialized(attributes: Readonly<Record<string, string>>): boolean {
  return ['true', ''].includes(attributes['cache'] ?? 'false');
}

/** SQL cells: the last statement's rows are the result; `name=` makes it a view (or a table with `cache=true`). */
export const sqlCell: CellKind = {
  kind: 'sql',
  async dependencies(cell, engine) {
    const analysis = await analyzeCached(engine, cell.source);
    return { reads: analysis.reads, defines: [...(cell.name ? [cell.name] : []), ...analysis.creates] };
  },
  async run({ engine, cell, signal }) {
    const define = cell.name ? { name: cell.name, materialize: wantsMaterialized(cell.attributes) } : undefined;
    const result = await engine.run(cell.source, define ? { define, signal } : { signal });
    return { result };
  },
};

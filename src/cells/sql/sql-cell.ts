import type { Engine, SqlAnalysis } from '../../engine/engine';
import type { CellKind } from '../cell-kind';

/** Analyses per engine, keyed by SQL text: the graph is rebuilt on every run and most cells did not change. */
const analyses = new WeakMap<Engine, Map<string, Promise<SqlAnalysis>>>();
const MAX_CACHED = 500;

function analyze(engine: Engine, sql: string): Promise<SqlAnalysis> {
  let cache = analyses.get(engine);
  if (!cache) {
    cache = new Map();
    analyses.set(engine, cache);
  }
  let analysis = cache.get(sql);
  if (!analysis) {
    analysis = engine.analyze(sql);
    cache.set(sql, analysis);
    if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
  }
  return analysis;
}

/** `true`, `cache` alone, or `cache=""` materialize the result (the seed's `.cache()`); anything else is a view. */
export function wantsMaterialized(attributes: Readonly<Record<string, string>>): boolean {
  return ['true', ''].includes(attributes['cache'] ?? 'false');
}

/** SQL cells: the last statement's rows are the result; `name=` makes it a view (or a table with `cache=true`). */
export const sqlCell: CellKind = {
  kind: 'sql',
  async dependencies(cell, engine) {
    const analysis = await analyze(engine, cell.source);
    return { reads: analysis.reads, defines: [...(cell.name ? [cell.name] : []), ...analysis.creates] };
  },
  async run({ engine, cell, signal }) {
    const define = cell.name ? { name: cell.name, materialize: wantsMaterialized(cell.attributes) } : undefined;
    const result = await engine.run(cell.source, define ? { define, signal } : { signal });
    return { result };
  },
};

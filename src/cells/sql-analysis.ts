import type { Engine, SqlAnalysis } from '../engine/engine';

/** Analyses per engine, keyed by SQL text: the graph is rebuilt on every run and most cells did not change. */
const analyses = new WeakMap<Engine, Map<string, Promise<SqlAnalysis>>>();
const MAX_CACHED = 500;

/** `engine.analyze(sql)`, remembered per engine (the newest 500 texts) for every kind that reads SQL. */
export function analyzeCached(engine: Engine, sql: string): Promise<SqlAnalysis> {
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

/**
 * Great Expectations' validation-result objects, built the way GE builds them
 * (`_format_map_output`, `_mostly_success`, `ExpectationSuiteValidationResult`), so counts,
 * percentages (as IEEE doubles, in GE's order of operations) and keys match GE's output.
 */
import type { ResultFormat } from './catalog';
import { comparePython, isJsonObject, valueKey, type JsonObject, type JsonValue } from './json';
import type { Dialect, ExpectationConfig } from './parse';

export interface ExpectationResult {
  success: boolean;
  expectation_config: JsonObject;
  result: JsonObject;
  meta: JsonObject;
  exception_info: { raised_exception: boolean; exception_traceback: string | null; exception_message: string | null };
}

export interface SuiteStatistics {
  evaluated_expectations: number;
  successful_expectations: number;
  unsuccessful_expectations: number;
  success_percent: number | null;
}

/** GE 1.x: `suite_name`, `suite_parameters`; GE 0.x: `evaluation_parameters`. */
export type ValidationResult = {
  success: boolean;
  results: ExpectationResult[];
  statistics: SuiteStatistics;
  meta: JsonObject;
} & ({ suite_name: string; suite_parameters: JsonObject } | { evaluation_parameters: JsonObject });

/** GE's `_mostly_success`: the share of considered rows that passed, compared with `>=`. */
export function mostlySuccess(rowsConsidered: number, unexpected: number, mostly: number): boolean {
  return (rowsConsidered - unexpected) / rowsConsidered >= mostly;
}

export interface MapCounts {
  elementCount: number;
  /** Rows the expectation looked at (non-null for column maps); undefined for not_null/null, which look at all rows. */
  nonnullCount: number | undefined;
  unexpectedCount: number;
  /** The first failing values (or value tuples), at most the result format's partial count. */
  unexpectedList: JsonValue[];
  /** Row positions of those values, when the relation has them (tables: DuckDB rowids). */
  unexpectedIndexList: number[] | undefined;
}

/**
 * GE's `_format_map_output` for the BOOLEAN_ONLY, BASIC and SUMMARY formats. `unexpected_percent` is
 * over the non-missing rows; `unexpected_percent_total` over all rows.
 */
export function formatMapOutput(format: ResultFormat, success: boolean, counts: MapCounts): { success: boolean; result: JsonObject } {
  if (format.name === 'BOOLEAN_ONLY') return { success, result: {} };
  const { elementCount, nonnullCount, unexpectedCount } = counts;
  const skipMissing = nonnullCount === undefined;
  const missingCount = skipMissing ? null : elementCount - nonnullCount;
  let missingPercent: number | null = null;
  let unexpectedPercentTotal: number | null = null;
  let unexpectedPercentNonmissing: number | null = null;
  if (elementCount > 0) {
    unexpectedPercentTotal = (unexpectedCount / elementCount) * 100;
    if (!skipMissing && missingCount !== null) {
      missingPercent = (missingCount / elementCount) * 100;
      unexpectedPercentNonmissing = nonnullCount > 0 ? (unexpectedCount / nonnullCount) * 100 : null;
    } else {
      unexpectedPercentNonmissing = unexpectedPercentTotal;
    }
  }
  const partial = counts.unexpectedList.slice(0, format.partialCount);
  const result: JsonObject = {
    element_count: elementCount,
    unexpected_count: unexpectedCount,
    unexpected_percent: unexpectedPercentNonmissing,
    partial_unexpected_list: partial,
  };
  if (!skipMissing) {
    result['missing_count'] = missingCount;
    result['missing_percent'] = missingPercent;
    result['unexpected_percent_total'] = unexpectedPercentTotal;
    result['unexpected_percent_nonmissing'] = unexpectedPercentNonmissing;
  }
  if (format.name === 'BASIC') return { success, result };
  if (format.partialCount > 0) {
    result['partial_unexpected_counts'] = partialUnexpectedCounts(partial, format.partialCount);
    if (counts.unexpectedIndexList) result['partial_unexpected_index_list'] = counts.unexpectedIndexList.slice(0, format.partialCount);
  }
  return { success, result };
}

/** `Counter(values).most_common(n)` sorted by (-count, value), as GE does. */
export function partialUnexpectedCounts(values: JsonValue[], limit: number): JsonObject[] {
  const counts = new Map<string, { value: JsonValue; count: number; first: number }>();
  // GE flattens the dicts of multi-column expectations into tuples before counting them.
  values.map((v) => (isJsonObject(v) ? Object.values(v) : v)).forEach((value, index) => {
    const key = valueKey(value);
    const entry = counts.get(key);
    if (entry) entry.count++;
    else counts.set(key, { value, count: 1, first: index });
  });
  const mostCommon = [...counts.values()].sort((a, b) => b.count - a.count || a.first - b.first).slice(0, limit);
  return mostCommon.sort((a, b) => b.count - a.count || comparePython(a.value, b.value)).map(({ value, count }) => ({ value, count }));
}

/** GE's `_validate_metric_value_between` verdict for an observed value and the kwargs' bounds. */
export function betweenSuccess(observed: number | null, kwargs: JsonObject): boolean {
  if (observed === null || Number.isNaN(observed)) return false;
  const min = kwargs['min_value'];
  const max = kwargs['max_value'];
  const aboveMin = typeof min === 'number' ? (kwargs['strict_min'] === true ? observed > min : observed >= min) : true;
  const belowMax = typeof max === 'number' ? (kwargs['strict_max'] === true ? observed < max : observed <= max) : true;
  return aboveMin && belowMax;
}

export function expectationConfigJson(config: ExpectationConfig, dialect: Dialect): JsonObject {
  const out: JsonObject = dialect === 'v0' ? { expectation_type: config.spec.type } : { type: config.spec.type };
  out['kwargs'] = config.kwargs;
  out['meta'] = config.meta;
  if (config.id !== undefined) out[dialect === 'v0' ? 'ge_cloud_id' : 'id'] = config.id;
  if (dialect === 'v1' && config.notes !== undefined) out['notes'] = config.notes;
  if (dialect === 'v1' && config.description !== undefined) out['description'] = config.description;
  return out;
}

export function expectationResult(config: ExpectationConfig, dialect: Dialect, outcome: { success: boolean; result: JsonObject }): ExpectationResult {
  return {
    success: outcome.success,
    expectation_config: expectationConfigJson(config, dialect),
    result: outcome.result,
    meta: {},
    exception_info: { raised_exception: false, exception_traceback: null, exception_message: null },
  };
}

export function statisticsOf(results: readonly ExpectationResult[]): SuiteStatistics {
  const evaluated = results.length;
  const successful = results.filter((r) => r.success).length;
  return {
    evaluated_expectations: evaluated,
    successful_expectations: successful,
    unsuccessful_expectations: evaluated - successful,
    success_percent: evaluated > 0 ? (successful / evaluated) * 100 : null,
  };
}

export function suiteResult(results: ExpectationResult[], dialect: Dialect, suiteName: string, meta: JsonObject): ValidationResult {
  const statistics = statisticsOf(results);
  const success = results.every((r) => r.success);
  if (dialect === 'v0') return { success, results, evaluation_parameters: {}, statistics, meta };
  return { success, results, suite_name: suiteName, suite_parameters: {}, statistics, meta };
}

/**
 * Expectations → SQL for DuckDB. Every per-row (map) and aggregate expectation of a cell becomes one
 * or more expressions of a single aggregate query over the table, so the table is scanned once for
 * all of them (`count_if(<row fails>)`, `count(col)`, `min(col)`, …, and `min(rowid, 20) FILTER
 * (WHERE <row fails>)` for the first failing rows). Expectations that need rows grouped by value
 * (uniqueness, distinct values) add one grouped query each. Pure: the schema comes in, SQL goes out.
 */
import type { ColumnInfo } from '../engine/engine';
import { isMapFamily, resultFormatOf, type ResultFormat } from './catalog';
import { checkError, didYouMean } from './errors';
import type { JsonObject, JsonValue } from './json';
import type { ExpectationConfig } from './parse';
import { pythonRegexToRe2, RegexNotSupported } from './regex';
import {
  isNumeric,
  jsonProjection,
  literal,
  quoteIdent,
  quoteString,
  typeCategory,
  valueKindOf,
  type TypeCategory,
  type ValueKind,
} from './sql';
import { typeMatches } from './types';

export interface TableSchema {
  /** The table as the user named it (the `table=` attribute). */
  name: string;
  /** The relation as SQL, quoted. */
  sql: string;
  columns: ColumnInfo[];
  /** Whether rows have a stable position (`rowid`): base tables do, views do not. */
  hasRowid: boolean;
}

/** The columns whose values a failing row reports in `partial_unexpected_list`. */
export interface ValueSpec {
  columns: ColumnInfo[];
  /** One column → the value; a column pair → `[a, b]`; compound columns → `{col: value}`. */
  style: 'scalar' | 'pair' | 'dict';
}

interface Base {
  config: ExpectationConfig;
  format: ResultFormat;
}

export type Compiled =
  /** Per-row expectations decided inside the aggregate query. */
  | (Base & {
      kind: 'map';
      /** SQL that is true for a failing row (already restricted to the rows the expectation considers). */
      condition: string;
      /** Alias of the count of considered rows; undefined where GE counts all rows (not_null, null). */
      considered: string | undefined;
      unexpected: string;
      /** Alias of the first failing rowids (tables only). */
      sample: string | undefined;
      values: ValueSpec;
    })
  /** Uniqueness: counted by a grouped query; the condition names the duplicated rows. */
  | (Base & { kind: 'grouped'; condition: string; considered: string | undefined; unexpectedSql: string; values: ValueSpec })
  | (Base & { kind: 'aggregate'; observed: string; observedKind: ValueKind; success: string | undefined })
  | (Base & { kind: 'distinct'; notInSet: string | undefined; valuesSql: string; valueKind: ValueKind })
  | (Base & { kind: 'type'; observed: string; success: boolean })
  | (Base & { kind: 'table' })
  | (Base & { kind: 'query'; sql: string });

/** A tiny query that must succeed before the scan: it validates a regex or a strftime format with DuckDB itself. */
export interface Probe {
  sql: string;
  line: number;
  what: string;
}

export interface CheckPlan {
  schema: TableSchema;
  /** Alias of count(*). */
  rowCount: string;
  /** alias → expression of the one aggregate query. */
  aggregates: Map<string, string>;
  /** alias → per-row condition, computed once per row below the aggregate (a row flag). */
  flags: Map<string, string>;
  items: Compiled[];
  probes: Probe[];
}

/**
 * The one scan. Row conditions become flags in an inner projection, so each is evaluated once per row
 * even when both a count and a sample filter use it (a regex is most of a check's cost).
 */
export function aggregateSql(plan: CheckPlan, options: { empty?: boolean } = {}): string {
  const select = [...plan.aggregates].map(([alias, sql]) => `${sql} AS ${alias}`).join(',\n  ');
  const row = [
    '*',
    ...(plan.schema.hasRowid ? [`rowid AS ${ROWID}`] : []),
    ...[...plan.flags].map(([alias, condition]) => `(${condition}) AS ${alias}`),
  ].join(',\n    ');
  return `SELECT\n  ${select}\nFROM (\n  SELECT\n    ${row}\n  FROM ${plan.schema.sql}${options.empty ? '\n  LIMIT 0' : ''}\n)`;
}

/** The row position column of the aggregate's inner projection (tables only). */
const ROWID = '__lb_rowid';

export function compileChecks(expectations: ExpectationConfig[], schema: TableSchema): CheckPlan {
  const aggregates = new Map<string, string>();
  const byExpression = new Map<string, string>();
  const metric = (sql: string): string => {
    const existing = byExpression.get(sql);
    if (existing) return existing;
    const alias = `m${aggregates.size}`;
    aggregates.set(alias, sql);
    byExpression.set(sql, alias);
    return alias;
  };
  const flags = new Map<string, string>();
  const byCondition = new Map<string, string>();
  const flag = (condition: string): string => {
    const existing = byCondition.get(condition);
    if (existing) return existing;
    const alias = `__lb_f${flags.size}`;
    flags.set(alias, condition);
    byCondition.set(condition, alias);
    return alias;
  };
  const rowCount = metric('count(*)');
  const probes: Probe[] = [];
  const items = expectations.map((config) => compileOne(config, schema, { metric, flag }, probes));
  return { schema, rowCount, aggregates, flags, items, probes };
}

interface Metrics {
  /** An aggregate expression of the scan; returns its alias. */
  metric: (sql: string) => string;
  /** A per-row condition computed once per row; returns the flag's alias. */
  flag: (condition: string) => string;
}

function compileOne(config: ExpectationConfig, schema: TableSchema, metrics: Metrics, probes: Probe[]): Compiled {
  const { metric } = metrics;
  const { spec, kwargs } = config;
  const lineOf = (key: string) => config.kwargLines[key] ?? config.line;
  const format = resultFormatOf(kwargs, lineOf('result_format'));
  const base = { config, format };
  const wantSamples = schema.hasRowid && format.name !== 'BOOLEAN_ONLY' && format.partialCount > 0;

  if (spec.family === 'table') return { ...base, kind: 'table' };
  if (spec.family === 'query') {
    const query = String(kwargs['unexpected_rows_query']).replace(/\{(?:batch|active_batch)\}/g, schema.sql);
    return { ...base, kind: 'query', sql: query.trim().replace(/;\s*$/, '') };
  }

  if (spec.family === 'column-pair-map') {
    const a = resolveColumn(schema, kwargs['column_A'], lineOf('column_A'));
    const b = resolveColumn(schema, kwargs['column_B'], lineOf('column_B'));
    const [qa, qb] = [quoteIdent(a.name), quoteIdent(b.name)];
    const ignore = kwargs['ignore_row_if'] ?? 'both_values_are_missing';
    const considered = ignore === 'both_values_are_missing' ? `NOT (${qa} IS NULL AND ${qb} IS NULL)` : ignore === 'either_value_is_missing' ? `(${qa} IS NOT NULL AND ${qb} IS NOT NULL)` : 'TRUE';
    // pandas compares with a missing value as False, so such a row fails (SQL's NULL would skip it).
    const holds = `coalesce(${qa} ${kwargs['or_equal'] === true ? '>=' : '>'} ${qb}, false)`;
    const condition = `${considered} AND NOT ${holds}`;
    return mapItem(base, condition, metric(`count_if(${considered})`), metrics, wantSamples, { columns: [a, b], style: 'pair' });
  }

  if (spec.family === 'compound-unique') {
    const columns = (kwargs['column_list'] as string[]).map((name) => resolveColumn(schema, name, lineOf('column_list')));
    const quoted = columns.map((c) => quoteIdent(c.name));
    const ignore = kwargs['ignore_row_if'] ?? 'all_values_are_missing';
    const considered =
      ignore === 'all_values_are_missing' ? `NOT (${quoted.map((q) => `${q} IS NULL`).join(' AND ')})` : ignore === 'any_value_is_missing' ? `(${quoted.map((q) => `${q} IS NOT NULL`).join(' AND ')})` : 'TRUE';
    const keys = quoted.join(', ');
    const groups = `SELECT ${keys}, count(*) AS n FROM ${schema.sql} WHERE ${considered} GROUP BY ${keys} HAVING count(*) > 1`;
    // GE (pandas `duplicated`) treats missing values as equal to each other, as GROUP BY does.
    const match = quoted.map((q) => `d.${q} IS NOT DISTINCT FROM ${ROW}.${q}`).join(' AND ');
    const condition = `${considered} AND EXISTS (SELECT 1 FROM (${groups}) AS d WHERE ${match})`;
    const unexpectedSql = `SELECT coalesce(sum(n), 0) FROM (${groups})`;
    return { ...base, kind: 'grouped', condition, considered: metric(`count_if(${considered})`), unexpectedSql, values: { columns, style: 'dict' } };
  }

  const col = resolveColumn(schema, kwargs['column'], lineOf('column'));
  const q = quoteIdent(col.name);
  const category = typeCategory(col.type);
  const text = category === 'string' ? q : `CAST(${q} AS VARCHAR)`;
  const scalar: ValueSpec = { columns: [col], style: 'scalar' };
  const nonnull = () => metric(`count(${q})`);

  switch (spec.type) {
    case 'expect_column_values_to_not_be_null':
      return mapItem(base, `${q} IS NULL`, undefined, metrics, wantSamples, scalar);
    case 'expect_column_values_to_be_null':
      return mapItem(base, `${q} IS NOT NULL`, undefined, metrics, wantSamples, scalar);
    case 'expect_column_values_to_be_between': {
      const range = rangeSql(q, kwargs, col, category, lineOf);
      return mapItem(base, `${q} IS NOT NULL AND NOT (${range})`, nonnull(), metrics, wantSamples, scalar);
    }
    case 'expect_column_value_lengths_to_be_between': {
      for (const key of ['min_value', 'max_value']) {
        const v = kwargs[key];
        if (v !== undefined && v !== null && !Number.isInteger(v)) throw checkError(lineOf(key), `${key} must be a whole number of characters.`);
      }
      const range = rangeSql(`length(${text})`, kwargs, { name: 'length', type: 'BIGINT' }, 'integer', lineOf);
      return mapItem(base, `${q} IS NOT NULL AND NOT (${range})`, nonnull(), metrics, wantSamples, scalar);
    }
    case 'expect_column_value_lengths_to_equal':
      return mapItem(base, `${q} IS NOT NULL AND length(${text}) <> ${literal(kwargs['value'] as number)}`, nonnull(), metrics, wantSamples, scalar);
    case 'expect_column_values_to_match_regex':
    case 'expect_column_values_to_not_match_regex': {
      const pattern = re2(kwargs['regex'] as string, lineOf('regex'), probes);
      const matches = `regexp_matches(${text}, ${quoteString(pattern)})`;
      const fails = spec.type === 'expect_column_values_to_match_regex' ? `NOT ${matches}` : matches;
      return mapItem(base, `${q} IS NOT NULL AND ${fails}`, nonnull(), metrics, wantSamples, scalar);
    }
    case 'expect_column_values_to_be_in_set':
    case 'expect_column_values_to_not_be_in_set': {
      const inSet = membership(q, kwargs['value_set'] as JsonValue[], col, category);
      const fails = spec.type === 'expect_column_values_to_be_in_set' ? `NOT ${inSet}` : inSet;
      return mapItem(base, `${q} IS NOT NULL AND ${fails}`, nonnull(), metrics, wantSamples, scalar);
    }
    case 'expect_column_values_to_match_strftime_format': {
      const format = String(kwargs['strftime_format']);
      probes.push({ sql: `SELECT try_strptime('', ${quoteString(format)})`, line: lineOf('strftime_format'), what: 'strftime_format' });
      return mapItem(base, `${q} IS NOT NULL AND try_strptime(${text}, ${quoteString(format)}) IS NULL`, nonnull(), metrics, wantSamples, scalar);
    }
    case 'expect_column_values_to_be_unique': {
      const duplicated = `SELECT ${q} FROM ${schema.sql} WHERE ${q} IS NOT NULL GROUP BY ${q} HAVING count(*) > 1`;
      return {
        ...base,
        kind: 'grouped',
        condition: `${q} IN (${duplicated})`,
        considered: nonnull(),
        unexpectedSql: `SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM ${schema.sql} WHERE ${q} IS NOT NULL GROUP BY ${q} HAVING count(*) > 1)`,
        values: scalar,
      };
    }
    case 'expect_column_values_to_be_of_type':
      return { ...base, kind: 'type', observed: col.type, success: typeMatches(String(kwargs['type_']), col.type) };
    case 'expect_column_values_to_be_in_type_list': {
      const list = kwargs['type_list'] as string[] | null | undefined;
      return { ...base, kind: 'type', observed: col.type, success: !list || list.some((t) => typeMatches(t, col.type)) };
    }
    case 'expect_column_distinct_values_to_be_in_set': {
      const set = kwargs['value_set'] as JsonValue[] | null | undefined;
      const notInSet = set ? metric(`count(DISTINCT ${q}) FILTER (WHERE ${q} IS NOT NULL AND NOT ${membership(q, set, col, category)})`) : undefined;
      const kind = valueKindOf(category);
      const valuesSql = `SELECT ${jsonProjection(q, kind)} AS value, count(*) AS n FROM ${schema.sql} WHERE ${q} IS NOT NULL GROUP BY ${q} ORDER BY ${q} LIMIT ${DISTINCT_LIMIT + 1}`;
      return { ...base, kind: 'distinct', notInSet, valuesSql, valueKind: kind };
    }
  }

  if (spec.family === 'column-aggregate') return aggregateItem(base, q, col, category, metric, lineOf);
  throw new Error(`no compiler for ${spec.type}`);
}

/**
 * The alias the checked relation gets wherever a row condition is evaluated outside the aggregate
 * query (failing-row samples, "open all failing rows"): conditions may refer to the row through it.
 */
export const ROW = '__lb_row';

/** How many distinct values `expect_column_distinct_values_to_be_in_set` lists in its result. */
export const DISTINCT_LIMIT = 1000;

function mapItem(base: Base, condition: string, considered: string | undefined, metrics: Metrics, wantSamples: boolean, values: ValueSpec): Compiled {
  const fails = metrics.flag(condition);
  return {
    ...base,
    kind: 'map',
    condition,
    considered,
    unexpected: metrics.metric(`count_if(${fails})`),
    sample: wantSamples ? metrics.metric(`min(${ROWID}, ${base.format.partialCount}) FILTER (WHERE ${fails})`) : undefined,
    values,
  };
}

function aggregateItem(
  base: Base,
  q: string,
  col: ColumnInfo,
  category: TypeCategory,
  metric: (sql: string) => string,
  lineOf: (key: string) => number,
): Compiled {
  const type = base.config.spec.type;
  const needsNumber = (what: string) => {
    if (!isNumeric(category)) throw checkError(lineOf('column'), `${what} needs a numeric column; ${col.name} is ${col.type}.`);
  };
  let expr: string;
  let kind: ValueKind = 'float';
  switch (type) {
    case 'expect_column_min_to_be_between':
    case 'expect_column_max_to_be_between':
      expr = `${type.includes('_min_') ? 'min' : 'max'}(${q})`;
      kind = valueKindOf(category);
      break;
    case 'expect_column_mean_to_be_between':
      needsNumber('the mean');
      expr = `avg(${q})`;
      break;
    case 'expect_column_median_to_be_between':
      if (!isNumeric(category) && category !== 'temporal') throw checkError(lineOf('column'), `the median needs a numeric or date/time column; ${col.name} is ${col.type}.`);
      expr = `median(${q})`;
      kind = category === 'temporal' ? 'text' : 'float';
      break;
    case 'expect_column_sum_to_be_between':
      needsNumber('the sum');
      // pandas sums an empty or all-null column to 0 (SQL's SUM gives NULL).
      expr = `coalesce(sum(${q}), 0)`;
      kind = category === 'integer' ? 'int' : 'float';
      break;
    case 'expect_column_stdev_to_be_between':
      needsNumber('the standard deviation');
      expr = `stddev_samp(${q})`;
      break;
    case 'expect_column_unique_value_count_to_be_between':
      expr = `count(DISTINCT ${q})`;
      kind = 'int';
      break;
    case 'expect_column_proportion_of_unique_values_to_be_between':
      expr = `CAST(count(DISTINCT ${q}) AS DOUBLE) / nullif(count(${q}), 0)`;
      break;
    default:
      throw new Error(`no aggregate for ${type}`);
  }
  const observed = metric(jsonProjection(expr, kind));
  const boundType: ColumnInfo = kind === 'text' || type.includes('_min_') || type.includes('_max_') ? col : { name: col.name, type: 'DOUBLE' };
  const bounds = rangeSql(expr, base.config.kwargs, boundType, typeCategory(boundType.type), lineOf, true);
  return { ...base, kind: 'aggregate', observed, observedKind: kind, success: bounds === undefined ? undefined : metric(`coalesce(${bounds}, false)`) };
}

/**
 * `min_value <= expr <= max_value` with GE's strictness flags, bounds typed for the column. Returns
 * undefined when there is no bound (only aggregates allow that).
 */
function rangeSql(expr: string, kwargs: JsonObject, col: ColumnInfo, category: TypeCategory, lineOf: (key: string) => number): string;
function rangeSql(expr: string, kwargs: JsonObject, col: ColumnInfo, category: TypeCategory, lineOf: (key: string) => number, optional: true): string | undefined;
function rangeSql(expr: string, kwargs: JsonObject, col: ColumnInfo, category: TypeCategory, lineOf: (key: string) => number, optional = false): string | undefined {
  const parts: string[] = [];
  const min = kwargs['min_value'];
  const max = kwargs['max_value'];
  if (min !== undefined && min !== null) parts.push(`${expr} ${kwargs['strict_min'] === true ? '>' : '>='} ${boundLiteral(min, col, category, lineOf('min_value'), 'min_value')}`);
  if (max !== undefined && max !== null) parts.push(`${expr} ${kwargs['strict_max'] === true ? '<' : '<='} ${boundLiteral(max, col, category, lineOf('max_value'), 'max_value')}`);
  if (parts.length === 0) {
    if (optional) return undefined;
    throw new Error('rangeSql without bounds');
  }
  return parts.join(' AND ');
}

function boundLiteral(value: JsonValue, col: ColumnInfo, category: TypeCategory, line: number, key: string): string {
  if (typeof value === 'number') {
    if (category === 'string' || category === 'temporal' || category === 'boolean') {
      throw checkError(line, `${key} is a number but ${col.name} is ${col.type}; write the bound as ${category === 'temporal' ? "a 'YYYY-MM-DD' string" : 'a string'}.`);
    }
    return literal(value);
  }
  if (typeof value === 'string') {
    if (isNumeric(category)) {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n)) throw checkError(line, `${key} "${value}" is not a number, but ${col.name} is ${col.type}.`);
      return literal(n);
    }
    if (category === 'temporal') return `TRY_CAST(${quoteString(value)} AS ${col.type})`;
    return quoteString(value);
  }
  throw checkError(line, `${key} must be a number or a string.`);
}

/**
 * `column IN (value_set)` as pandas' `isin` decides it: a value of another kind never matches (a
 * string "1" is not the number 1), dates and times may be written as strings, and the answer is never
 * NULL.
 */
function membership(q: string, valueSet: JsonValue[], col: ColumnInfo, category: TypeCategory): string {
  const literals: string[] = [];
  for (const value of valueSet) {
    if (value === null || typeof value === 'object') continue;
    if (isNumeric(category) && typeof value === 'number') literals.push(literal(value));
    else if (category === 'string' && typeof value === 'string') literals.push(literal(value));
    else if (category === 'boolean' && typeof value === 'boolean') literals.push(literal(value));
    else if (category === 'temporal' && typeof value === 'string') literals.push(`TRY_CAST(${quoteString(value)} AS ${col.type})`);
    else if (category === 'other') literals.push(literal(value));
  }
  return literals.length === 0 ? 'FALSE' : `coalesce(${q} IN (${literals.join(', ')}), false)`;
}

function re2(pattern: string, line: number, probes: Probe[]): string {
  let translated: string;
  try {
    translated = pythonRegexToRe2(pattern);
  } catch (error) {
    if (error instanceof RegexNotSupported) throw checkError(line, `the regex cannot run in DuckDB: ${error.message}.`, { cause: error });
    throw error;
  }
  probes.push({ sql: `SELECT regexp_matches('', ${quoteString(translated)})`, line, what: 'regex' });
  return translated;
}

/** DuckDB's rule: an exact name wins, else a case-insensitive match. */
export function findColumn(schema: TableSchema, name: string): ColumnInfo | undefined {
  return schema.columns.find((c) => c.name === name) ?? schema.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
}

function resolveColumn(schema: TableSchema, name: JsonValue | undefined, line: number): ColumnInfo {
  const wanted = String(name);
  const found = findColumn(schema, wanted);
  if (found) return found;
  const suggestion = didYouMean(wanted, schema.columns.map((c) => c.name));
  const list = schema.columns.length <= 12 ? ` Its columns: ${schema.columns.map((c) => c.name).join(', ')}.` : '';
  throw checkError(line, `column "${wanted}" does not exist in ${schema.name}${suggestion ? `; did you mean "${suggestion}"?` : '.'}${suggestion ? '' : list}`, { code: 'catalog' });
}

export function isPerRow(item: Compiled): item is Extract<Compiled, { kind: 'map' | 'grouped' }> {
  return item.kind === 'map' || item.kind === 'grouped';
}

export { isMapFamily };

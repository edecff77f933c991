/**
 * The expectations lakebook evaluates: Great Expectations' names, kwargs and positional arguments
 * (GE's `args_keys`, used by the Python-call short form), plus lakebook's short names.
 */
import { checkError, didYouMean } from './errors';
import { isJsonObject, type JsonObject, type JsonValue } from './json';

/**
 * How an expectation is evaluated. Map families decide per row (and honour `mostly`); the others
 * compute one observed value for the table or column.
 */
export type Family =
  | 'column-map'
  | 'column-unique'
  | 'column-aggregate'
  | 'column-type'
  | 'column-distinct'
  | 'table'
  | 'column-pair-map'
  | 'compound-unique'
  | 'query';

type KwargKind =
  | 'column'
  | 'bound'
  | 'boolean'
  | 'string'
  | 'mostly'
  | 'integer-or-null'
  | 'integer'
  | 'list'
  | 'list-or-null'
  | 'strings'
  | 'strings-or-null'
  | 'columns'
  | 'enum'
  | 'result-format';

interface KwargSpec {
  kind: KwargKind;
  required?: boolean;
  values?: readonly string[];
}

export interface ExpectationSpec {
  /** GE's snake_case name, `expect_…` (or `unexpected_rows_expectation`). */
  type: string;
  family: Family;
  /** Positional arguments in GE's order (its `args_keys`). */
  args: readonly string[];
  kwargs: Readonly<Record<string, KwargSpec>>;
  /** lakebook's short names for the Python-call form. */
  short: readonly string[];
}

const column: KwargSpec = { kind: 'column', required: true };
const mostly: KwargSpec = { kind: 'mostly' };
const bounds = {
  min_value: { kind: 'bound' },
  max_value: { kind: 'bound' },
  strict_min: { kind: 'boolean' },
  strict_max: { kind: 'boolean' },
} as const satisfies Record<string, KwargSpec>;
/** GE 0.x kwargs that lakebook accepts only with their default (false) value. */
const legacyFalse = {
  parse_strings_as_datetimes: { kind: 'boolean' },
  allow_cross_type_comparisons: { kind: 'boolean' },
} as const satisfies Record<string, KwargSpec>;

const SPECS: ExpectationSpec[] = [
  { type: 'expect_column_to_exist', family: 'table', args: ['column', 'column_index'], kwargs: { column, column_index: { kind: 'integer-or-null' } }, short: ['exists', 'column_exists'] },
  { type: 'expect_table_row_count_to_be_between', family: 'table', args: ['min_value', 'max_value'], kwargs: { ...bounds }, short: ['row_count_between'] },
  { type: 'expect_table_row_count_to_equal', family: 'table', args: ['value'], kwargs: { value: { kind: 'integer', required: true } }, short: ['row_count'] },
  { type: 'expect_table_column_count_to_equal', family: 'table', args: ['value'], kwargs: { value: { kind: 'integer', required: true } }, short: ['column_count'] },
  { type: 'expect_table_columns_to_match_ordered_list', family: 'table', args: ['column_list'], kwargs: { column_list: { kind: 'strings-or-null' } }, short: ['columns'] },
  { type: 'expect_column_values_to_not_be_null', family: 'column-map', args: ['column'], kwargs: { column, mostly }, short: ['not_null'] },
  { type: 'expect_column_values_to_be_null', family: 'column-map', args: ['column'], kwargs: { column, mostly }, short: ['null', 'is_null'] },
  { type: 'expect_column_values_to_be_between', family: 'column-map', args: ['column', 'min_value', 'max_value', 'strict_min', 'strict_max'], kwargs: { column, mostly, ...bounds, ...legacyFalse }, short: ['between'] },
  { type: 'expect_column_values_to_match_regex', family: 'column-map', args: ['column', 'regex'], kwargs: { column, mostly, regex: { kind: 'string', required: true } }, short: ['match_regex', 'regex', 'matches'] },
  { type: 'expect_column_values_to_not_match_regex', family: 'column-map', args: ['column', 'regex'], kwargs: { column, mostly, regex: { kind: 'string', required: true } }, short: ['not_match_regex', 'not_regex'] },
  { type: 'expect_column_values_to_be_unique', family: 'column-unique', args: ['column'], kwargs: { column, mostly }, short: ['unique'] },
  { type: 'expect_column_values_to_be_in_set', family: 'column-map', args: ['column', 'value_set'], kwargs: { column, mostly, value_set: { kind: 'list', required: true }, ...legacyFalse }, short: ['in_set'] },
  { type: 'expect_column_values_to_not_be_in_set', family: 'column-map', args: ['column', 'value_set'], kwargs: { column, mostly, value_set: { kind: 'list', required: true }, ...legacyFalse }, short: ['not_in_set'] },
  { type: 'expect_column_values_to_match_strftime_format', family: 'column-map', args: ['column', 'strftime_format'], kwargs: { column, mostly, strftime_format: { kind: 'string', required: true } }, short: ['strftime', 'match_strftime_format'] },
  { type: 'expect_column_value_lengths_to_be_between', family: 'column-map', args: ['column', 'min_value', 'max_value'], kwargs: { column, mostly, ...bounds }, short: ['length_between', 'lengths_between'] },
  { type: 'expect_column_value_lengths_to_equal', family: 'column-map', args: ['column', 'value'], kwargs: { column, mostly, value: { kind: 'integer', required: true } }, short: ['length'] },
  { type: 'expect_column_values_to_be_of_type', family: 'column-type', args: ['column', 'type_'], kwargs: { column, mostly, type_: { kind: 'string', required: true } }, short: ['of_type', 'type'] },
  { type: 'expect_column_values_to_be_in_type_list', family: 'column-type', args: ['column', 'type_list'], kwargs: { column, mostly, type_list: { kind: 'strings-or-null' } }, short: ['in_type_list'] },
  { type: 'expect_column_min_to_be_between', family: 'column-aggregate', args: ['column', 'min_value', 'max_value', 'strict_min', 'strict_max'], kwargs: { column, ...bounds, ...legacyFalse }, short: ['min_between'] },
  { type: 'expect_column_max_to_be_between', family: 'column-aggregate', args: ['column', 'min_value', 'max_value', 'strict_min', 'strict_max'], kwargs: { column, ...bounds, ...legacyFalse }, short: ['max_between'] },
  { type: 'expect_column_mean_to_be_between', family: 'column-aggregate', args: ['column', 'min_value', 'max_value', 'strict_min', 'strict_max'], kwargs: { column, ...bounds }, short: ['mean_between'] },
  { type: 'expect_column_median_to_be_between', family: 'column-aggregate', args: ['column', 'min_value', 'max_value', 'strict_min', 'strict_max'], kwargs: { column, ...bounds }, short: ['median_between'] },
  { type: 'expect_column_sum_to_be_between', family: 'column-aggregate', args: ['column', 'min_value', 'max_value', 'strict_min', 'strict_max'], kwargs: { column, ...bounds }, short: ['sum_between'] },
  { type: 'expect_column_stdev_to_be_between', family: 'column-aggregate', args: ['column', 'min_value', 'max_value', 'strict_min', 'strict_max'], kwargs: { column, ...bounds }, short: ['stdev_between'] },
  { type: 'expect_column_unique_value_count_to_be_between', family: 'column-aggregate', args: ['column', 'min_value', 'max_value', 'strict_min', 'strict_max'], kwargs: { column, ...bounds }, short: ['distinct_count_between'] },
  { type: 'expect_column_proportion_of_unique_values_to_be_between', family: 'column-aggregate', args: ['column', 'min_value', 'max_value', 'strict_min', 'strict_max'], kwargs: { column, ...bounds }, short: ['unique_proportion_between'] },
  { type: 'expect_column_distinct_values_to_be_in_set', family: 'column-distinct', args: ['column', 'value_set'], kwargs: { column, value_set: { kind: 'list-or-null' }, ...legacyFalse }, short: ['distinct_in_set'] },
  {
    type: 'expect_compound_columns_to_be_unique',
    family: 'compound-unique',
    args: ['column_list'],
    kwargs: { column_list: { kind: 'columns', required: true }, mostly, ignore_row_if: { kind: 'enum', values: ['all_values_are_missing', 'any_value_is_missing', 'never'] } },
    short: ['compound_unique', 'unique_together'],
  },
  {
    type: 'expect_column_pair_values_a_to_be_greater_than_b',
    family: 'column-pair-map',
    args: ['column_A', 'column_B'],
    kwargs: {
      column_A: column,
      column_B: column,
      or_equal: { kind: 'boolean' },
      mostly,
      ignore_row_if: { kind: 'enum', values: ['both_values_are_missing', 'either_value_is_missing', 'neither'] },
      ...legacyFalse,
    },
    short: ['a_greater_than_b', 'greater_than'],
  },
  { type: 'unexpected_rows_expectation', family: 'query', args: ['unexpected_rows_query'], kwargs: { unexpected_rows_query: { kind: 'string', required: true }, description: { kind: 'string' } }, short: ['sql', 'unexpected_rows'] },
];

/** kwargs every expectation accepts: output options and bookkeeping that do not change the verdict. */
const COMMON_KWARGS: Readonly<Record<string, KwargSpec>> = {
  result_format: { kind: 'result-format' },
  catch_exceptions: { kind: 'boolean' },
  include_config: { kind: 'boolean' },
  batch_id: { kind: 'string' },
  row_condition: { kind: 'string' },
  condition_parser: { kind: 'string' },
};

const BY_NAME = new Map<string, ExpectationSpec>();
for (const spec of SPECS) {
  BY_NAME.set(spec.type, spec);
  BY_NAME.set(spec.type.replace(/^expect_/, ''), spec);
  for (const s of spec.short) BY_NAME.set(s, spec);
}

export function allSpecs(): readonly ExpectationSpec[] {
  return SPECS;
}

/**
 * The spec for a name as users write it: GE's `expect_…` name, the same without `expect_`, GX 1.x's
 * class name (`ExpectColumnValuesToNotBeNull`), or a short name (`not_null`).
 */
export function findSpec(name: string): ExpectationSpec | undefined {
  const snake = /[A-Z]/.test(name) && !name.includes('_') ? camelToSnake(name) : name;
  const key = snake.toLowerCase();
  return BY_NAME.get(key) ?? BY_NAME.get(key.replace(/^expect_/, ''));
}

export function unknownExpectationMessage(name: string): string {
  const suggestion = didYouMean(name, BY_NAME.keys());
  return `unknown expectation "${name}"${suggestion ? `; did you mean ${BY_NAME.get(suggestion)!.type}?` : '. See docs/quality.md for the list.'}`;
}

function camelToSnake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

export function isMapFamily(family: Family): boolean {
  return family === 'column-map' || family === 'column-unique' || family === 'column-pair-map' || family === 'compound-unique';
}

/**
 * Refuses kwargs GE would refuse (unknown names, wrong types, impossible bounds) and the ones lakebook
 * cannot honour, each with the line it was written on.
 */
export function checkKwargs(spec: ExpectationSpec, kwargs: JsonObject, line: number, kwargLines: Readonly<Record<string, number>>): void {
  const at = (key: string) => kwargLines[key] ?? line;
  for (const [key, value] of Object.entries(kwargs)) {
    const kwarg = spec.kwargs[key] ?? COMMON_KWARGS[key];
    if (!kwarg) {
      if (key === 'mostly') throw checkError(at(key), `${spec.type} checks one value for the whole table, so "mostly" does not apply to it.`);
      const known = [...Object.keys(spec.kwargs), ...Object.keys(COMMON_KWARGS)];
      const suggestion = didYouMean(key, known);
      throw checkError(at(key), `${spec.type} has no argument "${key}"${suggestion ? `; did you mean "${suggestion}"?` : `. It takes ${Object.keys(spec.kwargs).join(', ')}.`}`);
    }
    const problem = kwargProblem(kwarg, value);
    if (problem) throw checkError(at(key), `${key} ${problem}.`);
    if (key in legacyFalse && value === true) throw checkError(at(key), `${key}: true is not supported (GE removed it in 1.0); compare values of one type, e.g. write dates as 'YYYY-MM-DD' strings.`);
  }
  for (const [key, kwarg] of Object.entries(spec.kwargs)) {
    if (kwarg.required && (kwargs[key] === undefined || kwargs[key] === null)) throw checkError(line, `${spec.type} needs "${key}".`);
  }
  if (kwargs['row_condition'] !== undefined && kwargs['row_condition'] !== null) {
    throw checkError(at('row_condition'), 'row_condition is not supported; check a filtered table instead (a SQL cell with name=… and a WHERE clause).');
  }
  resultFormatOf(kwargs, at('result_format'));
  const min = kwargs['min_value'];
  const max = kwargs['max_value'];
  if (typeof min === 'number' && typeof max === 'number' && min > max) throw checkError(at('min_value'), `min_value (${min}) is greater than max_value (${max}).`);
  if (spec.family === 'column-map' && 'min_value' in spec.kwargs && (min === undefined || min === null) && (max === undefined || max === null)) {
    throw checkError(line, `${spec.type} needs min_value or max_value (or both).`);
  }
}

function kwargProblem(kwarg: KwargSpec, value: JsonValue): string | undefined {
  const isScalar = value === null || ['string', 'number', 'boolean'].includes(typeof value);
  switch (kwarg.kind) {
    case 'column':
      return typeof value === 'string' && value !== '' ? undefined : 'must be a column name';
    case 'bound':
      return value === null || typeof value === 'number' || typeof value === 'string' ? undefined : 'must be a number, a date string or null';
    case 'boolean':
      return value === null || typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'string':
      return typeof value === 'string' ? undefined : 'must be a string';
    case 'mostly':
      return typeof value === 'number' && value >= 0 && value <= 1 ? undefined : 'must be a number between 0 and 1';
    case 'integer':
      return Number.isInteger(value) ? undefined : 'must be a whole number';
    case 'integer-or-null':
      return value === null || Number.isInteger(value) ? undefined : 'must be a whole number or null';
    case 'list':
      return Array.isArray(value) && value.every((v) => v === null || !isJsonObject(v)) ? undefined : 'must be a list of values';
    case 'list-or-null':
      return value === null || (Array.isArray(value) && value.every((v) => !isJsonObject(v))) ? undefined : 'must be a list of values or null';
    case 'strings':
    case 'columns':
      return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string') ? undefined : 'must be a non-empty list of column names';
    case 'strings-or-null':
      return value === null || (Array.isArray(value) && value.every((v) => typeof v === 'string')) ? undefined : 'must be a list of names or null';
    case 'enum':
      return typeof value === 'string' && kwarg.values!.includes(value) ? undefined : `must be one of ${kwarg.values!.join(', ')}`;
    case 'result-format':
      return typeof value === 'string' || (isJsonObject(value) && typeof value['result_format'] === 'string') ? undefined : 'must be a name or {result_format: …}';
  }
  return isScalar ? undefined : 'has the wrong type';
}

export type ResultFormatName = 'BOOLEAN_ONLY' | 'BASIC' | 'SUMMARY';

export interface ResultFormat {
  name: ResultFormatName;
  /** How many failing values `partial_unexpected_list` keeps (GE's default is 20). */
  partialCount: number;
}

/**
 * The kwarg `result_format` (a name or GE's dict form). SUMMARY is the default, as in GE checkpoints.
 * COMPLETE would copy every failing value into the result; lakebook opens all failing rows as a SQL
 * cell instead, so it is refused with that advice.
 */
export function resultFormatOf(kwargs: JsonObject, line: number): ResultFormat {
  const raw = kwargs['result_format'];
  const name = (typeof raw === 'string' ? raw : isJsonObject(raw) && typeof raw['result_format'] === 'string' ? raw['result_format'] : 'SUMMARY').toUpperCase();
  const count = isJsonObject(raw) ? raw['partial_unexpected_count'] : undefined;
  if (name === 'COMPLETE') {
    throw checkError(line, 'result_format COMPLETE is not supported: it would copy every failing value into the result. Use SUMMARY and "Open all failing rows", which makes a SQL cell of them.');
  }
  if (name !== 'BOOLEAN_ONLY' && name !== 'BASIC' && name !== 'SUMMARY') {
    throw checkError(line, `result_format must be BOOLEAN_ONLY, BASIC or SUMMARY, not "${name}".`);
  }
  if (count !== undefined && !(Number.isInteger(count) && (count as number) >= 0 && (count as number) <= 1000)) {
    throw checkError(line, 'partial_unexpected_count must be a whole number from 0 to 1000.');
  }
  return { name, partialCount: typeof count === 'number' ? count : 20 };
}

import { describe, expect, it } from 'vitest';
import { LakebookError } from '../engine/errors';
import { geFixtureText } from './fixtures';
import { parseChecks } from './parse';

function failure(source: string): LakebookError {
  try {
    parseChecks(source);
  } catch (error) {
    if (error instanceof LakebookError) return error;
    throw error;
  }
  throw new Error('expected the text to be refused');
}

describe('parseChecks: the forms a check cell accepts', () => {
  it('reads the YAML list of DESIGN §3', () => {
    const parsed = parseChecks(
      [
        '- expectation_type: expect_column_values_to_not_be_null',
        '  kwargs: { column: email }',
        '- expectation_type: expect_column_values_to_be_between',
        '  kwargs: { column: age, min_value: 0, max_value: 120, mostly: 0.99 }',
      ].join('\n'),
    );
    expect(parsed.format).toBe('yaml');
    expect(parsed.dialect).toBe('v0');
    expect(parsed.expectations.map((e) => [e.spec.type, e.kwargs, e.line])).toEqual([
      ['expect_column_values_to_not_be_null', { column: 'email' }, 1],
      ['expect_column_values_to_be_between', { column: 'age', min_value: 0, max_value: 120, mostly: 0.99 }, 3],
    ]);
    expect(parsed.expectations[1]!.kwargLines['mostly']).toBe(4);
  });

  it.each([
    ['v0/expectation_suites/titanic_expectations.json', 'v0', 'titanic', 10],
    ['v1/expectation_suites/titanic_expectations.json', 'v1', 'titanic', 10],
    ['v0/expectation_suites/migration_guide_v0_suite_for_yellow_tripdata.json', 'v0', 'suite_for_yellow_tripdata', 2],
    ['v1/expectation_suites/migration_guide_v1_suite_for_yellow_tripdata.json', 'v1', 'suite_for_yellow_tripdata', 2],
    ['v0/expectation_suites/visitors_exp.json', 'v0', 'visitors_exp', 1],
  ])('reads the GE suite %s', (path, dialect, name, count) => {
    const parsed = parseChecks(geFixtureText(path));
    expect(parsed.format).toBe('json');
    expect(parsed.dialect).toBe(dialect);
    expect(parsed.suiteName).toBe(name);
    expect(parsed.expectations).toHaveLength(count);
  });

  it('keeps a 1.x suite\'s ids, and the line of each expectation in the JSON', () => {
    const parsed = parseChecks(geFixtureText('v1/expectation_suites/migration_guide_v1_suite_for_yellow_tripdata.json'));
    expect(parsed.expectations.map((e) => [e.id, e.line])).toEqual([
      ['24dc475c-38a3-4234-ab47-b13d0f233242', 7],
      ['d8b3b4e9-296f-4dd5-bd29-aac6a00cba1c', 17],
    ]);
    const regex = parseChecks(geFixtureText('v1/expectation_suites/titanic_expectations.json')).expectations[8]!;
    expect(regex.kwargs).toEqual({ regex: '[A-Z][a-z]+(?: \\([A-Z][a-z]+\\))?, ', column: 'Name', mostly: 0.95 });
  });

  it('reads a single config, name-keyed items and kwargs written beside the type', () => {
    expect(parseChecks('{"type": "expect_column_to_exist", "kwargs": {"column": "a"}}').expectations[0]!.kwargs).toEqual({ column: 'a' });
    const parsed = parseChecks('- expect_column_values_to_be_unique: {column: id}\n- not_null: {column: email}\n- type: expect_column_to_exist\n  column: x\n');
    expect(parsed.expectations.map((e) => [e.spec.type, e.kwargs, e.line])).toEqual([
      ['expect_column_values_to_be_unique', { column: 'id' }, 1],
      ['expect_column_values_to_not_be_null', { column: 'email' }, 2],
      ['expect_column_to_exist', { column: 'x' }, 3],
    ]);
  });

  it('reads the seed\'s Python lines as they are', () => {
    const seed = [
      '# 데이터 품질 규칙 정의',
      'expectation_suite = df_ge.expect_column_values_to_not_be_null("customer_id")',
      'expectation_suite = df_ge.expect_column_values_to_be_between("age", 0, 120)',
      "expectation_suite = df_ge.expect_column_values_to_match_regex(\"email\", r'^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}$')",
    ].join('\n');
    const parsed = parseChecks(seed);
    expect(parsed.format).toBe('python');
    expect(parsed.expectations.map((e) => [e.spec.type, e.kwargs, e.line])).toEqual([
      ['expect_column_values_to_not_be_null', { column: 'customer_id' }, 2],
      ['expect_column_values_to_be_between', { column: 'age', min_value: 0, max_value: 120 }, 3],
      ['expect_column_values_to_match_regex', { column: 'email', regex: '^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}$' }, 4],
    ]);
  });

  it('reads short names, bare column names, GX 1.x class names and multi-line calls', () => {
    const parsed = parseChecks(
      [
        'not_null(customer_id)',
        'between(age, 0, 120, mostly=0.99)  # most customers',
        'in_set(status, [new, "in progress", 3, -1.5, None, True])',
        'gxe.ExpectColumnValuesToBeUnique(column="id")',
        'compound_unique(',
        '    [a, b],',
        '    ignore_row_if="any_value_is_missing",',
        ')',
        'sql("""',
        'SELECT * FROM {batch} WHERE amount < 0',
        '""")',
        "match_regex(code, '\\\\d{3}\\.x\\u00e9')",
      ].join('\n'),
    );
    expect(parsed.expectations.map((e) => [e.spec.type, e.kwargs, e.line])).toEqual([
      ['expect_column_values_to_not_be_null', { column: 'customer_id' }, 1],
      ['expect_column_values_to_be_between', { column: 'age', min_value: 0, max_value: 120, mostly: 0.99 }, 2],
      ['expect_column_values_to_be_in_set', { column: 'status', value_set: ['new', 'in progress', 3, -1.5, null, true] }, 3],
      ['expect_column_values_to_be_unique', { column: 'id' }, 4],
      ['expect_compound_columns_to_be_unique', { column_list: ['a', 'b'], ignore_row_if: 'any_value_is_missing' }, 5],
      ['unexpected_rows_expectation', { unexpected_rows_query: '\nSELECT * FROM {batch} WHERE amount < 0\n' }, 9],
      // Python keeps the backslash of an unknown escape such as \. and decodes \\ and \u00e9.
      ['expect_column_values_to_match_regex', { column: 'code', regex: '\\d{3}\\.xé' }, 12],
    ]);
  });

  it('accepts calls as items of a YAML list', () => {
    expect(parseChecks('- not_null(a)\n- unique(b)').expectations.map((e) => [e.spec.type, e.line])).toEqual([
      ['expect_column_values_to_not_be_null', 1],
      ['expect_column_values_to_be_unique', 2],
    ]);
  });
});

describe('parseChecks: errors point at the line', () => {
  it.each([
    ['malformed YAML', '- expectation_type: expect_column_values_to_not_be_null\n  kwargs: { column: email\n- x: 1', 3, /not valid YAML/],
    ['malformed JSON', '[\n  {"type": "expect_column_to_exist",\n   "kwargs": {"column": "a"}\n  ,\n]', 5, /not valid YAML or JSON/],
    ['an unknown expectation (with a suggestion)', '- type: expect_column_to_exist\n  kwargs: {column: a}\n- type: expect_column_values_to_be_betwen\n  kwargs: {column: a}', 3, /unknown expectation "expect_column_values_to_be_betwen"; did you mean expect_column_values_to_be_between\?/],
    ['an unknown short name', 'not_null(a)\n\nnot_nul(b)', 3, /unknown expectation "not_nul"; did you mean expect_column_values_to_not_be_null/],
    ['an unknown kwarg', '- type: expect_column_values_to_be_between\n  kwargs:\n    column: age\n    minvalue: 0', 4, /no argument "minvalue"; did you mean "min_value"/],
    ['mostly out of range', 'between(age, 0, 1,\n  mostly=1.5)', 2, /mostly must be a number between 0 and 1/],
    ['mostly on an aggregate', 'mean_between(age, 0, 1, mostly=0.5)', 1, /"mostly" does not apply/],
    ['a missing argument', 'match_regex(email)', 1, /needs "regex"/],
    ['too many positional arguments', 'not_null(a, 0.5)', 1, /takes 1 positional argument/],
    ['between without bounds', 'between(a)', 1, /needs min_value or max_value/],
    ['min above max', 'between(a, 5, 1)', 1, /min_value \(5\) is greater than max_value \(1\)/],
    ['an unclosed string', 'not_null(a)\nmatch_regex(b, "x)', 2, /never closed/],
    ['COMPLETE results', 'not_null(a, result_format="COMPLETE")', 1, /COMPLETE is not supported/],
    ['row_condition', '- type: expect_column_values_to_not_be_null\n  kwargs: {column: a, row_condition: \'b>1\'}', 2, /row_condition is not supported/],
    ['a suite parameter', '- type: expect_column_values_to_be_between\n  kwargs:\n    column: a\n    min_value: {$PARAMETER: lo}', 4, /suite parameter/],
    ['an empty cell', '   \n', 1, /no expectations yet/],
  ])('%s', (_, source, line, message) => {
    const error = failure(source);
    expect(error.position?.line).toBe(line);
    expect(error.userMessage).toMatch(new RegExp(`^Line ${line}: `));
    expect(error.userMessage).toMatch(message);
  });
});

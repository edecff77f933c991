import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../engine/node-engine';
import type { LakebookEngine } from '../engine/lakebook-engine';
import { geFixture } from './fixtures';
import type { JsonObject } from './json';
import type { ExpectationResult } from './results';
import { runCheck, type CheckOutcome } from './validate';
import { failureOf } from '../engine/test-helpers';

let engine: LakebookEngine;

beforeAll(async () => {
  engine = createNodeEngine();
  await engine.ready();
  await engine.run(`CREATE TABLE customers (customer_id BIGINT, age INTEGER, email VARCHAR, name VARCHAR, signup VARCHAR, score DOUBLE, joined DATE)`);
  await engine.run(`INSERT INTO customers VALUES
    (1, 34, 'ann@example.com', 'Ann', '2024-01-05', 1.5, DATE '2024-01-05'),
    (2, 130, 'bob@example', 'José', '2024-13-01', 2.5, DATE '2024-02-01'),
    (NULL, 41, 'carl@example.org', 'Zoë', '2024-02-30', NULL, DATE '2024-03-01'),
    (4, NULL, NULL, '山田', NULL, 4.0, NULL),
    (5, -3, 'dee@example.com', 'Dee Dee', '2024-03-01', 5.5, DATE '2024-03-15'),
    (NULL, 29, 'not an email', 'Eve', '2024-04-01', 1.0, DATE '2024-04-01'),
    (7, 29, 'fay@example.com', 'Fay', '2024-05-01', 2.0, DATE '2024-05-01')`);
  // A table with the counts of GE's titanic fixture: 1313 rows; Age has 557 nulls and 748 duplicated
  // values; Name has three duplicated pairs and three values with trailing spaces; PClass 1+322+279+711.
  await engine.run(`CREATE TABLE titanic AS SELECT
      CASE WHEN i IN (707) THEN 'Person 44' WHEN i IN (729) THEN 'Person 728' WHEN i IN (922) THEN 'Person 921'
           WHEN i IN (77, 289, 303) THEN 'Person ' || i || ' ' ELSE 'Person ' || i END AS "Name",
      CASE WHEN i = 0 THEN '*' WHEN i <= 322 THEN '1st' WHEN i <= 601 THEN '2nd' ELSE '3rd' END AS "PClass",
      CASE WHEN i < 557 THEN NULL WHEN i < 565 THEN 1000.0 + i ELSE CAST(i % 50 AS DOUBLE) END AS "Age"
    FROM range(1313) AS r(i) ORDER BY i`);
  await engine.run(`CREATE TABLE empty_t (a INTEGER, s VARCHAR)`);
  await engine.run(`CREATE TABLE all_null AS SELECT CAST(NULL AS INTEGER) AS a, CAST(NULL AS VARCHAR) AS s FROM range(4)`);
  await engine.run(`CREATE TABLE ten AS SELECT i AS id, CASE WHEN i < 2 THEN 'bad' ELSE 'good' END AS v FROM range(10) AS r(i)`);
  await engine.run(`CREATE TABLE pairs (a INTEGER, b INTEGER, c VARCHAR)`);
  await engine.run(`INSERT INTO pairs VALUES (2, 1, 'x'), (1, 2, 'x'), (NULL, 1, NULL), (NULL, NULL, NULL), (3, 3, 'y'), (1, 2, 'x'), (5, NULL, NULL)`);
  await engine.run(`CREATE VIEW adults AS SELECT * FROM customers WHERE age >= 18 OR age IS NULL`);
});
afterAll(() => engine.close());

const check = (table: string, source: string, signal?: AbortSignal): Promise<CheckOutcome> => runCheck(engine, { table, source, signal });
const resultOf = (outcome: CheckOutcome, index: number): ExpectationResult => outcome.validation.results[index]!;

const failure = failureOf;

describe('the seed\'s three checks', () => {
  it('report exact counts, percentages over non-missing rows, and the first failing values with their rows', async () => {
    const outcome = await check(
      'customers',
      [
        'not_null(customer_id)',
        'between(age, 0, 120)',
        "match_regex(email, r'^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}$')",
      ].join('\n'),
    );
    expect(outcome.validation.success).toBe(false);
    expect(resultOf(outcome, 0)).toMatchObject({
      success: false,
      result: { element_count: 7, unexpected_count: 2, unexpected_percent: (2 / 7) * 100, partial_unexpected_list: [null, null], partial_unexpected_index_list: [2, 5] },
    });
    expect(resultOf(outcome, 0).result).not.toHaveProperty('missing_count');
    expect(resultOf(outcome, 1).result).toEqual({
      element_count: 7,
      unexpected_count: 2,
      unexpected_percent: (2 / 6) * 100,
      partial_unexpected_list: [130, -3],
      missing_count: 1,
      missing_percent: (1 / 7) * 100,
      unexpected_percent_total: (2 / 7) * 100,
      unexpected_percent_nonmissing: (2 / 6) * 100,
      partial_unexpected_counts: [
        { value: -3, count: 1 },
        { value: 130, count: 1 },
      ],
      partial_unexpected_index_list: [1, 4],
    });
    expect(resultOf(outcome, 2).result).toMatchObject({ unexpected_count: 2, partial_unexpected_list: ['bob@example', 'not an email'], missing_count: 1 });
    const report = outcome.reports[1]!;
    expect(report.line).toBe(2);
    expect(report.unexpectedCount).toBe(2);
    expect(report.sample?.columns).toEqual(['customer_id', 'age', 'email', 'name', 'signup', 'score', 'joined']);
    expect(report.sample?.rows).toEqual([
      ['2', '130', 'bob@example', 'José', '2024-13-01', '2.5', '2024-02-01'],
      ['5', '-3', 'dee@example.com', 'Dee Dee', '2024-03-01', '5.5', '2024-03-15'],
    ]);
    expect(await rowsOf(report.failingRowsSql!)).toEqual([['2'], ['5']]);
    expect(outcome.validation.statistics).toEqual({ evaluated_expectations: 3, successful_expectations: 0, unsuccessful_expectations: 3, success_percent: 0 });
  });

  it('evaluates them all in one scan of the table', async () => {
    const outcome = await check('customers', 'not_null(customer_id)\nbetween(age, 0, 120)\nmatch_regex(email, "@")\nmean_between(score, 0, 10)\nmax_between(joined, "2024-01-01", "2025-01-01")');
    const scans = outcome.statements.filter((s) => /FROM "customers"/.test(s) && !s.includes('DESCRIBE') && !/WHERE rowid IN/.test(s));
    expect(scans).toHaveLength(1);
    // The columns, the scan, the failing rows by rowid: nothing else.
    expect(outcome.statements).toHaveLength(3);
  });
});

async function rowsOf(sql: string): Promise<(string | null)[][]> {
  const result = await engine.run(`SELECT customer_id FROM (${sql.replace(/^--.*\n/, '')})`);
  if (result.kind !== 'rows') throw new Error(result.message);
  const page = await engine.fetchPage(result, 0, 100);
  await engine.releaseResult(result);
  return page.rows;
}

describe('counts equal GE\'s on a table shaped like its titanic fixture', () => {
  const fixture = geFixture('v0/validation_results/expected_evrs_SuiteBuilderProfiler_on_titanic_with_configurations.json');
  const fixtureResult = (type: string, column: string): JsonObject => {
    const found = (fixture['results'] as JsonObject[]).find((r) => {
      const config = r['expectation_config'] as JsonObject;
      return config['expectation_type'] === type && (config['kwargs'] as JsonObject)['column'] === column;
    });
    return found!['result'] as JsonObject;
  };
  const numeric = ['element_count', 'missing_count', 'missing_percent', 'unexpected_count', 'unexpected_percent', 'unexpected_percent_nonmissing'];

  it.each([
    ['expect_column_values_to_be_unique', 'Name', 'unique(Name)', false],
    ['expect_column_values_to_be_unique', 'Age', 'unique(Age)', false],
    ['expect_column_value_lengths_to_be_between', 'Name', 'length_between(Name, min_value=1)', true],
    ['expect_column_values_to_not_be_null', 'Age', 'not_null(Age, mostly=0.476)', true],
    ['expect_column_values_to_not_be_null', 'Name', 'not_null(Name)', true],
  ])('%s(%s)', async (type, column, source, success) => {
    const outcome = await check('titanic', source);
    const expected = fixtureResult(type, column);
    const actual = resultOf(outcome, 0);
    expect(actual.success).toBe(success);
    for (const key of numeric) if (key in expected) expect({ key, value: actual.result[key] }).toEqual({ key, value: expected[key] });
    if (type !== 'expect_column_values_to_not_be_null') expect(actual.result['unexpected_percent_total']).toBe(expected['unexpected_percent_total']);
  });

  it('matches the 0.x profiler results for regex, empty value sets and distinct values', async () => {
    const profiler = geFixture('v1/validation_results/BasicDatasetProfiler_evrs.json');
    const byType = (type: string, column: string) =>
      (profiler['results'] as JsonObject[]).find((r) => {
        const config = r['expectation_config'] as JsonObject;
        return config['type'] === type && (config['kwargs'] as JsonObject)['column'] === column;
      })!['result'] as JsonObject;
    const outcome = await check(
      'titanic',
      ["not_match_regex(Name, '^\\s+|\\s+$')", 'in_set(Age, [])', 'in_set(PClass, [])', "distinct_in_set(PClass, ['*', '1st', '2nd', '3rd'])"].join('\n'),
    );
    const regex = byType('expect_column_values_to_not_match_regex', 'Name');
    expect(resultOf(outcome, 0).result).toMatchObject({ unexpected_count: regex['unexpected_count'], unexpected_percent: regex['unexpected_percent'] });
    // 0.9.7 divided by all rows; GE ≥0.13 divides by non-missing rows: 756 of 756 are unexpected.
    expect(byType('expect_column_values_to_be_in_set', 'Age')['unexpected_count']).toBe(756);
    expect(resultOf(outcome, 1).result).toMatchObject({ unexpected_count: 756, unexpected_percent: 100, unexpected_percent_nonmissing: 100, missing_count: 557 });
    expect(resultOf(outcome, 2).result).toMatchObject({ unexpected_count: 1313, unexpected_percent: 100 });
    const distinct = byType('expect_column_distinct_values_to_be_in_set', 'PClass');
    expect(resultOf(outcome, 3)).toMatchObject({ success: true, result: { observed_value: distinct['observed_value'], details: distinct['details'] } });
  });

  it('reports table-level observed values as GE does', async () => {
    const suite = fixture['results'] as JsonObject[];
    const rowCount = suite.find((r) => (r['expectation_config'] as JsonObject)['expectation_type'] === 'expect_table_row_count_to_be_between')!;
    const outcome = await check('titanic', 'row_count_between(1181, 1444)\ncolumns([Name, PClass, Age])\ncolumns([PClass, Name])');
    expect(resultOf(outcome, 0)).toMatchObject({ success: true, result: rowCount['result'] });
    expect(resultOf(outcome, 1)).toMatchObject({ success: true, result: { observed_value: ['Name', 'PClass', 'Age'] } });
    expect(resultOf(outcome, 2)).toMatchObject({
      success: false,
      result: {
        observed_value: ['Name', 'PClass', 'Age'],
        details: {
          mismatched: [
            { 'Expected Column Position': 0, Expected: 'PClass', Found: 'Name' },
            { 'Expected Column Position': 1, Expected: 'Name', Found: 'PClass' },
            { 'Expected Column Position': 2, Expected: null, Found: 'Age' },
          ],
        },
      },
    });
  });
});

describe('nulls, empty tables and all-null columns', () => {
  it('passes per-row expectations on an empty table vacuously, with null percentages', async () => {
    const outcome = await check('empty_t', 'not_null(a)\nbetween(a, 0, 1)\nunique(s)\nmean_between(a, 0, 1)\nsum_between(a, 0, 0)\nrow_count_between(0, 0)\ndistinct_in_set(s, [x])');
    expect(outcome.validation.results.map((r) => r.success)).toEqual([true, true, true, false, true, true, true]);
    expect(resultOf(outcome, 0).result).toMatchObject({ element_count: 0, unexpected_count: 0, unexpected_percent: null });
    expect(resultOf(outcome, 1).result).toMatchObject({ missing_count: 0, missing_percent: null, unexpected_percent_total: null, unexpected_percent_nonmissing: null });
    expect(resultOf(outcome, 3).result).toEqual({ observed_value: null });
    expect(resultOf(outcome, 4).result).toEqual({ observed_value: 0 });
    expect(resultOf(outcome, 6).result).toEqual({ observed_value: [], details: { value_counts: [] } });
  });

  it('counts nulls as neither expected nor unexpected in an all-null column', async () => {
    const outcome = await check('all_null', 'between(a, 0, 1)\nnot_null(a)\nnull(a)\nunique(s)\nin_set(s, [x])\nmin_between(a, 0, 1)');
    expect(outcome.validation.results.map((r) => r.success)).toEqual([true, false, true, true, true, false]);
    expect(resultOf(outcome, 0).result).toMatchObject({ element_count: 4, unexpected_count: 0, missing_count: 4, missing_percent: 100, unexpected_percent: null, unexpected_percent_total: 0 });
    expect(resultOf(outcome, 1).result).toMatchObject({ unexpected_count: 4, unexpected_percent: 100, partial_unexpected_list: [null, null, null, null] });
  });

  it('skips nulls in the customers table but counts them as missing', async () => {
    const outcome = await check('customers', 'in_set(age, [34, 130, 41, -3, 29])\nnot_in_set(email, ["bob@example"])');
    expect(resultOf(outcome, 0)).toMatchObject({ success: true, result: { unexpected_count: 0, missing_count: 1 } });
    expect(resultOf(outcome, 1)).toMatchObject({ success: false, result: { unexpected_count: 1, missing_count: 1, partial_unexpected_list: ['bob@example'] } });
  });
});

describe('mostly', () => {
  it('passes exactly at the threshold and fails one row below it', async () => {
    const outcome = await check('ten', "in_set(v, [good], mostly=0.8)\nin_set(v, [good], mostly=0.81)\nnot_in_set(v, [bad], mostly=0.8)");
    expect(outcome.validation.results.map((r) => r.success)).toEqual([true, false, true]);
  });

  it('uses GE\'s share test where a count comparison would round the other way', async () => {
    await engine.run(`CREATE TABLE tenth AS SELECT i AS id, CASE WHEN i = 0 THEN NULL ELSE i END AS v FROM range(10) AS r(i)`);
    // 9 of 10 rows are not null: (10 - 1) / 10 = 0.9 >= 0.9.
    const outcome = await check('tenth', 'not_null(v, mostly=0.9)');
    expect(resultOf(outcome, 0).success).toBe(true);
  });
});

describe('Unicode regex', () => {
  it('evaluates \\w, \\s and $ as Python does', async () => {
    const outcome = await check('customers', "match_regex(name, r'^\\w+(\\s\\w+)*$')\nmatch_regex(name, '^[A-Z]')\nnot_match_regex(name, r'\\d')");
    expect(resultOf(outcome, 0).result).toMatchObject({ unexpected_count: 0 });
    expect(resultOf(outcome, 1).result).toMatchObject({ unexpected_count: 1, partial_unexpected_list: ['山田'] });
    expect(resultOf(outcome, 2).success).toBe(true);
  });
});

describe('each expectation', () => {
  it('column and table expectations', async () => {
    const outcome = await check(
      'customers',
      [
        'exists(email)',
        'exists(nope)',
        'exists(email, 2)',
        'exists(email, -1)',
        'row_count(7)',
        'column_count(6)',
        'of_type(age, INTEGER)',
        'of_type(score, float64)',
        'of_type(email, int)',
        'in_type_list(customer_id, [INTEGER, BIGINT])',
        'in_type_list(joined, null)',
      ].join('\n'),
    );
    expect(outcome.validation.results.map((r) => r.success)).toEqual([true, false, true, false, true, false, true, true, false, true, true]);
    expect(resultOf(outcome, 0).result).toEqual({});
    expect(resultOf(outcome, 4).result).toEqual({ observed_value: 7 });
    expect(resultOf(outcome, 6).result).toEqual({ observed_value: 'INTEGER' });
  });

  it('aggregates', async () => {
    const outcome = await check(
      'customers',
      [
        'min_between(age, -5, 0)',
        'max_between(age, 100, 130, strict_max=True)',
        'mean_between(score, 2.75, 2.75)',
        'median_between(age, 31.5, 31.5)',
        'sum_between(customer_id, 19, 19)',
        'stdev_between(score, 0, 10)',
        'max_between(joined, "2024-01-01", "2024-06-01")',
        'min_between(email, max_value="b")',
        'distinct_count_between(age, 5, 5)',
        'unique_proportion_between(age, 0.8, 0.9)',
      ].join('\n'),
    );
    const observed = outcome.validation.results.map((r) => r.result['observed_value']);
    expect(observed.slice(0, 5)).toEqual([-3, 130, 2.75, 31.5, 19]);
    expect(observed[6]).toBe('2024-05-01');
    expect(observed[7]).toBe('ann@example.com');
    expect(observed[8]).toBe(5);
    expect(observed[9]).toBeCloseTo(5 / 6);
    expect(outcome.validation.results.map((r) => r.success)).toEqual([true, false, true, true, true, true, true, true, true, true]);
  });

  it('strftime formats, value lengths and set membership with types', async () => {
    const outcome = await check(
      'customers',
      [
        "strftime(signup, '%Y-%m-%d')",
        'length_between(name, 3, 3)',
        'length(name, 3)',
        'in_set(customer_id, ["1", 2, 4, 5, 7])',
        "in_set(joined, ['2024-01-05', '2024-02-01', '2024-03-01', '2024-03-15', '2024-04-01', '2024-05-01'])",
        'distinct_in_set(age, [29, 34, 41])',
      ].join('\n'),
    );
    expect(resultOf(outcome, 0).result).toMatchObject({ unexpected_count: 2, partial_unexpected_list: ['2024-13-01', '2024-02-30'] });
    // Lengths count characters as Python's len does: José is 4, 山田 is 2.
    expect(resultOf(outcome, 1).result).toMatchObject({ unexpected_count: 3, partial_unexpected_list: ['José', '山田', 'Dee Dee'] });
    expect(resultOf(outcome, 2).result).toMatchObject({ unexpected_count: 3 });
    // pandas' isin: the string "1" is not the number 1.
    expect(resultOf(outcome, 3).result).toMatchObject({ unexpected_count: 1, partial_unexpected_list: [1] });
    expect(resultOf(outcome, 4).success).toBe(true);
    expect(resultOf(outcome, 5)).toMatchObject({ success: false, result: { observed_value: [-3, 29, 34, 41, 130], details: { value_counts: [{ value: -3, count: 1 }, { value: 29, count: 2 }, { value: 34, count: 1 }, { value: 41, count: 1 }, { value: 130, count: 1 }] } } });
  });

  it('compound uniqueness and column pairs, with GE\'s rules for missing values', async () => {
    const outcome = await check(
      'pairs',
      [
        'compound_unique([a, b])',
        'compound_unique([b, c], ignore_row_if="any_value_is_missing")',
        'a_greater_than_b(a, b)',
        'a_greater_than_b(a, b, or_equal=True, ignore_row_if="either_value_is_missing")',
      ].join('\n'),
    );
    expect(resultOf(outcome, 0).result).toMatchObject({
      element_count: 7,
      missing_count: 1,
      unexpected_count: 2,
      partial_unexpected_list: [{ a: 1, b: 2 }, { a: 1, b: 2 }],
      partial_unexpected_counts: [{ value: [1, 2], count: 2 }],
    });
    expect(resultOf(outcome, 1).result).toMatchObject({ element_count: 7, missing_count: 3, unexpected_count: 2 });
    // Rows with one missing value are compared (pandas: NaN > x is False), so they fail.
    expect(resultOf(outcome, 2).result).toMatchObject({ missing_count: 1, unexpected_count: 5, partial_unexpected_list: [[1, 2], [null, 1], [3, 3], [1, 2], [5, null]] });
    expect(resultOf(outcome, 3).result).toMatchObject({ missing_count: 3, unexpected_count: 2 });
  });

  it('custom SQL: the rows it returns are the failures', async () => {
    const outcome = await check('customers', 'sql("SELECT customer_id, age FROM {batch} WHERE age < 0 OR age > 120 ORDER BY age")\nsql("SELECT * FROM {batch} WHERE false")');
    expect(resultOf(outcome, 0)).toMatchObject({
      success: false,
      result: { observed_value: '2 unexpected rows', details: { unexpected_rows: [{ customer_id: 5, age: -3 }, { customer_id: 2, age: 130 }] } },
    });
    expect(resultOf(outcome, 1)).toMatchObject({ success: true, result: { observed_value: '0 unexpected rows' } });
    expect(outcome.reports[0]!.sample?.rows).toEqual([['5', '-3'], ['2', '130']]);
  });

  it('checks a view (a named cell) without row positions', async () => {
    const outcome = await check('adults', 'between(age, 0, 120)\nunique(age)');
    expect(resultOf(outcome, 0).result).toMatchObject({ unexpected_count: 1, partial_unexpected_list: [130] });
    expect(resultOf(outcome, 0).result).not.toHaveProperty('partial_unexpected_index_list');
    expect(resultOf(outcome, 1).result).toMatchObject({ unexpected_count: 2, partial_unexpected_list: [29, 29] });
    expect(outcome.reports[0]!.sample?.rows[0]?.[2]).toBe('bob@example');
  });
});

describe('errors point at the line', () => {
  it.each([
    ['a missing column', 'not_null(customer_id)\nbetween(agee, 0, 1)', 2, /column "agee" does not exist in customers; did you mean "age"\?/],
    ['a regex RE2 cannot compile', "not_null(email)\n\nmatch_regex(email, '[a-z')", 3, /the regex is not valid for DuckDB \(RE2\): .*missing \]/],
    ['a lookahead', "match_regex(email, '^(?=.*@)')", 1, /lookahead/],
    ['a bad strftime format', "strftime(signup, '%Q')", 1, /strftime format is not valid/],
    ['a number bound on text', 'between(email, 0, 5)', 1, /min_value is a number but email is VARCHAR/],
    ['a mean of text', 'mean_between(email, 0, 5)', 1, /the mean needs a numeric column; email is VARCHAR/],
    ['failing custom SQL', 'not_null(age)\nsql("SELECT * FROM {batch} WHERE nope > 1")', 2, /the custom SQL failed: .*nope/],
  ])('%s', async (_, source, line, message) => {
    const error = await failure(check('customers', source));
    expect(error.position?.line).toBe(line);
    expect(error.userMessage).toMatch(message);
  });

  it('names a table that does not exist', async () => {
    const error = await failure(check('custmers', 'not_null(a)'));
    expect(error.code).toBe('catalog');
    expect(error.userMessage).toMatch(/The table "custmers" does not exist/);
  });

  it('stops when asked', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await failure(check('customers', 'not_null(age)', controller.signal));
    expect(error.code).toBe('cancelled');
    expect((await check('customers', 'not_null(age)')).validation.results).toHaveLength(1);
  });
});

describe('the validation result JSON', () => {
  const keysOf = (value: unknown) => Object.keys(value as object).sort();

  it('has GX 1.x keys and types when written in 1.x or short form', async () => {
    const outcome = await check('customers', 'not_null(customer_id)\nmean_between(score, 0, 10)');
    const json = JSON.parse(JSON.stringify(outcome.validation)) as JsonObject;
    const reference = geFixture('v1/validation_results/datetime_column_evrs.json');
    expect(keysOf(json)).toEqual(keysOf(reference));
    const result = (json['results'] as JsonObject[])[0]!;
    const referenceResult = (reference['results'] as JsonObject[])[0]!;
    expect(keysOf(result)).toEqual(keysOf(referenceResult));
    expect(keysOf(result['expectation_config'])).toEqual(keysOf(referenceResult['expectation_config']));
    expect(keysOf(result['exception_info'])).toEqual(keysOf(referenceResult['exception_info']));
    expect(keysOf(json['statistics'])).toEqual(keysOf(reference['statistics']));
    expect(json['suite_name']).toBe('customers');
    expect(typeof json['success']).toBe('boolean');
    const meta = json['meta'] as JsonObject;
    expect(meta['validation_time']).toMatch(/^\d{8}T\d{6}\.\d{6}Z$/);
    expect(meta['expectation_suite_name']).toBe('customers');
  });

  it('has GE 0.x keys when the suite was written for 0.x', async () => {
    const outcome = await check('customers', '- expectation_type: expect_column_values_to_not_be_null\n  kwargs: {column: customer_id}');
    const reference = geFixture('v0/validation_results/datetime_column_evrs.json');
    const json = JSON.parse(JSON.stringify(outcome.validation)) as JsonObject;
    expect(keysOf(json)).toEqual(keysOf(reference));
    expect(keysOf((json['results'] as JsonObject[])[0]!['expectation_config'])).toEqual(['expectation_type', 'kwargs', 'meta']);
  });

  it('runs GE\'s own suites', async () => {
    await engine.run(`CREATE TABLE yellow AS SELECT (i % 5) AS passenger_count, (i % 3) + 1 AS "VendorID" FROM range(50) AS r(i)`);
    const suite = JSON.stringify(geFixture('v1/expectation_suites/migration_guide_v1_suite_for_yellow_tripdata.json'));
    const outcome = await check('yellow', suite);
    expect(outcome.validation).toMatchObject({ suite_name: 'suite_for_yellow_tripdata', success: true });
    expect(resultOf(outcome, 0).expectation_config).toMatchObject({ type: 'expect_column_values_to_be_between', id: '24dc475c-38a3-4234-ab47-b13d0f233242' });
  });
});

import { describe, expect, it } from 'vitest';
import { geFixture } from './fixtures';
import type { JsonObject, JsonValue } from './json';
import { formatMapOutput, mostlySuccess, partialUnexpectedCounts, statisticsOf, type ExpectationResult } from './results';

const SUMMARY = { name: 'SUMMARY', partialCount: 20 } as const;

/** Every column-map result GE 0.13.25 serialized into the SuiteBuilderProfiler fixture (current GE semantics). */
function mapResults(): { type: string; kwargs: JsonObject; result: JsonObject; success: boolean }[] {
  const file = geFixture('v0/validation_results/expected_evrs_SuiteBuilderProfiler_on_titanic_with_configurations.json');
  return (file['results'] as JsonObject[])
    .filter((r) => 'unexpected_count' in (r['result'] as JsonObject))
    .map((r) => {
      const config = r['expectation_config'] as JsonObject;
      return { type: String(config['expectation_type']), kwargs: config['kwargs'] as JsonObject, result: r['result'] as JsonObject, success: r['success'] as boolean };
    });
}

describe('formatMapOutput reproduces GE results', () => {
  const cases = mapResults();

  it('has column-map results to compare with', () => {
    expect(cases.map((c) => c.type)).toEqual([
      'expect_column_values_to_be_unique',
      'expect_column_values_to_not_be_null',
      'expect_column_value_lengths_to_be_between',
      'expect_column_values_to_not_be_null',
      'expect_column_values_to_be_unique',
      'expect_column_values_to_not_be_null',
      'expect_column_values_to_not_be_null',
      'expect_column_values_to_not_be_null',
    ]);
  });

  it.each(cases.map((c, i) => [i, c.type, c] as const))('#%i %s: same counts, percentages, keys and verdict', (_, type, fixture) => {
    const r = fixture.result;
    const isNotNull = type === 'expect_column_values_to_not_be_null';
    const elementCount = r['element_count'] as number;
    const unexpectedCount = r['unexpected_count'] as number;
    const nonnullCount = isNotNull ? undefined : elementCount - (r['missing_count'] as number);
    const rows = nonnullCount ?? elementCount;
    const mostly = typeof fixture.kwargs['mostly'] === 'number' ? fixture.kwargs['mostly'] : 1;
    const success = mostlySuccess(rows, unexpectedCount, mostly);
    expect(success).toBe(fixture.success);
    const out = formatMapOutput(SUMMARY, success, {
      elementCount,
      nonnullCount,
      unexpectedCount,
      unexpectedList: r['partial_unexpected_list'] as JsonValue[],
      unexpectedIndexList: r['partial_unexpected_index_list'] as number[] | undefined,
    });
    // 0.13.25 also wrote unexpected_percent_total for not_null; GE ≥0.15 (and 1.x) drop it there.
    // It also counted partial_unexpected_counts over every failing value; GX 1.x counts the partial
    // list (its unexpected_values metric stops at partial_unexpected_count), as lakebook does.
    const expected = { ...r };
    if (isNotNull) delete expected['unexpected_percent_total'];
    const counted = ((r['partial_unexpected_counts'] as JsonObject[] | undefined) ?? []).reduce((sum, c) => sum + (c['count'] as number), 0);
    if (isNotNull || counted > (r['partial_unexpected_list'] as JsonValue[]).length) {
      expected['partial_unexpected_counts'] = partialUnexpectedCounts(r['partial_unexpected_list'] as JsonValue[], 20);
    }
    expect(out.result).toEqual(expected);
    expect(Object.keys(out.result).sort()).toEqual(Object.keys(expected).sort());
  });

  it('matches the GX 1.x result printed by the docs, key order included', () => {
    const fixture = geFixture('v1/validation_results/try_gx_exploratory_passing_evr.json');
    const out = formatMapOutput(SUMMARY, true, { elementCount: 10000, nonnullCount: 10000, unexpectedCount: 0, unexpectedList: [], unexpectedIndexList: [] });
    expect(out.result).toEqual(fixture['result']);
    expect(Object.keys(out.result)).toEqual(Object.keys(fixture['result'] as JsonObject));
  });

  it('gives null percentages for an empty table and for an all-null column, as GE does', () => {
    expect(formatMapOutput(SUMMARY, true, { elementCount: 0, nonnullCount: 0, unexpectedCount: 0, unexpectedList: [], unexpectedIndexList: undefined }).result).toEqual({
      element_count: 0,
      unexpected_count: 0,
      unexpected_percent: null,
      partial_unexpected_list: [],
      missing_count: 0,
      missing_percent: null,
      unexpected_percent_total: null,
      unexpected_percent_nonmissing: null,
      partial_unexpected_counts: [],
    });
    expect(formatMapOutput(SUMMARY, true, { elementCount: 4, nonnullCount: 0, unexpectedCount: 0, unexpectedList: [], unexpectedIndexList: undefined }).result).toMatchObject({
      missing_count: 4,
      missing_percent: 100,
      unexpected_percent_total: 0,
      unexpected_percent_nonmissing: null,
      unexpected_percent: null,
    });
  });

  it('keeps BASIC and BOOLEAN_ONLY as small as GE does', () => {
    const counts = { elementCount: 3, nonnullCount: 3, unexpectedCount: 1, unexpectedList: ['x'], unexpectedIndexList: [2] };
    expect(Object.keys(formatMapOutput({ name: 'BASIC', partialCount: 20 }, false, counts).result)).not.toContain('partial_unexpected_counts');
    expect(formatMapOutput({ name: 'BOOLEAN_ONLY', partialCount: 20 }, false, counts).result).toEqual({});
  });
});

describe('mostly', () => {
  it('compares the passing share with >=, computed as GE computes it', () => {
    // 9 of 10 pass with mostly 0.9: GE's (10 - 1) / 10 = 0.9 >= 0.9 passes. Comparing the failing
    // share instead (0.1 <= 1 - 0.9 = 0.09999999999999998) would fail it.
    expect(mostlySuccess(10, 1, 0.9)).toBe(true);
    expect(1 / 10 <= 1 - 0.9).toBe(false);
    expect(mostlySuccess(10, 2, 0.9)).toBe(false);
    expect(mostlySuccess(10, 3, 0.7)).toBe(true);
    expect(mostlySuccess(3, 1, 2 / 3)).toBe(true);
    expect(mostlySuccess(3, 1, 0.67)).toBe(false);
  });
});

describe('partial_unexpected_counts', () => {
  it('sorts by count, then by value in Python order (code points, not UTF-16 units)', () => {
    expect(partialUnexpectedCounts(['b', 'a', 'b', '\u{1F600}', '\uFFFF', 'a', 'c'], 20)).toEqual([
      { value: 'a', count: 2 },
      { value: 'b', count: 2 },
      { value: 'c', count: 1 },
      { value: '\uFFFF', count: 1 },
      { value: '\u{1F600}', count: 1 },
    ]);
  });

  it('matches the titanic fixture', () => {
    const names = ['Daly, Mr Peter Denis ', 'Barber, Ms ', 'Geiger, Miss Emily '];
    expect(partialUnexpectedCounts(names, 20)).toEqual([
      { value: 'Barber, Ms ', count: 1 },
      { value: 'Daly, Mr Peter Denis ', count: 1 },
      { value: 'Geiger, Miss Emily ', count: 1 },
    ]);
  });

  it('counts multi-column values as tuples, as GE flattens its dicts', () => {
    expect(partialUnexpectedCounts([{ a: 1, b: 'x' }, { a: 1, b: 'x' }], 20)).toEqual([{ value: [1, 'x'], count: 2 }]);
  });
});

describe('statistics', () => {
  it.each([
    'v1/validation_results/BasicDatasetProfiler_evrs.json',
    'v0/validation_results/expected_evrs_SuiteBuilderProfiler_on_titanic_with_configurations.json',
    'v1/validation_results/datetime_column_evrs.json',
  ])('equal GE\'s for %s', (path) => {
    const file = geFixture(path);
    expect(statisticsOf(file['results'] as unknown as ExpectationResult[])).toEqual(file['statistics']);
  });

  it('has no success_percent when nothing was evaluated', () => {
    expect(statisticsOf([]).success_percent).toBeNull();
  });
});

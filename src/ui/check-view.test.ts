import { describe, expect, it } from 'vitest';
import type { ExpectationResult } from '../quality/results';
import { countsText, formatPercent, resultFileName, testedColumns } from './check-view';

const result = (success: boolean, r: ExpectationResult['result']): ExpectationResult => ({
  success,
  result: r,
  expectation_config: { type: 'x', kwargs: {}, meta: {} },
  meta: {},
  exception_info: { raised_exception: false, exception_message: null, exception_traceback: null },
});

describe('check view text', () => {
  it('says how many rows fail, of how many considered, and how many were null', () => {
    expect(countsText(result(false, { element_count: 1000000, unexpected_count: 1000, unexpected_percent: 0.1176, missing_count: 150000 }))).toBe(
      '1,000 of 850,000 non-null rows fail (0.12%) · 150,000 null',
    );
    expect(countsText(result(false, { element_count: 7, unexpected_count: 2, unexpected_percent: 28.571428571428573 }))).toBe('2 of 7 rows fail (28.57%)');
    expect(countsText(result(true, { element_count: 4, unexpected_count: 0, unexpected_percent: null, missing_count: 4 }))).toBe('all 4 rows are null');
    expect(countsText(result(true, { element_count: 0, unexpected_count: 0, unexpected_percent: null, missing_count: 0 }))).toBe('no rows');
  });

  it('shows observed values and bare verdicts', () => {
    expect(countsText(result(true, { observed_value: 30.397989417989418 }))).toBe('observed 30.39798942');
    expect(countsText(result(true, { observed_value: 1313 }))).toBe('observed 1,313');
    expect(countsText(result(false, { observed_value: ['a', 'b'] }))).toBe('observed ["a","b"]');
    expect(countsText(result(false, {}))).toBe('does not hold');
  });

  it('keeps small percentages visible', () => {
    expect(formatPercent(0.0003)).toBe('0.0003%');
    expect(formatPercent(12.3456)).toBe('12.35%');
    expect(formatPercent(100)).toBe('100%');
  });

  it('knows which columns an expectation is about', () => {
    expect(testedColumns({ kwargs: { column: 'Age' } })).toEqual(['age']);
    expect(testedColumns({ kwargs: { column_A: 'a', column_B: 'b' } })).toEqual(['a', 'b']);
    expect(testedColumns({ kwargs: { column_list: ['x', 'y'] } })).toEqual(['x', 'y']);
  });

  it('names the download after the suite', () => {
    expect(resultFileName('customers_ok')).toBe('customers_ok.validation.json');
    expect(resultFileName('my suite/ä')).toBe('my_suite_ä.validation.json');
  });
});

/** One-line descriptions of expectations for people ("age between 0 and 120, at least 99% of rows"). */
import type { JsonValue } from './json';
import type { ExpectationConfig } from './parse';

export function labelOf(config: ExpectationConfig): string {
  const k = config.kwargs;
  const col = typeof k['column'] === 'string' ? k['column'] : '';
  const show = (v: JsonValue | undefined): string => (typeof v === 'string' ? v : JSON.stringify(v));
  const range = (what: string): string => {
    const min = k['min_value'];
    const max = k['max_value'];
    const lo = k['strict_min'] === true ? '>' : '≥';
    const hi = k['strict_max'] === true ? '<' : '≤';
    if (min !== undefined && min !== null && max !== undefined && max !== null) {
      return k['strict_min'] === true || k['strict_max'] === true ? `${what} ${lo} ${show(min)} and ${hi} ${show(max)}` : `${what} between ${show(min)} and ${show(max)}`;
    }
    if (min !== undefined && min !== null) return `${what} ${lo} ${show(min)}`;
    if (max !== undefined && max !== null) return `${what} ${hi} ${show(max)}`;
    return `${what} (any value)`;
  };
  const list = (v: JsonValue | undefined): string => {
    const items = Array.isArray(v) ? v : [];
    const shown = items.slice(0, 6).map(show).join(', ');
    return `{${shown}${items.length > 6 ? `, … ${items.length - 6} more` : ''}}`;
  };
  let text: string;
  switch (config.spec.type) {
    case 'expect_column_to_exist':
      text = `column ${col} exists`;
      break;
    case 'expect_table_row_count_to_be_between':
      text = range('row count');
      break;
    case 'expect_table_row_count_to_equal':
      text = `row count = ${show(k['value'])}`;
      break;
    case 'expect_table_column_count_to_equal':
      text = `column count = ${show(k['value'])}`;
      break;
    case 'expect_table_columns_to_match_ordered_list':
      text = `columns are ${Array.isArray(k['column_list']) ? k['column_list'].map(show).join(', ') : '(any)'}`;
      break;
    case 'expect_column_values_to_not_be_null':
      text = `${col} is not null`;
      break;
    case 'expect_column_values_to_be_null':
      text = `${col} is null`;
      break;
    case 'expect_column_values_to_be_between':
      text = range(col);
      break;
    case 'expect_column_values_to_match_regex':
      text = `${col} matches ${show(k['regex'])}`;
      break;
    case 'expect_column_values_to_not_match_regex':
      text = `${col} does not match ${show(k['regex'])}`;
      break;
    case 'expect_column_values_to_be_unique':
      text = `${col} is unique`;
      break;
    case 'expect_column_values_to_be_in_set':
      text = `${col} in ${list(k['value_set'])}`;
      break;
    case 'expect_column_values_to_not_be_in_set':
      text = `${col} not in ${list(k['value_set'])}`;
      break;
    case 'expect_column_values_to_match_strftime_format':
      text = `${col} has format ${show(k['strftime_format'])}`;
      break;
    case 'expect_column_value_lengths_to_be_between':
      text = range(`length of ${col}`);
      break;
    case 'expect_column_value_lengths_to_equal':
      text = `length of ${col} = ${show(k['value'])}`;
      break;
    case 'expect_column_values_to_be_of_type':
      text = `${col} is of type ${show(k['type_'])}`;
      break;
    case 'expect_column_values_to_be_in_type_list':
      text = `${col} has a type in ${list(k['type_list'])}`;
      break;
    case 'expect_column_distinct_values_to_be_in_set':
      text = `distinct values of ${col} in ${list(k['value_set'])}`;
      break;
    case 'expect_compound_columns_to_be_unique':
      text = `(${Array.isArray(k['column_list']) ? k['column_list'].map(show).join(', ') : ''}) is unique`;
      break;
    case 'expect_column_pair_values_a_to_be_greater_than_b':
      text = `${show(k['column_A'])} ${k['or_equal'] === true ? '≥' : '>'} ${show(k['column_B'])}`;
      break;
    case 'unexpected_rows_expectation':
      text = config.description ?? (typeof k['description'] === 'string' ? k['description'] : 'custom SQL returns no rows');
      break;
    default: {
      const what = config.spec.type.replace(/^expect_column_/, '').replace(/_to_be_between$/, '');
      text = range(`${what} of ${col}`);
    }
  }
  const mostly = k['mostly'];
  if (typeof mostly === 'number' && mostly < 1) text += `, at least ${+(mostly * 100).toFixed(6)}% of rows`;
  return text;
}

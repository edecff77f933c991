/**
 * "Suggest expectations": a profile → the text of a check cell in the short form, with expectations
 * the data passes today (ranges are the observed ones, `mostly` is rounded down), so the check starts
 * green and goes red when the data drifts. The user edits them from there.
 */
import type { JsonValue } from './json';
import type { ColumnProfile, TableProfile } from './profile';
import { isNumeric } from './sql';

/** Text columns with at most this many distinct values get an in_set suggestion. */
const MAX_SET_SIZE = 10;

export function suggestExpectations(profile: TableProfile): string {
  const lines = [`# Suggested from a profile of ${profile.table} (${profile.rowCount.toLocaleString('en-US')} rows). Edit freely.`];
  if (profile.rowCount > 0) lines.push('row_count_between(min_value=1)');
  lines.push(`columns([${profile.columns.map((c) => pythonLiteral(c.name)).join(', ')}])`);
  for (const column of profile.columns) {
    const rules = suggestForColumn(column, profile.rowCount);
    if (rules.length > 0) lines.push('', ...rules);
  }
  return lines.join('\n') + '\n';
}

function suggestForColumn(c: ColumnProfile, rowCount: number): string[] {
  const col = pythonLiteral(c.name);
  const out: string[] = [];
  if (rowCount === 0 || c.nonNullCount === 0) return out;
  if (c.nullCount === 0) out.push(`not_null(${col})`);
  else if (c.nullCount / rowCount < 0.5) out.push(`not_null(${col}, mostly=${floorTo(c.nonNullCount / rowCount, 2)})`);

  const floats = c.category === 'float' || c.category === 'decimal';
  if (c.distinctCount === c.nonNullCount && c.nonNullCount > 1 && !floats) out.push(`unique(${col})`);

  if ((isNumeric(c.category) || c.category === 'temporal') && c.min !== null && c.max !== null && !/INTERVAL|TIME$/i.test(c.type)) {
    out.push(`between(${col}, ${pythonLiteral(c.min)}, ${pythonLiteral(c.max)})`);
  } else if (c.category === 'string') {
    const repeats = c.distinctCount < c.nonNullCount;
    if (repeats && c.distinctCount <= MAX_SET_SIZE && c.topValues.length === c.distinctCount) {
      const values = c.topValues.map((t) => t.value).sort((a, b) => String(a).localeCompare(String(b)));
      out.push(`in_set(${col}, [${values.map(pythonLiteral).join(', ')}])`);
    } else if (c.minLength !== null && c.maxLength !== null) {
      out.push(`length_between(${col}, ${c.minLength}, ${c.maxLength})`);
    }
  }
  return out;
}

function floorTo(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.floor(value * scale) / scale;
}

/** A value as the short form reads it back: Python literals; bare words for plain column names. */
export function pythonLiteral(value: JsonValue): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(value) && !['True', 'False', 'None', 'true', 'false', 'null'].includes(value)) return value;
    return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}'`;
  }
  if (Array.isArray(value)) return `[${value.map(pythonLiteral).join(', ')}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${pythonLiteral(k)}: ${pythonLiteral(v)}`)
    .join(', ')}}`;
}

/** What the check view shows for each expectation, derived from GE's result (pure, tested). */
import type { JsonObject, JsonValue } from '../quality/json';
import type { ExpectationResult } from '../quality/results';
import { formatCount } from './format';

/** "12.5%", "0.0003%", "100%": enough digits to tell a few bad rows from none. */
export function formatPercent(value: number): string {
  if (value === 0 || value === 100) return `${value}%`;
  return `${value >= 1 ? Number(value.toFixed(2)) : Number(value.toPrecision(2))}%`;
}

/** The counts line of one expectation: failing rows of how many, or the observed value. */
export function countsText(result: ExpectationResult): string {
  const r = result.result;
  if (typeof r['unexpected_count'] === 'number') {
    const unexpected = r['unexpected_count'];
    const all = r['element_count'] as number;
    const missing = r['missing_count'];
    const considered = typeof missing === 'number' ? all - missing : all;
    if (considered === 0) return all === 0 ? 'no rows' : `all ${formatCount(all)} rows are null`;
    const pct = typeof r['unexpected_percent'] === 'number' ? ` (${formatPercent(r['unexpected_percent'])})` : '';
    const base = `${formatCount(unexpected)} of ${formatCount(considered)}${typeof missing === 'number' ? ' non-null' : ''} rows fail${pct}`;
    return typeof missing === 'number' && missing > 0 ? `${base} · ${formatCount(missing)} null` : base;
  }
  if ('observed_value' in r) return `observed ${shortJson(r['observed_value'])}`;
  if (Object.keys(r).length === 0) return result.success ? 'holds' : 'does not hold';
  return shortJson(r);
}

export function shortJson(value: JsonValue | undefined, max = 120): string {
  if (value === undefined) return '';
  const text = typeof value === 'string' ? value : typeof value === 'number' ? formatNumber(value) : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? formatCount(value) : String(Number(value.toPrecision(10)));
}

/** The columns an expectation is about, to highlight them in the sample grid. */
export function testedColumns(config: JsonObject): string[] {
  const kwargs = (config['kwargs'] ?? {}) as JsonObject;
  const names = [kwargs['column'], kwargs['column_A'], kwargs['column_B'], ...(Array.isArray(kwargs['column_list']) ? kwargs['column_list'] : [])];
  return names.filter((n): n is string => typeof n === 'string').map((n) => n.toLowerCase());
}

/** `orders.validation.json`: the file name of a downloaded result. */
export function resultFileName(suiteName: string): string {
  const safe = suiteName.replace(/[^\p{L}\p{N}_.-]+/gu, '_').replace(/^_+|_+$/g, '') || 'check';
  return `${safe}.validation.json`;
}

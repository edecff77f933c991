/**
 * A profile of a table, per column: nulls, distinct values, min/max, mean and deviation, quantiles,
 * the most frequent values and a histogram. Three statements: one aggregate scan for the statistics,
 * one for the top values of every column, one for the histograms of the numeric columns.
 */
import type { JsonValue } from './json';
import { createQuery, describeTable, listOf, num, type QueryEngine } from './query';
import { decodeText, decodeValue, isNumeric, jsonProjection, quoteIdent, typeCategory, valueKindOf, type TypeCategory } from './sql';

export const QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95] as const;
const TOP_VALUES = 10;
const HISTOGRAM_BINS = 10;

export interface ColumnProfile {
  name: string;
  type: string;
  category: TypeCategory;
  nonNullCount: number;
  nullCount: number;
  /** Share of rows that are null, 0–100. */
  nullPercent: number;
  distinctCount: number;
  min: JsonValue;
  max: JsonValue;
  mean: number | null;
  stddev: number | null;
  /** At QUANTILES; numeric and date/time columns only. */
  quantiles: JsonValue[] | undefined;
  /** Text columns: the shortest and longest value, in characters. */
  minLength: number | null;
  maxLength: number | null;
  /** The most frequent values, most frequent first (ties by value). */
  topValues: { value: JsonValue; count: number }[];
  /** Numeric columns: equal-width bins from min to max (the last bin includes max). */
  histogram: { lower: number; upper: number; count: number }[] | undefined;
}

export interface TableProfile {
  table: string;
  rowCount: number;
  columns: ColumnProfile[];
  elapsedMs: number;
}

export async function profileTable(engine: QueryEngine, table: string, signal?: AbortSignal): Promise<TableProfile> {
  const started = performance.now();
  const query = createQuery(engine, signal, [], 'The profile was stopped.');
  const schema = await describeTable(query, table);
  const columns = schema.columns.map((c) => ({ ...c, q: quoteIdent(c.name), category: typeCategory(c.type) }));

  const select = ['count(*) AS n'];
  columns.forEach((c, i) => {
    const kind = valueKindOf(c.category);
    const ordered = c.category !== 'other' || /^(UUID|BLOB)$/i.test(c.type);
    select.push(`count(${c.q}) AS nn${i}`, `count(DISTINCT ${c.q}) AS d${i}`);
    if (ordered) select.push(`${jsonProjection(`min(${c.q})`, kind)} AS lo${i}`, `${jsonProjection(`max(${c.q})`, kind)} AS hi${i}`);
    if (isNumeric(c.category)) {
      select.push(`avg(${c.q}) AS mean${i}`, `stddev_samp(${c.q}) AS sd${i}`, `quantile_cont(${c.q}, [${QUANTILES.join(', ')}]) AS qs${i}`);
    } else if (c.category === 'temporal' && !/INTERVAL/i.test(c.type)) {
      select.push(`CAST(quantile_disc(${c.q}, [${QUANTILES.join(', ')}]) AS VARCHAR[]) AS qs${i}`);
    }
    if (c.category === 'string') select.push(`min(length(${c.q})) AS ml${i}`, `max(length(${c.q})) AS xl${i}`);
  });
  const stats = (await query(`SELECT ${select.join(', ')} FROM ${schema.sql}`))[0] ?? {};
  const rowCount = num(stats['n']);

  const topValues = new Map<number, { value: JsonValue; count: number }[]>();
  const topBranches = columns.map(
    (c, i) =>
      `(SELECT ${i} AS col, CAST(${c.q} AS VARCHAR) AS value, count(*) AS n FROM ${schema.sql} WHERE ${c.q} IS NOT NULL GROUP BY ${c.q} ORDER BY n DESC, ${c.q} LIMIT ${TOP_VALUES})`,
  );
  if (topBranches.length > 0 && rowCount > 0) {
    for (const row of await query(topBranches.join('\nUNION ALL\n'))) {
      const i = num(row['col']);
      const column = columns[i]!;
      const list = topValues.get(i) ?? [];
      list.push({ value: decodeText(row['value'], valueKindOf(column.category)), count: num(row['n']) });
      topValues.set(i, list);
    }
  }

  const histograms = new Map<number, { lower: number; upper: number; count: number }[]>();
  const numeric = columns
    .map((c, i) => ({ c, i, lo: nullableNumber(stats[`lo${i}`]) ?? NaN, hi: nullableNumber(stats[`hi${i}`]) ?? NaN }))
    .filter(({ c, lo, hi }) => isNumeric(c.category) && Number.isFinite(lo) && Number.isFinite(hi));
  if (numeric.length > 0) {
    const branches = numeric.map(({ c, i, lo, hi }) => {
      const width = (hi - lo) / HISTOGRAM_BINS;
      const bin = width > 0 ? `least(CAST(floor((CAST(${c.q} AS DOUBLE) - ${lo}) / ${width}) AS INTEGER), ${HISTOGRAM_BINS - 1})` : '0';
      return `(SELECT ${i} AS col, ${bin} AS bin, count(*) AS n FROM ${schema.sql} WHERE ${c.q} IS NOT NULL AND isfinite(CAST(${c.q} AS DOUBLE)) GROUP BY bin)`;
    });
    const counts = await query(branches.join('\nUNION ALL\n'));
    for (const { i, lo, hi } of numeric) {
      const width = (hi - lo) / HISTOGRAM_BINS;
      const bins = width > 0 ? Array.from({ length: HISTOGRAM_BINS }, (_, b) => ({ lower: lo + b * width, upper: b === HISTOGRAM_BINS - 1 ? hi : lo + (b + 1) * width, count: 0 })) : [{ lower: lo, upper: hi, count: 0 }];
      for (const row of counts) if (num(row['col']) === i) bins[num(row['bin'])]!.count += num(row['n']);
      histograms.set(i, bins);
    }
  }

  const profiles = columns.map((c, i): ColumnProfile => {
    const nonNullCount = num(stats[`nn${i}`]);
    const kind = valueKindOf(c.category);
    const quantiles = stats[`qs${i}`];
    return {
      name: c.name,
      type: c.type,
      category: c.category,
      nonNullCount,
      nullCount: rowCount - nonNullCount,
      nullPercent: rowCount > 0 ? ((rowCount - nonNullCount) / rowCount) * 100 : 0,
      distinctCount: num(stats[`d${i}`]),
      min: decodeValue(stats[`lo${i}`], kind),
      max: decodeValue(stats[`hi${i}`], kind),
      mean: isNumeric(c.category) ? nullableNumber(stats[`mean${i}`]) : null,
      stddev: isNumeric(c.category) ? nullableNumber(stats[`sd${i}`]) : null,
      quantiles: quantiles === undefined || quantiles === null ? undefined : listOf(quantiles).map((v) => decodeValue(v, isNumeric(c.category) ? 'float' : 'text')),
      minLength: c.category === 'string' ? nullableNumber(stats[`ml${i}`]) : null,
      maxLength: c.category === 'string' ? nullableNumber(stats[`xl${i}`]) : null,
      topValues: topValues.get(i) ?? [],
      histogram: histograms.get(i),
    };
  });
  return { table, rowCount, columns: profiles, elapsedMs: performance.now() - started };
}

function nullableNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

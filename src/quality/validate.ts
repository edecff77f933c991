/**
 * Runs a check cell: parse → compile → a few queries → GE's validation result. The queries, in order:
 * the table's columns; the aggregate scan holding every per-row and aggregate expectation; one grouped query per uniqueness or
 * distinct-values expectation; each custom SQL expectation; and the first failing rows (bounded).
 */
import { isLakebookError, type LakebookError } from '../engine/errors';
import { DISTINCT_LIMIT, aggregateSql, compileChecks, findColumn, ROW, type CheckPlan, type Compiled, type TableSchema, type ValueSpec } from './compile';
import { checkError } from './errors';
import type { JsonObject, JsonValue } from './json';
import { labelOf } from './labels';
import { parseChecks, type ExpectationConfig, type ParsedChecks } from './parse';
import { betweenSuccess, expectationResult, formatMapOutput, mostlySuccess, suiteResult, type ExpectationResult, type ValidationResult } from './results';
import { createQuery, describeTable, listOf, num, text, type Query, type QueryEngine } from './query';
import { decodeValue, jsonProjection, quoteIdent, typeCategory, valueKindOf } from './sql';


export interface CheckRequest {
  /** The `table=` attribute: a table or named cell, optionally `schema.table`. */
  table: string;
  /** The cell's text. */
  source: string;
  /** Used when the text does not name its suite (a GE suite's `name`/`expectation_suite_name` wins). */
  suiteName?: string;
  signal?: AbortSignal;
  now?: () => Date;
}

export interface SampleRows {
  columns: string[];
  /** Values as DuckDB prints them. */
  rows: (string | null)[][];
}

/** What the UI shows beside GE's result for one expectation. */
export interface ExpectationReport {
  line: number;
  label: string;
  unexpectedCount: number | undefined;
  /** SQL selecting every failing row, for "open all failing rows". */
  failingRowsSql: string | undefined;
  sample: SampleRows | undefined;
}

export interface CheckOutcome {
  validation: ValidationResult;
  /** One per `validation.results` entry, same order. */
  reports: ExpectationReport[];
  table: string;
  elapsedMs: number;
  /** Every statement run, in order: the scans and the small ones. */
  statements: string[];
}

export async function runCheck(engine: QueryEngine, request: CheckRequest): Promise<CheckOutcome> {
  const started = performance.now();
  const now = request.now ?? (() => new Date());
  const runTime = now();
  const statements: string[] = [];
  const query = createQuery(engine, request.signal, statements);

  const parsed = parseChecks(request.source);
  const schema = await describeTable(query, request.table);
  const plan = compileChecks(parsed.expectations, schema);

  const aggregate = await runAggregate(query, plan);
  const grouped = await runGrouped(query, plan);
  const distinct = new Map<Compiled, Record<string, unknown>[]>();
  for (const item of plan.items) if (item.kind === 'distinct') distinct.set(item, await query(item.valuesSql));
  const custom = new Map<Compiled, { count: number; sample: SampleRows; rows: JsonObject[] }>();
  for (const item of plan.items) if (item.kind === 'query') custom.set(item, await runCustom(query, item));

  const unexpectedOf = (item: Compiled): number | undefined =>
    item.kind === 'map' ? num(aggregate[item.unexpected]) : item.kind === 'grouped' ? grouped.get(item) : item.kind === 'query' ? custom.get(item)?.count : undefined;
  const samples = await fetchSamples(query, plan, aggregate, unexpectedOf);

  const results: ExpectationResult[] = [];
  const reports: ExpectationReport[] = [];
  const rowCount = num(aggregate[plan.rowCount]);
  for (const item of plan.items) {
    const outcome = evaluate(item, { plan, aggregate, rowCount, unexpected: unexpectedOf(item), samples: samples.get(item), distinct: distinct.get(item), custom: custom.get(item) });
    results.push(expectationResult(item.config, parsed.dialect, outcome));
    reports.push({
      line: item.config.line,
      label: labelOf(item.config),
      unexpectedCount: unexpectedOf(item),
      failingRowsSql: failingRowsSql(item, schema),
      sample: samples.get(item)?.display ?? custom.get(item)?.sample,
    });
  }
  const elapsedMs = performance.now() - started;
  const suiteName = parsed.suiteName ?? request.suiteName ?? request.table;
  const validation = suiteResult(results, parsed.dialect, suiteName, resultMeta(parsed, suiteName, request.table, runTime, elapsedMs, statements.length));
  return { validation, reports, table: request.table, elapsedMs, statements };
}

async function runAggregate(query: Query, plan: CheckPlan): Promise<Record<string, unknown>> {
  try {
    return (await query(aggregateSql(plan)))[0] ?? {};
  } catch (error) {
    if (isLakebookError(error) && error.code !== 'cancelled') await blame(query, plan, error);
    throw error;
  }
}

/**
 * Finds the expectation whose SQL DuckDB refuses, so the error names its line: first the regexes and
 * strftime formats (compiled alone), then each expectation's part of the scan on no rows. This runs only
 * after the scan failed, so a check that works costs no extra statements.
 */
async function blame(query: Query, plan: CheckPlan, original: LakebookError): Promise<void> {
  for (const probe of plan.probes) {
    try {
      await query(probe.sql);
    } catch (error) {
      if (!isLakebookError(error) || error.code === 'cancelled') throw error;
      const what = probe.what === 'regex' ? 'the regex is not valid for DuckDB (RE2)' : 'the strftime format is not valid for DuckDB';
      throw checkError(probe.line, `${what}: ${stripPosition(error.userMessage)}`, { cause: error });
    }
  }
  for (const item of plan.items) {
    const mine = compileChecks([item.config], plan.schema);
    try {
      await query(aggregateSql(mine, { empty: true }));
    } catch (error) {
      if (isLakebookError(error) && error.code !== 'cancelled') {
        throw checkError(item.config.line, `DuckDB cannot evaluate ${item.config.spec.type}: ${stripPosition(error.userMessage)}`, { code: error.code, cause: original });
      }
      throw error;
    }
  }
}

async function runGrouped(query: Query, plan: CheckPlan): Promise<Map<Compiled, number>> {
  const items = plan.items.filter((i) => i.kind === 'grouped');
  const counts = new Map<Compiled, number>();
  if (items.length === 0) return counts;
  const row = (await query(`SELECT ${items.map((item, i) => `(${item.unexpectedSql}) AS g${i}`).join(', ')}`))[0] ?? {};
  items.forEach((item, i) => counts.set(item, num(row[`g${i}`])));
  return counts;
}

async function runCustom(query: Query, item: Extract<Compiled, { kind: 'query' }>): Promise<{ count: number; sample: SampleRows; rows: JsonObject[] }> {
  const line = item.config.kwargLines['unexpected_rows_query'] ?? item.config.line;
  try {
    const columns = (await query(`DESCRIBE SELECT * FROM (${item.sql})`)).map((r) => ({ name: String(r['column_name']), kind: valueKindOf(typeCategory(String(r['column_type']))) }));
    const count = num((await query(`SELECT count(*) AS n FROM (${item.sql})`))[0]?.['n']);
    const limit = item.format.name === 'BOOLEAN_ONLY' ? 0 : Math.max(item.format.partialCount, 1);
    const projection = columns.flatMap((c, i) => [`CAST(${quoteIdent(c.name)} AS VARCHAR) AS d${i}`, `${jsonProjection(quoteIdent(c.name), c.kind)} AS v${i}`]).join(', ');
    const fetched = limit > 0 && count > 0 && columns.length > 0 ? await query(`SELECT ${projection} FROM (${item.sql}) LIMIT ${limit}`) : [];
    return {
      count,
      sample: { columns: columns.map((c) => c.name), rows: fetched.map((r) => columns.map((_, i) => text(r[`d${i}`]))) },
      rows: fetched.map((r) => Object.fromEntries(columns.map((c, i) => [c.name, decodeValue(r[`v${i}`], c.kind)]))),
    };
  } catch (error) {
    if (!isLakebookError(error) || error.code === 'cancelled') throw error;
    throw checkError(line, `the custom SQL failed: ${stripPosition(error.userMessage)}`, { code: error.code, cause: error });
  }
}

interface Samples {
  values: JsonValue[];
  indexes: number[] | undefined;
  display: SampleRows;
}

/**
 * The first failing rows of each per-row expectation that failed. Tables: the aggregate scan already
 * collected their rowids (`min(rowid, k)`), so one lookup fetches them all; uniqueness needs its own
 * small query. Views have no rowid: one `LIMIT k` query per failing expectation, which stops early.
 */
async function fetchSamples(query: Query, plan: CheckPlan, aggregate: Record<string, unknown>, unexpectedOf: (item: Compiled) => number | undefined): Promise<Map<Compiled, Samples>> {
  const out = new Map<Compiled, Samples>();
  const failing = plan.items.filter(
    (item): item is Extract<Compiled, { kind: 'map' | 'grouped' }> =>
      (item.kind === 'map' || item.kind === 'grouped') && (unexpectedOf(item) ?? 0) > 0 && item.format.name !== 'BOOLEAN_ONLY' && item.format.partialCount > 0,
  );
  if (failing.length === 0) return out;
  const { schema } = plan;
  const valueColumns = [...new Map(failing.flatMap((item) => item.values.columns).map((c) => [c.name, c])).values()];
  const display = schema.columns.map((c, i) => `CAST(${quoteIdent(c.name)} AS VARCHAR) AS d${i}`);
  const values = valueColumns.map((c, i) => `${jsonProjection(quoteIdent(c.name), valueKindOf(typeCategory(c.type)))} AS v${i}`);
  const projection = [...display, ...values].join(', ');
  const toSample = (item: Extract<Compiled, { kind: 'map' | 'grouped' }>, rows: Record<string, unknown>[], indexes: number[] | undefined): Samples => ({
    values: rows.map((r) => valueOf(item.values, valueColumns, r)),
    indexes,
    display: { columns: schema.columns.map((c) => c.name), rows: rows.map((r) => schema.columns.map((_, i) => text(r[`d${i}`]))) },
  });

  if (schema.hasRowid) {
    const rowids = new Map<Compiled, number[]>();
    for (const item of failing) if (item.kind === 'map' && item.sample) rowids.set(item, listOf(aggregate[item.sample]).map(num));
    const grouped = failing.filter((item) => item.kind === 'grouped');
    if (grouped.length > 0) {
      const select = grouped.map((item, i) => `(SELECT min(rowid, ${item.format.partialCount}) FROM ${schema.sql} AS ${ROW} WHERE ${item.condition}) AS s${i}`);
      const row = (await query(`SELECT ${select.join(', ')}`))[0] ?? {};
      grouped.forEach((item, i) => rowids.set(item, listOf(row[`s${i}`]).map(num)));
    }
    const all = [...new Set([...rowids.values()].flat())];
    if (all.length === 0) return out;
    const fetched = await query(`SELECT rowid AS __lb_rowid, ${projection} FROM ${schema.sql} WHERE rowid IN (SELECT unnest([${all.join(', ')}]::BIGINT[]))`);
    const byRowid = new Map(fetched.map((r) => [num(r['__lb_rowid']), r]));
    for (const [item, ids] of rowids) {
      const sorted = [...ids].sort((a, b) => a - b);
      const rows = sorted.map((id) => byRowid.get(id)).filter((r): r is Record<string, unknown> => r !== undefined);
      out.set(item, toSample(item as Extract<Compiled, { kind: 'map' | 'grouped' }>, rows, sorted));
    }
    return out;
  }

  const branches = failing.map((item, i) => `(SELECT ${i} AS __lb_item, ${projection} FROM ${schema.sql} AS ${ROW} WHERE ${item.condition} LIMIT ${item.format.partialCount})`);
  const fetched = await query(branches.join('\nUNION ALL\n'));
  failing.forEach((item, i) => out.set(item, toSample(item, fetched.filter((r) => num(r['__lb_item']) === i), undefined)));
  return out;
}

function valueOf(spec: ValueSpec, valueColumns: { name: string; type: string }[], row: Record<string, unknown>): JsonValue {
  const decoded = spec.columns.map((c) => {
    const i = valueColumns.findIndex((v) => v.name === c.name);
    return decodeValue(row[`v${i}`], valueKindOf(typeCategory(c.type)));
  });
  if (spec.style === 'scalar') return decoded[0] ?? null;
  if (spec.style === 'pair') return decoded;
  return Object.fromEntries(spec.columns.map((c, i) => [c.name, decoded[i] ?? null]));
}

interface EvaluationContext {
  plan: CheckPlan;
  aggregate: Record<string, unknown>;
  rowCount: number;
  unexpected: number | undefined;
  samples: Samples | undefined;
  distinct: Record<string, unknown>[] | undefined;
  custom: { count: number; rows: JsonObject[] } | undefined;
}

function evaluate(item: Compiled, context: EvaluationContext): { success: boolean; result: JsonObject } {
  const { aggregate, rowCount } = context;
  const kwargs = item.config.kwargs;
  const boolean = item.format.name === 'BOOLEAN_ONLY';
  const mostly = typeof kwargs['mostly'] === 'number' ? kwargs['mostly'] : 1;
  switch (item.kind) {
    case 'map':
    case 'grouped': {
      const unexpected = context.unexpected ?? 0;
      const considered = item.considered === undefined ? undefined : num(aggregate[item.considered]);
      const rows = considered ?? rowCount;
      const success = rowCount === 0 || rows === 0 ? true : mostlySuccess(rows, unexpected, mostly);
      // For a tuple-valued sample GE counts tuples; its dicts (compound columns) become lists of values.
      const samples = context.samples;
      const values = samples?.values ?? [];
      return formatMapOutput(item.format, success, {
        elementCount: rowCount,
        nonnullCount: considered,
        unexpectedCount: unexpected,
        unexpectedList: values,
        unexpectedIndexList: samples?.indexes,
      });
    }
    case 'aggregate': {
      const observed = decodeValue(aggregate[item.observed], item.observedKind);
      const success = observed !== null && (item.success === undefined ? true : aggregate[item.success] === true);
      return { success, result: boolean ? {} : { observed_value: observed } };
    }
    case 'type':
      return { success: item.success, result: boolean ? {} : { observed_value: item.observed } };
    case 'distinct': {
      const rows = context.distinct ?? [];
      const shown = rows.slice(0, DISTINCT_LIMIT).map((r) => ({ value: decodeValue(r['value'], item.valueKind), count: num(r['n']) }));
      const success = item.notInSet === undefined || num(aggregate[item.notInSet]) === 0;
      const details: JsonObject = { value_counts: shown };
      if (rows.length > DISTINCT_LIMIT) details['lakebook_truncated_to'] = DISTINCT_LIMIT;
      return { success, result: boolean ? {} : { observed_value: shown.map((v) => v.value), details } };
    }
    case 'query': {
      const count = context.custom?.count ?? 0;
      const result: JsonObject = { observed_value: `${count} unexpected ${count === 1 ? 'row' : 'rows'}`, details: { unexpected_rows: context.custom?.rows ?? [] } };
      return { success: count === 0, result: boolean ? {} : result };
    }
    case 'table':
      return evaluateTable(item.config, context.plan.schema, rowCount, boolean);
  }
}

function evaluateTable(config: ExpectationConfig, schema: TableSchema, rowCount: number, boolean: boolean): { success: boolean; result: JsonObject } {
  const kwargs = config.kwargs;
  const names = schema.columns.map((c) => c.name);
  const withResult = (success: boolean, result: JsonObject) => ({ success, result: boolean ? {} : result });
  switch (config.spec.type) {
    case 'expect_column_to_exist': {
      const column = String(kwargs['column']);
      const index = kwargs['column_index'];
      let success: boolean;
      // GE tests `if column_index:`, so index 0 means "anywhere"; a negative index counts from the end.
      if (typeof index === 'number' && index !== 0) {
        const at = index < 0 ? names[names.length + index] : names[index];
        success = at !== undefined && (at === column || at.toLowerCase() === column.toLowerCase());
      } else {
        success = findColumn(schema, column) !== undefined;
      }
      return { success, result: {} };
    }
    case 'expect_table_row_count_to_be_between':
      return withResult(betweenSuccess(rowCount, kwargs), { observed_value: rowCount });
    case 'expect_table_row_count_to_equal':
      return withResult(rowCount === kwargs['value'], { observed_value: rowCount });
    case 'expect_table_column_count_to_equal':
      return withResult(names.length === kwargs['value'], { observed_value: names.length });
    case 'expect_table_columns_to_match_ordered_list': {
      const expected = kwargs['column_list'];
      if (!Array.isArray(expected) || (expected.length === names.length && expected.every((e, i) => e === names[i]))) {
        return withResult(true, { observed_value: names });
      }
      const mismatched: JsonObject[] = [];
      for (let i = 0; i < Math.max(expected.length, names.length); i++) {
        const e = expected[i] ?? null;
        const f = names[i] ?? null;
        if (e !== f) mismatched.push({ 'Expected Column Position': i, Expected: e, Found: f });
      }
      return withResult(false, { observed_value: names, details: { mismatched } });
    }
  }
  throw new Error(`no table evaluation for ${config.spec.type}`);
}

function failingRowsSql(item: Compiled, schema: TableSchema): string | undefined {
  const header = `-- Rows failing ${item.config.spec.type} (line ${item.config.line} of the check on ${schema.name})`;
  if (item.kind === 'map' || item.kind === 'grouped') {
    const alias = item.condition.includes(ROW) ? ` AS ${ROW}` : '';
    return `${header}\nSELECT * FROM ${schema.sql}${alias}\nWHERE ${item.condition}`;
  }
  if (item.kind === 'query') return `${header}\n${item.sql}`;
  return undefined;
}

function resultMeta(parsed: ParsedChecks, suiteName: string, table: string, runTime: Date, elapsedMs: number, statements: number): JsonObject {
  const iso = runTime.toISOString();
  const compact = `${iso.slice(0, 19).replace(/[-:]/g, '')}.${iso.slice(20, 23)}000Z`;
  const run_id = { run_name: null, run_time: iso.replace('Z', '+00:00') };
  const lakebook = { table, engine: 'DuckDB', elapsed_ms: Math.round(elapsedMs), statements };
  if (parsed.dialect === 'v0') {
    return { expectation_suite_name: suiteName, run_id, validation_time: compact, batch_kwargs: { table }, batch_markers: {}, batch_parameters: {}, lakebook };
  }
  return {
    expectation_suite_name: suiteName,
    run_id,
    validation_time: compact,
    active_batch_definition: { datasource_name: 'lakebook', data_connector_name: 'duckdb', data_asset_name: table, batch_identifiers: {} },
    batch_spec: { table_name: table },
    batch_markers: {},
    batch_parameters: {},
    lakebook,
  };
}

/** DuckDB's messages end with "(line 1, column 8)" of the generated SQL, which means nothing to the user. */
function stripPosition(message: string): string {
  return message.replace(/\s*\(line \d+, column \d+\)\s*$/, '');
}

export type { QueryEngine };

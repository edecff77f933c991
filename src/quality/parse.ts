/**
 * A check cell's text → expectation configs, each with the line it was written on. Accepted forms:
 * a YAML or JSON list of GE configs (`expectation_type`/`type` + `kwargs`), a whole GE expectation
 * suite (0.x or 1.x JSON), one config on its own, `- expectation_name: {kwargs}` items, and the
 * Python-call short form (see short-form.ts). docs/quality.md describes them for users.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import { checkKwargs, findSpec, unknownExpectationMessage, type ExpectationSpec } from './catalog';
import { checkError } from './errors';
import { isJsonObject, type JsonObject, type JsonValue } from './json';
import { looksLikeCalls, parseCalls, type RawCall } from './short-form';

/** Which GE generation the text was written for; the validation result is shaped to match. */
export type Dialect = 'v0' | 'v1';

export interface ExpectationConfig {
  spec: ExpectationSpec;
  /** kwargs as written, positional arguments given their names. */
  kwargs: JsonObject;
  meta: JsonObject;
  id: string | undefined;
  notes: JsonValue | undefined;
  description: string | undefined;
  /** 1-based line in the cell where the expectation starts. */
  line: number;
  /** Where each kwarg was written, for errors about one argument. */
  kwargLines: Record<string, number>;
}

export interface ParsedChecks {
  format: 'yaml' | 'json' | 'python';
  dialect: Dialect;
  suiteName: string | undefined;
  suiteMeta: JsonObject;
  expectations: ExpectationConfig[];
}

/** Keys of a GE ExpectationConfiguration (both generations) other than its name and kwargs. */
const CONFIG_KEYS = new Set(['meta', 'id', 'notes', 'description', 'ge_cloud_id', 'rendered_content', 'expectation_context', 'severity']);

export function parseChecks(source: string): ParsedChecks {
  if (source.trim() === '') {
    throw checkError(1, 'this check has no expectations yet. Write one per line, e.g. not_null(customer_id), or paste a GE suite.');
  }
  if (looksLikeCalls(source)) {
    const expectations = parseCalls(source).map(fromCall);
    return { format: 'python', dialect: 'v1', suiteName: undefined, suiteMeta: {}, expectations };
  }
  return parseYaml(source);
}

function fromCall(call: RawCall): ExpectationConfig {
  const spec = findSpec(call.name);
  if (!spec) throw checkError(call.line, unknownExpectationMessage(call.name), { column: call.column });
  if (call.positional.length > spec.args.length) {
    const extra = call.positional[spec.args.length]!;
    throw checkError(extra.line, `${spec.type} takes ${spec.args.length} positional argument${spec.args.length === 1 ? '' : 's'} (${spec.args.join(', ')}); name the others, e.g. mostly=0.95.`);
  }
  const kwargs: JsonObject = {};
  const kwargLines: Record<string, number> = {};
  call.positional.forEach((arg, index) => {
    const key = spec.args[index]!;
    kwargs[key] = arg.value;
    kwargLines[key] = arg.line;
  });
  const meta: JsonObject = {};
  for (const keyword of call.keywords) {
    if (keyword.key === 'meta') {
      if (!isJsonObject(keyword.value)) throw checkError(keyword.line, 'meta must be a dictionary.');
      Object.assign(meta, keyword.value);
      continue;
    }
    if (keyword.key in kwargs) throw checkError(keyword.line, `${keyword.key} is given twice (positionally and by name).`);
    kwargs[keyword.key] = keyword.value;
    kwargLines[keyword.key] = keyword.line;
  }
  checkKwargs(spec, kwargs, call.line, kwargLines);
  return { spec, kwargs, meta, id: undefined, notes: undefined, description: undefined, line: call.line, kwargLines };
}

function parseYaml(source: string): ParsedChecks {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const firstError = doc.errors[0];
  if (firstError) {
    const position = firstError.linePos?.[0];
    const message = firstError.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').replace(/\.?$/, '.');
    throw checkError(position?.line ?? 1, `this is not valid YAML or JSON (nor calls such as not_null(column)): ${message}`, { column: position?.col ?? 1, cause: firstError });
  }
  const lineOf = (node: Node | Pair | null | undefined, fallback: number): number => {
    const range = node && 'range' in node ? node.range : node && 'key' in node && isScalar(node.key) ? node.key.range : undefined;
    return range ? lines.linePos(range[0]).line : fallback;
  };
  const format = /^\s*[[{]/.test(source) ? 'json' : 'yaml';
  const root = doc.contents;
  let dialect: Dialect = 'v1';
  let suiteName: string | undefined;
  let suiteMeta: JsonObject = {};
  let items: Node[];

  if (isSeq(root)) {
    items = root.items as Node[];
  } else if (isMap(root) && root.has('expectations')) {
    const expectations = root.get('expectations', true);
    if (!isSeq(expectations)) throw checkError(lineOf(expectations as Node, 1), 'a suite\'s "expectations" must be a list.');
    items = expectations.items as Node[];
    const js = root.toJSON() as JsonObject;
    if ('expectation_suite_name' in js || 'evaluation_parameters' in js) dialect = 'v0';
    const name = js['name'] ?? js['expectation_suite_name'];
    suiteName = typeof name === 'string' ? name : undefined;
    suiteMeta = isJsonObject(js['meta']) ? js['meta'] : {};
  } else if (isMap(root)) {
    items = [root];
  } else {
    throw checkError(lineOf(root, 1), 'expected a list of expectations (YAML or JSON), a GE suite, or calls such as not_null(customer_id).');
  }

  const expectations: ExpectationConfig[] = [];
  for (const item of items) {
    const line = lineOf(item, 1);
    if (isScalar(item) && typeof item.value === 'string') {
      // `- not_null(email)`: a call inside a YAML list.
      for (const call of parseCalls(item.value, line)) expectations.push(fromCall(call));
      continue;
    }
    if (!isMap(item)) throw checkError(line, 'each expectation must be a mapping with expectation_type (or type) and kwargs.');
    const js = item.toJSON() as JsonObject;
    const keyLines: Record<string, number> = {};
    for (const pair of item.items) if (isScalar(pair.key)) keyLines[String(pair.key.value)] = lineOf(pair, line);
    const kwargsNode = item.get('kwargs', true);
    const kwargLines: Record<string, number> = {};
    if (isMap(kwargsNode)) for (const pair of kwargsNode.items) if (isScalar(pair.key)) kwargLines[String(pair.key.value)] = lineOf(pair, line);

    let name: JsonValue | undefined = js['type'] ?? js['expectation_type'];
    let kwargs: JsonValue | undefined = js['kwargs'];
    if ('expectation_type' in js) dialect = 'v0';
    if (name === undefined) {
      // `- expect_column_values_to_not_be_null: {column: email}`: the name is the only key.
      const keys = Object.keys(js).filter((k) => !CONFIG_KEYS.has(k));
      if (keys.length !== 1) throw checkError(line, 'this expectation has no expectation_type (or type).');
      name = keys[0]!;
      kwargs = js[name] ?? {};
      const inner = item.get(name, true);
      if (isMap(inner)) for (const pair of inner.items) if (isScalar(pair.key)) kwargLines[String(pair.key.value)] = lineOf(pair, line);
    } else if (kwargs === undefined) {
      // kwargs written beside the name instead of under kwargs:
      kwargs = Object.fromEntries(Object.entries(js).filter(([k]) => k !== 'type' && k !== 'expectation_type' && !CONFIG_KEYS.has(k)));
      Object.assign(kwargLines, keyLines);
    } else {
      const stray = Object.keys(js).find((k) => k !== 'type' && k !== 'expectation_type' && k !== 'kwargs' && !CONFIG_KEYS.has(k));
      if (stray) throw checkError(keyLines[stray] ?? line, `"${stray}" belongs under kwargs.`);
    }
    const nameLine = keyLines['type'] ?? keyLines['expectation_type'] ?? line;
    if (typeof name !== 'string') throw checkError(nameLine, 'expectation_type must be a name such as expect_column_values_to_not_be_null.');
    const spec = findSpec(name);
    if (!spec) throw checkError(nameLine, unknownExpectationMessage(name));
    if (kwargs === null) kwargs = {};
    if (!isJsonObject(kwargs)) throw checkError(keyLines['kwargs'] ?? line, 'kwargs must be a mapping of argument names to values.');
    for (const [key, value] of Object.entries(kwargs)) {
      if (isJsonObject(value) && '$PARAMETER' in value) {
        throw checkError(kwargLines[key] ?? line, `${key} uses a suite parameter ($PARAMETER), which lakebook does not evaluate; write the value itself.`);
      }
    }
    checkKwargs(spec, kwargs, line, kwargLines);
    const meta = js['meta'];
    const notes = js['notes'];
    const description = js['description'];
    expectations.push({
      spec,
      kwargs,
      meta: isJsonObject(meta) ? meta : {},
      id: typeof js['id'] === 'string' ? js['id'] : undefined,
      notes: notes ?? undefined,
      description: typeof description === 'string' ? description : undefined,
      line,
      kwargLines,
    });
  }
  if (expectations.length === 0) throw checkError(1, 'this check has no expectations yet.');
  return { format, dialect, suiteName, suiteMeta, expectations };
}

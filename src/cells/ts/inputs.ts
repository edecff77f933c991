import { tokenize, type Token } from './scan';

/**
 * What a ts cell reads, found without running it:
 *
 * - the keys of its default export's first parameter when that is an object pattern
 *   (`export default ({ orders_clean, 'raw events': events }) => …`, or a function declared
 *   elsewhere and exported by name: `function f({ orders }) {…}; export default f`);
 * - the names listed in its `inputs=` attribute (`inputs=orders,customers`), for what the pattern
 *   cannot show (`export default (t) => t.orders`);
 * - the tables read by its `sql` tagged templates, when their text is static enough to analyze.
 */
export interface DetectedInputs {
  /** Table names in the order written, without duplicates. */
  names: string[];
  /** The pattern has a `...rest` element: the cell may read more than it names. */
  rest: boolean;
}

export function detectInputs(source: string): DetectedInputs {
  const tokens = tokenize(source);
  const params = defaultExportParams(tokens);
  if (params === undefined) return { names: [], rest: false };
  return patternKeys(tokens, params);
}

/** `inputs=a,b c` → `['a', 'b', 'c']` (commas or spaces; empty entries ignored). */
export function parseInputsAttribute(value: string | undefined): string[] {
  if (value === undefined) return [];
  return unique(value.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean));
}

/** The cell's inputs: detected names first, then the attribute's, each once (case-insensitively, as DuckDB compares). */
export function cellInputs(source: string, inputsAttribute: string | undefined): string[] {
  return unique([...detectInputs(source).names, ...parseInputsAttribute(inputsAttribute)]);
}

/**
 * The SQL of each `sql\`…\`` template, with every `${…}` replaced by `NULL` so that the text still
 * parses (`WHERE id = ${id}` → `WHERE id = NULL`). Used only to find the tables a template reads.
 */
export function sqlTemplates(source: string): string[] {
  const tokens = tokenize(source);
  const out: string[] = [];
  for (let i = 1; i < tokens.length; i++) {
    const token = tokens[i]!;
    const tag = tokens[i - 1]!;
    if (token.type !== 'template' || tag.type !== 'ident' || tag.value !== 'sql') continue;
    // `x.sql\`…\`` is someone else's tag; `sql\`…\`` and `ctx.sql` are ours only when bare.
    if (tokens[i - 2]?.value === '.') continue;
    out.push((token.quasis ?? [token.value]).join('NULL'));
  }
  return out;
}

function unique(names: string[]): string[] {
  const seen = new Set<string>();
  return names.filter((name) => {
    const key = name.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Index of the `(` opening the default-exported function's parameter list, if it can be found. */
function defaultExportParams(tokens: Token[]): number | undefined {
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (!isWord(tokens[i], 'export') || !isWord(tokens[i + 1], 'default')) continue;
    const direct = functionParams(tokens, i + 2);
    if (direct !== undefined) return direct;
    // `export default name` → the function or arrow declared under that name.
    const name = tokens[i + 2];
    if (name?.type === 'ident' && !isExpressionContinuation(tokens[i + 3])) return declaredParams(tokens, name.value);
    return undefined;
  }
  return undefined;
}

/** At a function expression, declaration or arrow, the index of its parameter list's `(`. */
function functionParams(tokens: Token[], at: number): number | undefined {
  let i = at;
  // `export default ((…) => …)`: parentheses around the function.
  while (isPunct(tokens[i], '(') && (isPunct(tokens[i + 1], '(') || isWord(tokens[i + 1], 'async') || isWord(tokens[i + 1], 'function'))) i++;
  if (isWord(tokens[i], 'async') && !isPunct(tokens[i + 1], '=>')) i++;
  if (isWord(tokens[i], 'function')) {
    i++;
    if (isPunct(tokens[i], '*')) i++;
    if (tokens[i]?.type === 'ident') i++;
    i = skipTypeParameters(tokens, i);
    return isPunct(tokens[i], '(') ? i : undefined;
  }
  i = skipTypeParameters(tokens, i);
  if (!isPunct(tokens[i], '(')) return undefined;
  // An arrow's parameter list is followed (after an optional return type) by `=>`.
  const close = matching(tokens, i);
  if (close === undefined) return undefined;
  let j = close + 1;
  if (isPunct(tokens[j], ':')) {
    // A return type (`(…): Promise<{ a: number }[]> => …`): skip it, bracket groups whole.
    for (j++; j < tokens.length && !isPunct(tokens[j], '=>'); j++) {
      const t = tokens[j]!;
      if (t.type === 'punct' && ['(', '[', '{', '<'].includes(t.value)) {
        const skip = matching(tokens, j);
        if (skip === undefined) return undefined;
        j = skip;
      } else if (isPunct(t, ';') || isPunct(t, ')')) {
        return undefined;
      }
    }
  }
  return isPunct(tokens[j], '=>') ? i : undefined;
}

/** `function name(`, `const name = (…) =>` / `= function(` / `= async (`: the parameter list of that declaration. */
function declaredParams(tokens: Token[], name: string): number | undefined {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type !== 'ident' || t.value !== name || tokens[i - 1]?.value === '.') continue;
    if (isWord(tokens[i - 1], 'function') || (isPunct(tokens[i - 1], '*') && isWord(tokens[i - 2], 'function'))) {
      const open = skipTypeParameters(tokens, i + 1);
      if (isPunct(tokens[open], '(')) return open;
    }
    if (['const', 'let', 'var'].some((w) => isWord(tokens[i - 1], w))) {
      let j = i + 1;
      if (isPunct(tokens[j], ':')) {
        // A type annotation on the variable: skip to its `=`.
        while (j < tokens.length && !isPunct(tokens[j], '=')) j++;
      }
      if (isPunct(tokens[j], '=')) {
        const found = functionParams(tokens, j + 1);
        if (found !== undefined) return found;
      }
    }
  }
  return undefined;
}

function skipTypeParameters(tokens: Token[], i: number): number {
  if (!isPunct(tokens[i], '<')) return i;
  const close = matching(tokens, i);
  return close === undefined ? i : close + 1;
}

/** The keys of the object pattern that opens the parameter list at `open`. */
function patternKeys(tokens: Token[], open: number): DetectedInputs {
  const names: string[] = [];
  let rest = false;
  let i = open + 1;
  if (!isPunct(tokens[i], '{')) return { names, rest };
  const close = matching(tokens, i);
  if (close === undefined) return { names, rest };
  i++;
  while (i < close) {
    const t = tokens[i]!;
    if (isPunct(t, '...')) {
      rest = true;
    } else if (t.type === 'ident' || t.type === 'string' || t.type === 'number') {
      names.push(t.value);
    }
    // Skip the entry: up to the next comma at this depth (aliases, defaults and computed keys included).
    while (i < close && !isPunct(tokens[i], ',')) {
      const skip = ['(', '[', '{'].includes(tokens[i]!.value) && tokens[i]!.type === 'punct' ? matching(tokens, i) : undefined;
      i = (skip ?? i) + 1;
    }
    i++;
  }
  return { names: unique(names), rest };
}

/** Index of the bracket closing the one at `open` (`(`, `[`, `{`, or a type's `<`). */
function matching(tokens: Token[], open: number): number | undefined {
  const opener = tokens[open]!.value;
  const closer = ({ '(': ')', '[': ']', '{': '}', '<': '>' } as Record<string, string>)[opener];
  if (!closer) return undefined;
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type !== 'punct') continue;
    if (t.value === opener) depth++;
    else if (t.value === closer) {
      depth--;
      if (depth === 0) return i;
    } else if (opener === '<' && t.value === '>>') {
      depth -= 2;
      if (depth <= 0) return i;
    }
  }
  return undefined;
}

function isExpressionContinuation(token: Token | undefined): boolean {
  return token !== undefined && token.type === 'punct' && ['(', '.', '?.', '[', '`'].includes(token.value);
}

function isWord(token: Token | undefined, word: string): boolean {
  return token?.type === 'ident' && token.value === word;
}

function isPunct(token: Token | undefined, value: string): boolean {
  return token?.type === 'punct' && token.value === value;
}

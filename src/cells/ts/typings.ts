/**
 * TypeScript declarations that let the editor check a ts cell before it runs (docs/ts-cells.md,
 * "In the editor"): the cell API (`sql`, `console`, `LakebookTable`, what a cell may return) and one
 * `Tables` interface listing the notebook's tables with their columns typed as rows deliver them.
 * There is deliberately no DOM and no `fetch`: a cell that uses them is marked before it runs.
 */

export interface TableSchema {
  name: string;
  kind?: 'table' | 'view';
  rowCount?: number | null;
  columns: readonly { name: string; type: string }[];
}

/** The type a cell's default export is checked against (the editor adds `satisfies LakebookCell`). */
export const CELL_TYPE_NAME = 'LakebookCell';

export const CELL_API_DECLARATIONS = `// The API of lakebook ts cells (docs/ts-cells.md). No DOM, no network.
type LakebookValue = string | number | bigint | boolean | Date | Uint8Array | null | LakebookValue[] | { [key: string]: LakebookValue };

/** The Arrow table behind a LakebookTable (apache-arrow's Table): exact values, columnar access. */
interface ArrowTable {
  readonly numRows: number;
  readonly numCols: number;
  readonly schema: { readonly fields: readonly { readonly name: string; readonly type: unknown }[] };
  getChild(name: string): { get(index: number): unknown; toArray(): ArrayLike<unknown>; readonly length: number } | null;
  toArray(): unknown[];
}
interface ArrowRecordBatch {
  readonly numRows: number;
  readonly schema: ArrowTable['schema'];
}

/** A lazy sequence of rows: map/filter run as the rows are read, a batch at a time. */
interface Rows<T> extends Iterable<T> {
  map<U>(fn: (row: T, index: number) => U): Rows<U>;
  filter(fn: (row: T, index: number) => unknown): Rows<T>;
  flatMap<U>(fn: (row: T, index: number) => Iterable<U>): Rows<U>;
  /** The first n rows. */
  take(n: number): Rows<T>;
  forEach(fn: (row: T, index: number) => void): void;
  reduce<U>(fn: (acc: U, row: T, index: number) => U, initial: U): U;
  /** Every row in memory at once (a million rows are a million objects). */
  toArray(): T[];
}

/** A table a cell receives (an input, or the answer to sql\`…\`). Iterating yields one plain object per row. */
interface LakebookTable<Row = Record<string, any>> extends Rows<Row> {
  readonly name: string;
  readonly numRows: number;
  /** Column names and DuckDB types. */
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  /** The Arrow table itself. */
  readonly arrow: ArrowTable;
  batches(): { readonly numRows: number; readonly arrow: ArrowRecordBatch; rows(): Rows<Row> }[];
  /** One column's values. */
  column<K extends keyof Row & string>(name: K): Row[K][];
}

interface SqlIdentifier { readonly name: string }
interface SqlTag {
  /** Runs a query on the notebook's engine; \${values} become SQL literals (never SQL text). */
  (strings: TemplateStringsArray, ...values: unknown[]): Promise<LakebookTable>;
  (query: string): Promise<LakebookTable>;
  /** A table or column name to put in a query: sql\`SELECT * FROM \${sql.ident(name)}\`. */
  ident(name: string): SqlIdentifier;
}
/** Queries the notebook's tables: const top = await sql\`SELECT * FROM orders WHERE amount > \${min}\`. */
declare const sql: SqlTag;

/** Output shown under the cell. */
declare const console: {
  log(...values: unknown[]): void;
  info(...values: unknown[]): void;
  debug(...values: unknown[]): void;
  warn(...values: unknown[]): void;
  error(...values: unknown[]): void;
  trace(...values: unknown[]): void;
  dir(value: unknown): void;
  table(data: unknown, columns?: string[]): void;
  assert(condition: unknown, ...values: unknown[]): void;
  count(label?: string): void;
  time(label?: string): void;
  timeEnd(label?: string): void;
  timeLog(label?: string): void;
};

declare function setTimeout(handler: (...args: any[]) => void, ms?: number, ...args: any[]): number;
declare function clearTimeout(id: number | undefined): void;
declare function setInterval(handler: (...args: any[]) => void, ms?: number, ...args: any[]): number;
declare function clearInterval(id: number | undefined): void;
declare function queueMicrotask(callback: () => void): void;
declare function structuredClone<T>(value: T): T;
declare function atob(data: string): string;
declare function btoa(data: string): string;
declare const performance: { now(): number };
declare const crypto: { randomUUID(): string; getRandomValues<T extends ArrayBufferView>(array: T): T };
declare class TextEncoder { encode(input?: string): Uint8Array }
declare class TextDecoder { constructor(label?: string); decode(input?: ArrayBufferView | ArrayBuffer): string }
declare class URL { constructor(url: string, base?: string); readonly href: string; readonly hostname: string; readonly pathname: string; readonly search: string; readonly searchParams: URLSearchParams; toString(): string }
declare class URLSearchParams { constructor(init?: string | Record<string, string>); get(name: string): string | null; getAll(name: string): string[]; has(name: string): boolean; toString(): string }

/** What a cell may return: rows, an Arrow table, or (async) iterables of rows or batches. */
type LakebookOutput = object[] | Rows<object> | ArrowTable | ArrowRecordBatch | Iterable<object> | AsyncIterable<object> | void;
/** A cell's default export: a function of its input tables (or the output itself). */
type ${CELL_TYPE_NAME} = ((tables: Tables, context: { sql: SqlTag }) => LakebookOutput | Promise<LakebookOutput>) | LakebookOutput;

declare module 'apache-arrow';
`;

/** `interface Tables { … }`: every table and view of the notebook, rows typed from their columns. */
export function tablesDeclaration(tables: readonly TableSchema[]): string {
  const members = tables.map((table) => {
    const rows = table.rowCount === null || table.rowCount === undefined ? '' : `, ${table.rowCount.toLocaleString('en-US')} rows`;
    const row = table.columns.length === 0 ? 'Record<string, any>' : `{ ${table.columns.map((c) => `${propertyName(c.name)}: ${tsTypeOf(c.type)}`).join('; ')} }`;
    return `  /** ${escapeComment(table.name)} (${table.kind ?? 'table'}${rows}): ${escapeComment(table.columns.map((c) => `${c.name} ${c.type}`).join(', '))} */\n  ${propertyName(table.name)}: LakebookTable<${row}>;`;
  });
  // The index signature: a table a cell defines but has not made yet must not read as an error.
  return `/** The notebook's tables, as a ts cell receives them: export default ({ orders }) => … */\ninterface Tables {\n  [table: string]: LakebookTable;\n${members.join('\n')}\n}\n`;
}

/** The parts of the TypeScript compiler API `contextualizeCell` uses (Monaco's worker has them all). */
export interface TypeScriptApi {
  createSourceFile(fileName: string, text: string, target: number, setParentNodes?: boolean, kind?: number): TsSourceFile;
  createScanner(target: number, skipTrivia: boolean, variant?: number, text?: string): { scan(): number; getTokenPos?(): number; getTokenStart?(): number };
  SyntaxKind: { ExportAssignment: number; FunctionDeclaration: number; DefaultKeyword: number; ExportKeyword: number; EndOfFileToken: number; SemicolonToken: number };
  ScriptTarget: { Latest: number };
  ScriptKind: { TS: number };
}
interface TsNode {
  kind: number;
  pos: number;
  end: number;
  getStart(file?: TsSourceFile): number;
}
interface TsSourceFile extends TsNode {
  statements: readonly (TsNode & { expression?: TsNode; isExportEquals?: boolean; modifiers?: readonly TsNode[]; name?: TsNode & { text: string } })[];
  text: string;
}

/**
 * What the editor's TypeScript sees of a cell: the same text, with the default export wrapped as
 * `export default(<expr>) satisfies LakebookCell`. That gives the function's parameters their types
 * (`({ orders }) =>` knows `orders` and its columns) and checks what it returns, without the user
 * writing any annotation. Positions do not move: the space after `default` becomes the `(`, and the
 * rest goes after the expression, where only semicolons, spaces and comments may follow (otherwise
 * the text is left alone).
 */
export function contextualizeCell(text: string, ts: TypeScriptApi): string {
  const file = ts.createSourceFile('cell.ts', text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  for (const statement of file.statements) {
    let after: number | undefined;
    let end: number | undefined;
    if (statement.kind === ts.SyntaxKind.ExportAssignment && !statement.isExportEquals && statement.expression) {
      const start = statement.expression.getStart(file);
      after = start - 1;
      end = statement.expression.end;
    } else if (statement.kind === ts.SyntaxKind.FunctionDeclaration && statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) {
      // A named default function that is referred to elsewhere must stay a declaration.
      const name = statement.name?.text;
      if (name && (text.match(new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\b`, 'g')) ?? []).length > 1) return text;
      const defaultKeyword = statement.modifiers.find((m) => m.kind === ts.SyntaxKind.DefaultKeyword)!;
      after = defaultKeyword.end;
      end = statement.end;
    } else {
      continue;
    }
    if (!/\s/.test(text[after] ?? '') || !onlyTrivia(text.slice(end), ts)) return text;
    return `${text.slice(0, after)}(${text.slice(after + 1, end)}) satisfies ${CELL_TYPE_NAME}${text.slice(end)}`;
  }
  return text;
}

function onlyTrivia(rest: string, ts: TypeScriptApi): boolean {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, 0, rest);
  for (;;) {
    const token = scanner.scan();
    if (token === ts.SyntaxKind.EndOfFileToken) return true;
    if (token !== ts.SyntaxKind.SemicolonToken) return false;
  }
}

function escapeComment(text: string): string {
  return text.replace(/\*\//g, '* /');
}

function propertyName(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}

/**
 * The TypeScript type of a DuckDB column's values in a row (values.ts says how they are converted).
 * BIGINT is `number`: beyond ±2^53 a value arrives as a bigint instead of being rounded.
 */
export function tsTypeOf(duckdbType: string): string {
  const parser = new TypeParser(duckdbType);
  try {
    const type = parser.parse();
    return parser.atEnd() ? type : 'unknown';
  } catch {
    return 'unknown';
  }
}

const SCALARS: [RegExp, string][] = [
  [/^(TINYINT|SMALLINT|INTEGER|INT|INT1|INT2|INT4|INT8|BIGINT|LONG|SHORT|HUGEINT|UHUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|FLOAT4|FLOAT8|REAL|DOUBLE|DECIMAL|NUMERIC|VARINT)$/, 'number'],
  [/^(VARCHAR|TEXT|STRING|CHAR|BPCHAR|UUID|JSON|TIME|TIMETZ|ENUM)$/, 'string'],
  [/^(BOOLEAN|BOOL|LOGICAL)$/, 'boolean'],
  [/^(DATE|DATETIME|TIMESTAMP|TIMESTAMPTZ|TIMESTAMP_S|TIMESTAMP_MS|TIMESTAMP_NS|TIMESTAMP_US)$/, 'Date'],
  [/^(BLOB|BYTEA|BINARY|VARBINARY)$/, 'Uint8Array'],
  [/^INTERVAL$/, '{ months: number; days: number; nanoseconds: number }'],
  [/^NULL$/, 'null'],
];

class TypeParser {
  private i = 0;
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    this.space();
    return this.i >= this.text.length;
  }

  parse(): string {
    this.space();
    let type: string;
    const word = this.word().toUpperCase();
    if (word === 'STRUCT' && this.peek('(')) {
      this.expect('(');
      const fields: string[] = [];
      while (!this.peek(')')) {
        const name = this.name();
        fields.push(`${propertyName(name)}: ${this.parse()}`);
        if (!this.peek(')')) this.expect(',');
      }
      this.expect(')');
      type = `{ ${fields.join('; ')} }`;
    } else if (word === 'MAP' && this.peek('(')) {
      this.expect('(');
      this.parse();
      this.expect(',');
      const value = this.parse();
      this.expect(')');
      type = `Record<string, ${value}>`;
    } else if (word === 'UNION' && this.peek('(')) {
      this.skipGroup();
      type = 'unknown';
    } else {
      // `TIMESTAMP WITH TIME ZONE`, `DOUBLE PRECISION`, `DECIMAL(18,2)`, `ENUM('a', 'b')`.
      let full = word;
      if (word === 'TIMESTAMP' && /^\s+WITH\s+TIME\s+ZONE/i.test(this.text.slice(this.i))) {
        this.i += /^\s+WITH\s+TIME\s+ZONE/i.exec(this.text.slice(this.i))![0].length;
        full = 'TIMESTAMPTZ';
      } else if (word === 'DOUBLE' && /^\s+PRECISION/i.test(this.text.slice(this.i))) {
        this.i += /^\s+PRECISION/i.exec(this.text.slice(this.i))![0].length;
      }
      if (this.peek('(')) this.skipGroup();
      type = SCALARS.find(([re]) => re.test(full))?.[1] ?? 'unknown';
    }
    // LIST (`T[]`) and ARRAY (`T[3]`) suffixes, possibly nested.
    for (;;) {
      this.space();
      const match = /^\[\s*\d*\s*\]/.exec(this.text.slice(this.i));
      if (!match) break;
      this.i += match[0].length;
      type = /^[A-Za-z]+$/.test(type) ? `${type}[]` : `Array<${type}>`;
    }
    return type;
  }

  private space(): void {
    while (/\s/.test(this.text[this.i] ?? '')) this.i++;
  }

  private peek(c: string): boolean {
    this.space();
    return this.text[this.i] === c;
  }

  private expect(c: string): void {
    if (!this.peek(c)) throw new Error(`expected ${c}`);
    this.i++;
  }

  private word(): string {
    this.space();
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.i));
    if (!match) throw new Error('expected a type name');
    this.i += match[0].length;
    return match[0];
  }

  /** A struct field name: bare or double-quoted (`""` inside). */
  private name(): string {
    this.space();
    if (this.text[this.i] !== '"') return this.word();
    let out = '';
    this.i++;
    while (this.i < this.text.length) {
      const c = this.text[this.i]!;
      if (c === '"') {
        if (this.text[this.i + 1] === '"') {
          out += '"';
          this.i += 2;
          continue;
        }
        this.i++;
        return out;
      }
      out += c;
      this.i++;
    }
    throw new Error('unterminated name');
  }

  /** Skips a parenthesized group (type arguments), quotes included. */
  private skipGroup(): void {
    this.expect('(');
    let depth = 1;
    while (this.i < this.text.length && depth > 0) {
      const c = this.text[this.i]!;
      if (c === "'" || c === '"') {
        const close = this.text.indexOf(c, this.i + 1);
        this.i = close < 0 ? this.text.length : close + 1;
        continue;
      }
      if (c === '(') depth++;
      if (c === ')') depth--;
      this.i++;
    }
  }
}

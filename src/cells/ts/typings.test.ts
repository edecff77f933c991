import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { CELL_API_DECLARATIONS, contextualizeCell, tablesDeclaration, tsTypeOf, type TypeScriptApi } from './typings';

const api = ts as unknown as TypeScriptApi;

const TABLES = tablesDeclaration([
  { name: 'orders', kind: 'table', rowCount: 3, columns: [{ name: 'id', type: 'BIGINT' }, { name: 'amount', type: 'DECIMAL(10,2)' }, { name: 'customer', type: 'VARCHAR' }] },
  { name: 'raw events', kind: 'view', rowCount: null, columns: [{ name: 'at', type: 'TIMESTAMP WITH TIME ZONE' }, { name: 'tags', type: 'VARCHAR[]' }] },
]);

/** TypeScript's own lib files, parsed once for every program below. */
const libFiles = new Map<string, ts.SourceFile | undefined>();

/** The diagnostics the editor shows for a cell, as "line:column message", with the editor's settings. */
function diagnostics(cell: string): string[] {
  const files: Record<string, string> = {
    'cell.ts': contextualizeCell(cell, api),
    'lakebook-cell-api.d.ts': CELL_API_DECLARATIONS,
    'lakebook-tables.d.ts': TABLES,
  };
  const options: ts.CompilerOptions = { target: ts.ScriptTarget.ESNext, module: ts.ModuleKind.ESNext, lib: ['lib.esnext.d.ts'], strict: false, noEmit: true, types: [] };
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version) => {
    if (name in files) return ts.createSourceFile(name, files[name]!, version);
    if (!libFiles.has(name)) libFiles.set(name, read(name, version));
    return libFiles.get(name);
  };
  host.fileExists = (name) => name in files || ts.sys.fileExists(name);
  const program = ts.createProgram(Object.keys(files), options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    return `${d.file?.fileName ?? '-'}:${where ? `${where.line + 1}:${where.character + 1}` : ''} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}

describe('the editor’s view of a ts cell', () => {
  it('checks a correct cell without errors, parameters typed from the tables', () => {
    expect(diagnostics('export default ({ orders }) => orders.map((r) => ({ id: r.id, big: r.amount > 100, who: r.customer.toUpperCase() }))')).toEqual([]);
    expect(diagnostics('export default async function ({ orders }) {\n  const top = await sql`SELECT 1`;\n  console.log(top.numRows);\n  return orders.toArray();\n}')).toEqual([]);
    expect(diagnostics("export default ({ 'raw events': events }) => events.filter((e) => e.at.getTime() > 0 && e.tags.includes('x'))")).toEqual([]);
  });

  it('marks a column used as the wrong type, at its place in the cell', () => {
    const source = 'export default ({ orders }) =>\n  orders.map((r) => ({ id: r.amount.toUpperCase() }))';
    expect(diagnostics(source)).toEqual(["cell.ts:2:37 Property 'toUpperCase' does not exist on type 'number'."]);
  });

  it('marks fetch and the DOM as unknown', () => {
    expect(diagnostics("export default async () => { await fetch('https://example.com'); return [] }")).toEqual(["cell.ts:1:36 Cannot find name 'fetch'."]);
    expect(diagnostics('export default () => { document.title = "x"; return [] }')[0]).toMatch(/Cannot find name 'document'/);
  });

  it('marks a return value that is not a table', () => {
    expect(diagnostics('export default () => 42').join('\n')).toMatch(/does not satisfy the expected type 'LakebookCell'/);
  });

  it('leaves the text alone when the default export is not last, and keeps every position', () => {
    const notLast = 'export default ({ orders }) => orders;\nconst x = 1;';
    expect(contextualizeCell(notLast, api)).toBe(notLast);
    const cell = 'export default ({ orders }) => orders; // done';
    const rewritten = contextualizeCell(cell, api);
    expect(rewritten).toBe('export default(({ orders }) => orders) satisfies LakebookCell; // done');
    expect(rewritten.indexOf('orders')).toBe(cell.indexOf('orders'));
    const fn = 'export default async function ({ orders }) { return orders }';
    expect(contextualizeCell(fn, api)).toBe('export default(async function ({ orders }) { return orders }) satisfies LakebookCell');
  });
});

describe('tsTypeOf', () => {
  it.each([
    ['INTEGER', 'number'],
    ['BIGINT', 'number'],
    ['DECIMAL(18,2)', 'number'],
    ['DOUBLE PRECISION', 'number'],
    ['VARCHAR', 'string'],
    ["ENUM('a', 'b')", 'string'],
    ['BOOLEAN', 'boolean'],
    ['DATE', 'Date'],
    ['TIMESTAMP WITH TIME ZONE', 'Date'],
    ['BLOB', 'Uint8Array'],
    ['INTEGER[]', 'number[]'],
    ['VARCHAR[3]', 'string[]'],
    ['STRUCT(a INTEGER, "b c" VARCHAR[])', '{ a: number; "b c": string[] }'],
    ['STRUCT(x DOUBLE)[]', 'Array<{ x: number }>'],
    ['MAP(VARCHAR, INTEGER)', 'Record<string, number>'],
    ['INTERVAL', '{ months: number; days: number; nanoseconds: number }'],
    ['UNION(a INTEGER, b VARCHAR)', 'unknown'],
    ['GEOMETRY', 'unknown'],
  ])('%s → %s', (duckdb, typescript) => {
    expect(tsTypeOf(duckdb)).toBe(typescript);
  });
});

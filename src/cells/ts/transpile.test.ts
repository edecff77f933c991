import { describe, expect, it } from 'vitest';
import { LakebookError } from '../../engine/errors';
import { positionAt, transpileCell } from './transpile';

describe('transpileCell', () => {
  it('strips types, keeps lines, and maps columns back to the cell', async () => {
    const source = [
      'interface Row { id: number }',
      'export default async ({ orders }: { orders: Iterable<Row> }): Promise<Row[]> => {',
      '  const out: Row[] = [];',
      '  const n: number = 1; throw new Error("x");',
      '};',
    ].join('\n');
    const cell = await transpileCell(source);
    expect(cell.code.split('\n')).toHaveLength(5);
    expect(cell.code).not.toMatch(/interface|: Row/);
    const jsLine = cell.code.split('\n')[3]!;
    const throwAt = { line: 4, column: jsLine.indexOf('throw') + 1 };
    // `const n: number = 1; ` loses `: number` in JS; the cell's column is the one the user sees.
    expect(cell.toSource(throwAt)).toEqual({ line: 4, column: source.split('\n')[3]!.indexOf('throw') + 1 });
  });

  it('turns every import into a require call, unused ones included', async () => {
    const cell = await transpileCell("import { x } from 'https://example.com/x.js';\nimport 'side-effect';\nexport default async () => import('https://evil.example/y.js');");
    expect(cell.code).toContain("require('https://example.com/x.js')");
    expect(cell.code).toContain("require('side-effect')");
    expect(cell.code).toContain("require('https://evil.example/y.js')");
    expect(cell.code).not.toMatch(/\bimport\s*\(/);
  });

  it('reports a syntax error with the cell’s line and column', async () => {
    const error = await transpileCell('const ok = 1;\nconst x = ;').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LakebookError);
    expect((error as LakebookError).code).toBe('syntax');
    expect((error as LakebookError).userMessage).toBe('TypeScript syntax error: Unexpected token (line 2, column 11)');
    expect((error as LakebookError).position).toEqual({ line: 2, column: 11 });
  });
});

describe('positionAt', () => {
  it('counts LF, CRLF and CR line breaks', () => {
    expect(positionAt('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
    expect(positionAt('ab\r\ncd', 5)).toEqual({ line: 2, column: 2 });
    expect(positionAt('ab\rcd', 3)).toEqual({ line: 2, column: 1 });
  });
});

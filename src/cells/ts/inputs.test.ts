import { describe, expect, it } from 'vitest';
import { cellInputs, detectInputs, parseInputsAttribute, sqlTemplates } from './inputs';

describe('detectInputs', () => {
  const names = (source: string) => detectInputs(source).names;

  it('reads the keys of an arrow function’s destructured parameter', () => {
    expect(names('export default ({ orders_clean }) => orders_clean.map((r) => r)')).toEqual(['orders_clean']);
    expect(names('export default async ({ a, b }) => { return a }')).toEqual(['a', 'b']);
  });

  it('handles aliases, defaults, quoted and nested patterns, and type annotations', () => {
    const source = `export default ({ orders: o, 'raw events': ev = null, customers: { numRows }, items }: Tables): Promise<{ a: number }[]> => []`;
    expect(names(source)).toEqual(['orders', 'raw events', 'customers', 'items']);
  });

  it('reads function expressions and declarations, generators and type parameters', () => {
    expect(names('export default function ({ a }) { return a }')).toEqual(['a']);
    expect(names('export default async function transform<T>({ a, b }: T) { return a }')).toEqual(['a', 'b']);
    expect(names('export default async function* ({ events }) { yield* events }')).toEqual(['events']);
    expect(names('export default (({ a }) => a)')).toEqual(['a']);
  });

  it('follows a default export by name to its declaration', () => {
    expect(names('function enrich({ orders }) { return orders }\nexport default enrich;')).toEqual(['orders']);
    expect(names('const enrich: Cell = async ({ orders, customers }) => orders;\nexport default enrich')).toEqual(['orders', 'customers']);
  });

  it('ignores look-alikes in comments, strings, templates and regexes', () => {
    const source = [
      '// export default ({ fake }) => fake',
      "const s = 'export default ({ nope }) => 1';",
      'const t = `export default ({ neither }) => ${1}`;',
      'const r = /export default \\(\\{ re \\}\\)/;',
      'export default ({ real }) => real',
    ].join('\n');
    expect(names(source)).toEqual(['real']);
  });

  it('finds nothing when the parameter is not a pattern, and flags a rest element', () => {
    expect(names('export default (tables) => tables.orders')).toEqual([]);
    expect(names('export default [{ a: 1 }]')).toEqual([]);
    expect(names('const x = 1')).toEqual([]);
    expect(detectInputs('export default ({ a, ...others }) => a')).toEqual({ names: ['a'], rest: true });
  });

  it('returns each name once, case-insensitively', () => {
    expect(names('export default ({ a, A: x }) => a')).toEqual(['a']);
  });
});

describe('inputs attribute and the union', () => {
  it('splits on commas and spaces', () => {
    expect(parseInputsAttribute('orders, customers  items')).toEqual(['orders', 'customers', 'items']);
    expect(parseInputsAttribute(undefined)).toEqual([]);
    expect(parseInputsAttribute('')).toEqual([]);
  });

  it('adds the attribute’s names after the detected ones', () => {
    expect(cellInputs('export default ({ orders }) => orders', 'customers,orders')).toEqual(['orders', 'customers']);
    expect(cellInputs('export default (t) => t.orders', 'orders')).toEqual(['orders']);
  });
});

describe('sqlTemplates', () => {
  it('returns the text of bare sql templates, expressions replaced by NULL', () => {
    const source = 'const a = await sql`SELECT * FROM orders WHERE id = ${id} AND x = ${`${y}`}`;\nconst b = other.sql`FROM nope`;\nconst c = sql `FROM customers`;';
    expect(sqlTemplates(source)).toEqual(['SELECT * FROM orders WHERE id = NULL AND x = NULL', 'FROM customers']);
  });
});

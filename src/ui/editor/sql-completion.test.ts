import { describe, expect, it } from 'vitest';
import type { Catalog } from './catalog';
import { completeSql, quoteIdentifier, type SqlCompletions } from './sql-completion';
import { tokenizeSql } from './sql-lexer';

const catalog: Catalog = {
  tables: [
    {
      name: 'orders',
      columns: [
        { name: 'id', type: 'BIGINT' },
        { name: 'customer', type: 'VARCHAR' },
        { name: 'amount', type: 'DECIMAL(10,2)' },
      ],
    },
    {
      name: 'customers',
      columns: [
        { name: 'id', type: 'BIGINT' },
        { name: 'name', type: 'VARCHAR' },
        { name: 'country', type: 'VARCHAR' },
      ],
    },
    { name: 'Line Items', columns: [{ name: 'sku', type: 'VARCHAR' }, { name: 'qty', type: 'INTEGER' }] },
    { name: 'select', columns: [{ name: 'x', type: 'INTEGER' }] },
  ],
};

/** Completes at the `|` in `text`. */
function complete(text: string, cat: Catalog = catalog): SqlCompletions {
  const offset = text.indexOf('|');
  if (offset === -1) throw new Error('mark the cursor with |');
  return completeSql(text.slice(0, offset) + text.slice(offset + 1), offset, cat);
}

const labels = (text: string, kind?: string) =>
  complete(text)
    .items.filter((i) => kind === undefined || i.kind === kind)
    .map((i) => i.label);

describe('completeSql', () => {
  it('offers tables after FROM, filtered by what was typed', () => {
    const result = complete('SELECT * FROM ord|');
    expect(result.items.map((i) => i.label)).toEqual(['orders']);
    expect(result.items[0]).toMatchObject({ kind: 'table', insertText: 'orders' });
    expect(result.from).toBe('SELECT * FROM '.length);
    expect(result.to).toBe('SELECT * FROM ord'.length);
  });

  it('matches the prefix case-insensitively', () => {
    expect(labels('select * from ORD|')).toEqual(['orders']);
    expect(labels('SELECT * FROM cust|')).toEqual(['customers']);
  });

  it('offers every table (and table functions) right after FROM and JOIN', () => {
    expect(labels('SELECT * FROM |', 'table')).toEqual(['customers', 'Line Items', 'orders', 'select']);
    expect(labels('SELECT * FROM |', 'function')).toContain('read_csv');
    expect(labels('SELECT * FROM |', 'keyword')).toEqual([]);
    expect(labels('SELECT * FROM orders o LEFT JOIN c|', 'table')).toEqual(['customers']);
    expect(labels('SELECT * FROM orders, c|', 'table')).toEqual(['customers']);
    expect(labels('INSERT INTO o|', 'table')).toEqual(['orders']);
  });

  it('offers the columns of the aliased table after `alias.`, even when FROM comes later', () => {
    const result = complete('SELECT o.| FROM orders o');
    expect(result.items.map((i) => i.label)).toEqual(['id', 'customer', 'amount']);
    expect(result.items.every((i) => i.kind === 'column')).toBe(true);
    expect(result.items[2]).toMatchObject({ detail: 'DECIMAL(10,2)', insertText: 'amount' });
  });

  it('resolves JOIN … AS aliases', () => {
    expect(labels('SELECT * FROM orders o JOIN customers AS c ON c.|')).toEqual(['id', 'name', 'country']);
    expect(labels('SELECT * FROM orders o JOIN customers AS c ON c.co|')).toEqual(['country']);
    expect(labels('SELECT * FROM orders o JOIN customers AS c ON c.id = o.cu|')).toEqual(['customer']);
  });

  it('takes a table name as its own qualifier', () => {
    expect(labels('SELECT orders.| FROM orders')).toEqual(['id', 'customer', 'amount']);
    expect(labels('SELECT customers.n|')).toEqual(['name']);
    expect(labels('SELECT main.orders.am| FROM main.orders')).toEqual(['amount']);
  });

  it('handles quoted table names and quoted aliases', () => {
    expect(labels('SELECT l.| FROM "Line Items" l')).toEqual(['sku', 'qty']);
    expect(labels('SELECT "x y".q| FROM "Line Items" AS "x y"')).toEqual(['qty']);
    expect(labels('SELECT "Line Items".| FROM "Line Items"')).toEqual(['sku', 'qty']);
    expect(labels('SELECT "line items".s| FROM "Line Items"')).toEqual(['sku']);
  });

  it('quotes names that need it, and completes inside an opened quote', () => {
    const fromList = complete('SELECT * FROM |').items;
    expect(fromList.find((i) => i.label === 'Line Items')?.insertText).toBe('"Line Items"');
    expect(fromList.find((i) => i.label === 'select')?.insertText).toBe('"select"');

    const open = complete('SELECT * FROM "Lin|');
    expect(open.items.map((i) => i.label)).toEqual(['Line Items']);
    expect(open.items[0]?.insertText).toBe('"Line Items"');
    expect(open.from).toBe('SELECT * FROM '.length);

    // Monaco closes the quote as it is typed: the whole `"ord"` is replaced.
    const closed = complete('SELECT * FROM "ord|"');
    expect(closed.items.map((i) => i.insertText)).toEqual(['"orders"']);
    expect(closed.replaceTo).toBe('SELECT * FROM "ord"'.length);
  });

  it('resolves a data file path to the table named after its stem', () => {
    expect(labels("SELECT x.| FROM 'data/orders.csv' x")).toEqual(['id', 'customer', 'amount']);
  });

  it('offers columns of the referenced tables, functions and keywords elsewhere', () => {
    const items = complete('SELECT | FROM orders o JOIN customers c ON o.customer = c.id').items;
    const columns = items.filter((i) => i.kind === 'column').map((i) => i.label);
    expect(columns).toEqual(['id', 'customer', 'amount', 'name', 'country']);
    expect(items.find((i) => i.label === 'sum')).toMatchObject({ kind: 'function', insertText: 'sum($0)', snippet: true });
    expect(items.find((i) => i.label === 'sum')?.detail).toMatch(/^sum\(x\)/);
    expect(items.some((i) => i.kind === 'keyword' && i.label === 'GROUP BY')).toBe(true);
    // Columns come first.
    expect(items[0]?.kind).toBe('column');
  });

  it('filters everything by the prefix', () => {
    expect(labels('SELECT am| FROM orders')).toEqual(['amount', 'approx_count_distinct', 'arg_max', 'arg_min', 'array_agg', 'avg'].filter((l) => l.startsWith('am')));
    expect(labels('SELECT c| FROM orders', 'column')).toEqual(['customer']);
    expect(labels('SELECT string_a| FROM orders')).toEqual(['string_agg']);
    expect(labels('SELECT * FROM orders WHER|')).toEqual(['WHERE']);
    expect(labels('SELECT * FROM orders GRO|')).toEqual(['GROUP BY']);
  });

  it('writes keywords in lower case when the user does', () => {
    expect(complete('select * from orders wher|').items.map((i) => i.insertText)).toEqual(['where']);
    expect(complete('select * from orders WHER|').items.map((i) => i.insertText)).toEqual(['WHERE']);
  });

  it('uses only the statement that holds the cursor', () => {
    expect(labels('SELECT * FROM customers c; SELECT c.| FROM orders c')).toEqual(['id', 'customer', 'amount']);
    expect(labels('SELECT c.| FROM orders c; SELECT * FROM customers c')).toEqual(['id', 'customer', 'amount']);
  });

  it('does not take clause words for aliases', () => {
    expect(labels('SELECT where.| FROM orders WHERE true')).toEqual([]);
    expect(labels('SELECT o.| FROM orders o WHERE o.id > 1 GROUP BY 1')).toEqual(['id', 'customer', 'amount']);
  });

  it('offers columns of every table while the statement names none yet', () => {
    expect(labels('SELECT cou|', 'column')).toEqual(['country']);
  });

  it('offers nothing for an unknown qualifier', () => {
    expect(complete('SELECT x.| FROM orders o').items).toEqual([]);
  });

  it('offers nothing inside a string literal or a comment', () => {
    expect(complete("SELECT * FROM orders WHERE customer = 'ord|'").items).toEqual([]);
    expect(complete("SELECT * FROM orders WHERE customer = 'ord|").items).toEqual([]);
    expect(complete("SELECT 'it''s o.|' FROM orders o").items).toEqual([]);
    expect(complete('SELECT * FROM orders -- ord|').items).toEqual([]);
    expect(complete('SELECT * FROM orders -- comment\nWHER|').items.map((i) => i.label)).toEqual(['WHERE']);
    expect(complete('SELECT * /* FROM ord| */ FROM orders').items).toEqual([]);
    expect(complete('SELECT * /* unclosed ord|').items).toEqual([]);
    expect(complete('SELECT $$ ord| $$').items).toEqual([]);
  });

  it('offers completions right after a closed string', () => {
    expect(complete("SELECT 'a' |").items.length).toBeGreaterThan(0);
  });

  it('offers nothing while a number is typed', () => {
    expect(complete('SELECT 12|').items).toEqual([]);
  });

  it('reports the rest of the word for replace mode', () => {
    const result = complete('SELECT * FROM ord|ers');
    expect(result.items.map((i) => i.label)).toEqual(['orders']);
    expect(result.replaceTo).toBe('SELECT * FROM orders'.length);
  });
});

describe('quoteIdentifier', () => {
  it('leaves plain names bare and quotes the rest', () => {
    expect(quoteIdentifier('orders')).toBe('orders');
    expect(quoteIdentifier('Orders_2024')).toBe('Orders_2024');
    expect(quoteIdentifier('order lines')).toBe('"order lines"');
    expect(quoteIdentifier('2024')).toBe('"2024"');
    expect(quoteIdentifier('group')).toBe('"group"');
    expect(quoteIdentifier('say "hi"')).toBe('"say ""hi"""');
  });
});

describe('tokenizeSql', () => {
  it('covers the text with contiguous tokens, whatever it holds', () => {
    for (const text of ["SELECT 'a''b', \"q\"\"x\" -- c\n/* d */ 1.5e3::INT;", "'open", '"open', '/* open', '$tag$ x $tag$ $$']) {
      const tokens = tokenizeSql(text);
      expect(tokens[0]?.start).toBe(0);
      expect(tokens.at(-1)?.end).toBe(text.length);
      tokens.slice(1).forEach((t, i) => expect(t.start).toBe(tokens[i]!.end));
    }
  });

  it('marks unclosed strings, quoted names and block comments', () => {
    expect(tokenizeSql("'open").map((t) => [t.kind, t.closed])).toEqual([['string', false]]);
    expect(tokenizeSql('"open').map((t) => [t.kind, t.closed])).toEqual([['quoted', false]]);
    expect(tokenizeSql("'a''b'").map((t) => [t.kind, t.closed])).toEqual([['string', true]]);
  });
});

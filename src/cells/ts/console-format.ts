import { RecordBatch, Table } from 'apache-arrow';
import { LakebookTable } from './table-api';

/**
 * How `console.log` arguments read in a cell's output, close to what a browser console prints: strings
 * as they are at the top level, quoted inside structures; Dates as ISO text; bigints with `n`; tables
 * as a one-line summary; long arrays and deep nesting cut short.
 */
export function formatLogArguments(args: readonly unknown[]): string {
  if (typeof args[0] === 'string' && /%[sdifoOj%]/.test(args[0])) {
    const rest = [...args.slice(1)];
    const text = args[0].replace(/%([sdifoOj%])/g, (match, code: string) => {
      if (code === '%') return '%';
      if (rest.length === 0) return match;
      const value = rest.shift();
      if (code === 's') return typeof value === 'string' ? value : formatValue(value, 0, new Set());
      if (code === 'd' || code === 'i') return String(code === 'i' ? Math.trunc(Number(value)) : Number(value));
      if (code === 'f') return String(Number(value));
      return formatValue(value, 0, new Set());
    });
    return [text, ...rest.map((v) => top(v))].join(' ');
  }
  return args.map(top).join(' ');
}

function top(value: unknown): string {
  return typeof value === 'string' ? value : formatValue(value, 0, new Set());
}

const MAX_ITEMS = 50;
const MAX_DEPTH = 3;

export function formatValue(value: unknown, depth: number, seen: Set<unknown>): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'symbol':
      return value.toString();
    case 'function':
      return `[Function ${value.name || '(anonymous)'}]`;
  }
  if (value === null) return 'null';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (value instanceof Error) return value.stack && depth === 0 ? `${value.name}: ${value.message}` : `[${value.name}: ${value.message}]`;
  if (value instanceof LakebookTable) return `Table ${value.name} (${value.numRows.toLocaleString('en-US')} rows: ${value.columns.map((c) => `${c.name} ${c.type}`).join(', ')})`;
  if (value instanceof Table || value instanceof RecordBatch) {
    return `${value instanceof Table ? 'Arrow Table' : 'Arrow RecordBatch'} (${value.numRows.toLocaleString('en-US')} rows: ${value.schema.fields.map((f) => `${f.name} ${String(f.type)}`).join(', ')})`;
  }
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return Array.isArray(value) ? '[Array]' : '[Object]';
  seen.add(value);
  try {
    if (Array.isArray(value) || ArrayBuffer.isView(value)) {
      const items = Array.from(value as ArrayLike<unknown>);
      const shown = items.slice(0, MAX_ITEMS).map((v) => formatValue(v, depth + 1, seen));
      if (items.length > MAX_ITEMS) shown.push(`… ${items.length - MAX_ITEMS} more`);
      const prefix = Array.isArray(value) ? '' : `${(value as object).constructor.name}(${items.length}) `;
      return `${prefix}[${shown.join(', ')}]`;
    }
    if (value instanceof Map) {
      const entries = [...value].slice(0, MAX_ITEMS).map(([k, v]) => `${formatValue(k, depth + 1, seen)} => ${formatValue(v, depth + 1, seen)}`);
      return `Map(${value.size}) {${entries.length ? ` ${entries.join(', ')} ` : ''}}`;
    }
    if (value instanceof Set) {
      const entries = [...value].slice(0, MAX_ITEMS).map((v) => formatValue(v, depth + 1, seen));
      return `Set(${value.size}) {${entries.length ? ` ${entries.join(', ')} ` : ''}}`;
    }
    const keys = Object.keys(value as object);
    const shown = keys.slice(0, MAX_ITEMS).map((k) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${formatValue((value as Record<string, unknown>)[k], depth + 1, seen)}`);
    if (keys.length > MAX_ITEMS) shown.push(`… ${keys.length - MAX_ITEMS} more`);
    const name = (value as object).constructor?.name;
    const prefix = name && name !== 'Object' ? `${name} ` : '';
    return shown.length === 0 ? `${prefix}{}` : `${prefix}{ ${shown.join(', ')} }`;
  } finally {
    seen.delete(value);
  }
}

/** `console.table(rows)`: an aligned text table of the first rows. */
export function formatTable(data: unknown, columns?: readonly string[]): string {
  const rows: Record<string, unknown>[] = [];
  const iterable = data instanceof LakebookTable ? data.take(MAX_ITEMS) : data;
  if (iterable && typeof iterable === 'object' && Symbol.iterator in iterable) {
    for (const row of iterable as Iterable<unknown>) {
      rows.push(row !== null && typeof row === 'object' ? (row as Record<string, unknown>) : { Values: row });
      if (rows.length >= MAX_ITEMS) break;
    }
  } else if (iterable && typeof iterable === 'object') {
    for (const [key, row] of Object.entries(iterable)) {
      rows.push({ '(index)': key, ...(row !== null && typeof row === 'object' ? (row as Record<string, unknown>) : { Values: row }) });
      if (rows.length >= MAX_ITEMS) break;
    }
  } else {
    return formatLogArguments([data]);
  }
  const names = columns ? [...columns] : [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) => (v === undefined ? '' : typeof v === 'string' ? v : formatValue(v, 2, new Set()));
  const grid = [names, ...rows.map((r) => names.map((n) => cell(r[n])))];
  const widths = names.map((_, j) => Math.min(40, Math.max(...grid.map((line) => line[j]!.length))));
  const fit = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width));
  const lines = grid.map((line) => line.map((text, j) => fit(text, widths[j]!)).join(' │ ').trimEnd());
  lines.splice(1, 0, widths.map((w) => '─'.repeat(w)).join('─┼─'));
  return lines.join('\n');
}

/**
 * The `sql` tagged template of ts cells: interpolated values become SQL literals, never SQL text, so
 * `sql\`SELECT * FROM orders WHERE customer = ${name}\`` is safe whatever `name` holds.
 */
export class SqlIdentifier {
  constructor(readonly name: string) {}
}

export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof SqlIdentifier) return `"${value.name.replace(/"/g, '""')}"`;
  switch (typeof value) {
    case 'number':
      if (Number.isNaN(value)) return "'NaN'::DOUBLE";
      if (!Number.isFinite(value)) return value > 0 ? "'Infinity'::DOUBLE" : "'-Infinity'::DOUBLE";
      return String(value);
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? 'TRUE' : 'FALSE';
    case 'string':
      return `'${value.replace(/'/g, "''")}'`;
    case 'object':
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) throw new TypeError('sql: an Invalid Date cannot be put in a query');
        return `TIMESTAMP '${value.toISOString().replace('T', ' ').replace('Z', '')}'`;
      }
      if (Array.isArray(value)) return value.length === 0 ? '(NULL)' : `(${value.map(sqlLiteral).join(', ')})`;
      break;
  }
  throw new TypeError(`sql: ${Object.prototype.toString.call(value)} cannot be put in a query; interpolate strings, numbers, booleans, Dates, arrays of those, or sql.ident(name)`);
}

/** The query text of a tagged template call (or of a plain string). */
export function sqlText(strings: TemplateStringsArray | string, values: readonly unknown[]): string {
  if (typeof strings === 'string') return strings;
  let text = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) text += sqlLiteral(values[i]) + (strings[i + 1] ?? '');
  return text;
}

import type { CsvOptions } from '../engine/engine';

/** What the CSV options form edits, as the user types it. */
export interface CsvOptionsDraft {
  delimiter: 'auto' | ',' | ';' | '\t' | '|' | 'other';
  otherDelimiter: string;
  header: 'auto' | 'yes' | 'no';
  types: string;
  skipRows: string;
}

export function draftFrom(options: CsvOptions | undefined): CsvOptionsDraft {
  const known = [',', ';', '\t', '|'];
  const delimiter = options?.delimiter;
  return {
    delimiter: delimiter === undefined ? 'auto' : known.includes(delimiter) ? (delimiter as CsvOptionsDraft['delimiter']) : 'other',
    otherDelimiter: delimiter !== undefined && !known.includes(delimiter) ? delimiter : '',
    header: options?.header === undefined ? 'auto' : options.header ? 'yes' : 'no',
    types: Object.entries(options?.types ?? {}).map(([c, t]) => `${c}: ${t}`).join(', '),
    skipRows: options?.skipRows === undefined ? '' : String(options.skipRows),
  };
}

/** Turns the form into engine options, or says in words what is wrong with it. */
export function parseCsvDraft(draft: CsvOptionsDraft): { options: CsvOptions } | { error: string } {
  const options: CsvOptions = {};
  if (draft.delimiter === 'other') {
    if (draft.otherDelimiter.length !== 1) return { error: 'The delimiter must be a single character.' };
    options.delimiter = draft.otherDelimiter;
  } else if (draft.delimiter !== 'auto') {
    options.delimiter = draft.delimiter;
  }
  if (draft.header !== 'auto') options.header = draft.header === 'yes';
  if (draft.types.trim() !== '') {
    const types: Record<string, string> = {};
    // Commas inside a type's parentheses (DECIMAL(10,2)) do not separate columns.
    for (const part of draft.types.split(/,(?![^(]*\))/).map((p) => p.trim()).filter(Boolean)) {
      const match = /^("?)(.+?)\1\s*:\s*([A-Za-z][A-Za-z0-9_ (),]*)$/.exec(part);
      if (!match) return { error: `"${part}" is not "column: TYPE" (for example "zip: VARCHAR").` };
      types[match[2]!] = match[3]!.trim().toUpperCase();
    }
    options.types = types;
  }
  if (draft.skipRows.trim() !== '') {
    const skip = Number(draft.skipRows);
    if (!Number.isInteger(skip) || skip < 0) return { error: 'Rows to skip must be a whole number, 0 or more.' };
    options.skipRows = skip;
  }
  return { options };
}

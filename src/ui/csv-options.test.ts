import { describe, expect, it } from 'vitest';
import { draftFrom, parseCsvDraft } from './csv-options';

describe('CSV options form', () => {
  it('round-trips options through the draft', () => {
    const options = { delimiter: '\t', header: false, types: { zip: 'VARCHAR', amount: 'DECIMAL(10,2)' }, skipRows: 2 };
    expect(parseCsvDraft(draftFrom(options))).toEqual({ options });
  });
  it('leaves automatic choices to the sniffer', () => {
    expect(parseCsvDraft(draftFrom(undefined))).toEqual({ options: {} });
  });
  it('accepts another single-character delimiter', () => {
    expect(parseCsvDraft({ ...draftFrom(undefined), delimiter: 'other', otherDelimiter: '~' })).toEqual({ options: { delimiter: '~' } });
  });
  it('says what is wrong', () => {
    expect(parseCsvDraft({ ...draftFrom(undefined), delimiter: 'other', otherDelimiter: '::' })).toEqual({ error: 'The delimiter must be a single character.' });
    expect(parseCsvDraft({ ...draftFrom(undefined), types: 'zip VARCHAR' })).toMatchObject({ error: expect.stringContaining('"zip VARCHAR"') });
    expect(parseCsvDraft({ ...draftFrom(undefined), skipRows: '-1' })).toMatchObject({ error: expect.stringContaining('whole number') });
  });
});

import { describe, expect, it } from 'vitest';
import { explainPageGlobal } from './page-globals';

describe('explainPageGlobal', () => {
  it('explains a page-only global the worker lacks', () => {
    expect(explainPageGlobal('ReferenceError: document is not defined (line 2, column 3)')).toBe(
      "ReferenceError: document is not defined (line 2, column 3). A ts cell runs in a worker, apart from the page: it has no document, no DOM and no access to the notebook's window. Return rows (or an Arrow table); the notebook shows them.",
    );
    expect(explainPageGlobal('Uncaught ReferenceError: parent is not defined')).toContain('it has no parent,');
  });

  it('leaves other errors as they are', () => {
    expect(explainPageGlobal('ReferenceError: docs is not defined')).toBe('ReferenceError: docs is not defined');
    expect(explainPageGlobal('TypeError: document.cookie is not a function')).toBe('TypeError: document.cookie is not a function');
  });
});

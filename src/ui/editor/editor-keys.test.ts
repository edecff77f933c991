import { describe, expect, it } from 'vitest';
import { EDITOR_METRICS, editorHeight, editorKeyAction, textareaRows } from './editor-keys';

const key = (key: string, mods: Partial<Record<'shiftKey' | 'ctrlKey' | 'metaKey' | 'altKey' | 'isComposing', boolean>> = {}) =>
  editorKeyAction({ key, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, isComposing: false, ...mods });

describe('editorKeyAction', () => {
  it('maps the run keys', () => {
    expect(key('Enter', { shiftKey: true })).toEqual({ kind: 'run', advance: true });
    expect(key('Enter', { ctrlKey: true })).toEqual({ kind: 'run', advance: false });
    expect(key('Enter', { metaKey: true })).toEqual({ kind: 'run', advance: false });
  });

  it('leaves plain Enter, IME composition and Alt combinations to the editor', () => {
    expect(key('Enter')).toBeUndefined();
    expect(key('Enter', { shiftKey: true, isComposing: true })).toBeUndefined();
    expect(key('Enter', { shiftKey: true, altKey: true })).toBeUndefined();
    expect(key('a', { ctrlKey: true })).toBeUndefined();
  });

  it('maps Escape', () => {
    expect(key('Escape')).toEqual({ kind: 'escape' });
    expect(key('Escape', { shiftKey: true })).toBeUndefined();
  });
});

describe('editor size', () => {
  const { lineHeight, paddingY } = EDITOR_METRICS;
  it('keeps between 3 and 30 lines', () => {
    expect(editorHeight(0)).toBe(3 * lineHeight + 2 * paddingY);
    expect(editorHeight(5 * lineHeight + 2 * paddingY)).toBe(5 * lineHeight + 2 * paddingY);
    expect(editorHeight(100 * lineHeight)).toBe(30 * lineHeight + 2 * paddingY);
    expect(textareaRows('a')).toBe(3);
    expect(textareaRows('a\nb\nc\nd')).toBe(4);
    expect(textareaRows('\n'.repeat(99))).toBe(30);
  });
});

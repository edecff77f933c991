// The keys a cell editor handles itself, shared by the plain textarea (before Monaco has loaded)
// and Monaco (whose keybindings in monaco-loader.ts say the same thing).

export type EditorKeyAction = { kind: 'run'; advance: boolean } | { kind: 'escape' };

type KeyLike = Pick<KeyboardEvent, 'key' | 'shiftKey' | 'ctrlKey' | 'metaKey' | 'altKey' | 'isComposing'>;

/** Shift+Enter runs and advances, Ctrl/Cmd+Enter runs in place, Escape leaves the editor. */
export function editorKeyAction(event: KeyLike): EditorKeyAction | undefined {
  if (event.isComposing || event.altKey) return undefined;
  if (event.key === 'Enter') {
    if (event.shiftKey) return { kind: 'run', advance: true };
    if (event.ctrlKey || event.metaKey) return { kind: 'run', advance: false };
    return undefined;
  }
  if (event.key === 'Escape' && !event.shiftKey && !event.ctrlKey && !event.metaKey) return { kind: 'escape' };
  return undefined;
}

/** Editor height in lines: grows with the text from `min` up to `max`, then the editor scrolls. */
export const EDITOR_LINES = { min: 3, max: 30 } as const;
/** Line height and vertical padding in px, the same for the textarea and Monaco so the swap does not jump. */
export const EDITOR_METRICS = { fontSize: 13, lineHeight: 20, paddingY: 8 } as const;

export function editorHeight(contentHeight: number): number {
  const { lineHeight, paddingY } = EDITOR_METRICS;
  const min = EDITOR_LINES.min * lineHeight + 2 * paddingY;
  const max = EDITOR_LINES.max * lineHeight + 2 * paddingY;
  return Math.min(max, Math.max(min, Math.ceil(contentHeight)));
}

/** Rows for the fallback textarea. */
export function textareaRows(text: string): number {
  const lines = text.split('\n').length;
  return Math.min(EDITOR_LINES.max, Math.max(EDITOR_LINES.min, lines));
}

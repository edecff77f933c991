// Known Monaco 0.57 bugs, worked around narrowly. Imported by monaco-loader.ts only.

import { errorHandler } from 'monaco-editor/base/common/errors';

/**
 * SuggestModel race: when several characters arrive in one input event (Playwright's insertText,
 * dictation, some input methods) while the suggest widget is open, Monaco types them as one edit per
 * character. Delivering the first change refilters the list, and `LineContext.shouldAutoTrigger`
 * forces tokenization, which delivers the next queued change re-entrantly; that one re-triggers
 * suggest (dropping `_completionModel`) and the outer call then reads `_completionModel` →
 * "Cannot read properties of undefined (reading 'getItemsByProvider')". Monaco's event emitter has
 * already caught it and the re-trigger has brought a fresh list, so nothing is lost; Monaco would
 * only rethrow it from a timer as an uncaught page error. That one error is logged instead; every
 * other unexpected error still goes to Monaco's default handler.
 */
function isSuggestRefilterRace(error: unknown): boolean {
  return error instanceof TypeError && error.message.includes("reading 'getItemsByProvider'");
}

export function installMonacoWorkarounds(): void {
  // `unexpectedErrorHandler` is internal (the public setter is not in the 0.57 build): check it is there.
  if (!errorHandler || typeof errorHandler.unexpectedErrorHandler !== 'function') return;
  const fallback = errorHandler.unexpectedErrorHandler;
  errorHandler.unexpectedErrorHandler = (error: unknown) => {
    if (isSuggestRefilterRace(error)) console.warn('lakebook: ignored a known Monaco suggest race (harmless)', error);
    else fallback(error);
  };
}

/**
 * The names a cell written for a page reaches for, which a ts cell's worker does not have. A
 * ReferenceError on one of them gets a sentence saying why, instead of a bare "document is not defined".
 */
const PAGE_GLOBALS = ['document', 'window', 'parent', 'top', 'opener', 'frames', 'localStorage', 'sessionStorage', 'alert', 'confirm', 'prompt'];

const NOT_DEFINED = new RegExp(`^(?:Uncaught )?ReferenceError: (${PAGE_GLOBALS.join('|')}) is not defined`);

/** `message` with the reason appended when it is a ReferenceError on a page-only global. */
export function explainPageGlobal(message: string): string {
  const name = NOT_DEFINED.exec(message)?.[1];
  if (!name) return message;
  return `${message}. A ts cell runs in a worker, apart from the page: it has no ${name}, no DOM and no access to the notebook's window. Return rows (or an Arrow table); the notebook shows them.`;
}

import { spawnBrowserSandbox } from './browser-sandbox';
import { createTsCellKind } from './ts-cell';

/** The ts kind as the browser app runs it: one Web Worker per run. */
export const tsCell = createTsCellKind(spawnBrowserSandbox);

export { logsOf, logText, type LogLine, type TsCellDetail } from './runner';
export { cellInputs } from './inputs';
export { DEFAULT_LIMITS, limitsFor } from './limits';

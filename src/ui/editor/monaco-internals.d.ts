// Types for the few Monaco internals we touch (the package ships no .d.ts for them).

declare module 'monaco-editor/base/common/errors' {
  /** Monaco's global error sink; `unexpectedErrorHandler` rethrows from a timer by default. */
  export const errorHandler: { unexpectedErrorHandler: (error: unknown) => void } | undefined;
}

declare module 'monaco-editor/internal/common/initialize' {
  /** Starts a Monaco worker: `create` builds the object whose methods the editor calls. */
  export function initialize(create: (ctx: unknown, createData: unknown) => unknown): void;
}

declare module 'monaco-editor/languages/features/typescript/tsWorker' {
  /** Monaco's TypeScript language service host (one per worker). */
  export class TypeScriptWorker {
    constructor(ctx: unknown, createData: unknown);
    _getScriptText(fileName: string): string | undefined;
    _getModel(fileName: string): unknown;
  }
}

declare module 'monaco-editor/languages/features/typescript/lib/typescriptServices' {
  /** The TypeScript compiler API bundled with Monaco. */
  export const typescript: import('../../cells/ts/typings').TypeScriptApi;
}

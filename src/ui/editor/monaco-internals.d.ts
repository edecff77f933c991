// Types for the few Monaco internals we touch (the package ships no .d.ts for them).

declare module 'monaco-editor/base/common/errors' {
  /** Monaco's global error sink; `unexpectedErrorHandler` rethrows from a timer by default. */
  export const errorHandler: { unexpectedErrorHandler: (error: unknown) => void } | undefined;
}

// Monaco (~2.7 MB) is loaded with a dynamic import the first time an editor appears, once for the
// whole page; until then editors are plain textareas. This module is small and statically imported;
// `./monaco-loader` (and everything it pulls in) becomes its own chunks named after it.

export type MonacoModule = typeof import('./monaco-loader');

let loaded: MonacoModule | undefined;
let loading: Promise<MonacoModule> | undefined;

/** Starts loading Monaco (once) and resolves with the loader module. A failed load is retried next time. */
export function loadMonaco(): Promise<MonacoModule> {
  loading ??= import('./monaco-loader').then(
    (module) => (loaded = module),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/** The loader module if it has already arrived: new editors then start as Monaco right away. */
export function monacoIfLoaded(): MonacoModule | undefined {
  return loaded;
}

type CreateOptions = Parameters<MonacoModule['createCodeEditor']>[0];
type Handle = ReturnType<MonacoModule['createCodeEditor']>;

/**
 * Builds Monaco in place of the fallback textarea, keeping its text, selection and focus. It all
 * happens in one task, so no keystroke can land between reading the textarea and Monaco taking
 * over; the caller removes the textarea afterwards.
 */
export function swapInMonaco(module: MonacoModule, fallback: HTMLTextAreaElement | undefined, options: CreateOptions): Handle {
  if (!fallback) return module.createCodeEditor(options);
  const focused = fallback.ownerDocument.activeElement === fallback;
  const { selectionStart, selectionEnd, selectionDirection } = fallback;
  const handle = module.createCodeEditor({ ...options, value: fallback.value });
  if (selectionDirection === 'backward') handle.select(selectionEnd, selectionStart);
  else handle.select(selectionStart, selectionEnd);
  if (focused) handle.focus();
  return handle;
}

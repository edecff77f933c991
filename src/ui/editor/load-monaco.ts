// Monaco (~3 MB) is loaded with a dynamic import once for the whole page: when an editor is first
// focused or pointed at, or when the page is idle after its first results (`preloadMonacoWhenIdle`),
// so it never competes with DuckDB's start and the first query. Until then editors are plain textareas. This module is small and statically imported;
// `./monaco-loader` (and everything it pulls in) becomes its own chunks named after it.

export type MonacoModule = typeof import('./monaco-loader');

let loaded: MonacoModule | undefined;
let loading: Promise<MonacoModule> | undefined;
const waiting = new Set<(module: MonacoModule) => void>();

/** Starts loading Monaco (once) and resolves with the loader module. A failed load is retried next time. */
export function loadMonaco(): Promise<MonacoModule> {
  loading ??= import('./monaco-loader').then(
    (module) => {
      loaded = module;
      for (const attach of waiting) attach(module);
      waiting.clear();
      return module;
    },
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/** Calls `attach` once Monaco has arrived (whoever asked for it); returns a function that cancels. */
export function whenMonacoLoaded(attach: (module: MonacoModule) => void): () => void {
  if (loaded) {
    attach(loaded);
    return () => undefined;
  }
  waiting.add(attach);
  return () => waiting.delete(attach);
}

/** Loads Monaco when the browser is next idle; resolves once it has arrived or failed (the plain editor stays). */
export function preloadMonacoWhenIdle(): Promise<void> {
  return new Promise((resolve) => {
    const load = () =>
      void loadMonaco()
        .catch((error: unknown) => console.warn('lakebook: the code editor could not be loaded; keeping the plain one.', error))
        .finally(resolve);
    if ('requestIdleCallback' in window) requestIdleCallback(load, { timeout: 5_000 });
    else setTimeout(load, 500);
  });
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

// Stands in for monaco-editor's `internal/common/workers.js` (vite.config.ts aliases it for the language
// workers' managers). The original also imports some sixty editor contributions; when Monaco's
// TypeScript mode loads it lazily, those contributions register after the editor's services were set
// up, and the next editor fails ("depends on UNKNOWN service ICodeLensCache"). lakebook's editor picks
// its contributions itself (monaco-loader.ts) and always defines MonacoEnvironment.getWorker.
import { editor } from 'monaco-editor/editor/editor.api';

interface WorkerOptions {
  moduleId: string;
  label?: string;
  createData?: unknown;
  host?: Record<string, (...args: unknown[]) => unknown>;
  keepIdleModels?: boolean;
  createWorker?: () => Worker;
}

export function createWebWorker<T extends object>(opts: WorkerOptions): editor.MonacoWebWorker<T> {
  const environment = (globalThis as { MonacoEnvironment?: { getWorker?: (moduleId: string, label: string) => Worker | Promise<Worker> } }).MonacoEnvironment;
  const label = opts.label ?? 'monaco-editor-worker';
  const started = environment?.getWorker?.('workerMain.js', label) ?? opts.createWorker?.();
  if (!started) throw new Error(`No worker for ${label}: MonacoEnvironment.getWorker is not set`);
  const worker = Promise.resolve(started).then((w) => {
    // As the original: the first message starts the worker's protocol, the second carries its options.
    w.postMessage('ignore');
    w.postMessage(opts.createData);
    return w;
  });
  return editor.createWebWorker<T>({ worker, ...(opts.host ? { host: opts.host } : {}), ...(opts.keepIdleModels !== undefined ? { keepIdleModels: opts.keepIdleModels } : {}) } as Parameters<typeof editor.createWebWorker>[0]);
}

// Monaco's TypeScript worker, with one change: it sees a ts cell's default export wrapped as
// `export default(…) satisfies LakebookCell` (contextualizeCell), so `({ orders }) =>` gets the table's
// row type and the return value is checked, with no annotation in the cell. Bundled by Vite and served
// from our origin like the editor worker (DESIGN §2).
import { initialize } from 'monaco-editor/internal/common/initialize';
import { typescript } from 'monaco-editor/languages/features/typescript/lib/typescriptServices';
import { TypeScriptWorker } from 'monaco-editor/languages/features/typescript/tsWorker';
import { contextualizeCell } from '../../cells/ts/typings';

class LakebookTypeScriptWorker extends TypeScriptWorker {
  /** Per file, the last text seen and what TypeScript gets: the language service asks many times per version. */
  private readonly rewritten = new Map<string, { text: string; result: string }>();

  override _getScriptText(fileName: string): string | undefined {
    const text = super._getScriptText(fileName);
    if (text === undefined || !this._getModel(fileName)) return text;
    const cached = this.rewritten.get(fileName);
    if (cached?.text === text) return cached.result;
    const result = contextualizeCell(text, typescript);
    this.rewritten.set(fileName, { text, result });
    return result;
  }
}

// As Monaco's own ts.worker.js: the first message starts the worker protocol.
self.onmessage = () => {
  initialize((ctx, createData) => new LakebookTypeScriptWorker(ctx, createData));
};

// Everything Monaco, loaded lazily through load-monaco.ts (its chunks are named `monaco-loader-*`).
// DESIGN §2: monaco-editor 0.57 import paths; the worker and the CSS are bundled by Vite and served
// from our own origin.
//
// `editor.api` is the bare editor: the contributions we use (suggest widget, snippets, placeholder,
// comment toggling, …) are imported one by one instead of `editor.main`, which brings every
// language, the TypeScript/CSS/HTML/JSON language services and their workers.

import * as monaco from 'monaco-editor/editor/editor.api';
// `features/<name>/register` is 0.57's public path for an editor feature; the package exports
// only .js files, so the codicon font CSS comes in through `features/codicon` too.
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/codeEditor/register';
import 'monaco-editor/editor/browser/coreCommands'; // cursor movement, undo/redo, select all
import 'monaco-editor/editor/contrib/suggest/browser/suggestController'; // the suggest widget
import 'monaco-editor/features/snippet/register';
import 'monaco-editor/features/placeholderText/register';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/comment/register';
import 'monaco-editor/features/cursorUndo/register';
import 'monaco-editor/features/linesOperations/register';
import 'monaco-editor/features/multicursor/register';
import 'monaco-editor/features/wordOperations/register';
// ts cells: hovers carry TypeScript's error messages and types; parameter hints show signatures.
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/parameterHints/register';
import 'monaco-editor/languages/definitions/sql/register';
import 'monaco-editor/languages/definitions/markdown/register';
import 'monaco-editor/languages/definitions/typescript/register';
// Check cells: GE configs in YAML, or the Python-call short form.
import 'monaco-editor/languages/definitions/yaml/register';
import 'monaco-editor/languages/definitions/python/register';
// TypeScript's language service (completion, hovers, inline errors) for ts cells; its worker is ours.
import { ModuleKind, ScriptTarget, typescriptDefaults } from 'monaco-editor/languages/features/typescript/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import TypeScriptWorker from './ts-language.worker?worker';
import { CELL_API_DECLARATIONS, tablesDeclaration } from '../../cells/ts/typings';
import type { Catalog, EditorLanguage } from './catalog';
import { EDITOR_METRICS, editorHeight } from './editor-keys';
import { installMonacoWorkarounds } from './monaco-workarounds';
import { completeSql, type CompletionItem } from './sql-completion';

self.MonacoEnvironment = {
  getWorker: (_moduleId: string, label: string) => (label === 'typescript' || label === 'javascript' ? new TypeScriptWorker() : new EditorWorker()),
};
installMonacoWorkarounds();

// ts cells run in a worker without DOM or network: the editor checks them against the same world.
// Nulls are not checked (strictNullChecks off): every DuckDB column may be NULL, and flagging each use
// would bury the errors that matter.
typescriptDefaults.setCompilerOptions({
  target: ScriptTarget.ESNext,
  module: ModuleKind.ESNext,
  lib: ['esnext'],
  strict: false,
  noImplicitAny: false,
  allowNonTsExtensions: true,
  noEmit: true,
});
typescriptDefaults.addExtraLib(CELL_API_DECLARATIONS, 'file:///lakebook/cell-api.d.ts');

/** The `Tables` declaration from the tables the engine has now (same text: Monaco does nothing). */
function declareTables(catalog: Catalog): void {
  typescriptDefaults.addExtraLib(tablesDeclaration(catalog.tables), 'file:///lakebook/tables.d.ts');
}

monaco.editor.defineTheme('lakebook', {
  base: 'vs',
  inherit: true,
  rules: [],
  // Transparent: the editor's box (CodeEditor.svelte) paints the background, as for the textarea.
  colors: { 'editor.background': '#00000000', 'editor.lineHighlightBackground': '#00000000' },
});
monaco.editor.setTheme('lakebook');

/** Each editor model's catalog getter, read when completions are asked for. */
const catalogs = new WeakMap<monaco.editor.ITextModel, () => Catalog>();

const KIND: Record<CompletionItem['kind'], monaco.languages.CompletionItemKind> = {
  table: monaco.languages.CompletionItemKind.Struct,
  column: monaco.languages.CompletionItemKind.Field,
  function: monaco.languages.CompletionItemKind.Function,
  keyword: monaco.languages.CompletionItemKind.Keyword,
};

// One provider for every SQL editor; it finds the editor's catalog through the model.
monaco.languages.registerCompletionItemProvider('sql', {
  triggerCharacters: ['.', '"'],
  provideCompletionItems(model, position) {
    const catalog = catalogs.get(model);
    if (!catalog) return { suggestions: [] };
    const offset = model.getOffsetAt(position);
    const { items, from, to, replaceTo } = completeSql(model.getValue(), offset, catalog());
    const start = model.getPositionAt(from);
    const insert = monaco.Range.fromPositions(start, model.getPositionAt(to));
    const replace = monaco.Range.fromPositions(start, model.getPositionAt(replaceTo));
    const width = String(items.length).length;
    return {
      suggestions: items.map((item, i) => ({
        label: item.label,
        kind: KIND[item.kind],
        detail: item.detail,
        insertText: item.insertText,
        insertTextRules: item.snippet ? monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet : undefined,
        filterText: item.insertText.startsWith('"') ? item.insertText : item.label,
        sortText: String(i).padStart(width, '0'),
        range: { insert, replace },
      })),
    };
  },
});

export interface CodeEditorOptions {
  host: HTMLElement;
  value: string;
  language: EditorLanguage;
  placeholder: string;
  fontFamily: string;
  ariaLabel: string;
  onchange: (value: string) => void;
  onrun: (advance: boolean) => void;
  /** Escape when no widget is open; no binding at all when absent (Escape then does what it did). */
  onescape: (() => void) | undefined;
  catalog: () => Catalog;
  /** A read-only notebook (a published one): the text can be selected and copied, not changed. */
  readOnly?: boolean;
}

export interface CodeEditorHandle {
  getValue(): string;
  /** Replaces the text (undoable) when it differs; does not call `onchange`. */
  setValue(value: string): void;
  setLanguage(language: EditorLanguage): void;
  setPlaceholder(placeholder: string): void;
  setReadOnly(readOnly: boolean): void;
  /** Selects between two offsets of the text; `anchor` stays put, `active` is where the cursor is. */
  select(anchor: number, active: number): void;
  focus(): void;
  hasFocus(): boolean;
  dispose(): void;
}

export function createCodeEditor(options: CodeEditorOptions): CodeEditorHandle {
  const { host } = options;
  const { fontSize, lineHeight, paddingY } = EDITOR_METRICS;
  const suggestAsYouType = options.language === 'sql' || options.language === 'typescript';
  if (options.language === 'typescript') declareTables(options.catalog());
  const editor = monaco.editor.create(host, {
    value: options.value,
    language: options.language,
    readOnly: options.readOnly ?? false,
    placeholder: options.placeholder,
    ariaLabel: options.ariaLabel,
    theme: 'lakebook',
    automaticLayout: true,
    minimap: { enabled: false },
    lineNumbers: 'off',
    glyphMargin: false,
    folding: false,
    lineDecorationsWidth: 12,
    lineNumbersMinChars: 0,
    renderLineHighlight: 'none',
    overviewRulerLanes: 0,
    overviewRulerBorder: false,
    hideCursorInOverviewRuler: true,
    scrollBeyondLastLine: false,
    scrollbar: { alwaysConsumeMouseWheel: false, horizontal: 'hidden', verticalScrollbarSize: 8, useShadows: false },
    padding: { top: paddingY, bottom: paddingY },
    fontSize,
    lineHeight,
    fontFamily: options.fontFamily,
    wordWrap: 'on',
    tabSize: 2,
    stickyScroll: { enabled: false },
    guides: { indentation: false },
    quickSuggestions: suggestAsYouType ? { other: true, comments: false, strings: false } : false,
    suggestOnTriggerCharacters: true,
    wordBasedSuggestions: 'off',
    // Enter accepts a suggestion only when that changes the text: `o.customer⏎` is a new line.
    acceptSuggestionOnEnter: 'smart',
    // Cells clip their content (overflow: hidden); fixed widgets escape that.
    fixedOverflowWidgets: true,
    contextmenu: false,
  });
  const model = editor.getModel();
  if (!model) throw new Error('Monaco created an editor without a model');
  catalogs.set(model, options.catalog);

  let applyingValue = false;
  const fit = () => {
    const height = `${editorHeight(editor.getContentHeight())}px`;
    if (host.style.height !== height) {
      host.style.height = height;
      editor.layout();
    }
  };
  const hideSuggest = () => editor.trigger('lakebook', 'hideSuggestWidget', undefined);
  const disposables: monaco.IDisposable[] = [
    editor.onDidChangeModelContent(() => {
      if (!applyingValue) options.onchange(model.getValue());
    }),
    editor.onDidContentSizeChange(fit),
    // Tables come and go while the notebook runs; a ts cell's editor reads them again when focused.
    editor.onDidFocusEditorText(() => {
      if (model.getLanguageId() === 'typescript') declareTables(options.catalog());
    }),
    // addAction scopes the keybinding to this editor (addCommand would not), and dynamic keybindings
    // win over the built-in ones (suggest's Shift+Enter, Ctrl+Enter's "insert line below").
    editor.addAction({
      id: 'lakebook.run-and-advance',
      label: 'Run cell and go to the next one',
      keybindings: [monaco.KeyMod.Shift | monaco.KeyCode.Enter],
      run: () => {
        hideSuggest();
        options.onrun(true);
      },
    }),
    editor.addAction({
      id: 'lakebook.run',
      label: 'Run cell',
      // CtrlCmd: Ctrl (Cmd on macOS); WinCtrl: Ctrl on macOS, Meta elsewhere.
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, monaco.KeyMod.WinCtrl | monaco.KeyCode.Enter],
      run: () => {
        hideSuggest();
        options.onrun(false);
      },
    }),
  ];
  const { onescape } = options;
  if (onescape) {
    disposables.push(
      editor.addAction({
        id: 'lakebook.escape',
        label: 'Leave the editor',
        keybindings: [monaco.KeyCode.Escape],
        keybindingContext:
          '!suggestWidgetVisible && !parameterHintsVisible && !inSnippetMode && !editorHasMultipleSelections && !editorHasSelection',
        run: () => onescape(),
      }),
    );
  }
  fit();

  return {
    getValue: () => model.getValue(),
    setValue(value) {
      if (model.getValue() === value) return;
      applyingValue = true;
      try {
        model.pushStackElement();
        model.pushEditOperations([], [{ range: model.getFullModelRange(), text: value }], () => null);
        model.pushStackElement();
      } finally {
        applyingValue = false;
      }
    },
    setLanguage(language) {
      monaco.editor.setModelLanguage(model, language);
      editor.updateOptions({ quickSuggestions: language === 'sql' || language === 'typescript' ? { other: true, comments: false, strings: false } : false });
      if (language === 'typescript') declareTables(options.catalog());
    },
    setPlaceholder(placeholder) {
      editor.updateOptions({ placeholder });
    },
    setReadOnly(readOnly) {
      editor.updateOptions({ readOnly });
    },
    select(anchor, active) {
      const selection = monaco.Selection.fromPositions(model.getPositionAt(anchor), model.getPositionAt(active));
      editor.setSelection(selection);
      editor.revealPosition(selection.getPosition());
    },
    focus: () => editor.focus(),
    hasFocus: () => editor.hasTextFocus(),
    dispose() {
      catalogs.delete(model);
      for (const d of disposables) d.dispose();
      editor.dispose();
    },
  };
}

import type { ColumnInfo, Engine } from '../../engine/engine';
import { LakebookError, isLakebookError } from '../../engine/errors';
import { quoteIdent } from '../../engine/table-naming';
import { adviseLayout, type AdvisorResult } from '../../lake/layout/advisor';
import { runExport, type ExportOutcome, type ExportProgress } from '../../cells/export/run-export';
import { browserTargets, defaultDestination, safeFileStem } from '../../cells/export/targets';
import { DEFAULT_ROW_GROUP_SIZE, type ExportSpec } from '../../cells/export/options';
import { renderAttribute } from '../../notebook/info-string';
import { defaultForm, formAttributes, formSpec, specForm, type ExportForm, type SourceRef } from './export-form';

/** What the dialog exports: the rows (`run`, e.g. a result table), and how an inserted cell names them (`cell`). */
export interface DialogSource {
  label: string;
  run: SourceRef;
  cell: SourceRef;
  columns: ColumnInfo[];
  rowCount: number | undefined;
}

/** The Export dialog's state: the form, a running export with its progress, and the layout advisor. */
export class ExportDialogState {
  source = $state.raw<DialogSource | undefined>(undefined);
  form = $state<ExportForm>(defaultForm('zip'));
  /** Set when the dialog edits an export cell: "Apply" writes the form back to it. */
  editingCell = $state.raw<{ apply(attributes: Record<string, string>): void } | undefined>(undefined);

  status = $state<'idle' | 'running' | 'done' | 'error'>('idle');
  progress = $state.raw<ExportProgress | undefined>(undefined);
  outcome = $state.raw<ExportOutcome | undefined>(undefined);
  error = $state<string | undefined>(undefined);

  predicate = $state('');
  advice = $state.raw<AdvisorResult | undefined>(undefined);
  adviceError = $state<string | undefined>(undefined);
  advising = $state(false);

  private controller: AbortController | undefined;

  constructor(private readonly engine: Engine) {}

  get isOpen(): boolean {
    return this.source !== undefined;
  }

  /** The form as an export cell's fence line, or the reason it is not valid yet. */
  get cellLine(): { text: string } | { error: string } {
    if (!this.source) return { error: '' };
    try {
      formSpec(this.form, this.source.cell);
      const attributes = formAttributes(this.form, this.source.cell);
      return { text: ['export', ...Object.entries(attributes).map(([k, v]) => renderAttribute(k, v))].join(' ') };
    } catch (error) {
      return { error: isLakebookError(error) ? error.userMessage : String(error) };
    }
  }

  open(source: DialogSource, options: { spec?: ExportSpec; apply?: (attributes: Record<string, string>) => void } = {}): void {
    this.source = source;
    this.form = options.spec ? specForm(options.spec) : defaultForm(defaultDestination());
    this.editingCell = options.apply ? { apply: options.apply } : undefined;
    this.status = 'idle';
    this.progress = undefined;
    this.outcome = undefined;
    this.error = undefined;
    this.advice = undefined;
    this.adviceError = undefined;
  }

  close(): void {
    if (this.status === 'running') this.cancel();
    this.source = undefined;
  }

  async start(): Promise<void> {
    const source = this.source;
    if (!source || this.status === 'running') return;
    let spec: ExportSpec;
    try {
      spec = formSpec(this.form, source.run);
    } catch (error) {
      this.fail(error);
      return;
    }
    const controller = new AbortController();
    this.controller = controller;
    this.status = 'running';
    this.error = undefined;
    this.outcome = undefined;
    this.progress = undefined;
    try {
      const target = browserTargets(spec, { sourceLabel: safeFileStem(source.label), key: `dialog:${source.label}` });
      this.outcome = await runExport({ engine: this.engine, spec, target, signal: controller.signal, onProgress: (p) => (this.progress = p) });
      this.status = 'done';
    } catch (error) {
      this.fail(error);
    } finally {
      if (this.controller === controller) this.controller = undefined;
    }
  }

  cancel(): void {
    this.controller?.abort();
  }

  private fail(error: unknown): void {
    this.status = 'error';
    this.error = isLakebookError(error) ? error.userMessage : error instanceof Error ? error.message : String(error);
  }

  /** The attributes an export cell gets for this form (validated first). */
  cellAttributes(): Record<string, string> {
    const source = this.source;
    if (!source) throw new LakebookError('invalid-option', 'Nothing to export.');
    formSpec(this.form, source.cell);
    return formAttributes(this.form, source.cell);
  }

  async advise(): Promise<void> {
    const source = this.source;
    if (!source || this.advising) return;
    this.advising = true;
    this.adviceError = undefined;
    this.advice = undefined;
    try {
      const relation = 'table' in source.run ? quoteIdent(source.run.table) : `(${source.run.sql.replace(/;\s*$/, '')})`;
      const order = this.form.layout === 'none' ? [] : this.form.orderColumns;
      this.advice = await adviseLayout(this.engine, {
        source: relation,
        columns: source.columns,
        predicate: this.predicate,
        rowGroupSize: this.form.format === 'parquet' ? this.form.rowGroupSize : DEFAULT_ROW_GROUP_SIZE,
        ...(this.form.layout === 'sort' && order.length > 0 ? { sortBy: order } : {}),
        ...(this.form.layout === 'zorder' && order.length > 1 ? { zorderBy: order } : {}),
      });
    } catch (error) {
      this.adviceError = isLakebookError(error) ? error.userMessage : error instanceof Error ? error.message : String(error);
    } finally {
      this.advising = false;
    }
  }
}

import { cellKindOf, requiredNames } from '../cells/registry';
import type { Engine, TableInfo } from '../engine/engine';
import { LakebookError } from '../engine/errors';
import { insertCell, moveCell, removeCell, updateCellAttributes, updateCellSource } from '../notebook/edit';
import { parseNotebook, serializeNotebook } from '../notebook/format';
import { buildGraph, downstreamOf, type DependencyGraph, type GraphError } from '../notebook/graph';
import type { CellId } from '../notebook/ids';
import { createNotebook, isCell, type CellBlock, type NotebookDocument } from '../notebook/model';
import { CellRun } from './cell-state.svelte';

export type RunMode = 'reactive' | 'lazy';

/**
 * Cycles and names defined twice stop a cell. An unknown name does not: the analysis can mistake a
 * word for a table (its token fallback), so DuckDB decides, and its error names the table and where.
 */
export function blockingErrors(errors: readonly GraphError[] | undefined): GraphError[] {
  return (errors ?? []).filter((e) => e.kind !== 'unknown-name');
}

/** Kinds this build does not run are kept and shown verbatim (DESIGN §3). */
export function isRunnable(cell: CellBlock): boolean {
  return cellKindOf(cell) !== undefined;
}

/**
 * The open notebook: its document (the Markdown text, edited losslessly), each cell's run state, and
 * the scheduling of runs through the dependency graph. Running a cell re-runs what reads from it
 * (reactive mode) or marks it stale (lazy mode).
 */
export class NotebookState {
  doc = $state.raw<NotebookDocument>(createNotebook());
  mode = $state<RunMode>('reactive');
  graphErrors = $state.raw<ReadonlyMap<CellId, GraphError[]>>(new Map());
  focusRequest = $state<CellId | undefined>(undefined);
  /** The last deleted cell and where it was, for undo. */
  lastRemoved = $state.raw<{ cell: CellBlock; index: number } | undefined>(undefined);
  /** Bumped on every document change; autosave listens to it. */
  revision = $state(0);
  /**
   * False for a notebook from elsewhere the user has not trusted yet (DESIGN §6, docs/sharing.md):
   * nothing runs — no cell, no Run all, no session re-run, not even the analysis that reads its SQL.
   */
  trusted = $state(true);
  /**
   * For a file the user picked from their own disk: an explicit Run all, Run or Shift+Enter is the
   * consent (DESIGN §6, Jupyter's model) and trusts it. A link or a published bundle needs the banner's
   * "Trust and run"; runs that nobody asked for (a restored session) never trust.
   */
  runIsConsent = $state(false);
  /** A published notebook opens read-only: edits are ignored until the user edits a copy. */
  readOnly = $state(false);

  /** Called after every document change (autosave) and after every batch of runs (session state). */
  onDocumentChange: (() => void) | undefined;
  onRunsSettled: (() => void) | undefined;
  /** Called when a run was asked for while the notebook is not trusted. */
  onBlocked: (() => void) | undefined;
  /** Called when an explicit run trusted the notebook (runIsConsent): the text is remembered as trusted. */
  onConsent: (() => void) | undefined;

  private readonly runs = new Map<CellId, CellRun>();

  constructor(
    private readonly engine: Engine,
    private readonly tables: () => TableInfo[],
    /** Resolves once `tables()` lists the catalog as it is now (a refresh may be pending). */
    private readonly tablesCurrent: () => Promise<void> = async () => undefined,
  ) {}

  get cells(): CellBlock[] {
    return this.doc.blocks.filter(isCell);
  }

  get title(): string | undefined {
    return this.doc.frontMatter?.title;
  }

  text(): string {
    return serializeNotebook(this.doc);
  }

  /** Some cell is running or waiting to run. */
  get busy(): boolean {
    for (const run of this.runs.values()) if (run.running) return true;
    return false;
  }

  runOf(id: CellId): CellRun {
    let run = this.runs.get(id);
    if (!run) {
      run = new CellRun(this.engine);
      this.runs.set(id, run);
    }
    return run;
  }

  /** Replaces the notebook; loaded tables stay. Nothing runs (DESIGN §6: opening runs nothing). */
  load(text: string): void {
    for (const run of this.runs.values()) run.dispose();
    this.runs.clear();
    this.setDoc(parseNotebook(text));
    this.lastRemoved = undefined;
    this.graphErrors = new Map();
  }

  private setDoc(doc: NotebookDocument): void {
    this.doc = doc;
    for (const cell of this.cells) this.runOf(cell.id);
    this.revision++;
    this.onDocumentChange?.();
  }

  // ---------------------------------------------------------------- editing

  setSource(id: CellId, source: string): void {
    if (this.readOnly) return;
    this.setDoc(updateCellSource(this.doc, id, source));
    const run = this.runOf(id);
    if ((run.status === 'ok' || run.status === 'error') && run.ranSource !== source) run.status = 'stale';
  }

  setName(id: CellId, name: string): void {
    this.setAttribute(id, 'name', name);
  }

  /** Sets (or, with an empty value, removes) one attribute of a cell's info string, e.g. a check's `table=`. */
  setAttribute(id: CellId, key: string, value: string): void {
    if (this.readOnly) return;
    const cell = this.cells.find((c) => c.id === id);
    if (!cell) return;
    const attributes = { ...cell.attributes };
    const trimmed = value.trim();
    if (trimmed === '') delete attributes[key];
    else attributes[key] = trimmed;
    this.setDoc(updateCellAttributes(this.doc, id, attributes));
  }

  /** Replaces a cell's attributes but its name (an export cell's options line, the Export dialog). */
  setAttributes(id: CellId, attributes: Readonly<Record<string, string>>): void {
    if (this.readOnly) return;
    const cell = this.cells.find((c) => c.id === id);
    if (!cell) return;
    const next: Record<string, string> = { ...attributes };
    delete next['name'];
    if (cell.name !== undefined) next['name'] = cell.name;
    this.setDoc(updateCellAttributes(this.doc, id, next));
    const run = this.runOf(id);
    if (run.status === 'ok' || run.status === 'error') run.status = 'stale';
  }

  /** Adds a cell after `afterId` (or at the end) and asks for its editor to take focus. */
  addCell(afterId?: CellId, kind = 'sql', source = '', before = false, attributes: Readonly<Record<string, string>> = {}): CellId | undefined {
    if (this.readOnly) return undefined;
    const blocks = this.doc.blocks;
    const anchor = afterId === undefined ? -1 : blocks.findIndex((b) => b.id === afterId);
    const index = anchor < 0 ? blocks.length : before ? anchor : anchor + 1;
    const next = insertCell(this.doc, index, { kind, source, attributes });
    const id = next.blocks[index]!.id;
    this.setDoc(next);
    this.focusRequest = id;
    return id;
  }

  duplicateCell(id: CellId): void {
    if (this.readOnly) return;
    const cell = this.cells.find((c) => c.id === id);
    if (!cell) return;
    const index = this.doc.blocks.findIndex((b) => b.id === id) + 1;
    const { name: _name, ...attributes } = cell.attributes;
    this.setDoc(insertCell(this.doc, index, { kind: cell.kind, source: cell.source, attributes }));
  }

  removeCell(id: CellId): void {
    if (this.readOnly) return;
    const index = this.doc.blocks.findIndex((b) => b.id === id);
    const cell = this.doc.blocks[index];
    if (!cell || !isCell(cell)) return;
    this.runs.get(id)?.dispose();
    this.runs.delete(id);
    this.lastRemoved = { cell, index };
    this.setDoc(removeCell(this.doc, id));
  }

  undoRemove(): void {
    if (this.readOnly) return;
    const removed = this.lastRemoved;
    if (!removed) return;
    const next = insertCell(this.doc, Math.min(removed.index, this.doc.blocks.length), {
      kind: removed.cell.kind,
      source: removed.cell.source,
      attributes: removed.cell.attributes,
    });
    this.lastRemoved = undefined;
    this.setDoc(next);
  }

  moveCell(id: CellId, delta: -1 | 1): void {
    if (this.readOnly) return;
    const index = this.doc.blocks.findIndex((b) => b.id === id);
    const target = index + delta;
    if (index < 0 || target < 0 || target >= this.doc.blocks.length) return;
    this.setDoc(moveCell(this.doc, id, target));
  }

  // ---------------------------------------------------------------- running

  /** The graph of the runnable cells as they read now; names no cell defines must be tables that exist. */
  async graph(): Promise<DependencyGraph<CellId>> {
    const cells = this.cells.filter(isRunnable);
    const deps = await Promise.all(
      cells.map(async (cell) => {
        const { reads, defines } = await cellKindOf(cell)!.dependencies(cell, this.engine);
        return { id: cell.id, defines, reads: [...reads, ...requiredNames(cell)] };
      }),
    );
    const defined = new Set(deps.flatMap((d) => d.defines.map((n) => n.toLowerCase())));
    await this.tablesCurrent();
    const external = this.tables().map((t) => t.name).filter((n) => !defined.has(n.toLowerCase()));
    const graph = buildGraph(deps, external);
    this.graphErrors = graph.errors;
    return graph;
  }

  /** Runs one cell, then what depends on it (reactive) or marks that stale (lazy). */
  async runCell(id: CellId): Promise<void> {
    if (!this.mayRun(true)) return;
    const graph = await this.graph();
    if (await this.execute(id, graph)) {
      const downstream = downstreamOf(graph, [id]);
      if (this.mode === 'lazy') {
        for (const reader of downstream) this.runOf(reader).status = 'stale';
      } else {
        await this.runInOrder(downstream, graph);
      }
    }
    this.onRunsSettled?.();
  }

  async runAll(): Promise<void> {
    if (!this.mayRun(true)) return;
    const graph = await this.graph();
    await this.runInOrder(graph.order, graph);
    this.onRunsSettled?.();
  }

  /** Runs the cells at these positions (and nothing else), in dependency order: a restored session's results. */
  async rerun(positions: number[]): Promise<void> {
    const wanted = new Set(positions.map((i) => this.cells[i]?.id).filter((id): id is CellId => id !== undefined));
    if (wanted.size === 0 || !this.mayRun(false)) return;
    const graph = await this.graph();
    await this.runInOrder(graph.order.filter((id) => wanted.has(id)), graph);
    this.onRunsSettled?.();
  }

  /** Positions of the cells whose last run succeeded. */
  okPositions(): number[] {
    return this.cells.flatMap((cell, i) => (this.runOf(cell.id).status === 'ok' ? [i] : []));
  }

  /** Every runnable cell above `id` on the page, in dependency order. */
  async runAbove(id: CellId): Promise<void> {
    if (!this.mayRun(true)) return;
    const graph = await this.graph();
    const index = this.cells.findIndex((c) => c.id === id);
    const above = new Set(this.cells.slice(0, Math.max(0, index)).map((c) => c.id));
    await this.runInOrder(graph.order.filter((c) => above.has(c)), graph);
    this.onRunsSettled?.();
  }

  /**
   * The one gate every run passes, before the graph's analysis too (DuckDB's parser evaluates table
   * functions). `explicit`: the user asked for this run (Run all, Run, Shift+Enter).
   */
  private mayRun(explicit: boolean): boolean {
    if (this.trusted) return true;
    if (explicit && this.runIsConsent) {
      this.trusted = true;
      this.onConsent?.();
      return true;
    }
    this.onBlocked?.();
    return false;
  }

  stopAll(): void {
    for (const cell of this.cells) this.runOf(cell.id).stop();
  }

  private async runInOrder(ids: CellId[], graph: DependencyGraph<CellId>): Promise<void> {
    for (const id of ids) this.runOf(id).status = 'queued';
    for (const id of ids) {
      const run = this.runOf(id);
      // A queued cell the user stopped is no longer queued and is skipped.
      if (run.status !== 'queued') continue;
      if (blockingErrors(graph.errors.get(id)).length > 0) {
        await this.execute(id, graph);
        continue;
      }
      const failedUpstream = [...(graph.upstream.get(id) ?? [])].find((up) => this.runOf(up).status !== 'ok');
      if (failedUpstream !== undefined) {
        const name = this.cells.find((c) => c.id === failedUpstream)?.name ?? 'a cell it reads';
        run.fail(new LakebookError('dependency', `Not run: ${name} did not run successfully; fix it first.`));
        continue;
      }
      await this.execute(id, graph);
    }
  }

  private async execute(id: CellId, graph: DependencyGraph<CellId>): Promise<boolean> {
    const cell = this.cells.find((c) => c.id === id);
    if (!cell || !isRunnable(cell) || !this.trusted) return false;
    const run = this.runOf(id);
    const errors = blockingErrors(graph.errors.get(id));
    if (errors.length > 0) {
      run.fail(new LakebookError('dependency', errors.map((e) => e.message).join('\n')));
      return false;
    }
    const blocker = this.blockingRequirement(cell);
    if (blocker) {
      run.fail(new LakebookError('dependency', blocker));
      return false;
    }
    const kind = cellKindOf(cell)!;
    return run.run(cell.source, (signal) =>
      kind.run({
        engine: this.engine,
        cell,
        signal,
        tables: this.tables,
        progress: (progress) => (run.progress = progress),
      }),
    );
  }

  /** Why `requires=` stops this cell now, or undefined when every required cell ran and passed. */
  private blockingRequirement(cell: CellBlock): string | undefined {
    for (const name of requiredNames(cell)) {
      const required = this.cells.find((c) => c.name?.toLowerCase() === name.toLowerCase());
      if (!required) return `Blocked: requires=${name}, but no cell is named ${name}.`;
      const run = this.runOf(required.id);
      if (run.status !== 'ok') return `Blocked: requires ${name}, which has not run successfully; run it first.`;
      if (!run.passed) return `Blocked: requires ${name}, which failed. Fix the data (or the check) and run it again.`;
    }
    return undefined;
  }
}

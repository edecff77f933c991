import type { Engine, RunResult, TableInfo } from '../engine/engine';
import type { CellBlock } from '../notebook/model';

/**
 * The seam between the notebook and one kind of cell (sql, ts, check, export, …). The notebook schedules
 * cells through the dependency graph; a kind says what a cell reads and defines, and how it runs.
 * Kinds depend on the engine and notebook interfaces only (DESIGN §1), never on the UI.
 */
export interface CellKind {
  /** The fence's kind word, lower case (`sql`, `ts`, `check`, `export`). */
  readonly kind: string;
  /** Table names the cell reads and defines (its `name=` included). Never throws for bad source. */
  dependencies(cell: CellBlock, engine: Engine): Promise<CellDependencies>;
  /** Runs the cell. Rejects with a LakebookError the user can act on; honours `context.signal`. */
  run(context: CellRunContext): Promise<CellOutput>;
}

export interface CellDependencies {
  reads: string[];
  defines: string[];
}

export interface CellRunContext {
  engine: Engine;
  cell: CellBlock;
  /** Aborted when the user stops the cell or a newer run replaces this one. */
  signal: AbortSignal;
  /** The tables the engine holds now (files and named cells' results). */
  tables(): TableInfo[];
  /** Optional progress for long runs (exports, TS transforms): shown beside the cell's status. */
  progress(progress: CellProgress): void;
}

export interface CellProgress {
  rows?: number;
  totalRows?: number;
  bytes?: number;
  message?: string;
}

/** What a run produced. Every field is optional: a check has a verdict, an export a manifest, SQL a grid. */
export interface CellOutput {
  /** Rows to show in the result grid. For a named cell, the table downstream cells read. */
  result?: RunResult;
  /** The kind's own payload (a validation result, an export manifest); the kind's view knows its shape. */
  detail?: unknown;
  /** What the cell printed (console.log of a ts cell), in order. */
  logs?: string[];
  /**
   * false when the cell ran but its verdict is negative (a failing check). Cells that name it in
   * `requires=` do not run while it is false.
   */
  passed?: boolean;
}

import type { Component } from 'svelte';
import type { CellBlock } from '../notebook/model';
import type { CellRun } from './cell-state.svelte';
import CheckCell from './CheckCell.svelte';
import SqlCell from './SqlCell.svelte';
import TsCell from './TsCell.svelte';
import ExportCell from './export/ExportCell.svelte';
import type { Workspace } from './workspace.svelte';

/** What every kind's view receives; each wraps CellShell and renders its own output. */
export interface CellViewProps {
  cell: CellBlock;
  run: CellRun;
  workspace: Workspace;
  oncommand: (event: KeyboardEvent, id: CellBlock['id']) => void;
  onescape: () => void;
}

/** The view of each runnable kind (src/cells/registry.ts lists the kinds that run). */
const VIEWS: Readonly<Record<string, Component<CellViewProps>>> = {
  sql: SqlCell,
  check: CheckCell,
  ts: TsCell,
  export: ExportCell,
};

export function cellViewOf(cell: Pick<CellBlock, 'kind'>): Component<CellViewProps> | undefined {
  return VIEWS[cell.kind.toLowerCase()];
}

import type { CellBlock } from '../notebook/model';
import type { CellKind } from './cell-kind';
import { checkCell } from './check/check-cell';
import { exportCell } from './export/export-cell';
import { sqlCell } from './sql/sql-cell';
import { tsCell } from './ts';

/** Every kind this build runs. Kinds not listed are kept verbatim and shown as written (DESIGN §3). */
const KINDS: ReadonlyMap<string, CellKind> = new Map([sqlCell, checkCell, tsCell, exportCell].map((kind) => [kind.kind, kind]));

export function cellKindOf(cell: Pick<CellBlock, 'kind'>): CellKind | undefined {
  return KINDS.get(cell.kind.toLowerCase());
}

/**
 * The cells a cell waits for through `requires=` (comma-separated names): it runs only after them and
 * only while each passed (a check that fails blocks an export, DESIGN §3).
 */
export function requiredNames(cell: Pick<CellBlock, 'attributes'>): string[] {
  return (cell.attributes['requires'] ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

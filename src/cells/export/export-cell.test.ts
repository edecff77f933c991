import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CellProgress } from '../cell-kind';
import type { LakebookEngine } from '../../engine/lakebook-engine';
import { createNodeEngine } from '../../engine/node-engine';
import { parseNotebook } from '../../notebook/format';
import { isCell, type CellBlock } from '../../notebook/model';
import { createMemoryTarget, type MemoryTarget } from '../../storage/export/memory-target';
import { cellKindOf } from '../registry';
import { createExportCell, type ExportCellDetail } from './export-cell';

let engine: LakebookEngine;
beforeAll(async () => {
  engine = createNodeEngine();
  await engine.ready();
  await engine.run("CREATE TABLE sales AS SELECT range AS id, DATE '2024-01-01' + (range % 90)::INTEGER AS day, range % 7 AS store FROM range(9000)");
});
afterAll(() => engine.close());

function cellOf(markdown: string): CellBlock {
  return parseNotebook(markdown).blocks.filter(isCell)[0]!;
}

describe('export cells', () => {
  it('are registered for the notebook, read their source and define nothing', async () => {
    const cell = cellOf('```export from=Sales format=csv to=zip\n```\n');
    expect(cellKindOf(cell)?.kind).toBe('export');
    expect(await cellKindOf(cell)!.dependencies(cell, engine)).toEqual({ reads: ['sales'], defines: [] });
    const query = cellOf('```export format=csv\nSELECT * FROM sales WHERE store = 1\n```\n');
    expect(await cellKindOf(query)!.dependencies(query, engine)).toEqual({ reads: ['sales'], defines: [] });
  });

  it('run the export into the target and hand the manifest to the view, with progress', async () => {
    let target: MemoryTarget | undefined;
    const kind = createExportCell((spec, context) => {
      expect(spec.to).toBe('zip');
      expect(context.sourceLabel).toBe('sales');
      target = createMemoryTarget();
      return target;
    });
    const progress: CellProgress[] = [];
    const cell = cellOf('```export from=sales partition_by=month(day) to=zip\n```\n');
    const output = await kind.run({ engine, cell, signal: new AbortController().signal, tables: () => [], progress: (p) => progress.push(p) });
    const detail = output.detail as ExportCellDetail;
    expect(detail.manifest.rows).toBe(9000);
    expect(detail.manifest.files.map((f) => f.path)).toEqual(['month=1/part-00000.parquet', 'month=2/part-00000.parquet', 'month=3/part-00000.parquet']);
    expect([...target!.files.keys()].at(-1)).toBe('_SUCCESS');
    expect(progress.at(-1)).toMatchObject({ rows: 9000, totalRows: 9000 });
    expect(progress.some((p) => /rows\/s/.test(p.message ?? ''))).toBe(true);
  });

  it('fail with the option at fault', async () => {
    const kind = createExportCell(() => createMemoryTarget());
    const run = (info: string) => kind.run({ engine, cell: cellOf(`\`\`\`export ${info}\n\`\`\`\n`), signal: new AbortController().signal, tables: () => [], progress: () => undefined });
    await expect(run('from=sales buckets=0 bucket_by=store')).rejects.toMatchObject({ code: 'invalid-option', userMessage: expect.stringMatching(/buckets must be a whole number of files from 1/) });
    await expect(run('from=sales partition_by=shop')).rejects.toMatchObject({ userMessage: expect.stringMatching(/no column "shop"/) });
    await expect(run('format=parquet')).rejects.toMatchObject({ userMessage: expect.stringMatching(/Say what to export/) });
  });
});

import { test, expect, openApp, expectTable, addSqlCell, runCell, gridOf, rowCount, rowTexts, gridRow, tableEntry, expectEngineAlive } from './fixtures';

test('a newcomer sees the sample notebook working, and their own files replace it', async ({ page }) => {
  await openApp(page, { sample: true });
  for (const table of ['sales', 'products', 'events']) await expectTable(page, table);
  const cells = page.getByTestId('cell');
  await expect(cells).toHaveCount(3);
  for (let i = 0; i < 3; i++) await expect(cells.nth(i)).toHaveAttribute('data-status', 'ok');
  expect(await rowCount(gridOf(cells.nth(1)))).toBeGreaterThan(0);

  await page.getByTestId('add-files').setInputFiles([{ name: 'sales.csv', mimeType: 'text/csv', buffer: Buffer.from('id,total\n1,10\n2,20\n') }]);
  await expect(tableEntry(page, 'sales')).toHaveAttribute('data-row-count', '2');
  await expect(tableEntry(page, 'products')).toHaveCount(0);
  await expect(cells).toHaveCount(0);
});

test('NDJSON and TSV load through the picker with inferred types', async ({ page }) => {
  await openApp(page);
  const ndjson = ['{"id": 1, "at": "2024-05-01T10:00:00Z", "tags": ["a"], "score": 1.5}', '{"id": 2, "at": "2024-05-02T11:30:00+02:00", "score": null}', ''].join('\n');
  await page.getByTestId('add-files').setInputFiles([
    { name: 'clicks.ndjson', mimeType: 'application/x-ndjson', buffer: Buffer.from(ndjson) },
    { name: 'regions.tsv', mimeType: 'text/tab-separated-values', buffer: Buffer.from('code\tname\nKR\tKorea\nFR\tFrance\n') },
  ]);
  await expect(await expectTable(page, 'clicks')).toHaveAttribute('data-row-count', '2');
  await expect(await expectTable(page, 'regions')).toHaveAttribute('data-row-count', '2');
  const cell = await addSqlCell(page, 'SELECT id, "at", tags, score FROM clicks ORDER BY id');
  expect(await runCell(cell)).toBe('ok');
  const grid = gridOf(cell);
  await expect(grid.getByRole('columnheader', { name: /at.*TIMESTAMP/ })).toBeVisible();
  expect(await rowTexts(gridRow(grid, 3))).toEqual(['2', '2024-05-02 09:30:00', 'NULL', 'NULL']);
});

test('files dropped on the page load as tables', async ({ page }) => {
  await openApp(page);
  const dataTransfer = await page.evaluateHandle(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['k,v\n1,a\n2,b\n3,c\n'], 'dropped.csv', { type: 'text/csv' }));
    return transfer;
  });
  await page.dispatchEvent('body', 'dragenter', { dataTransfer });
  await page.dispatchEvent('body', 'drop', { dataTransfer });
  await expect(await expectTable(page, 'dropped')).toHaveAttribute('data-row-count', '3');
});

test('CSV options re-import a table with a chosen type', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('add-files').setInputFiles([{ name: 'zips.csv', mimeType: 'text/csv', buffer: Buffer.from('code;price\nA;1.50\nB;2.25\n') }]);
  const entry = await expectTable(page, 'zips');
  const first = await addSqlCell(page, 'SELECT price FROM zips ORDER BY code');
  expect(await runCell(first)).toBe('ok');
  expect(await rowTexts(gridRow(gridOf(first), 2))).toEqual(['1.5']);

  await entry.getByTestId('csv-options-open').click();
  await page.getByTestId('csv-types').fill('price: VARCHAR');
  await page.getByTestId('csv-apply').click();
  await expect(page.getByTestId('csv-options')).toHaveCount(0);
  const second = await addSqlCell(page, 'SELECT price FROM zips ORDER BY code');
  expect(await runCell(second)).toBe('ok');
  expect(await rowTexts(gridRow(gridOf(second), 2))).toEqual(['1.50']);
  await expect(entry).toHaveAttribute('data-row-count', '2');
  await expectEngineAlive(page);
});

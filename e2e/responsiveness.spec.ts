import { test, expect, openApp, addSqlCell, runCell, gridOf, rowCount } from './fixtures';

// The engine runs in a worker and a long query is many short polls, so the page keeps painting.
// A requestAnimationFrame probe measures the gaps between frames while a 10M-row aggregate runs
// (from the frame where the cell shows `running` to the frame where it no longer does).

declare global {
  interface Window {
    __frameProbe?: { maxGap: number; frames: number; running: boolean; long: string[] };
  }
}

test('the page keeps painting during a 10M-row aggregate', async ({ page }, testInfo) => {
  await openApp(page);
  const build = await addSqlCell(page, 'CREATE TABLE big AS SELECT i, i % 1000 AS k, (i * 7919) % 10007 AS v FROM range(10000000) t(i)');
  expect(await runCell(build, { timeout: 120_000 })).toBe('ok');

  const aggregate = await addSqlCell(page, 'SELECT k, count(*) AS n, sum(v) AS total, avg(v) AS mean FROM big GROUP BY k ORDER BY k');
  await aggregate.evaluate((cell) => {
    const probe = { maxGap: 0, frames: 0, running: true, long: [] as string[] };
    window.__frameProbe = probe;
    let last = performance.now();
    let wasRunning = false;
    const tick = (now: number) => {
      if (wasRunning) {
        const gap = now - last;
        probe.frames++;
        probe.maxGap = Math.max(probe.maxGap, gap);
        if (gap > 40) probe.long.push(`${Math.round(gap)}`);
      }
      wasRunning = cell.getAttribute('data-status') === 'running';
      last = now;
      if (probe.running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const started = Date.now();
  expect(await runCell(aggregate, { timeout: 120_000 })).toBe('ok');
  const elapsed = Date.now() - started;
  const probe = await page.evaluate(() => {
    window.__frameProbe!.running = false;
    return window.__frameProbe!;
  });
  expect(await rowCount(gridOf(aggregate))).toBe(1000);
  await expect(gridOf(aggregate).getByRole('row').nth(1).getByRole('gridcell').nth(1)).toHaveText(/^10,?000$/);

  const report =
    `10M-row aggregate: ${elapsed} ms, ${probe.frames} frames while running, ` +
    `longest gap ${probe.maxGap.toFixed(1)} ms (gaps over 40 ms: ${probe.long.join(', ') || 'none'})`;
  console.log(report);
  testInfo.annotations.push({ type: 'frame-gap', description: report });
  expect(probe.frames, 'frames were painted while the query ran').toBeGreaterThan(3);
  expect(probe.maxGap, report).toBeLessThan(100);
});

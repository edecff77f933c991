import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { test, expect, openApp, addSqlCell, expectTable, gridOf, rowCount, runCell } from './fixtures';

/**
 * The seed's three Great Expectations checks (docs: the seed notebook's "데이터 품질 규칙 정의"), on a
 * 1M-row table with bad rows injected at known positions. The expected answers are computed here in
 * JavaScript from the same formulas, independently of DuckDB.
 */
const N = 1_000_000;
const EMAIL_REGEX = '^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}$';

function rowAt(i: number): { customer_id: number | null; age: number | null; email: string } {
  return {
    customer_id: i % 99991 === 7 ? null : i + 1,
    age: i % 1000 === 999 ? null : i % 50000 === 123 ? 150 + (i % 7) : i % 333333 === 5 ? -1 : 18 + ((i * 7) % 80),
    email: i % 40000 === 777 ? `user${i}@example` : i % 250000 === 4242 ? `user ${i}@example.com` : `user${i}@example.com`,
  };
}

interface Expected {
  unexpected: number;
  nonNull: number;
  values: (number | string | null)[];
  indexes: number[];
}

function expectedFor(column: 'customer_id' | 'age' | 'email'): Expected {
  const regex = new RegExp(EMAIL_REGEX);
  const out: Expected = { unexpected: 0, nonNull: 0, values: [], indexes: [] };
  for (let i = 0; i < N; i++) {
    const value = rowAt(i)[column];
    let fails: boolean;
    if (column === 'customer_id') fails = value === null;
    else if (value === null) continue;
    else fails = column === 'age' ? (value as number) < 0 || (value as number) > 120 : !regex.test(value as string);
    if (value !== null) out.nonNull++;
    if (!fails) continue;
    out.unexpected++;
    if (out.values.length < 20) {
      out.values.push(value);
      out.indexes.push(i);
    }
  }
  return out;
}

const CUSTOMERS_SQL = `SELECT
  CASE WHEN i % 99991 = 7 THEN NULL ELSE i + 1 END AS customer_id,
  CASE WHEN i % 1000 = 999 THEN NULL WHEN i % 50000 = 123 THEN 150 + i % 7 WHEN i % 333333 = 5 THEN -1 ELSE 18 + (i * 7) % 80 END AS age,
  CASE WHEN i % 40000 = 777 THEN 'user' || i || '@example' WHEN i % 250000 = 4242 THEN 'user ' || i || '@example.com' ELSE 'user' || i || '@example.com' END AS email
FROM range(${N}) AS r(i)`;

const NOTEBOOK = `# Customers

\`\`\`sql name=customers cache=true
${CUSTOMERS_SQL}
\`\`\`

The seed's checks, pasted as they were written for pandas:

\`\`\`check name=customers_ok table=customers
expectation_suite = df_ge.expect_column_values_to_not_be_null("customer_id")
expectation_suite = df_ge.expect_column_values_to_be_between("age", 0, 120)
expectation_suite = df_ge.expect_column_values_to_match_regex("email", r'${EMAIL_REGEX}')
\`\`\`

\`\`\`sql name=mailing requires=customers_ok
SELECT count(*) AS recipients FROM customers
\`\`\`
`;

async function openNotebook(page: Page, text: string, name: string): Promise<void> {
  await page.getByTestId('open-notebook').setInputFiles([{ name, mimeType: 'text/markdown', buffer: Buffer.from(text) }]);
}

function cellNamed(page: Page, name: string): Locator {
  return page.locator(`[data-testid=cell][data-cell-name="${name}"]`);
}

/** CellShell's elapsed label ("840 ms", "1.25 s") in milliseconds. */
async function elapsedMs(cell: Locator): Promise<number> {
  const text = (await cell.getByTestId('cell-elapsed').innerText()).trim();
  const ms = /^([\d.]+) ms$/.exec(text);
  if (ms) return Number(ms[1]);
  const s = /^([\d.]+) s$/.exec(text);
  if (s) return Number(s[1]) * 1000;
  const min = /^(\d+) min (\d+) s$/.exec(text);
  if (min) return Number(min[1]) * 60_000 + Number(min[2]) * 1000;
  throw new Error(`unreadable elapsed time "${text}"`);
}

async function runByButton(cell: Locator): Promise<void> {
  await cell.getByTestId('run-cell').click();
  await expect(cell).toHaveAttribute('data-status', /^(running|queued)$/, { timeout: 10_000 }).catch(() => undefined);
  await expect(cell).toHaveAttribute('data-status', /^(ok|error)$/, { timeout: 120_000 });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

test('the seed\'s three checks on 1M rows: exact counts and samples, JSON download, requires= gating, speed', async ({ page }, testInfo) => {
  test.setTimeout(420_000);
  await openApp(page);
  await openNotebook(page, NOTEBOOK, 'customers.lakebook.md');
  const customers = cellNamed(page, 'customers');
  const check = cellNamed(page, 'customers_ok');
  const mailing = cellNamed(page, 'mailing');
  await expect(check).toHaveAttribute('data-cell-kind', 'check');

  await page.getByTestId('run-all').click();
  await expect(customers).toHaveAttribute('data-status', 'ok', { timeout: 180_000 });
  await expect(check).toHaveAttribute('data-status', 'ok', { timeout: 180_000 });
  await expect(mailing).toHaveAttribute('data-status', 'error', { timeout: 60_000 });
  await expectTable(page, 'customers');

  // The verdict and each expectation with its counts.
  const result = check.getByTestId('check-result');
  await expect(result).toHaveAttribute('data-success', 'false');
  const expectations = result.getByTestId('check-expectation');
  await expect(expectations).toHaveCount(3);
  const expected = { customer_id: expectedFor('customer_id'), age: expectedFor('age'), email: expectedFor('email') };
  expect([expected.customer_id.unexpected, expected.age.unexpected, expected.email.unexpected]).toEqual([11, 23, 29]);
  await expect(expectations.nth(0)).toHaveAttribute('data-unexpected-count', '11');
  await expect(expectations.nth(1)).toHaveAttribute('data-unexpected-count', '23');
  await expect(expectations.nth(2)).toHaveAttribute('data-unexpected-count', '29');
  await expect(expectations.nth(0).getByTestId('check-counts')).toHaveText('11 of 1,000,000 rows fail (0.0011%)');
  await expect(expectations.nth(1).getByTestId('check-counts')).toHaveText('23 of 999,000 non-null rows fail (0.0023%) · 1,000 null');
  await expect(expectations.nth(2).getByTestId('check-counts')).toHaveText('29 of 1,000,000 non-null rows fail (0.0029%)');

  // The first failing rows of the age expectation, in table order.
  const ageSample = expectations.nth(1).getByTestId('check-sample');
  await expect(ageSample.locator('tbody tr')).toHaveCount(20);
  const firstRows = await ageSample.locator('tbody tr').evaluateAll((rows) =>
    rows.slice(0, 3).map((row) => Array.from(row.querySelectorAll('th, td')).map((c) => (c.textContent ?? '').trim())),
  );
  expect(firstRows).toEqual(
    expected.age.indexes.slice(0, 3).map((i) => {
      const r = rowAt(i);
      return [String(i), String(r.customer_id), String(r.age), r.email];
    }),
  );

  // Blocked while the check fails.
  await expect(mailing.getByTestId('cell-error')).toContainText('Blocked: requires customers_ok, which failed');
  await check.screenshot({ path: testInfo.outputPath('check-failing.png') });
  await mailing.screenshot({ path: testInfo.outputPath('blocked.png') });

  // The downloaded JSON: GE's keys and types, and the exact answers.
  const downloading = page.waitForEvent('download');
  await check.getByTestId('download-check-result').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('customers_ok.validation.json');
  const json = JSON.parse(readFileSync((await download.path())!, 'utf8')) as Record<string, unknown>;
  expect(Object.keys(json).sort()).toEqual(['meta', 'results', 'statistics', 'success', 'suite_name', 'suite_parameters']);
  expect(json['success']).toBe(false);
  expect(json['suite_name']).toBe('customers_ok');
  expect(json['statistics']).toEqual({ evaluated_expectations: 3, successful_expectations: 0, unsuccessful_expectations: 3, success_percent: 0 });
  const results = json['results'] as Record<string, Record<string, unknown>>[];
  for (const r of results) {
    expect(Object.keys(r).sort()).toEqual(['exception_info', 'expectation_config', 'meta', 'result', 'success']);
    expect(typeof r['success']).toBe('boolean');
    expect(r['exception_info']).toEqual({ raised_exception: false, exception_traceback: null, exception_message: null });
    expect(typeof r['result']!['element_count']).toBe('number');
    expect(Array.isArray(r['result']!['partial_unexpected_list'])).toBe(true);
    expect(Array.isArray(r['result']!['partial_unexpected_counts'])).toBe(true);
  }
  expect(results[0]!['expectation_config']).toEqual({ type: 'expect_column_values_to_not_be_null', kwargs: { column: 'customer_id' }, meta: {} });
  expect(results[0]!['result']).toMatchObject({
    element_count: N,
    unexpected_count: 11,
    unexpected_percent: (11 / N) * 100,
    partial_unexpected_list: expected.customer_id.values,
    partial_unexpected_index_list: expected.customer_id.indexes,
  });
  expect(results[1]!['result']).toMatchObject({
    element_count: N,
    missing_count: 1000,
    missing_percent: (1000 / N) * 100,
    unexpected_count: 23,
    unexpected_percent: (23 / expected.age.nonNull) * 100,
    unexpected_percent_total: (23 / N) * 100,
    unexpected_percent_nonmissing: (23 / expected.age.nonNull) * 100,
    partial_unexpected_list: expected.age.values,
    partial_unexpected_index_list: expected.age.indexes,
  });
  expect(results[2]!['expectation_config']).toMatchObject({ type: 'expect_column_values_to_match_regex', kwargs: { column: 'email', regex: EMAIL_REGEX } });
  expect(results[2]!['result']).toMatchObject({ unexpected_count: 29, missing_count: 0, partial_unexpected_list: expected.email.values, partial_unexpected_index_list: expected.email.indexes });

  // "Open all failing rows" makes a SQL cell selecting every failing row.
  const cells = page.getByTestId('cell');
  const before = await cells.count();
  await expectations.nth(1).getByTestId('open-failing-rows').click();
  await expect(cells).toHaveCount(before + 1);
  const failing = cells.nth((await cells.evaluateAll((all) => all.findIndex((c) => c.getAttribute('data-cell-name') === 'customers_ok'))) + 1);
  await expect(failing).toHaveAttribute('data-cell-kind', 'sql');
  expect(await runCell(failing)).toBe('ok');
  expect(await rowCount(gridOf(failing))).toBe(23);

  // Speed: the check against one count(*) scan and against the same predicates written by hand.
  const timings = { check: [] as number[], countStar: [] as number[], handWritten: [] as number[] };
  const countStar = await addSqlCell(page, 'SELECT count(*) FROM customers');
  const handWritten = await addSqlCell(
    page,
    `SELECT count(*) - count(customer_id) AS null_ids, count_if(age < 0 OR age > 120) AS bad_ages, count_if(NOT regexp_matches(email, '${EMAIL_REGEX}')) AS bad_emails FROM customers`,
  );
  // The order rotates each round: DuckDB's WebAssembly is still being optimized in a fresh page, which
  // would otherwise always favour the cell that runs last (bench/quality-bench.ts does the same).
  const measured: (() => Promise<void>)[] = [
    async () => {
      await runByButton(check);
      timings.check.push(await elapsedMs(check));
    },
    async () => {
      expect(await runCell(countStar)).toBe('ok');
      timings.countStar.push(await elapsedMs(countStar));
    },
    async () => {
      expect(await runCell(handWritten)).toBe('ok');
      timings.handWritten.push(await elapsedMs(handWritten));
    },
  ];
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < measured.length; i++) await measured[(round + i) % measured.length]!();
  }
  const speed = {
    rows: N,
    checkMs: median(timings.check),
    countStarMs: median(timings.countStar),
    handWrittenMs: median(timings.handWritten),
    ratioToCountStar: Number((median(timings.check) / median(timings.countStar)).toFixed(2)),
    ratioToHandWritten: Number((median(timings.check) / median(timings.handWritten)).toFixed(2)),
    samples: timings,
  };
  console.log(`check speed: ${JSON.stringify(speed)}`);
  testInfo.annotations.push({ type: 'check-speed', description: JSON.stringify(speed) });
  await testInfo.attach('check-speed.json', { body: JSON.stringify(speed, null, 2), contentType: 'application/json' });

  // Fix the data, re-run the check: it passes and the blocked cell runs.
  const fix = await addSqlCell(
    page,
    `UPDATE customers SET
  customer_id = coalesce(customer_id, -1),
  age = CASE WHEN age < 0 OR age > 120 THEN NULL ELSE age END,
  email = replace(regexp_replace(email, '@example$', '@example.com'), ' ', '')`,
  );
  expect(await runCell(fix)).toBe('ok');
  await runByButton(check);
  await expect(result).toHaveAttribute('data-success', 'true');
  await expect(check.getByTestId('check-result').getByTestId('check-expectation').nth(1)).toHaveAttribute('data-unexpected-count', '0');
  await expect(mailing).toHaveAttribute('data-status', 'ok', { timeout: 60_000 });
  await expect(gridOf(mailing).getByRole('gridcell').first()).toHaveText(/1,?000,?000/);
  await check.screenshot({ path: testInfo.outputPath('check-passing.png') });
});

test('errors in a check point at the line', async ({ page }) => {
  await openApp(page);
  await openNotebook(
    page,
    [
      '```sql name=people cache=true',
      "SELECT * FROM (VALUES (1, 'ann@example.com'), (2, NULL)) AS t(id, email)",
      '```',
      '',
      '```check name=typo table=people',
      'not_null(id)',
      'expect_column_values_to_be_betwen("id", 0, 10)',
      '```',
      '',
      '```check name=regex table=people',
      '- type: expect_column_values_to_not_be_null',
      '  kwargs: {column: email}',
      '- type: expect_column_values_to_match_regex',
      "  kwargs: {column: email, regex: '(?=@)x'}",
      '```',
      '',
      '```check name=yaml table=people',
      '- type: expect_column_to_exist',
      '  kwargs: {column: id',
      '- type: expect_column_to_exist',
      '```',
      '',
      '```check name=missing table=people',
      'not_null(emial)',
      '```',
    ].join('\n'),
    'errors.lakebook.md',
  );
  await page.getByTestId('run-all').click();
  const errorOf = async (name: string) => {
    const cell = cellNamed(page, name);
    await expect(cell).toHaveAttribute('data-status', 'error', { timeout: 60_000 });
    return cell.getByTestId('cell-error');
  };
  await expect(await errorOf('typo')).toContainText('Line 2: unknown expectation "expect_column_values_to_be_betwen"; did you mean expect_column_values_to_be_between?');
  await expect(await errorOf('regex')).toContainText('Line 4: the regex cannot run in DuckDB: it uses a lookahead');
  await expect(await errorOf('yaml')).toContainText('Line 3: this is not valid YAML');
  await expect(await errorOf('missing')).toContainText('Line 1: column "emial" does not exist in people; did you mean "email"?');
});

test('profile a table and suggest expectations that pass', async ({ page }, testInfo) => {
  await openApp(page);
  await page.getByTestId('add-files').setInputFiles([
    {
      name: 'orders.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(['id,status,amount,day', '1,new,10.5,2024-01-01', '2,shipped,20,2024-01-02', '3,new,,2024-01-03', '4,done,7.25,2024-01-05', '5,new,3,2024-01-09', ''].join('\n')),
    },
  ]);
  const entry = await expectTable(page, 'orders');
  await entry.getByTestId('table-profile').click();
  const dialog = page.getByTestId('profile-dialog');
  await expect(dialog).toBeVisible();
  const amount = dialog.locator('[data-testid=profile-column][data-column=amount]');
  await expect(amount.locator('[data-stat=nulls]')).toHaveText('1 (20%)');
  await expect(dialog.locator('[data-testid=profile-column][data-column=status] [data-stat=distinct]')).toHaveText('3');
  await dialog.screenshot({ path: testInfo.outputPath('profile.png') });
  await dialog.getByTestId('suggest-expectations').click();
  await expect(dialog).toBeHidden();
  const check = page.locator('[data-testid=cell][data-cell-kind=check]');
  await expect(check).toHaveCount(1);
  await expect(check.getByTestId('check-table')).toHaveValue('orders');
  expect(await runCell(check)).toBe('ok');
  await expect(check.getByTestId('check-result')).toHaveAttribute('data-success', 'true');
  await expect(check.getByTestId('check-expectation').filter({ hasText: 'status in {done, new, shipped}' })).toHaveCount(1);
});

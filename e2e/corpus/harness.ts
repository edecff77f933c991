// The page a group of corpus cases runs on, and the checks every case ends with (docs/corpus.md):
// an actionable message (the case's own assertion), `SELECT 42` answers, no uncaught page error, no
// dialog, no request outside the origin, nothing injected or executed, the notebook text as typed,
// and the tables loaded before the case still there.

import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { expect, expectEditorText, gridOf, gridRow, openApp, rowTexts, runCell, tableEntry } from '../fixtures';
import { corpusFile, type CorpusFileName } from './files';

/** The notebook every file and SQL case runs in: the case cell (its text is replaced per case) and the probe. */
export const HARNESS_PREFIX = `---
title: Hostile input corpus
---
# Corpus

Prose above the cells, which no case may change.

`;
export const PROBE_SQL = 'SELECT 42 AS answer';

/** The case cell a group starts with: its fence info string and its text. */
export interface CaseCell {
  fence: string;
  text: string;
}
/** The harness notebook: the case cell (a `caseFence` cell, SQL unless a group says otherwise) and the probe. */
const harnessText = (caseSql: string, caseFence = 'sql') =>
  `${HARNESS_PREFIX}\`\`\`${caseFence}\n${caseSql === '' ? '' : `${caseSql}\n`}\`\`\`\n\n\`\`\`sql\n${PROBE_SQL}\n\`\`\`\n`;

declare global {
  interface Window {
    __pwned?: unknown;
  }
}

/** Elements and attributes that would mean data was turned into markup. */
const INJECTED = [
  // Notebook prose may hold a (sanitized) <img src="x">: it is Markdown, not data.
  'img[src="x"]:not([data-testid=prose] img)',
  '[onerror]',
  '[onload]',
  '[onmouseover]',
  '[ontoggle]',
  '[onbegin]',
  'iframe',
  'object',
  'embed',
  'main script',
  'aside script',
  'a[href^="javascript:" i]',
  'form[action^="javascript:" i]',
].join(', ');

export class CorpusPage {
  readonly pageErrors: string[] = [];
  readonly dialogs: string[] = [];
  readonly outside: string[] = [];
  /** Tables that must keep their row counts through every later case. */
  readonly keep = new Map<string, number>();
  private caseSql: string;
  private readonly caseFence: string;
  private marks = { errors: 0, dialogs: 0, outside: 0 };

  /** `caseCell`: the case cell's info string and first text, e.g. a `ts timeout=5` cell for the TS group. */
  constructor(
    readonly page: Page,
    caseCell: CaseCell = { fence: 'sql', text: 'SELECT 1' },
  ) {
    this.caseFence = caseCell.fence;
    this.caseSql = caseCell.text;
    page.on('pageerror', (error) => this.pageErrors.push(`${error.name}: ${error.message}`));
    page.on('dialog', (dialog) => {
      this.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on('request', (request) => {
      const url = request.url();
      if (/^(data|blob):/.test(url)) return;
      if (new URL(url).origin !== new URL(page.url() || 'http://127.0.0.1').origin) this.outside.push(url);
    });
  }

  /** Opens the app with the harness notebook (case cell + probe). */
  async open(): Promise<void> {
    await openApp(this.page);
    await this.openNotebook(harnessText(this.caseSql, this.caseFence), 'corpus.lakebook.md');
    await expect(this.page.getByTestId('cell')).toHaveCount(2);
    await this.dismissNotices();
  }

  async openNotebook(text: string, name: string): Promise<void> {
    await this.page.getByTestId('open-notebook').setInputFiles([{ name, mimeType: 'text/markdown', buffer: Buffer.from(text) }]);
  }

  get caseCell(): Locator {
    return this.page.getByTestId('cell').first();
  }

  get probeCell(): Locator {
    return this.page.getByTestId('cell').nth(1);
  }

  /** The same checks for another tab of the same context (it shares the notebook). */
  attach(other: Page): CorpusPage {
    const tab = new CorpusPage(other, { fence: this.caseFence, text: this.caseSql });
    return tab;
  }

  file(name: CorpusFileName): string {
    return corpusFile(name);
  }

  async waitReady(): Promise<void> {
    await this.page.waitForFunction(() => window.__lakebook?.isReady === true, undefined, { timeout: 120_000 });
  }

  currentCaseSql(): string {
    return this.caseSql;
  }

  /** The case cell shows `sql` (after a reload or in another tab). */
  async expectCaseSql(sql: string): Promise<void> {
    await expect(this.page.getByTestId('cell')).toHaveCount(2);
    await expectEditorText(this.caseCell, new RegExp(`^${escapeRegExp(sql).replace(/ /g, ' \n?')}$`));
    this.caseSql = sql;
  }

  async runProbe(): Promise<'ok' | 'error'> {
    return runCell(this.probeCell);
  }

  /** Starts a case: later checks look only at what happened from here. */
  begin(): void {
    this.marks = { errors: this.pageErrors.length, dialogs: this.dialogs.length, outside: this.outside.length };
  }

  /** Replaces the case cell's text as a person would (select all, type). */
  async setCaseSql(sql: string): Promise<void> {
    const editor = this.caseCell.getByTestId('cell-editor');
    await editor.click();
    await this.page.keyboard.press('ControlOrMeta+A');
    if (sql === '') await this.page.keyboard.press('Delete');
    else await this.page.keyboard.insertText(sql);
    this.caseSql = sql;
    // Monaco wraps a long line into several drawn lines; the downloaded notebook is the exact check.
    await expectEditorText(this.caseCell, new RegExp(`^${escapeRegExp(sql).replace(/ /g, ' \n?')}$`));
  }

  /** Runs `sql` in the case cell; returns the status it ended with. */
  async runSql(sql: string, timeout = 100_000): Promise<'ok' | 'error'> {
    await this.setCaseSql(sql);
    return runCell(this.caseCell, { timeout });
  }

  caseError(): Locator {
    return this.caseCell.getByTestId('cell-error');
  }

  /** Runs `sql` and compares the grid with `rows` (every value as the grid shows it), and optionally the column names. */
  async expectRows(sql: string, rows: string[][], headers?: string[]): Promise<void> {
    const status = await this.runSql(sql);
    if (status !== 'ok') throw new Error(`"${sql}" failed: ${await this.caseError().innerText()}`);
    const grid = gridOf(this.caseCell);
    await expect(grid).toHaveAttribute('aria-rowcount', String(rows.length + 1));
    for (const [i, expected] of rows.entries()) {
      expect(await rowTexts(gridRow(grid, i + 2)), `row ${i + 1} of ${sql}`).toEqual(expected);
    }
    if (headers) {
      const names = await grid.getByRole('columnheader').locator('.name').allInnerTexts();
      expect(names, `column names of ${sql}`).toEqual(headers);
    }
  }

  /** The notebook as "Download .md" saves it. */
  async downloadedText(): Promise<string> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.page.getByTestId('download-notebook').click()]);
    return readFileSync(await download.path(), 'utf8');
  }

  async dismissNotices(): Promise<void> {
    const buttons = this.page.locator('.notices button[aria-label=Dismiss]');
    for (let n = await buttons.count(); n > 0; n--) await buttons.first().click();
  }

  /** The checks every case ends with. `expectedText` defaults to the harness notebook with the case cell's text. */
  async expectInvariants({ expectedText, probe = this.probeCell }: { expectedText?: string; probe?: Locator } = {}): Promise<void> {
    const status = await runCell(probe);
    expect(status, 'SELECT 42 should still run').toBe('ok');
    await expect(gridOf(probe).getByRole('gridcell', { name: '42', exact: true })).toBeVisible();
    expect(await this.downloadedText(), 'the notebook text is what the user typed').toBe(expectedText ?? harnessText(this.caseSql, this.caseFence));
    expect(this.pageErrors.slice(this.marks.errors), 'no uncaught page error').toEqual([]);
    expect(this.dialogs.slice(this.marks.dialogs), 'no dialog opened').toEqual([]);
    expect(this.outside.slice(this.marks.outside), 'no request outside the origin').toEqual([]);
    expect(await this.page.evaluate(() => window.__pwned), 'no payload ran (window.__pwned)').toBeUndefined();
    expect(await this.page.locator(INJECTED).count(), 'no element injected from data').toBe(0);
    for (const [table, rows] of this.keep) {
      await expect(tableEntry(this.page, table), `${table} is still loaded`).toHaveAttribute('data-row-count', String(rows));
    }
    await this.dismissNotices();
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

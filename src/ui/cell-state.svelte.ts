import type { CellOutput, CellProgress } from '../cells/cell-kind';
import type { Engine, RunResult } from '../engine/engine';
import { LakebookError, isLakebookError } from '../engine/errors';

export type CellStatus = 'idle' | 'queued' | 'running' | 'ok' | 'error' | 'stale';

/**
 * The run state of one cell (marimo keeps CellRuntimeState apart from the cell's code the same way):
 * status, last result or error, timing. The code itself lives in the notebook document.
 */
export class CellRun {
  status = $state<CellStatus>('idle');
  /** The last successful run's output; `result` is its grid. */
  output = $state.raw<CellOutput | undefined>(undefined);
  progress = $state.raw<CellProgress | undefined>(undefined);
  error = $state<LakebookError | undefined>(undefined);
  elapsedMs = $state<number | undefined>(undefined);
  startedAt = $state<number | undefined>(undefined);
  /** The source text of the last run, to tell an edited cell from one that ran as it reads. */
  ranSource: string | undefined;
  constructor(private readonly engine: Engine) {}

  /** Bumped on every run so a late answer from an older run never overwrites a newer one. */
  private version = 0;
  private controller: AbortController | undefined;

  get result(): RunResult | undefined {
    return this.output?.result;
  }

  /** Ran, and its verdict (a check's) is not negative. */
  get passed(): boolean {
    return this.status === 'ok' && this.output?.passed !== false;
  }

  get running(): boolean {
    return this.status === 'running' || this.status === 'queued';
  }

  /** Runs `execute` as this cell's current run; a newer run or `stop()` aborts its signal. */
  async run(source: string, execute: (signal: AbortSignal) => Promise<CellOutput>): Promise<boolean> {
    const version = ++this.version;
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const previous = this.result;
    this.status = 'running';
    this.error = undefined;
    this.progress = undefined;
    this.startedAt = performance.now();
    this.ranSource = source;
    try {
      const output = await execute(controller.signal);
      if (version !== this.version) {
        if (output.result) await this.engine.releaseResult(output.result);
        return false;
      }
      this.output = output;
      this.elapsedMs = output.result?.elapsedMs ?? performance.now() - this.startedAt;
      this.status = 'ok';
      return true;
    } catch (error) {
      if (version !== this.version) return false;
      this.output = undefined; // `previous` is released below, not twice by fail()
      this.fail(error);
      return false;
    } finally {
      if (previous) void this.engine.releaseResult(previous);
      if (this.controller === controller) this.controller = undefined;
    }
  }

  /** Puts the cell in error without running it (a graph error, a failed upstream cell). */
  fail(error: unknown): void {
    this.version++;
    if (this.result) void this.engine.releaseResult(this.result);
    this.output = undefined;
    this.error = isLakebookError(error)
      ? error
      : new LakebookError('internal', error instanceof Error ? error.message : String(error), { cause: error });
    this.elapsedMs = this.startedAt === undefined ? undefined : performance.now() - this.startedAt;
    this.status = 'error';
  }

  stop(): void {
    if (this.status === 'queued') this.status = this.result ? 'stale' : 'idle';
    this.controller?.abort();
  }

  /** Frees the engine-side result when the cell goes away. */
  dispose(): void {
    this.version++;
    this.controller?.abort();
    if (this.result) void this.engine.releaseResult(this.result);
  }
}

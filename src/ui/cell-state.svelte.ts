import type { Engine, RunOptions, RunResult } from '../engine/engine';
import { LakebookError, isLakebookError } from '../engine/errors';

export type CellStatus = 'idle' | 'queued' | 'running' | 'ok' | 'error' | 'stale';

/**
 * The run state of one cell (marimo keeps CellRuntimeState apart from the cell's code the same way):
 * status, last result or error, timing. The code itself lives in the notebook document.
 */
export class CellRun {
  status = $state<CellStatus>('idle');
  result = $state<RunResult | undefined>(undefined);
  error = $state<LakebookError | undefined>(undefined);
  elapsedMs = $state<number | undefined>(undefined);
  startedAt = $state<number | undefined>(undefined);
  /** The source text of the last run, to tell an edited cell from one that ran as it reads. */
  ranSource: string | undefined;
  /** Bumped on every run so a late answer from an older run never overwrites a newer one. */
  private version = 0;
  private controller: AbortController | undefined;

  get running(): boolean {
    return this.status === 'running' || this.status === 'queued';
  }

  async run(engine: Engine, source: string, options: Omit<RunOptions, 'signal'> = {}): Promise<boolean> {
    const version = ++this.version;
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const previous = this.result;
    this.status = 'running';
    this.error = undefined;
    this.startedAt = performance.now();
    this.ranSource = source;
    try {
      const result = await engine.run(source, { ...options, signal: controller.signal });
      if (version !== this.version) {
        await engine.releaseResult(result);
        return false;
      }
      this.result = result;
      this.elapsedMs = result.elapsedMs;
      this.status = 'ok';
      return true;
    } catch (error) {
      if (version !== this.version) return false;
      this.fail(error);
      return false;
    } finally {
      if (previous) void engine.releaseResult(previous);
      if (this.controller === controller) this.controller = undefined;
    }
  }

  /** Puts the cell in error without running it (a graph error, a failed upstream cell). */
  fail(error: unknown): void {
    this.version++;
    this.result = undefined;
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
  dispose(engine: Engine): void {
    this.version++;
    this.controller?.abort();
    if (this.result) void engine.releaseResult(this.result);
  }
}

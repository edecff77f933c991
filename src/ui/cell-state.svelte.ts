import type { Engine, RunResult } from '../engine/engine';
import { LakebookError, isLakebookError } from '../engine/errors';

export type CellStatus = 'idle' | 'queued' | 'running' | 'ok' | 'error' | 'stale';

let nextCellNumber = 1;

/** One SQL cell: its text, and the state of its last run. */
export class SqlCellState {
  readonly id = `cell-${nextCellNumber++}`;
  source = $state('');
  status = $state<CellStatus>('idle');
  result = $state<RunResult | undefined>(undefined);
  error = $state<LakebookError | undefined>(undefined);
  elapsedMs = $state<number | undefined>(undefined);
  startedAt = $state<number | undefined>(undefined);
  /** Bumped on every run so a late answer from an older run never overwrites a newer one. */
  private version = 0;
  private controller: AbortController | undefined;

  constructor(source = '') {
    this.source = source;
  }

  get running(): boolean {
    return this.status === 'running' || this.status === 'queued';
  }

  async run(engine: Engine): Promise<void> {
    const version = ++this.version;
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const previous = this.result;
    this.status = 'running';
    this.error = undefined;
    this.startedAt = performance.now();
    try {
      const result = await engine.run(this.source, { signal: controller.signal });
      if (version !== this.version) {
        await engine.releaseResult(result);
        return;
      }
      this.result = result;
      this.elapsedMs = result.elapsedMs;
      this.status = 'ok';
    } catch (error) {
      if (version !== this.version) return;
      this.result = undefined;
      this.error = isLakebookError(error)
        ? error
        : new LakebookError('internal', error instanceof Error ? error.message : String(error), { cause: error });
      this.elapsedMs = performance.now() - (this.startedAt ?? performance.now());
      this.status = 'error';
    } finally {
      if (previous) void engine.releaseResult(previous);
      if (this.controller === controller) this.controller = undefined;
    }
  }

  stop(): void {
    if (this.status === 'queued') this.status = 'idle';
    this.controller?.abort();
  }

  /** Frees the engine-side result when the cell goes away. */
  dispose(engine: Engine): void {
    this.version++;
    this.controller?.abort();
    if (this.result) void engine.releaseResult(this.result);
  }
}

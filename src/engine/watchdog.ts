import { LakebookError } from './errors';

/**
 * Races every backend call against a deadline and against the backend's death. DuckDB-WASM can
 * drop a request without ever answering (a trapped instance, a terminated worker), so no call may
 * wait on it unguarded.
 */
export class Watchdog {
  private deadReason: string | undefined;
  private readonly waiters = new Set<(reason: string) => void>();
  private readonly crashListeners: ((reason: string) => void)[] = [];

  get dead(): boolean {
    return this.deadReason !== undefined;
  }

  onCrash(listener: (reason: string) => void): void {
    this.crashListeners.push(listener);
  }

  /** Marks the backend dead: every guarded call rejects, crash listeners hear it once. */
  kill(reason: string, notify: boolean): void {
    if (this.deadReason !== undefined) return;
    this.deadReason = reason;
    for (const reject of this.waiters) reject(reason);
    this.waiters.clear();
    if (notify) for (const listener of this.crashListeners) listener(reason);
  }

  guard<T>(what: string, timeoutMs: number, work: () => Promise<T>): Promise<T> {
    if (this.deadReason !== undefined) return Promise.reject(crashed(this.deadReason));
    return new Promise<T>((resolve, reject) => {
      const onDeath = (reason: string) => {
        clearTimeout(timer);
        reject(crashed(reason));
      };
      const timer = setTimeout(() => {
        this.waiters.delete(onDeath);
        const reason = `${what} got no answer within ${Math.round(timeoutMs / 1000)} s`;
        reject(
          new LakebookError(
            'engine-timeout',
            `The engine stopped responding (${reason}). It is being restarted; your files and tables come back.`,
          ),
        );
        this.kill(reason, true);
      }, timeoutMs);
      this.waiters.add(onDeath);
      work().then(
        (value) => {
          clearTimeout(timer);
          this.waiters.delete(onDeath);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          this.waiters.delete(onDeath);
          reject(error);
        },
      );
    });
  }
}

function crashed(reason: string): LakebookError {
  return new LakebookError(
    'engine-crashed',
    `The engine stopped (${reason}). It is being restarted; your files and tables come back.`,
  );
}

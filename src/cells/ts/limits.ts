import { LakebookError } from '../../engine/errors';

/** What one run of a ts cell may use; `timeout=` and `memory=` in the cell's header override them. */
export interface TsCellLimits {
  timeoutMs: number;
  memoryBytes: number;
}

export const DEFAULT_LIMITS: TsCellLimits = { timeoutMs: 30_000, memoryBytes: 1024 * 1024 * 1024 };

const MAX_TIMEOUT_MS = 24 * 3600 * 1000;

/**
 * `timeout=` takes seconds (`45`, `45s`, `2m`, `1.5h`); `memory=` takes megabytes (`512`, `512MB`,
 * `2GB`). A value that does not parse is an error rather than a silent default: a limit the user
 * wrote and we ignored would be a surprise at the worst time.
 */
export function limitsFor(attributes: Readonly<Record<string, string>>, defaults: TsCellLimits = DEFAULT_LIMITS): TsCellLimits {
  const limits = { ...defaults };
  const timeout = attributes['timeout'];
  if (timeout !== undefined) {
    const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(timeout);
    const unit = ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as Record<string, number>)[(match?.[2] ?? 's').toLowerCase()]!;
    const ms = match ? Number(match[1]) * unit : NaN;
    if (!(ms > 0) || ms > MAX_TIMEOUT_MS) {
      throw new LakebookError('binder', `timeout=${timeout} is not a time limit: write seconds, like timeout=60 (or 90s, 5m, up to 24h).`);
    }
    limits.timeoutMs = ms;
  }
  const memory = attributes['memory'];
  if (memory !== undefined) {
    const match = /^\s*(\d+(?:\.\d+)?)\s*(mb|m|gb|g)?\s*$/i.exec(memory);
    const factor = /^g/i.test(match?.[2] ?? '') ? 1024 ** 3 : 1024 ** 2;
    const bytes = match ? Math.round(Number(match[1]) * factor) : NaN;
    if (!(bytes >= 1024 ** 2)) {
      throw new LakebookError('binder', `memory=${memory} is not a memory limit: write megabytes, like memory=2048 (or 2GB).`);
    }
    limits.memoryBytes = bytes;
  }
  return limits;
}

export function describeDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  return s < 120 ? `${Number(s.toFixed(1))} s` : `${Number((s / 60).toFixed(1))} min`;
}

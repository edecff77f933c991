import { LakebookError, type ErrorCode } from '../engine/errors';

/** An error in a check cell's text, pointing at the line (1-based, within the cell) where it is. */
export function checkError(line: number, message: string, options: { code?: ErrorCode; column?: number; cause?: unknown } = {}): LakebookError {
  return new LakebookError(options.code ?? 'syntax', `Line ${line}: ${message}`, {
    position: { line, column: options.column ?? 1 },
    cause: options.cause,
  });
}

/** The closest candidate by edit distance, when it is close enough to be a plausible typo. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 4)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

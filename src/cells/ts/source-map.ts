/**
 * Just enough of Source Map v3 to map a position in transpiled code back to the cell: sucrase keeps
 * lines where they were but moves columns (type annotations go, `export default` becomes
 * `exports.default`), and its map records where each token came from.
 */
export interface SourcePosition {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

/** Per generated line: [generated column, source line, source column], all 0-based, by column. */
export type DecodedMappings = [number, number, number][][];

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

export function decodeMappings(mappings: string): DecodedMappings {
  const lines: DecodedMappings = [];
  let srcLine = 0;
  let srcCol = 0;
  let srcIndex = 0;
  for (const line of mappings.split(';')) {
    const segments: [number, number, number][] = [];
    let genCol = 0;
    for (const segment of line.split(',')) {
      if (segment === '') continue;
      const fields = decodeVlq(segment);
      genCol += fields[0] ?? 0;
      if (fields.length >= 4) {
        srcIndex += fields[1]!;
        srcLine += fields[2]!;
        srcCol += fields[3]!;
        if (srcIndex === 0) segments.push([genCol, srcLine, srcCol]);
      }
    }
    segments.sort((a, b) => a[0] - b[0]);
    lines.push(segments);
  }
  return lines;
}

function decodeVlq(segment: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const c of segment) {
    const digit = DIGIT.get(c);
    if (digit === undefined) throw new Error(`Bad source map character ${c}`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    out.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return out;
}

/** The source position of a generated one: the nearest mapped token at or before it, plus the distance. */
export function originalPosition(mappings: DecodedMappings, generated: SourcePosition): SourcePosition {
  const segments = mappings[generated.line - 1] ?? [];
  const col = generated.column - 1;
  let best: [number, number, number] | undefined;
  for (const segment of segments) {
    if (segment[0] > col) break;
    best = segment;
  }
  if (!best) return generated;
  return { line: best[1] + 1, column: best[2] + (col - best[0]) + 1 };
}

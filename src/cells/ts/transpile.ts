import { LakebookError } from '../../engine/errors';
import { decodeMappings, originalPosition, type DecodedMappings, type SourcePosition } from './source-map';

/** A ts cell's code, type-stripped and turned into a CommonJS-style body (`exports.default = …`). */
export interface TranspiledCell {
  code: string;
  /** Where a position in `code` came from in the cell's source. */
  toSource(position: SourcePosition): SourcePosition;
}

type Sucrase = typeof import('sucrase');
let sucrase: Promise<Sucrase> | undefined;

/** Sucrase (about 300 kB) is fetched the first time a ts cell runs, not with the page. */
function loadSucrase(): Promise<Sucrase> {
  sucrase ??= import('sucrase').catch((error: unknown) => {
    sucrase = undefined;
    throw new LakebookError('internal', 'The TypeScript transpiler could not be loaded; reload the page and try again.', { cause: error });
  });
  return sucrase;
}

/**
 * Strips the types with sucrase and turns imports into `require` calls, which the sandbox answers
 * (only `apache-arrow`) or refuses with a message: no `import` reaches the network. Lines stay where
 * they were; columns are mapped back through sucrase's source map. A syntax error becomes a
 * `syntax` LakebookError with the cell's line and column.
 */
export async function transpileCell(source: string): Promise<TranspiledCell> {
  const { transform } = await loadSucrase();
  let result: ReturnType<Sucrase['transform']>;
  try {
    result = transform(source, {
      transforms: ['typescript', 'imports'],
      // An import whose bindings go unused must still reach `require` (and be refused if remote).
      keepUnusedImports: true,
      filePath: 'cell.ts',
      sourceMapOptions: { compiledFilename: 'cell.js' },
    });
  } catch (error) {
    throw syntaxError(source, error);
  }
  const mappings: DecodedMappings = result.sourceMap ? decodeMappings(result.sourceMap.mappings) : [];
  return { code: result.code, toSource: (position) => originalPosition(mappings, position) };
}

function syntaxError(source: string, error: unknown): LakebookError {
  const raw = error instanceof Error ? error.message : String(error);
  const pos = (error as { pos?: unknown }).pos;
  const message = raw.replace(/^Error transforming [^:]*: /, '').replace(/\s*\(\d+:\d+\)\s*$/, '');
  if (typeof pos !== 'number') return new LakebookError('syntax', `TypeScript syntax error: ${message}`, { cause: error });
  const position = positionAt(source, pos);
  return new LakebookError('syntax', `TypeScript syntax error: ${message} (line ${position.line}, column ${position.column})`, {
    cause: error,
    position,
  });
}

/** 1-based line and column of an offset. */
export function positionAt(text: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] !== '\n')) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

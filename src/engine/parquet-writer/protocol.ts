import type { ErrorCode } from '../errors';
import type { ParquetWriteOptions } from './encode';

/**
 * Messages between the page and the Parquet writer worker. The worker asks for each batch (`pull`),
 * so the page never sends more than the writer can take; bytes come back as row groups are flushed.
 */
export type WriterRequest =
  | { type: 'open'; id: number; options: ParquetWriteOptions }
  | { type: 'batch'; id: number; ipc: Uint8Array }
  | { type: 'end'; id: number }
  | { type: 'abort'; id: number };

export type WriterResponse =
  | { type: 'pull'; id: number }
  | { type: 'bytes'; id: number; bytes: Uint8Array }
  | { type: 'done'; id: number }
  | { type: 'error'; id: number; code: ErrorCode; message: string };

import type { ErrorCode } from '../errors';
import type { ConvertibleFormat } from './convert';

/** Messages between the page and the ingest worker. One chunk is in flight at a time (ack). */
export type IngestRequest =
  | { type: 'convert'; id: number; blob: Blob; format: ConvertibleFormat; fileName: string }
  | { type: 'ack'; id: number }
  | { type: 'cancel'; id: number };

export type IngestResponse =
  | { type: 'chunk'; id: number; ipc: Uint8Array; rows: number; bytesRead: number; totalBytes: number }
  | { type: 'done'; id: number }
  | { type: 'error'; id: number; code: ErrorCode; message: string };

/// <reference lib="webworker" />
import initParquet, * as parquet from 'parquet-wasm/esm';
import parquetWasmUrl from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { createConverter } from './convert';
import type { IngestRequest, IngestResponse } from './protocol';
import { isLakebookError } from '../errors';

declare const self: DedicatedWorkerGlobalScope;

let parquetReady: Promise<typeof parquet> | undefined;
const convert = createConverter(() => {
  parquetReady ??= initParquet({ module_or_path: parquetWasmUrl }).then(() => parquet);
  return parquetReady;
});

const acks = new Map<number, () => void>();
const cancelled = new Set<number>();

function post(message: IngestResponse, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

self.onmessage = async (event: MessageEvent<IngestRequest>) => {
  const request = event.data;
  if (request.type === 'ack') {
    acks.get(request.id)?.();
    return;
  }
  if (request.type === 'cancel') {
    cancelled.add(request.id);
    acks.get(request.id)?.();
    return;
  }
  const { id } = request;
  try {
    for await (const chunk of convert(request.blob, request.format, request.fileName)) {
      if (cancelled.has(id)) break;
      const acked = new Promise<void>((resolve) => acks.set(id, resolve));
      post({ type: 'chunk', id, ...chunk }, [chunk.ipc.buffer]);
      await acked;
      if (cancelled.has(id)) break;
    }
    post({ type: 'done', id });
  } catch (error) {
    post({
      type: 'error',
      id,
      code: isLakebookError(error) ? error.code : 'file-unreadable',
      message: isLakebookError(error)
        ? error.userMessage
        : `${request.fileName} could not be read: ${error instanceof Error ? error.message : String(error)}`,
    });
  } finally {
    acks.delete(id);
    cancelled.delete(id);
  }
};

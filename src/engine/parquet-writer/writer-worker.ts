/// <reference lib="webworker" />
import initParquet, * as parquet from 'parquet-wasm/esm';
import parquetWasmUrl from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { isLakebookError } from '../errors';
import { encodeParquet } from './encode';
import type { WriterRequest, WriterResponse } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

let parquetReady: Promise<typeof parquet> | undefined;
const load = () => (parquetReady ??= initParquet({ module_or_path: parquetWasmUrl }).then(() => parquet));

/** Per open file: where the next batch (or the end) is delivered. */
const inboxes = new Map<number, (next: IteratorResult<Uint8Array>) => void>();
const aborted = new Set<number>();

function post(message: WriterResponse, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

async function* batchesOf(id: number): AsyncGenerator<Uint8Array> {
  for (;;) {
    if (aborted.has(id)) return;
    const next = await new Promise<IteratorResult<Uint8Array>>((resolve) => {
      inboxes.set(id, resolve);
      post({ type: 'pull', id });
    });
    if (next.done) return;
    yield next.value;
  }
}

self.onmessage = async (event: MessageEvent<WriterRequest>) => {
  const request = event.data;
  const { id } = request;
  if (request.type === 'batch' || request.type === 'end' || request.type === 'abort') {
    if (request.type === 'abort') aborted.add(id);
    const deliver = inboxes.get(id);
    inboxes.delete(id);
    deliver?.(request.type === 'batch' ? { done: false, value: request.ipc } : { done: true, value: undefined });
    return;
  }
  try {
    const pq = await load();
    for await (const bytes of encodeParquet(pq, batchesOf(id), request.options)) {
      if (aborted.has(id)) break;
      post({ type: 'bytes', id, bytes }, [bytes.buffer]);
    }
    if (!aborted.has(id)) post({ type: 'done', id });
  } catch (error) {
    post({
      type: 'error',
      id,
      code: isLakebookError(error) ? error.code : 'internal',
      message: isLakebookError(error) ? error.userMessage : `Writing Parquet failed: ${error instanceof Error ? error.message : String(error)}`,
    });
  } finally {
    inboxes.delete(id);
    aborted.delete(id);
  }
};

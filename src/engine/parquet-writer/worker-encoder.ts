import { LakebookError } from '../errors';
import type { ParquetEncoder } from './encode';
import type { WriterRequest, WriterResponse } from './protocol';
import WriterWorker from './writer-worker?worker';

/** Bytes waiting for the consumer before the page stops feeding the writer. */
const MAX_QUEUED_BYTES = 32 * 1024 * 1024;

/**
 * Runs the Parquet writer in its own worker: compressing a row group takes tens of milliseconds,
 * which would stall the page. The worker pulls batches one at a time; the page holds back while
 * more than 32 MiB of written bytes wait for the destination.
 */
export function createWorkerEncoder(): ParquetEncoder {
  let worker: Worker | undefined;
  let nextId = 1;
  const handlers = new Map<number, (message: WriterResponse) => void>();
  const ensureWorker = () => {
    if (worker) return worker;
    worker = new WriterWorker();
    worker.onmessage = (event: MessageEvent<WriterResponse>) => handlers.get(event.data.id)?.(event.data);
    worker.onerror = (event) => {
      for (const [id, handler] of handlers) handler({ type: 'error', id, code: 'internal', message: `The Parquet writer failed: ${event.message}` });
      worker?.terminate();
      worker = undefined;
    };
    return worker;
  };
  const send = (message: WriterRequest, transfer: Transferable[] = []) => ensureWorker().postMessage(message, transfer);

  return async function* encode(batches, options) {
    const id = nextId++;
    const iterator = batches[Symbol.asyncIterator]();
    const output: Uint8Array[] = [];
    let queued = 0;
    let outcome: { done: true } | { error: LakebookError } | undefined;
    let wake: (() => void) | undefined;
    let pullWaiting = false;
    let feeding = false;
    const notify = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    const feed = async () => {
      if (feeding || !pullWaiting || queued > MAX_QUEUED_BYTES || outcome) return;
      feeding = true;
      pullWaiting = false;
      try {
        const next = await iterator.next();
        if (outcome) return;
        if (next.done) send({ type: 'end', id });
        else send({ type: 'batch', id, ipc: next.value }, [next.value.buffer]);
      } catch (error) {
        outcome = { error: error instanceof LakebookError ? error : new LakebookError('internal', String(error), { cause: error }) };
        send({ type: 'abort', id });
        notify();
      } finally {
        feeding = false;
      }
    };
    handlers.set(id, (message) => {
      if (message.type === 'pull') {
        pullWaiting = true;
        void feed();
      } else if (message.type === 'bytes') {
        output.push(message.bytes);
        queued += message.bytes.byteLength;
      } else if (message.type === 'done') {
        outcome = { done: true };
      } else {
        outcome ??= { error: new LakebookError(message.code, message.message) };
      }
      notify();
    });
    let finished = false;
    try {
      send({ type: 'open', id, options });
      for (;;) {
        while (output.length === 0 && !outcome) await new Promise<void>((resolve) => (wake = resolve));
        const bytes = output.shift();
        if (bytes) {
          queued -= bytes.byteLength;
          yield bytes;
          void feed();
          continue;
        }
        if (outcome && 'error' in outcome) throw outcome.error;
        finished = true;
        return;
      }
    } finally {
      handlers.delete(id);
      if (!finished) {
        send({ type: 'abort', id });
        await iterator.return?.();
      }
    }
  };
}

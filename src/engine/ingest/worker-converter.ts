import { LakebookError } from '../errors';
import type { FileConverter, IpcChunk } from './convert';
import type { IngestRequest, IngestResponse } from './protocol';
import IngestWorker from './ingest-worker?worker';

/**
 * Runs file conversion in its own worker, so parsing a large file never blocks the page and the
 * DuckDB worker only receives ready Arrow batches. At most two chunks are in flight: one being
 * inserted, the next converted (or waiting).
 */
export function createWorkerConverter(): FileConverter {
  let worker: Worker | undefined;
  let nextId = 1;
  const handlers = new Map<number, (message: IngestResponse) => void>();
  const ensureWorker = () => {
    if (worker) return worker;
    worker = new IngestWorker();
    worker.onmessage = (event: MessageEvent<IngestResponse>) => handlers.get(event.data.id)?.(event.data);
    worker.onerror = (event) => {
      for (const handler of handlers.values()) {
        handler({ type: 'error', id: -1, code: 'file-unreadable', message: `The file reader failed: ${event.message}` });
      }
      worker?.terminate();
      worker = undefined;
    };
    return worker;
  };
  const send = (message: IngestRequest) => ensureWorker().postMessage(message);

  return async function* convert(blob, format, fileName) {
    const id = nextId++;
    const queue: IngestResponse[] = [];
    let wake: (() => void) | undefined;
    handlers.set(id, (message) => {
      queue.push(message);
      wake?.();
    });
    let finished = false;
    try {
      send({ type: 'convert', id, blob, format, fileName });
      for (;;) {
        while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        const message = queue.shift()!;
        if (message.type === 'done') {
          finished = true;
          return;
        }
        if (message.type === 'error') {
          finished = true;
          throw new LakebookError(message.code, message.message);
        }
        const chunk: IpcChunk = { ipc: message.ipc, rows: message.rows, bytesRead: message.bytesRead, totalBytes: message.totalBytes };
        // Acknowledged when taken, not after its insert: the worker converts the next row group while
        // DuckDB inserts this one (two cores, two workers), and never gets further ahead than that.
        send({ type: 'ack', id });
        yield chunk;
      }
    } finally {
      if (!finished) send({ type: 'cancel', id });
      handlers.delete(id);
    }
  };
}

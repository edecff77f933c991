import { Zip, ZipDeflate, ZipPassThrough, type ZipInputFile } from 'fflate';
import { StorageError } from '../errors';
import type { ByteSink, ExportFileWriter, ExportTarget } from './target';

/** fflate writes no ZIP64 records: offsets and sizes are 32-bit, and there are at most 65,535 entries. */
const ZIP32_LIMIT = 0xffff_ffff;
const MAX_ENTRIES = 0xffff;
/** Room for the central directory and the entries still to come (manifest, _SUCCESS). */
const DIRECTORY_RESERVE = 16 * 1024 * 1024;

/**
 * A zip archive streamed into `sink` as files are written (fflate's `Zip`): an entry is stored as is
 * (`ZipPassThrough`) when its bytes are already compressed (Parquet) and deflated (`ZipDeflate`) when
 * they are text. Entries use data descriptors, so neither sizes nor CRCs are needed up front and no
 * entry is ever held whole; memory holds one chunk at a time. The sink (a download) is opened in
 * `begin()`, after the export has been checked, so a bad option never starts a download.
 */
export function createZipTarget(openSink: () => Promise<ByteSink>, options: { description: string; deflateLevel?: number; now?: Date }): ExportTarget {
  let sink: ByteSink | undefined;
  const pending: Uint8Array[] = [];
  let failure: unknown;
  let ended = false;
  let written = 0;
  let entries = 0;
  const zip = new Zip((error, chunk, final) => {
    if (error) failure ??= error;
    else {
      pending.push(chunk);
      if (final) ended = true;
    }
  });
  const mtime = options.now ?? new Date();
  let open = false;

  /** Hands what fflate produced to the sink, in order, awaiting each write (backpressure). */
  async function drain(): Promise<void> {
    if (failure) throw failure instanceof StorageError ? failure : new StorageError('io', `Writing the zip failed: ${String(failure)}`, { cause: failure });
    while (pending.length > 0) {
      const chunk = pending.shift()!;
      written += chunk.byteLength;
      if (written > ZIP32_LIMIT - DIRECTORY_RESERVE) {
        throw new StorageError(
          'too-large',
          'The export is larger than a zip without ZIP64 can hold (4 GiB). Export to a folder or to browser storage (OPFS) instead, or export fewer rows or columns.',
        );
      }
      await sink!.write(chunk);
    }
  }

  return {
    kind: 'zip',
    description: options.description,
    async begin() {
      // Nothing to clear: a download is always a new file.
      sink = await openSink();
    },
    async openFile(path, { compressible }): Promise<ExportFileWriter> {
      if (!sink) throw new StorageError('io', `Cannot write ${path}: the zip was not started.`);
      if (open) throw new StorageError('io', `Cannot start ${path} in the zip while another entry is open.`);
      if (++entries > MAX_ENTRIES - 2) {
        throw new StorageError('too-large', `The export has more files than a zip without ZIP64 can hold (${MAX_ENTRIES.toLocaleString('en-US')}). Use fewer partitions or buckets, or export to a folder.`);
      }
      const entry: ZipInputFile & { push(chunk: Uint8Array, final?: boolean): void } = compressible
        ? new ZipDeflate(path, { level: (options.deflateLevel ?? 6) as 6 })
        : new ZipPassThrough(path);
      entry.mtime = mtime;
      zip.add(entry);
      open = true;
      return {
        async write(chunk) {
          if (chunk.byteLength === 0) return;
          entry.push(chunk);
          await drain();
        },
        async close() {
          entry.push(new Uint8Array(0), true);
          open = false;
          await drain();
        },
      };
    },
    async commit() {
      zip.end();
      await drain();
      if (!ended) throw new StorageError('io', 'The zip archive did not finish (an entry was left open).');
      await sink!.close();
    },
    async abort(reason) {
      zip.terminate();
      pending.length = 0;
      await sink?.abort(reason).catch(() => undefined);
    },
  };
}

import { LakebookError } from '../engine/errors';

/** One file of a zip archive. Text is written as UTF-8. */
export interface ZipEntry {
  /** `/`-separated path inside the archive. */
  path: string;
  data: Blob | Uint8Array | string;
  /** false stores the bytes as they are (already-compressed data such as Parquet or PNG). Default true. */
  compress?: boolean;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO-HDLC, as zip uses), continued from `previous`. */
export function crc32(bytes: Uint8Array, previous = 0): number {
  let c = ~previous >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** The largest archive or file this writer handles: classic zip fields are 32 bits (no ZIP64). */
const MAX_ZIP_BYTES = 0xffff_fffe;

interface Written {
  path: Uint8Array;
  crc: number;
  size: number;
  compressedSize: number;
  method: 0 | 8;
  offset: number;
}

/**
 * Builds a zip archive as a Blob. Each file streams through the browser's own `CompressionStream`
 * ('deflate-raw', native code) and a CRC-32; its compressed bytes are kept as Blob parts, so no file
 * is ever held twice and the archive is never copied into one buffer. Names are UTF-8 (flag bit 11).
 */
export async function buildZip(entries: Iterable<ZipEntry> | AsyncIterable<ZipEntry>, modified = new Date()): Promise<Blob> {
  const parts: BlobPart[] = [];
  const written: Written[] = [];
  const seen = new Set<string>();
  const { time, date } = dosDateTime(modified);
  let offset = 0;
  for await (const entry of entries) {
    if (seen.has(entry.path)) throw new LakebookError('publish-failed', `The archive would hold ${entry.path} twice.`);
    seen.add(entry.path);
    const path = new TextEncoder().encode(entry.path);
    const blob = typeof entry.data === 'string' || entry.data instanceof Uint8Array ? new Blob([entry.data as BlobPart]) : entry.data;
    const method = entry.compress === false ? 0 : 8;
    const { crc, size, chunks, compressedSize } = await encode(blob, method);
    if (size > MAX_ZIP_BYTES || compressedSize > MAX_ZIP_BYTES || offset > MAX_ZIP_BYTES) {
      throw new LakebookError('publish-failed', `${entry.path} makes the archive larger than 4 GB, which this zip writer does not support.`);
    }
    const header = new DataView(new ArrayBuffer(30));
    header.setUint32(0, 0x04034b50, true);
    header.setUint16(4, 20, true); // version needed: 2.0
    header.setUint16(6, 0x0800, true); // UTF-8 names
    header.setUint16(8, method, true);
    header.setUint16(10, time, true);
    header.setUint16(12, date, true);
    header.setUint32(14, crc, true);
    header.setUint32(18, compressedSize, true);
    header.setUint32(22, size, true);
    header.setUint16(26, path.length, true);
    header.setUint16(28, 0, true);
    parts.push(header.buffer, path as BlobPart, ...(chunks as BlobPart[]));
    written.push({ path, crc, size, compressedSize, method, offset });
    offset += 30 + path.length + compressedSize;
  }
  const directoryStart = offset;
  for (const file of written) {
    const record = new DataView(new ArrayBuffer(46));
    record.setUint32(0, 0x02014b50, true);
    record.setUint16(4, (3 << 8) | 20, true); // made by: Unix, 2.0 (so the mode below is honoured)
    record.setUint16(6, 20, true);
    record.setUint16(8, 0x0800, true);
    record.setUint16(10, file.method, true);
    record.setUint16(12, time, true);
    record.setUint16(14, date, true);
    record.setUint32(16, file.crc, true);
    record.setUint32(20, file.compressedSize, true);
    record.setUint32(24, file.size, true);
    record.setUint16(28, file.path.length, true);
    record.setUint32(38, (0o100644 << 16) >>> 0, true); // a regular file, rw-r--r--
    record.setUint32(42, file.offset, true);
    parts.push(record.buffer, file.path as BlobPart);
    offset += 46 + file.path.length;
  }
  if (written.length > 0xffff) throw new LakebookError('publish-failed', 'The archive would hold more than 65,535 files.');
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, written.length, true);
  end.setUint16(10, written.length, true);
  end.setUint32(12, offset - directoryStart, true);
  end.setUint32(16, directoryStart, true);
  parts.push(end.buffer);
  return new Blob(parts, { type: 'application/zip' });
}

async function encode(blob: Blob, method: 0 | 8): Promise<{ crc: number; size: number; compressedSize: number; chunks: Uint8Array[] }> {
  let crc = 0;
  let size = 0;
  const checked = blob.stream().pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        crc = crc32(chunk, crc);
        size += chunk.length;
        controller.enqueue(chunk);
      },
    }),
  );
  const output = method === 8 ? checked.pipeThrough(new CompressionStream('deflate-raw') as unknown as TransformStream<Uint8Array, Uint8Array>) : checked;
  const chunks: Uint8Array[] = [];
  let compressedSize = 0;
  const reader = output.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    compressedSize += value.length;
  }
  return { crc, size, compressedSize, chunks };
}

/** MS-DOS date and time fields (local time, 2-second resolution, years 1980–2107). */
function dosDateTime(d: Date): { time: number; date: number } {
  const year = Math.min(Math.max(d.getFullYear(), 1980), 2107);
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

import { assert } from '../domain/assert.ts';

/**
 * A write-ahead record: everything one batch logged, for every partition it touched, as one
 * value of the `wal` database (keyed [workerIndex, recordNumber]). One put per batch touches
 * one B-tree leaf, where a chunk per partition touched as many leaves as partitions — and a
 * commit's cost grows with the pages it dirties. Compaction later moves the frames into their
 * partitions' chunks (log-writer.ts, wal-compaction.ts).
 *
 *   u16 entries │ per entry: u16 partition │ f64 firstSeq │ u32 events │ f64 last timestampMs │
 *                            u32 bytes │ frame
 */
export interface WalEntry {
  readonly partition: number;
  readonly firstSeq: number;
  readonly eventCount: number;
  readonly lastTimestampMs: number;
  /** One frame (log-codec.ts). */
  readonly frame: Uint8Array;
}

const entryHeaderBytes = 2 + 8 + 4 + 8 + 4;

export function encodeWalRecord(entries: readonly WalEntry[]): Uint8Array<ArrayBuffer> {
  assert(entries.length > 0 && entries.length <= 0xffff, 'a record holds 1 to 65,535 entries');
  let bytes = 2;
  for (const entry of entries) bytes += entryHeaderBytes + entry.frame.byteLength;
  const record = new Uint8Array(bytes);
  const view = new DataView(record.buffer);
  view.setUint16(0, entries.length, true);
  let offset = 2;
  for (const entry of entries) {
    view.setUint16(offset, entry.partition, true);
    view.setFloat64(offset + 2, entry.firstSeq, true);
    view.setUint32(offset + 10, entry.eventCount, true);
    view.setFloat64(offset + 14, entry.lastTimestampMs, true);
    view.setUint32(offset + 22, entry.frame.byteLength, true);
    record.set(entry.frame, offset + entryHeaderBytes);
    offset += entryHeaderBytes + entry.frame.byteLength;
  }
  return record;
}

/** The record's entries; their frames are views into `record`. */
export function decodeWalRecord(record: Uint8Array): WalEntry[] {
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
  const count = view.getUint16(0, true);
  const entries: WalEntry[] = [];
  let offset = 2;
  for (let i = 0; i < count; i++) {
    const length = view.getUint32(offset + 22, true);
    const start = offset + entryHeaderBytes;
    entries.push({
      partition: view.getUint16(offset, true),
      firstSeq: view.getFloat64(offset + 2, true),
      eventCount: view.getUint32(offset + 10, true),
      lastTimestampMs: view.getFloat64(offset + 14, true),
      frame: record.subarray(start, start + length),
    });
    offset = start + length;
  }
  assert(offset === record.byteLength, 'a write-ahead record ends with its last entry');
  return entries;
}

import { assert } from '../domain/assert.ts';
import { checksumBytes, sealChecksum, verifyChecksum } from './checksum.ts';
import { DataDamagedError } from './data-damage.ts';

/**
 * A write-ahead record: everything one batch logged, for every partition it touched, as one
 * value of the `wal` database (keyed [workerIndex, recordNumber]). One put per batch touches
 * one B-tree leaf, where a chunk per partition touched as many leaves as partitions — and a
 * commit's cost grows with the pages it dirties. Compaction later moves the frames into their
 * partitions' chunks (log-writer.ts, wal-compaction.ts).
 *
 *   u16 tag 0xFF01 │ u32 CRC-32 of every byte after it │ u16 entries │
 *   per entry: u16 partition │ f64 firstSeq │ u32 events │ f64 last timestampMs │ u32 bytes │ frame
 *
 * Records written before checksums have no tag and no checksum: they start with their u16 entry
 * count, which is at most the partition count (4,096 at most), so a first u16 of 0xFF00 or more
 * is never one of them. They are still read, unchecked (start-up compacts them into checksummed
 * chunks before any worker runs); any other tag is refused as damage.
 */
export interface WalEntry {
  readonly partition: number;
  readonly firstSeq: number;
  readonly eventCount: number;
  readonly lastTimestampMs: number;
  /** One frame (log-codec.ts). */
  readonly frame: Uint8Array;
}

const checkedTag = 0xff01;
const taggedFormatsFrom = 0xff00;
const checksumAt = 2;
const checkedHeaderBytes = 2 + checksumBytes;
const entryHeaderBytes = 2 + 8 + 4 + 8 + 4;

export function encodeWalRecord(entries: readonly WalEntry[]): Uint8Array<ArrayBuffer> {
  assert(entries.length > 0 && entries.length <= 0xffff, 'a record holds 1 to 65,535 entries');
  let bytes = checkedHeaderBytes + 2;
  for (const entry of entries) bytes += entryHeaderBytes + entry.frame.byteLength;
  const record = new Uint8Array(bytes);
  const view = new DataView(record.buffer);
  view.setUint16(0, checkedTag, true);
  view.setUint16(checkedHeaderBytes, entries.length, true);
  let offset = checkedHeaderBytes + 2;
  for (const entry of entries) {
    view.setUint16(offset, entry.partition, true);
    view.setFloat64(offset + 2, entry.firstSeq, true);
    view.setUint32(offset + 10, entry.eventCount, true);
    view.setFloat64(offset + 14, entry.lastTimestampMs, true);
    view.setUint32(offset + 22, entry.frame.byteLength, true);
    record.set(entry.frame, offset + entryHeaderBytes);
    offset += entryHeaderBytes + entry.frame.byteLength;
  }
  sealChecksum(record, checksumAt);
  return record;
}

/**
 * The record's entries, after checking its checksum (DATA_DAMAGED naming `where` if it fails);
 * their frames are views into `record`.
 */
export function decodeWalRecord(record: Uint8Array, where = 'a write-ahead record'): WalEntry[] {
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
  const tag = record.byteLength < 2 ? 0 : view.getUint16(0, true);
  let start = 0;
  if (tag === checkedTag) {
    verifyChecksum(record, checksumAt, where);
    start = checkedHeaderBytes;
  } else if (tag >= taggedFormatsFrom || tag === 0) {
    throw new DataDamagedError(`${where} has an unknown format (tag 0x${tag.toString(16)})`);
  }
  return decodeEntries(record, view, start, where);
}

function decodeEntries(record: Uint8Array, view: DataView, start: number, where: string) {
  const count = view.getUint16(start, true);
  const entries: WalEntry[] = [];
  let offset = start + 2;
  for (let i = 0; i < count; i++) {
    if (offset + entryHeaderBytes > record.byteLength) break;
    const length = view.getUint32(offset + 22, true);
    const frameStart = offset + entryHeaderBytes;
    entries.push({
      partition: view.getUint16(offset, true),
      firstSeq: view.getFloat64(offset + 2, true),
      eventCount: view.getUint32(offset + 10, true),
      lastTimestampMs: view.getFloat64(offset + 14, true),
      frame: record.subarray(frameStart, frameStart + length),
    });
    offset = frameStart + length;
  }
  // Checked records cannot fail this; an old, unchecked one can only by damage.
  if (offset !== record.byteLength || entries.length !== count) {
    throw new DataDamagedError(`${where} does not end with its last entry: its length is damaged`);
  }
  return entries;
}

/** A record as it was written before checksums (still read): for tests of that path. */
export function encodeUncheckedWalRecord(entries: readonly WalEntry[]): Uint8Array<ArrayBuffer> {
  const checked = encodeWalRecord(entries);
  return checked.slice(checkedHeaderBytes);
}

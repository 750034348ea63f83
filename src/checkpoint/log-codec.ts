import { Packr, Unpackr } from 'msgpackr';
import { assert } from '../domain/assert.ts';
import { checksumBytes, sealChecksum, verifyChecksum } from './checksum.ts';
import { DataDamagedError } from './data-damage.ts';
import {
  binaryFrameEventCount,
  binaryFrameMarker,
  decodeEvents,
  encodeEvents,
} from './event-codec.ts';
import { eventSchemaVersion, type LogEntry } from './logged-event.ts';

/**
 * The log's units of encoding.
 *
 * A **frame** is the events one batch produced for one partition, in the binary event format
 * (event-codec.ts); frames written before it are MessagePack records and are still read.
 *
 * A **chunk** (a value of the `log` database, keyed [partition, firstSeq]) is one or more frames
 * of one partition covering a dense seq range, behind a small header, so that compaction can join
 * frames without decoding them and readers can count a chunk's events without decoding it:
 *
 *   0xC2 │ u32 CRC-32 of every byte after it │ u32 frames │ u32 events │
 *          f64 last event's timestampMs │ (u32 bytes │ frame)…
 *
 * Its first byte tells the format. 0xC2 (MessagePack's `false`, which no frame is): checksummed,
 * verified whenever the chunk is decoded. 0xC1 (the one byte MessagePack never uses): the same
 * without the checksum, as chunks were written before checksums; still read, unchecked. Anything
 * else: a single bare MessagePack frame (the format before chunk headers), still read. Inside a
 * chunk, a frame's own first byte tells its format.
 */
interface Frame {
  readonly schemaVersion: number;
  readonly events: readonly LogEntry[];
}

const packr = new Packr({ useRecords: true });
const unpackr = new Unpackr({ useRecords: true });
const checkedChunkMarker = 0xc2;
const uncheckedChunkMarker = 0xc1;
const checksumAt = 1;
/** The header after the marker (and the checksum): frames, events, last timestampMs. */
const summaryBytes = 4 + 4 + 8;

/** A frame in the binary event format (event-codec.ts). */
export function encodeFrame(events: readonly LogEntry[]): Uint8Array {
  assert(events.length > 0, 'a frame holds at least one event');
  return encodeEvents(events);
}

/** MessagePack, as frames were written before the binary event format (still read). */
export function encodeMessagePackFrame(events: readonly LogEntry[]): Uint8Array {
  return packr.pack({ schemaVersion: eventSchemaVersion, events } satisfies Frame).slice();
}

export function decodeFrame(bytes: Uint8Array): readonly LogEntry[] {
  if (bytes[0] === binaryFrameMarker) return decodeEvents(bytes);
  const frame = unpackr.unpack(bytes) as Frame;
  assert(
    frame.schemaVersion === eventSchemaVersion,
    () => `unknown log schema ${frame.schemaVersion}`,
  );
  return frame.events;
}

export interface ChunkSummary {
  readonly eventCount: number;
  readonly lastTimestampMs: number;
}

/** Joins frames (already encoded, in seq order) into one chunk. */
export function encodeChunk(
  frames: readonly Uint8Array[],
  summary: ChunkSummary,
): Uint8Array<ArrayBuffer> {
  const summaryAt = 1 + checksumBytes;
  let bytes = summaryAt + summaryBytes;
  for (const frame of frames) bytes += 4 + frame.byteLength;
  const chunk = new Uint8Array(bytes);
  const view = new DataView(chunk.buffer);
  chunk[0] = checkedChunkMarker;
  view.setUint32(summaryAt, frames.length, true);
  view.setUint32(summaryAt + 4, summary.eventCount, true);
  view.setFloat64(summaryAt + 8, summary.lastTimestampMs, true);
  let offset = summaryAt + summaryBytes;
  for (const frame of frames) {
    view.setUint32(offset, frame.byteLength, true);
    chunk.set(frame, offset + 4);
    offset += 4 + frame.byteLength;
  }
  sealChecksum(chunk, checksumAt);
  return chunk;
}

/** A chunk as written before checksums (still read): for tests of that path. */
export function encodeUncheckedChunk(
  frames: readonly Uint8Array[],
  summary: ChunkSummary,
): Uint8Array<ArrayBuffer> {
  const checked = encodeChunk(frames, summary);
  const chunk = new Uint8Array(checked.byteLength - checksumBytes);
  chunk[0] = uncheckedChunkMarker;
  chunk.set(checked.subarray(1 + checksumBytes), 1);
  return chunk;
}

/**
 * A value without a chunk header: a bare MessagePack frame of the oldest format, or a chunk
 * whose first byte is damaged — which no checksum can tell, so a value that does not decode is
 * damage, not a bug.
 */
function decodeBareFrame<T = LogEntry>(
  bytes: Uint8Array,
  where: string,
  decode: FrameDecoder<T> = decodeFrame as FrameDecoder<T>,
): Iterable<T> {
  try {
    // A MessagePack frame: every decoder decodes it at once (see FrameDecoder's users).
    return decode(bytes);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DataDamagedError(`${where} is neither a chunk nor a frame (${reason})`);
  }
}

/** Where a chunk's summary starts (undefined: a bare frame, which has none). */
function summaryAtOf(bytes: Uint8Array): number | undefined {
  if (bytes[0] === checkedChunkMarker) return 1 + checksumBytes;
  if (bytes[0] === uncheckedChunkMarker) return 1;
  return undefined;
}

/**
 * A chunk's events, after checking its checksum (DATA_DAMAGED naming `where` if it fails; old
 * chunks without one are read unchecked).
 */
export function decodeChunk(bytes: Uint8Array, where = 'a log chunk'): readonly LogEntry[] {
  return [...chunkEventsFrom(bytes, 0, Number.NEGATIVE_INFINITY, where)];
}

/** Turns a frame into the entries a reader wants: decodeFrame, or a reader's own (the relay's). */
export type FrameDecoder<T> = (frame: Uint8Array) => Iterable<T>;

/**
 * The events of a chunk whose first event is `firstSeq`, from the frame holding `fromSeq` on,
 * decoded a frame at a time as they are pulled (after checking the checksum, as decodeChunk):
 * a reader that wants a chunk's tail, or only its first events, decodes no more than that. A
 * chunk's frames are dense from `firstSeq`, and a binary frame's header holds its event count,
 * so frames before `fromSeq` are skipped undecoded (after a MessagePack frame, whose count only
 * decoding tells, none is). The first frame yielded may start before `fromSeq`.
 */
export function* chunkEventsFrom<T = LogEntry>(
  bytes: Uint8Array,
  firstSeq: number,
  fromSeq: number,
  where = 'a log chunk',
  decode: FrameDecoder<T> = decodeFrame as FrameDecoder<T>,
): Generator<T> {
  const summaryAt = summaryAtOf(bytes);
  if (summaryAt === undefined) {
    yield* decodeBareFrame(bytes, where, decode);
    return;
  }
  if (bytes[0] === checkedChunkMarker) verifyChecksum(bytes, checksumAt, where);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const frames = view.getUint32(summaryAt, true);
  let frameFirstSeq: number | undefined = firstSeq;
  let offset = summaryAt + summaryBytes;
  for (let i = 0; i < frames; i++) {
    const length = view.getUint32(offset, true);
    const frame = bytes.subarray(offset + 4, offset + 4 + length);
    offset += 4 + length;
    const count = binaryFrameEventCount(frame);
    const nextFirstSeq: number | undefined =
      count === undefined || frameFirstSeq === undefined ? undefined : frameFirstSeq + count;
    if (nextFirstSeq !== undefined && nextFirstSeq <= fromSeq) {
      frameFirstSeq = nextFirstSeq;
      continue;
    }
    frameFirstSeq = nextFirstSeq;
    yield* decode(frame);
  }
  assert(offset === bytes.byteLength, 'a chunk ends with its last frame');
}

/**
 * Whether a chunk whose first event is `firstSeq` ends before `seq`, by its summary: a reader
 * from `seq` on need not decode it. Checked against the chunk's checksum before it says so
 * (DATA_DAMAGED naming `where` if that fails), so damage never makes a reader skip events; false
 * for a chunk without a summary or too short for one (decoding it will tell).
 */
export function chunkEndsBefore(
  bytes: Uint8Array,
  firstSeq: number,
  seq: number,
  where: string,
): boolean {
  const summaryAt = summaryAtOf(bytes);
  if (summaryAt === undefined || bytes.byteLength < summaryAt + summaryBytes) return false;
  if (firstSeq + summarizeChunk(bytes).eventCount > seq) return false;
  if (bytes[0] === checkedChunkMarker) verifyChecksum(bytes, checksumAt, where);
  return true;
}

/**
 * How many events a chunk holds and when the last one happened, from its header alone: neither
 * decoded nor checked (it runs for every partition's newest chunk; decoding checks).
 */
export function summarizeChunk(bytes: Uint8Array): ChunkSummary {
  const summaryAt = summaryAtOf(bytes);
  if (summaryAt === undefined) {
    const events = [...decodeBareFrame(bytes, 'a log chunk')];
    return { eventCount: events.length, lastTimestampMs: events.at(-1)!.timestampMs };
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    eventCount: view.getUint32(summaryAt + 4, true),
    lastTimestampMs: view.getFloat64(summaryAt + 8, true),
  };
}

import { Packr, Unpackr } from 'msgpackr';
import { assert } from '../domain/assert.ts';
import { binaryFrameMarker, decodeEvents, encodeEvents } from './event-codec.ts';
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
 *   0xC1 │ u32 frames │ u32 events │ f64 last event's timestampMs │ (u32 bytes │ frame)…
 *
 * 0xC1 is the one byte MessagePack never uses: a value without it is a single bare MessagePack
 * frame (the format before chunk headers), which readers still accept. Inside a chunk, a frame's
 * own first byte tells its format.
 */
interface Frame {
  readonly schemaVersion: number;
  readonly events: readonly LogEntry[];
}

const packr = new Packr({ useRecords: true });
const unpackr = new Unpackr({ useRecords: true });
const chunkMarker = 0xc1;
const chunkHeaderBytes = 1 + 4 + 4 + 8;

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
  assert(frame.schemaVersion === eventSchemaVersion, `unknown log schema ${frame.schemaVersion}`);
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
  let bytes = chunkHeaderBytes;
  for (const frame of frames) bytes += 4 + frame.byteLength;
  const chunk = new Uint8Array(bytes);
  const view = new DataView(chunk.buffer);
  chunk[0] = chunkMarker;
  view.setUint32(1, frames.length, true);
  view.setUint32(5, summary.eventCount, true);
  view.setFloat64(9, summary.lastTimestampMs, true);
  let offset = chunkHeaderBytes;
  for (const frame of frames) {
    view.setUint32(offset, frame.byteLength, true);
    chunk.set(frame, offset + 4);
    offset += 4 + frame.byteLength;
  }
  return chunk;
}

export function decodeChunk(bytes: Uint8Array): readonly LogEntry[] {
  if (bytes[0] !== chunkMarker) return decodeFrame(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const frames = view.getUint32(1, true);
  const events: LogEntry[] = [];
  let offset = chunkHeaderBytes;
  for (let i = 0; i < frames; i++) {
    const length = view.getUint32(offset, true);
    for (const event of decodeFrame(bytes.subarray(offset + 4, offset + 4 + length))) {
      events.push(event);
    }
    offset += 4 + length;
  }
  assert(offset === bytes.byteLength, 'a chunk ends with its last frame');
  return events;
}

/** How many events a chunk holds and when the last one happened, without decoding events. */
export function summarizeChunk(bytes: Uint8Array): ChunkSummary {
  if (bytes[0] !== chunkMarker) {
    const events = decodeFrame(bytes);
    return { eventCount: events.length, lastTimestampMs: events.at(-1)!.timestampMs };
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { eventCount: view.getUint32(5, true), lastTimestampMs: view.getFloat64(9, true) };
}

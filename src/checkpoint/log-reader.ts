import { recordPlace } from './checksum.ts';
import {
  chunkEndsBefore,
  chunkEventsFrom,
  decodeChunk,
  decodeFrame,
  type FrameDecoder,
  summarizeChunk,
} from './log-codec.ts';
import type { LogEntry } from './logged-event.ts';
import { readInPlace, type Store } from './store.ts';
import { readWal, type WalView } from './wal-view.ts';

/**
 * A partition's log is its chunks (`log`, keyed [partition, firstSeq]) followed by its frames
 * still in write-ahead records (`wal`). Compaction moves frames from the second to the first in
 * one transaction, so a read that runs without yielding to the event loop sees each event once;
 * readers still skip any seq they have already passed, so an overlap could never double one.
 */

/**
 * Events of one partition with seq ≥ fromSeq, in order, decoded as they are pulled: a reader
 * that stops early (the relay's round budget) decodes no frame it does not reach, and none
 * before fromSeq in a chunk of many frames. `decode` turns a frame into what the reader wants
 * (decoded events by default; the relay's, events to transcode).
 */
export function* readPartitionLog<T extends { readonly seq: number } = LogEntry>(
  store: Store,
  partition: number,
  fromSeq: number,
  wal: WalView = readWal(store),
  decode: FrameDecoder<T> = decodeFrame as FrameDecoder<T>,
): Generator<T> {
  let nextSeq = fromSeq;
  let startKey = chunkKeyContaining(store, partition, fromSeq) ?? [partition, fromSeq];
  // A chunk that ends before fromSeq is not copied out of LMDB (a reader caught up with the
  // log, as the relay is between compactions, would copy its newest chunk on every read): its
  // summary is read in place.
  const containing = readInPlace(store.log, startKey);
  if (
    containing !== undefined &&
    chunkEndsBefore(containing, startKey[1], fromSeq, chunkPlace(store, startKey))
  ) {
    startKey = [partition, fromSeq];
  }
  for (const { key, value } of store.log.getRange({ start: startKey, end: [partition + 1, 0] })) {
    const place = chunkPlace(store, key);
    for (const event of chunkEventsFrom(value, key[1], nextSeq, place, decode)) {
      if (event.seq < nextSeq) continue;
      yield event;
      nextSeq = event.seq + 1;
    }
  }
  for (const entry of wal.get(partition) ?? []) {
    if (entry.firstSeq + entry.eventCount <= nextSeq) continue;
    for (const event of decode(entry.frame)) {
      if (event.seq < nextSeq) continue;
      yield event;
      nextSeq = event.seq + 1;
    }
  }
}

/** The decoded events around `seq`, or undefined when the log no longer (or never) held it. */
export function readChunkContaining(
  store: Store,
  partition: number,
  seq: number,
): { firstSeq: number; events: readonly LogEntry[] } | undefined {
  const key = chunkKeyContaining(store, partition, seq);
  if (key !== undefined) {
    const bytes = store.log.get(key)!;
    if (seq < key[1] + summarizeChunk(bytes).eventCount) {
      return { firstSeq: key[1], events: decodeChunk(bytes, chunkPlace(store, key)) };
    }
  }
  const entry = readWal(store)
    .get(partition)
    ?.find((e) => seq >= e.firstSeq && seq < e.firstSeq + e.eventCount);
  return entry && { firstSeq: entry.firstSeq, events: decodeFrame(entry.frame) };
}

/** Oldest seq the log still holds for `partition` (undefined: empty). */
export function oldestLoggedSeq(store: Store, partition: number): number | undefined {
  for (const key of store.log.getKeys({
    start: [partition, 0],
    end: [partition + 1, 0],
    limit: 1,
  })) {
    return key[1];
  }
  return readWal(store).get(partition)?.[0]?.firstSeq;
}

/** Newest seq the log holds for `partition` (0: empty). */
export function newestLoggedSeq(
  store: Store,
  partition: number,
  wal: WalView = readWal(store),
): number {
  const last = wal.get(partition)?.at(-1);
  if (last !== undefined) return last.firstSeq + last.eventCount - 1;
  return newestChunkedSeq(store, partition);
}

/** Newest seq of the partition's chunks alone (0: none). */
export function newestChunkedSeq(store: Store, partition: number): number {
  for (const { key, value } of store.log.getRange({
    start: [partition + 1, 0],
    end: [partition, 0],
    reverse: true,
    limit: 1,
  })) {
    return key[1] + summarizeChunk(value).eventCount - 1;
  }
  return 0;
}

/** How DATA_DAMAGED names a chunk. */
export function chunkPlace(store: Store, key: readonly [number, number]): string {
  return recordPlace(store.file, 'log', `log chunk [partition ${key[0]}, firstSeq ${key[1]}]`);
}

/** Key of the chunk whose seq range may contain `seq`: the last chunk starting at or before it. */
function chunkKeyContaining(
  store: Store,
  partition: number,
  seq: number,
): [number, number] | undefined {
  for (const key of store.log.getKeys({
    start: [partition, seq],
    end: [partition, 0],
    reverse: true,
    limit: 1,
  })) {
    return key;
  }
  return undefined;
}

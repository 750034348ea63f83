import { decodeChunk } from './log-codec.ts';
import type { LoggedEvent } from './logged-event.ts';
import type { Store } from './store.ts';

/** Events of one partition with seq ≥ fromSeq, in order. */
export function* readPartitionLog(
  store: Store,
  partition: number,
  fromSeq: number,
): Generator<LoggedEvent> {
  const startKey = chunkKeyContaining(store, partition, fromSeq) ?? [partition, fromSeq];
  for (const { value } of store.log.getRange({ start: startKey, end: [partition + 1, 0] })) {
    for (const event of decodeChunk(value)) {
      if (event.seq >= fromSeq) yield event;
    }
  }
}

/** The decoded chunk holding `seq`, or undefined when the log no longer (or never) held it. */
export function readChunkContaining(
  store: Store,
  partition: number,
  seq: number,
): { firstSeq: number; events: readonly LoggedEvent[] } | undefined {
  const key = chunkKeyContaining(store, partition, seq);
  if (key === undefined) return undefined;
  const events = decodeChunk(store.log.get(key)!);
  if (seq >= key[1] + events.length) return undefined;
  return { firstSeq: key[1], events };
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
  return undefined;
}

/** Newest seq the log holds for `partition` (0: empty). */
export function newestLoggedSeq(store: Store, partition: number): number {
  for (const { key, value } of store.log.getRange({
    start: [partition + 1, 0],
    end: [partition, 0],
    reverse: true,
    limit: 1,
  })) {
    const events = decodeChunk(value);
    return key[1] + events.length - 1;
  }
  return 0;
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

import { summarizeChunk } from './log-codec.ts';
import { written } from './storage-write-error.ts';
import type { Store } from './store.ts';

export interface TruncationLimits {
  /** Newest seq that a durable snapshot covers. */
  readonly snapshotSeq: number;
  /** Newest seq that replication has published (Infinity when replication is off). */
  readonly publishedSeq: number;
  /** Chunks whose newest event is at or after this time are kept for history queries. */
  readonly keepSinceMs: number;
  /** Most chunks removed in one call, to keep each call short. */
  readonly chunksMax: number;
}

/**
 * Removes the partition's oldest log chunks that are snapshotted, published and older than the
 * retention window, in one transaction. A chunk is removed only whole, and only when the next
 * chunk exists (that is how its last seq is known), so the newest chunk always stays.
 */
export async function truncatePartitionLog(
  store: Store,
  partition: number,
  limits: TruncationLimits,
): Promise<number> {
  const floorSeq = Math.min(limits.snapshotSeq, limits.publishedSeq);
  const keys = store.log.getKeys({
    start: [partition, 0],
    end: [partition + 1, 0],
    limit: limits.chunksMax + 1,
  });
  let previous: [number, number] | undefined;
  const doomed: [number, number][] = [];
  for (const key of keys) {
    if (previous !== undefined) {
      const lastSeqOfPrevious = key[1] - 1;
      if (lastSeqOfPrevious > floorSeq) break;
      if (summarizeChunk(store.log.get(previous)!).lastTimestampMs >= limits.keepSinceMs) break;
      doomed.push(previous);
    }
    previous = key;
  }
  if (doomed.length === 0) return 0;
  // One transaction: if the store cannot take it (no space), every chunk stays — removals in
  // transactions of their own could fail in the middle and leave a hole in the log.
  await written(
    store.log.transaction(() => {
      for (const key of doomed) store.log.remove(key);
    }),
  );
  return doomed.length;
}

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
 * retention window. A chunk is removed only whole, and only when the next chunk exists (that is
 * how its last seq is known), so the newest chunk always stays.
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
  const removals: Promise<boolean>[] = [];
  for (const key of keys) {
    if (previous !== undefined) {
      const lastSeqOfPrevious = key[1] - 1;
      if (lastSeqOfPrevious > floorSeq) break;
      if (summarizeChunk(store.log.get(previous)!).lastTimestampMs >= limits.keepSinceMs) break;
      removals.push(store.log.remove(previous));
    }
    previous = key;
  }
  // All of them observed: a failed transaction rejects every removal in it.
  await written(Promise.all(removals));
  return removals.length;
}

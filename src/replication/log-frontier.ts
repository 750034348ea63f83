import { decodeChunk } from '../checkpoint/log-codec.ts';
import type { Store } from '../checkpoint/store.ts';

/**
 * The newest logged seq of every partition, cheaply enough to ask every poll and every scrape.
 * checkpoint's newestLoggedSeq decodes the newest chunk each time to count its events; here a
 * chunk is decoded once, when it first becomes a partition's newest (chunks never change: the
 * log only appends new ones and truncates old ones).
 */
export function logFrontier(store: Store, partitionCount: number) {
  const newest = Array.from({ length: partitionCount }, () => ({ firstSeq: 0, lastSeq: 0 }));
  const newestSeqOf = (partition: number): number => {
    const cached = newest[partition]!;
    let firstSeq = 0;
    for (const key of store.log.getKeys({
      start: [partition + 1, 0],
      end: [partition, 0],
      reverse: true,
      limit: 1,
    })) {
      firstSeq = key[1];
    }
    if (firstSeq === 0) return 0;
    if (firstSeq !== cached.firstSeq) {
      const events = decodeChunk(store.log.get([partition, firstSeq])!);
      cached.firstSeq = firstSeq;
      cached.lastSeq = firstSeq + events.length - 1;
    }
    return cached.lastSeq;
  };
  return {
    newestSeqs: (): number[] => Array.from({ length: partitionCount }, (_, p) => newestSeqOf(p)),
  };
}

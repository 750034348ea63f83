import { summarizeChunk } from '../checkpoint/log-codec.ts';
import { readInPlace, type Store } from '../checkpoint/store.ts';
import { WalFollower } from '../checkpoint/wal-view.ts';

/**
 * The newest logged seq of every partition, cheaply enough to ask every poll and every scrape:
 * the write-ahead records are followed (each read once, wal-view.ts); a partition's newest chunk
 * is summarised once, when it first becomes its newest (chunks never change: the log only
 * appends new ones and truncates old ones).
 */
export function logFrontier(
  store: Store,
  partitionCount: number,
  wal: WalFollower = new WalFollower(store),
) {
  const newest = Array.from({ length: partitionCount }, () => ({ firstSeq: 0, lastSeq: 0 }));
  const newestChunkedSeqOf = (partition: number): number => {
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
      // Read in place (no copy of the chunk): only its summary's two numbers are kept.
      const { eventCount } = summarizeChunk(readInPlace(store.log, [partition, firstSeq])!);
      cached.firstSeq = firstSeq;
      cached.lastSeq = firstSeq + eventCount - 1;
    }
    return cached.lastSeq;
  };
  return {
    newestSeqs: (): number[] => {
      const view = wal.view();
      return Array.from({ length: partitionCount }, (_, p) => {
        const last = view.get(p)?.at(-1);
        return last === undefined ? newestChunkedSeqOf(p) : last.firstSeq + last.eventCount - 1;
      });
    },
  };
}

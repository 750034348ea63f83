import { assert } from '../domain/assert.ts';
import { encodeChunk } from './log-codec.ts';
import { newestChunkedSeq } from './log-reader.ts';
import type { Store } from './store.ts';
import { readWal } from './wal-view.ts';

/**
 * Start-up, before any worker runs: moves the write-ahead records a previous run left behind (it
 * stopped before compacting them) into their partitions' chunks, in one transaction, so that
 * every run starts with an empty write-ahead space. Frames already in a chunk are skipped by
 * seq, so running it twice changes nothing. Returns how many records it moved.
 */
export function compactLeftoverWal(store: Store): number {
  const keys = [...store.wal.getKeys()];
  if (keys.length === 0) return 0;
  const wal = readWal(store);
  store.root.transactionSync(() => {
    for (const [partition, entries] of wal) {
      const chunkedSeq = newestChunkedSeq(store, partition);
      const fresh = entries.filter((e) => e.firstSeq > chunkedSeq);
      if (fresh.length === 0) continue;
      const last = fresh.at(-1)!;
      assert(
        chunkedSeq === 0 || fresh[0]!.firstSeq === chunkedSeq + 1,
        `write-ahead frames of partition ${partition} follow its chunks`,
      );
      store.log.putSync(
        [partition, fresh[0]!.firstSeq],
        encodeChunk(
          fresh.map((e) => e.frame),
          {
            eventCount: last.firstSeq + last.eventCount - fresh[0]!.firstSeq,
            lastTimestampMs: last.lastTimestampMs,
          },
        ),
      );
    }
    for (const key of keys) store.wal.removeSync(key);
  });
  return keys.length;
}

import { describe, expect, it } from 'vitest';
import { LogWriter } from '../../src/checkpoint/log-writer.ts';
import type { Store } from '../../src/checkpoint/store.ts';
import { encodeWalRecord } from '../../src/checkpoint/wal-codec.ts';
import { readWal, WalFollower, type WalView } from '../../src/checkpoint/wal-view.ts';
import { loggedReceipt as receipt } from '../support/logged-receipt.ts';
import { tempStores } from '../support/temp-store.ts';

/** Partition → [firstSeq, eventCount, frame bytes] of each entry: what a reader of a view sees. */
const contentOf = (view: WalView) =>
  Object.fromEntries(
    [...view].map(([partition, entries]) => [
      partition,
      entries.map((e) => [e.firstSeq, e.eventCount, [...e.frame]]),
    ]),
  );

const openTempStore = tempStores();

/** A store whose `wal.get` calls are counted: how many records a follower read. */
function countedStore(): { store: Store; reads: () => number } {
  const opened = openTempStore('wal-follower');
  let reads = 0;
  const get = opened.wal.get.bind(opened.wal);
  opened.wal.get = ((key: [number, number]) => {
    reads++;
    return get(key);
  }) as typeof opened.wal.get;
  return { store: opened, reads: () => reads };
}

describe('WalFollower', () => {
  it('sees what readWal sees through commits and compactions, reading each record once', async () => {
    const { store, reads } = countedStore();
    const writers = [0, 1].map(
      (workerIndex) =>
        new LogWriter(store, {
          workerIndex,
          compactEveryRecords: 1_000,
          asyncCommitEventsMin: 1e6,
        }),
    );
    const follower = new WalFollower(store);
    expect(follower.view().size).toBe(0);
    const seqs = [0, 0, 0, 0];
    for (let batch = 0; batch < 12; batch++) {
      const writer = writers[batch % 2]!;
      // Worker 0 owns partitions 0 and 2, worker 1 partitions 1 and 3.
      for (const partition of [batch % 2, (batch % 2) + 2]) {
        const first = seqs[partition]! + 1;
        seqs[partition]! += 2;
        writer.append(partition, [receipt(partition, first), receipt(partition, first + 1)]);
      }
      await writer.durable();
      expect(contentOf(follower.view())).toEqual(contentOf(readWal(store)));
      if (batch === 7) {
        await writers[0]!.compact();
        expect(contentOf(follower.view())).toEqual(contentOf(readWal(store)));
      }
    }
    expect(reads()).toBe(12);
    // Unchanged: the same view, nothing read again.
    const view = follower.view();
    expect(follower.view()).toBe(view);
    await Promise.all(writers.map((writer) => writer.compact()));
    expect(follower.view().size).toBe(0);
    expect(reads()).toBe(12);
  });

  it('follows records put and removed in any order, of any worker', () => {
    const { store, reads } = countedStore();
    const record = (partition: number, firstSeq: number, byte: number) =>
      encodeWalRecord([
        { partition, firstSeq, eventCount: 1, lastTimestampMs: 1, frame: Uint8Array.of(byte) },
      ]);
    const follower = new WalFollower(store);
    store.wal.putSync([1, 1], record(1, 1, 0x11));
    store.wal.putSync([0, 1], record(0, 1, 0x01));
    store.wal.putSync([0, 2], record(0, 2, 0x02));
    expect(contentOf(follower.view())).toEqual({
      0: [
        [1, 1, [1]],
        [2, 1, [2]],
      ],
      1: [[1, 1, [0x11]]],
    });
    store.wal.removeSync([0, 1]);
    store.wal.putSync([1, 2], record(1, 2, 0x12));
    store.wal.putSync([0, 3], record(0, 3, 0x03));
    expect(contentOf(follower.view())).toEqual(contentOf(readWal(store)));
    store.wal.removeSync([1, 1]);
    store.wal.removeSync([1, 2]);
    expect(contentOf(follower.view())).toEqual({
      0: [
        [2, 1, [2]],
        [3, 1, [3]],
      ],
    });
    expect(reads()).toBe(5);
  });
});

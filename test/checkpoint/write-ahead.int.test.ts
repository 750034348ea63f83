import { describe, expect, it } from 'vitest';
import {
  newestLoggedSeq,
  oldestLoggedSeq,
  readChunkContaining,
  readPartitionLog,
} from '../../src/checkpoint/log-reader.ts';
import { LogWriter, type LogWriterOptions } from '../../src/checkpoint/log-writer.ts';
import type { LogEntry } from '../../src/checkpoint/logged-event.ts';
import type { Store } from '../../src/checkpoint/store.ts';
import { decodeWalRecord, encodeWalRecord } from '../../src/checkpoint/wal-codec.ts';
import { compactLeftoverWal } from '../../src/checkpoint/wal-compaction.ts';
import { loggedReceipt as receipt } from '../support/logged-receipt.ts';
import { tempStores } from '../support/temp-store.ts';

const seqsOf = (events: Iterable<LogEntry>) => [...events].map((e) => e.seq);
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

const openTempStore = tempStores();

/** A writer on a fresh store (the store is closed and removed after the test). */
function openWriter(options: Partial<LogWriterOptions>): { writer: LogWriter; store: Store } {
  const opened = openTempStore('wal');
  const writer = new LogWriter(opened, {
    workerIndex: 0,
    compactEveryRecords: 1_000,
    asyncCommitEventsMin: 1e6,
    ...options,
  });
  return { writer, store: opened };
}

/** Writes `batches` batches, each with 3 events of partition 0 and 1 of partition 5. */
async function writeBatches(writer: LogWriter, batches: number, firstBatch = 0): Promise<void> {
  for (let b = firstBatch; b < firstBatch + batches; b++) {
    writer.append(0, [receipt(0, 3 * b + 1), receipt(0, 3 * b + 2), receipt(0, 3 * b + 3)]);
    writer.append(5, [receipt(5, b + 1)]);
    await writer.durable();
  }
}

describe('the write-ahead log', () => {
  it('encodes a record of several partitions and decodes it entry by entry', () => {
    const frame = new Uint8Array([1, 2, 3]);
    const entries = [
      { partition: 7, firstSeq: 2 ** 40, eventCount: 3, lastTimestampMs: 1.5e12, frame },
      { partition: 0, firstSeq: 1, eventCount: 1, lastTimestampMs: 0, frame: new Uint8Array() },
    ];
    expect(decodeWalRecord(encodeWalRecord(entries))).toEqual(entries);
  });

  it.each([
    ['in the worker’s thread', 1e6],
    ['on LMDB’s write thread', 1],
  ])(
    'serves every event from records not yet compacted, then from chunks (commits %s)',
    async (_, asyncCommitEventsMin) => {
      const { writer, store } = openWriter({ asyncCommitEventsMin });
      await writeBatches(writer, 4);
      expect([...store.log.getKeys()]).toEqual([]);
      expect([...store.wal.getKeys()]).toHaveLength(4);

      const beforeCompaction = {
        p0: seqsOf(readPartitionLog(store, 0, 1)),
        p0From5: seqsOf(readPartitionLog(store, 0, 5)),
        p5: seqsOf(readPartitionLog(store, 5, 1)),
        newest: [newestLoggedSeq(store, 0), newestLoggedSeq(store, 5)],
        oldest: oldestLoggedSeq(store, 0),
        around7: readChunkContaining(store, 0, 7)?.events.map((e) => e.seq),
      };
      expect(beforeCompaction).toEqual({
        p0: range(1, 12),
        p0From5: range(5, 12),
        p5: range(1, 4),
        newest: [12, 4],
        oldest: 1,
        around7: [7, 8, 9],
      });

      await writer.compact();
      expect([...store.wal.getKeys()]).toEqual([]);
      expect([...store.log.getKeys()]).toEqual([
        [0, 1],
        [5, 1],
      ]);
      expect(seqsOf(readPartitionLog(store, 0, 1))).toEqual(range(1, 12));
      expect(seqsOf(readPartitionLog(store, 5, 2))).toEqual(range(2, 4));
      expect(readChunkContaining(store, 0, 7)?.events.map((e) => e.seq)).toEqual(range(1, 12));
      expect([newestLoggedSeq(store, 0), newestLoggedSeq(store, 5)]).toEqual([12, 4]);
    },
  );

  it('reads across chunks and the records written after the last compaction', async () => {
    const { writer, store } = openWriter({
      workerIndex: 1,
      compactEveryRecords: 2,
      asyncCommitEventsMin: 4,
    });
    // Batches of 4 events: at the threshold, so these commit on LMDB's write thread.
    await writeBatches(writer, 5);
    await writer.compact();
    await writeBatches(writer, 1, 5);
    expect([...store.wal.getKeys()]).toHaveLength(1);
    expect(seqsOf(readPartitionLog(store, 0, 4))).toEqual(range(4, 18));
    expect(seqsOf(readPartitionLog(store, 5, 1))).toEqual(range(1, 6));
  });

  it('gathers what is appended while a commit runs into one record, committed when it lands', async () => {
    const { writer, store } = openWriter({ asyncCommitEventsMin: 1 });
    const landed: string[] = [];
    writer.append(0, [receipt(0, 1)]);
    const first = writer.durable()!.then(() => landed.push('first'));
    // Three groups decided while the first commit runs: one record behind it, not three.
    const gathered = [2, 3, 4].map((seq) => {
      writer.append(0, [receipt(0, seq)]);
      return writer.durable()!.then(() => landed.push(`seq ${seq}`));
    });
    expect(new Set(gathered.map(() => writer.durable())).size).toBe(1);
    await Promise.all([first, ...gathered]);

    expect(landed).toEqual(['first', 'seq 2', 'seq 3', 'seq 4']);
    expect([...store.wal.getKeys()]).toEqual([
      [0, 1],
      [0, 2],
    ]);
    expect(seqsOf(readPartitionLog(store, 0, 1))).toEqual(range(1, 4));
    // Nothing under way: the next group commits on its own.
    writer.append(0, [receipt(0, 5)]);
    await writer.durable();
    expect([...store.wal.getKeys()]).toHaveLength(3);
  });

  it('moves what a stopped run left behind into chunks at start-up, once', async () => {
    const { writer, store } = openWriter({ compactEveryRecords: 2 });
    await writeBatches(writer, 3);
    // The run stops here: one compaction of two records happened, the third record is left.
    await store.root.flushed;
    expect([...store.wal.getKeys()]).toHaveLength(1);

    expect(compactLeftoverWal(store)).toBe(1);
    expect(compactLeftoverWal(store)).toBe(0);
    expect([...store.wal.getKeys()]).toEqual([]);
    expect(seqsOf(readPartitionLog(store, 0, 1))).toEqual(range(1, 9));
    expect(seqsOf(readPartitionLog(store, 5, 1))).toEqual(range(1, 3));
  });
});

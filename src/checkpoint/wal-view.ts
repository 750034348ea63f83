import { recordPlace } from './checksum.ts';
import type { Store } from './store.ts';
import { decodeWalRecord, type WalEntry } from './wal-codec.ts';

/**
 * The write-ahead records not yet compacted, per partition in seq order. They are few (at most a
 * compaction's worth per worker), so readers take one view per read and look up in it.
 */
export type WalView = ReadonlyMap<number, readonly WalEntry[]>;

export function readWal(store: Store): WalView {
  const byPartition = new Map<number, WalEntry[]>();
  for (const { key, value } of store.wal.getRange()) {
    const where = recordPlace(
      store.file,
      'wal',
      `write-ahead record [worker ${key[0]}, record ${key[1]}]`,
    );
    for (const entry of decodeWalRecord(value, where)) {
      const entries = byPartition.get(entry.partition);
      if (entries === undefined) byPartition.set(entry.partition, [entry]);
      else entries.push(entry);
    }
  }
  for (const entries of byPartition.values()) entries.sort((a, b) => a.firstSeq - b.firstSeq);
  return byPartition;
}

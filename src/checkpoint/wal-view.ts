import { recordPlace } from './checksum.ts';
import type { Store } from './store.ts';
import { decodeWalRecord, type WalEntry } from './wal-codec.ts';

/**
 * The write-ahead records not yet compacted, per partition in seq order. They are few (at most a
 * compaction's worth per worker), so readers take one view per read and look up in it.
 */
export type WalView = ReadonlyMap<number, readonly WalEntry[]>;

type RecordKey = readonly [workerIndex: number, recordNumber: number];

interface FollowedRecord {
  readonly key: RecordKey;
  readonly entries: readonly WalEntry[];
}

/** Every record, read and decoded now: for readers that look once (start-up, recovery). */
export function readWal(store: Store): WalView {
  const records: FollowedRecord[] = [];
  for (const { key, value } of store.wal.getRange()) {
    records.push({ key, entries: decodeWalRecord(value, placeOf(store, key)) });
  }
  return viewOf(records);
}

/**
 * The write-ahead records for a reader that asks again and again (the relay: every round and
 * every lag reading). A key is never given to two records while a store is open — each worker's
 * one LogWriter numbers its records upward (log-writer.ts), start-up compacts every record left
 * before a writer runs, and compaction only removes whole records — so each record is read and
 * decoded once, when it first appears, and every later look lists the keys alone. (Reading
 * every record each time copied up to a compaction's worth of records out of LMDB per look:
 * hundreds of megabytes a second outside the heap on the relay's thread, each 64 MB or so a
 * full collection.)
 */
export class WalFollower {
  readonly #store: Store;
  /** In key order, as the store lists them. */
  #records: readonly FollowedRecord[] = [];
  #view: WalView = new Map();

  constructor(store: Store) {
    this.#store = store;
  }

  view(): WalView {
    const listed: FollowedRecord[] = [];
    let changed = false;
    let at = 0;
    for (const key of this.#store.wal.getKeys()) {
      // Records before this key that it no longer lists were compacted.
      while (at < this.#records.length && compareKeys(this.#records[at]!.key, key) < 0) {
        at++;
        changed = true;
      }
      const known = this.#records[at];
      if (known !== undefined && compareKeys(known.key, key) === 0) {
        listed.push(known);
        at++;
        continue;
      }
      listed.push(this.#read(key));
      changed = true;
    }
    if (at < this.#records.length) changed = true;
    if (changed) {
      this.#records = listed;
      this.#view = viewOf(listed);
    }
    return this.#view;
  }

  #read(key: RecordKey): FollowedRecord {
    const value = this.#store.wal.get(key as [number, number])!;
    return { key, entries: decodeWalRecord(value, placeOf(this.#store, key)) };
  }
}

function viewOf(records: readonly FollowedRecord[]): WalView {
  const byPartition = new Map<number, WalEntry[]>();
  for (const { entries } of records) {
    for (const entry of entries) {
      const partitionEntries = byPartition.get(entry.partition);
      if (partitionEntries === undefined) byPartition.set(entry.partition, [entry]);
      else partitionEntries.push(entry);
    }
  }
  for (const entries of byPartition.values()) entries.sort((a, b) => a.firstSeq - b.firstSeq);
  return byPartition;
}

function compareKeys(a: RecordKey, b: RecordKey): number {
  return a[0] - b[0] || a[1] - b[1];
}

function placeOf(store: Store, key: RecordKey): string {
  return recordPlace(store.file, 'wal', `write-ahead record [worker ${key[0]}, record ${key[1]}]`);
}

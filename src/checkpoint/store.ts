import { mkdirSync } from 'node:fs';
import { type Database, type Key, open, type RootDatabase } from 'lmdb';
import { storeFileOf } from './data-dir.ts';

/**
 * One LMDB environment per data directory, opened by the main thread and by every worker thread
 * (lmdb-js shares the environment inside a process). Log records are keyed [partition, firstSeq]
 * so each partition's log is one ordered key range.
 */
export interface Store {
  readonly dataDir: string;
  /** The data file (named in DATA_DAMAGED messages). */
  readonly file: string;
  readonly root: RootDatabase;
  /** [partition, firstSeq] → a chunk of that partition's events (see log-codec.ts). */
  readonly log: Database<Uint8Array, [number, number]>;
  /**
   * [workerIndex, recordNumber] → what one batch logged (see wal-codec.ts), until compaction
   * moves it into `log`. Readers of a partition's log read both (log-reader.ts).
   */
  readonly wal: Database<Uint8Array, [number, number]>;
  /** partition → the newest snapshot of the partition (see snapshot-codec.ts). */
  readonly snapshots: Database<Uint8Array, number>;
  /** Small named records: the store's identity, replication positions. */
  readonly meta: Database<unknown, string>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** Skip fsync: only for throwaway stores in benchmarks that measure everything else. */
  readonly noSync?: boolean;
}

/**
 * Opens (or creates) the data directory's store. The main thread checks the data file before
 * the first open of a run (data-dir-check.ts): LMDB maps the file, and a damaged one faults on
 * first access instead of failing.
 */
export function openStore(dataDir: string, options: StoreOptions = {}): Store {
  mkdirSync(dataDir, { recursive: true });
  const file = storeFileOf(dataDir);
  const root = open({
    path: file,
    maxDbs: 8,
    // Explicit: the durability contract depends on these. Every commit is fsynced before it
    // returns (LMDB's own two-phase sync: data pages, then the meta page), so a resolved write
    // is a durable one. No overlappingSync: a worker commits its batches synchronously in its
    // own thread (log-writer.ts), because on few cores handing a commit to another thread and
    // being woken when it is done costs more than the commit itself.
    overlappingSync: false,
    noSync: options.noSync === true,
    compression: false,
    // Asynchronous writes (snapshots, compaction, replication positions) start their transaction
    // as soon as they are queued instead of at the end of the event turn.
    eventTurnBatching: false,
  });
  const log = root.openDB<Uint8Array, [number, number]>({ name: 'log', encoding: 'binary' });
  const wal = root.openDB<Uint8Array, [number, number]>({ name: 'wal', encoding: 'binary' });
  const snapshots = root.openDB<Uint8Array, number>({ name: 'snapshots', encoding: 'binary' });
  const meta = root.openDB<unknown, string>({ name: 'meta', encoding: 'msgpack' });
  return { dataDir, file, root, log, wal, snapshots, meta, close: () => root.close() };
}

/**
 * The value at `key` read in place, without a copy: valid only until this thread's next read
 * (lmdb-js's shared read buffer, or the map itself for a large value), for a reader that keeps
 * nothing of it. lmdb-js gives the shared buffer an own `length` of the value's: the view here
 * is exactly the value's bytes.
 */
export function readInPlace<K extends Key>(
  db: Database<Uint8Array, K>,
  key: K,
): Uint8Array | undefined {
  const bytes = db.getBinaryFast(key);
  return bytes?.subarray(0, bytes.length);
}

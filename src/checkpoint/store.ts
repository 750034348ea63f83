import { mkdirSync } from 'node:fs';
import { type Database, open, type RootDatabase } from 'lmdb';
import { storeFileOf } from './data-dir.ts';

/**
 * One LMDB environment per data directory, opened by the main thread and by every worker thread
 * (lmdb-js shares the environment inside a process). Log records are keyed [partition, firstSeq]
 * so each partition's log is one ordered key range.
 */
export interface Store {
  readonly root: RootDatabase;
  /** [partition, firstSeq] → a chunk of that partition's events (see log-codec.ts). */
  readonly log: Database<Uint8Array, [number, number]>;
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

export function openStore(dataDir: string, options: StoreOptions = {}): Store {
  mkdirSync(dataDir, { recursive: true });
  const root = open({
    path: storeFileOf(dataDir),
    maxDbs: 8,
    // Explicit: the durability contract depends on these. overlappingSync lets fsync run after
    // the writer lock is released; `flushed` then tells when a commit is on disk. (lmdb-js
    // refuses noSync together with overlappingSync.)
    overlappingSync: options.noSync !== true,
    noSync: options.noSync === true,
    // Each write's promise gets a `flushed` promise for its own transaction (log-writer.ts).
    separateFlushed: true,
    compression: false,
    // Start each write transaction as soon as writes are queued instead of at the end of the
    // event turn: a worker that has several batches queued would otherwise execute all of them
    // before the first one commits, and the pipeline runs in lockstep. Correctness does not need
    // a batch in one transaction: a command touches one partition's chunk, and replies wait for
    // the batch's last write, which LMDB commits after every earlier one.
    eventTurnBatching: false,
  });
  const log = root.openDB<Uint8Array, [number, number]>({ name: 'log', encoding: 'binary' });
  const snapshots = root.openDB<Uint8Array, number>({ name: 'snapshots', encoding: 'binary' });
  const meta = root.openDB<unknown, string>({ name: 'meta', encoding: 'msgpack' });
  return { root, log, snapshots, meta, close: () => root.close() };
}

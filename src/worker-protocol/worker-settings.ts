/** What a worker thread needs to know, passed as piscina workerData (structured-cloneable). */
export interface WorkerSettings {
  readonly dataDir: string;
  readonly workerIndex: number;
  readonly workerCount: number;
  readonly partitionCount: number;
  /** Skip fsync (benchmarks of everything but the disk only). */
  readonly noSync: boolean;
  /** A manual clock's memory (clock.ts); undefined: the system clock, housekeeping on timers. */
  readonly sharedClock: SharedArrayBuffer | undefined;
  /**
   * The write gate's memory (write-gate.ts): while closed, the worker refuses writes with
   * STORAGE_FULL and postpones expiry, snapshots and compaction. Undefined: never closed.
   */
  readonly writeGate?: SharedArrayBuffer | undefined;
  /** How often due reservations are expired (ms). */
  readonly expiryIntervalMs: number;
  /** Most reservations expired in one pass. */
  readonly expiryBatchMax: number;
  /** A partition is snapshotted after this many new events... */
  readonly snapshotEveryEvents: number;
  /** ...or this long after its last snapshot if it changed (ms). */
  readonly snapshotIntervalMs: number;
  /** Settled reservations (and their idempotency keys) are kept at least this long (ms). */
  readonly reservationRetentionMs: number;
  /** Most settled reservations one worker keeps; beyond it the oldest are forgotten early. */
  readonly settledReservationsMax: number;
  /** Most settled orders one worker keeps (each a few kB, with its timeline); likewise. */
  readonly settledOrdersMax: number;
  /** Log chunks newer than this are kept for history and as-of queries (ms). */
  readonly logRetentionMs: number;
  /** commandIds remembered per partition to make redelivered commands no-ops. */
  readonly recentCommandsMax: number;
  /** Write-ahead records (one per batch) a worker writes before compacting them into chunks. */
  readonly walCompactEveryRecords: number;
  /** Commits of at least this many events run on LMDB's write thread, overlapping decisions. */
  readonly asyncCommitEventsMin: number;
  /** When replication is on, the log is kept until published. */
  readonly replicationEnabled: boolean;
}

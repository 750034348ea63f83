/** Upper bounds (seconds) of the commit-time histogram buckets; the last bucket is +Inf. */
export const commitSecondsBounds: readonly number[] = [
  0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
];

/** Counters a worker keeps; the main thread sums them over workers for /metrics. */
export interface WorkerStats {
  readonly workerIndex: number;
  /** commandType → outcome → count; outcome is applied, unchanged or a rejection code. */
  readonly commands: Record<string, Record<string, number>>;
  readonly batches: number;
  readonly batchRequestsSum: number;
  readonly eventsWritten: number;
  readonly commitSecondsSum: number;
  readonly commits: number;
  /** Commits per bucket of commitSecondsBounds (not cumulative), then the +Inf bucket. */
  readonly commitSecondsBuckets: readonly number[];
  readonly expired: number;
  readonly forgotten: number;
  readonly snapshotsWritten: number;
  readonly chunksTruncated: number;
  /** Commits that failed (their batches were answered STORAGE_FULL). */
  readonly failedCommits: number;
  /** Partitions reloaded from the store after a failed commit left them ahead of it. */
  readonly partitionReloads: number;
  /** What closing could not do (a final snapshot or compaction), one line each. */
  readonly closeWarnings: readonly string[];
  readonly items: number;
  readonly reservations: number;
  readonly pendingDeadlines: number;
  /** partition → time of its newest durable snapshot (ms; 0: none yet). */
  readonly snapshotAtMs: Record<number, number>;
  /** partition → seq its newest durable snapshot covers (0: none yet). */
  readonly snapshotSeq: Record<number, number>;
  /** partition → newest seq. */
  readonly lastSeq: Record<number, number>;
  readonly heapUsedBytes: number;
  /**
   * Memory the worker's objects hold outside the V8 heap: typed arrays' backing stores (the
   * item rows, the index tables).
   */
  readonly externalBytes: number;
  readonly recovery: { readonly durationMs: number; readonly replayedEvents: number };
}

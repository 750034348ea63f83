/**
 * Defaults of every tunable, each with its unit. The configuration schema (config.ts) reads its
 * defaults from here, and so do components built directly (tests, benchmarks).
 */
import type {
  CommandConsumerSettings,
  KafkaClientSettings,
  PoolSettings,
  ProjectorSettings,
  RelaySettings,
} from './schema.ts';

const hourMs = 3_600_000;
const mebibyte = 1_048_576;

export const engineDefaults = Object.freeze({
  partitionCount: 64,
  /** Commands per batch sent to a worker. */
  batchRequestsMax: 1_024,
  /** Batches a worker holds at once (a second only when large: engine/worker-queue.ts). */
  inFlightBatchesMax: 4,
  /** Commands queued per worker. */
  queuedRequestsMax: 50_000,
  /**
   * Bytes (64 MiB): room left for what a worker writes between two checks, snapshots and
   * compaction, and LMDB's file growth; writes are refused below it.
   */
  diskFreeFloorBytes: 64 * mebibyte,
  /** Milliseconds: the free space is also read after commits, at most every few ms. */
  diskCheckIntervalMs: 1_000,
  noSync: false,
  housekeeping: Object.freeze({
    /** Milliseconds. */
    expiryIntervalMs: 200,
    /** Reservations. */
    expiryBatchMax: 10_000,
    /** Events. */
    snapshotEveryEvents: 50_000,
    /** Milliseconds (60 s). */
    snapshotIntervalMs: 60_000,
    /** Milliseconds (24 h). */
    reservationRetentionMs: 24 * hourMs,
    /** Reservations per worker. */
    settledReservationsMax: 5_000_000,
    /** Orders per worker (~2 kB of heap each for 3 lines: ~1 GB). */
    settledOrdersMax: 500_000,
    /** Milliseconds (7 days). */
    logRetentionMs: 168 * hourMs,
    /** commandIds per partition. */
    recentCommandsMax: 10_000,
    /** Write-ahead records (one per batch) between two compactions into partition chunks. */
    walCompactEveryRecords: 64,
    /** Events: smaller commits run in the worker's own thread, larger ones on LMDB's. */
    asyncCommitEventsMin: 256,
    replicationEnabled: false,
  }),
});

export const orderDefaults = Object.freeze({
  /** Lines one order may have (at most domain/limits.ts orderLinesMax). */
  linesMax: 100,
  /** Seconds a reservation or an order is held when it names no ttl. */
  ttlSeconds: 900,
});

export const kafkaClientDefaults: KafkaClientSettings = Object.freeze({
  /** Milliseconds. */
  connectionTimeoutMs: 3_000,
  /** Milliseconds. */
  requestTimeoutMs: 30_000,
  /** 300 ms, ~600 ms, … up to 10 s, 5 retries: ~20 s before an operation fails. */
  retry: Object.freeze({ initialMs: 300, maxMs: 10_000, retriesMax: 5 }),
});

export const commandConsumerDefaults: CommandConsumerSettings = Object.freeze({
  /** A thread of its own, or 'main'. */
  thread: 'own',
  /** Messages. */
  commandsPerEngineCallMax: 2_000,
  /** Partitions. */
  partitionsConcurrentlyMax: 4,
  /** Bytes (64 KiB). */
  valueBytesMax: 64 * 1_024,
  /** Bytes (1 MiB). */
  fetchBytesPerPartitionMax: mebibyte,
  /** Milliseconds. */
  fetchWaitMsMax: 500,
  /** Milliseconds. */
  sessionTimeoutMs: 30_000,
  /** Milliseconds. */
  heartbeatIntervalMs: 3_000,
  /** Milliseconds. */
  produceAckTimeoutMs: 30_000,
});

export const relayDefaults: RelaySettings = Object.freeze({
  /** Events. */
  roundEventsMax: 4_096,
  /** Bytes (512 KiB). */
  partitionBatchBytesMax: 512 * 1_024,
  /** Milliseconds. */
  idlePollMs: 50,
  /** Milliseconds: 250 ms doubling to 10 s. */
  backoff: Object.freeze({ initialMs: 250, maxMs: 10_000 }),
  /** Milliseconds. */
  failureLogIntervalMs: 30_000,
  /** Milliseconds. */
  produceAckTimeoutMs: 30_000,
  /** Milliseconds. */
  stopWaitMsMax: 10_000,
});

export const projectorDefaults: ProjectorSettings = Object.freeze({
  /** Events. */
  batchEventsMax: 2_000,
  /** Partitions. */
  partitionsConcurrently: 2,
  /** Bytes (1 MiB). */
  fetchBytesPerPartitionMax: mebibyte,
  /** Milliseconds (kafkajs's default). */
  fetchWaitMsMax: 5_000,
  /** Milliseconds. */
  sessionTimeoutMs: 30_000,
  /** Milliseconds (kafkajs's default). */
  heartbeatIntervalMs: 3_000,
  /** Milliseconds. */
  heartbeatWhileWaitingMs: 1_000,
  /** Milliseconds: 100 ms doubling to 10 s. */
  backoff: Object.freeze({ initialMs: 100, maxMs: 10_000 }),
  /** Milliseconds: two admin requests to Kafka per poll. */
  lagPollMs: 5_000,
  /** UTC days: a close per item and day on which it changed. */
  snapshotPeriod: 'day',
});

export const projectorPoolDefaults = Object.freeze({
  /**
   * Connections beyond one per partition projected at once (connections): headroom for the
   * migration's lock session at start and for a broken session being replaced.
   */
  spareConnections: 1,
  /** Milliseconds. */
  connectTimeoutMs: 5_000,
  /** Milliseconds. */
  statementTimeoutMs: 60_000,
  /** Milliseconds: the statement timeout and 5 s for PostgreSQL to answer the cancel. */
  queryTimeoutMs: 65_000,
  /** Milliseconds. */
  idleTimeoutMs: 30_000,
});

export const reportsPoolDefaults: PoolSettings = Object.freeze({
  /** Connections: concurrent report queries. */
  connectionsMax: 4,
  /** Milliseconds: beyond it the request gets 503. */
  connectTimeoutMs: 3_000,
  /** Milliseconds. */
  statementTimeoutMs: 10_000,
  /** Milliseconds: the statement timeout and 2 s for PostgreSQL to answer the cancel. */
  queryTimeoutMs: 12_000,
  /** Milliseconds. */
  idleTimeoutMs: 30_000,
});

import type { ApiScope } from './api-scopes.ts';

/**
 * The shape of stockd's configuration: every tunable, with its unit. `loadConfig` (config.ts)
 * builds one from the environment, the defaults are in defaults.ts, and each component receives
 * its own section as a plain object (tests build one directly).
 */
export interface Config {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly workers: number;
  /** Partitions of a new data directory (an existing one keeps its own). */
  readonly partitions: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Hold time of a reservation that does not ask for one (seconds). */
  readonly defaultTtlSeconds: number;
  readonly http: {
    /** Largest request body (bytes). */
    readonly bodyLimitBytes: number;
    /** Most items in one bulk receipt. */
    readonly bulkItemsMax: number;
  };
  /** Who may call the HTTP API (access-section.ts). */
  readonly access: AccessSettings;
  readonly engine: EngineSettings;
  readonly orders: {
    /** Most lines one order may have (lines). */
    readonly linesMax: number;
  };
  /** Absent when KAFKA_BROKERS is unset: no command topic, no replication. */
  readonly kafka: KafkaConfig | undefined;
  /** Absent when DATABASE_URL is unset: no projection, no reports. */
  readonly databaseUrl: string | undefined;
  /** The projector (runs when both KAFKA_BROKERS and DATABASE_URL are set). */
  readonly projector: ProjectorSettings;
  /** The projector's connections to the reporting database. */
  readonly projectorPool: PoolSettings;
  /** The report routes' connections to the reporting database. */
  readonly reportsPool: PoolSettings;
  /** Seconds SIGTERM waits for in-flight work before giving up. */
  readonly shutdownGraceSeconds: number;
}

export interface AccessSettings {
  /**
   * `on`: with keys, every route but /healthz, /readyz, /docs, /asyncapi (and /metrics unless scoped)
   * needs one; without keys, stockd serves loopback only. `off` (STOCKD_AUTH=off): no
   * authentication on any address, for a network that does it in front of stockd.
   */
  readonly authentication: 'on' | 'off';
  readonly keys: readonly ApiKeyEntry[];
  /** The scope /metrics needs; undefined: open to anyone who can reach it. */
  readonly metricsScope: ApiScope | undefined;
  /** Requests each key may make per window; undefined: no limit. */
  readonly rateLimit: { readonly requestsMax: number; readonly windowMs: number } | undefined;
}

/** One API key, as configured: never the key itself, only its hash. */
export interface ApiKeyEntry {
  /** The key's name: the `actor` of its commands' events. */
  readonly name: string;
  /** SHA-256 of the key, 64 lower-case hex digits. */
  readonly sha256: string;
  readonly scopes: readonly ApiScope[];
}

export interface EngineSettings {
  /** Most commands in one batch sent to a worker. */
  readonly batchRequestsMax: number;
  /** Batches a worker holds at once (one committing while the next fills). */
  readonly inFlightBatchesMax: number;
  /** Commands queued per worker before new ones are refused with OVERLOADED. */
  readonly queuedRequestsMax: number;
  /** A partition is snapshotted after this many new events (events)… */
  readonly snapshotEveryEvents: number;
  /** …or this long after its last snapshot if it changed (milliseconds). */
  readonly snapshotIntervalMs: number;
  /** Settled reservations (and their idempotency keys) are kept at least this long (milliseconds). */
  readonly reservationRetentionMs: number;
  /** Log kept for history and as-of queries (milliseconds). */
  readonly logRetentionMs: number;
  /** commandIds remembered per partition, so that a redelivered command has no second effect. */
  readonly recentCommandsMax: number;
  /** How often each worker expires its due reservations (milliseconds). */
  readonly expiryIntervalMs: number;
  /** Most reservations expired in one pass (reservations). */
  readonly expiryBatchMax: number;
  /** Most settled reservations one worker keeps; beyond it the oldest are forgotten early. */
  readonly settledReservationsMax: number;
  /** Most settled orders one worker keeps; beyond it the oldest are forgotten early. */
  readonly settledOrdersMax: number;
  /** Write-ahead records a worker writes before moving them into partition chunks (records). */
  readonly walCompactEveryRecords: number;
  /** A commit of at least this many events runs on LMDB's write thread, not the worker's (events). */
  readonly asyncCommitEventsMin: number;
  /**
   * While the data directory's filesystem has less free space than this, writes are refused
   * with STORAGE_FULL (bytes; > 0: lmdb-js must never meet a failed page write).
   */
  readonly diskFreeFloorBytes: number;
  /** How often the free space is read besides after commits (milliseconds). */
  readonly diskCheckIntervalMs: number;
}

export interface KafkaConfig {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** Consumer group of the command topic (the projector's is `<consumerGroup>-projector`). */
  readonly consumerGroup: string;
  readonly topics: {
    readonly commands: string;
    readonly results: string;
    readonly deadLetters: string;
    readonly events: string;
  };
  /** Timeouts and retry of every kafkajs client stockd creates. */
  readonly client: KafkaClientSettings;
  readonly commandConsumer: CommandConsumerSettings;
  readonly relay: RelaySettings;
}

export interface KafkaClientSettings {
  /** Time to open a TCP connection to a broker (milliseconds). */
  readonly connectionTimeoutMs: number;
  /** Time a broker has to answer one request (milliseconds). */
  readonly requestTimeoutMs: number;
  readonly retry: KafkaRetrySettings;
}

/** kafkajs's own retry of every request, before a component sees the failure. */
export interface KafkaRetrySettings extends BackoffSettings {
  /** Retries after the first attempt (at least 1: the relay's producer is idempotent). */
  readonly retriesMax: number;
}

/** Waits between attempts: the first one, doubling per failure (with jitter) up to the longest. */
export interface BackoffSettings {
  /** Wait before the first retry (milliseconds). */
  readonly initialMs: number;
  /** Longest wait between two attempts (milliseconds). */
  readonly maxMs: number;
}

export interface CommandConsumerSettings {
  /**
   * Where the consumer and its results producer run: 'own' on a thread of their own (their
   * kafkajs work then never competes with HTTP on the main thread), 'main' on the main thread
   * (one hand-off less per engine call, for a machine with a single core to spare).
   */
  readonly thread: 'own' | 'main';
  /**
   * Most messages decoded and submitted to the engine in one call, answered and committed
   * together. It bounds the work redelivered after a crash.
   */
  readonly commandsPerEngineCallMax: number;
  /** Partitions whose batches are processed at the same time. */
  readonly partitionsConcurrentlyMax: number;
  /** Largest command message value; larger ones go to the DLQ (bytes). */
  readonly valueBytesMax: number;
  /** Most bytes one fetch returns per partition (bytes). */
  readonly fetchBytesPerPartitionMax: number;
  /** Longest time the broker holds a fetch waiting for data (milliseconds). */
  readonly fetchWaitMsMax: number;
  /** The group drops a member silent this long (milliseconds). */
  readonly sessionTimeoutMs: number;
  /** Heartbeat interval; also sent after every engine call of a long batch (milliseconds). */
  readonly heartbeatIntervalMs: number;
  /** Time the broker has to acknowledge results and dead letters on all replicas (milliseconds). */
  readonly produceAckTimeoutMs: number;
}

export interface RelaySettings {
  /**
   * Most events in one produce call, all partitions together (events). Moderate on purpose:
   * kafkajs 2.2.4 groups a call's messages by partition in time quadratic in their number.
   */
  readonly roundEventsMax: number;
  /**
   * Most bytes of event values per partition in one produce call (bytes). One partition's
   * messages form one record batch, which the broker refuses above message.max.bytes (1 MiB by
   * default).
   */
  readonly partitionBatchBytesMax: number;
  /** Wait before looking for new events after a round that found none (milliseconds). */
  readonly idlePollMs: number;
  /** Waits after failed rounds. */
  readonly backoff: BackoffSettings;
  /** While failing, at most one log line per this interval (milliseconds). */
  readonly failureLogIntervalMs: number;
  /** Time the broker has to acknowledge a produce on all replicas (milliseconds). */
  readonly produceAckTimeoutMs: number;
  /** Longest wait in stop() for the produce in flight; then the producer is dropped (milliseconds). */
  readonly stopWaitMsMax: number;
}

export interface ProjectorSettings {
  /** Most events written by one transaction (events). */
  readonly batchEventsMax: number;
  /** Kafka partitions projected at once, each in its own transaction and connection. */
  readonly partitionsConcurrently: number;
  /** Most bytes one fetch takes from a partition (bytes); bounds memory per batch. */
  readonly fetchBytesPerPartitionMax: number;
  /** Longest time the broker holds a fetch waiting for data (milliseconds). */
  readonly fetchWaitMsMax: number;
  /** The group drops a member silent this long (milliseconds). */
  readonly sessionTimeoutMs: number;
  /** Heartbeat interval while consuming (milliseconds). */
  readonly heartbeatIntervalMs: number;
  /** Longest wait between two heartbeats while waiting to retry PostgreSQL (milliseconds). */
  readonly heartbeatWhileWaitingMs: number;
  /** Retry waits after PostgreSQL failures (and for migrations at start). */
  readonly backoff: BackoffSettings;
  /** How often the lag is polled from Kafka, so that it grows while nothing is applied (milliseconds). */
  readonly lagPollMs: number;
  /** The period after which every item that changed in it gets a snapshot (UTC hours or days). */
  readonly snapshotPeriod: SnapshotPeriod;
}

export const snapshotPeriods = ['hour', 'day'] as const;
export type SnapshotPeriod = (typeof snapshotPeriods)[number];

/** A bounded PostgreSQL pool whose every wait is bounded too. */
export interface PoolSettings {
  /** Connections open at once (connections). */
  readonly connectionsMax: number;
  /** Longest wait for a connection, new or from the full pool (milliseconds). */
  readonly connectTimeoutMs: number;
  /** Longest a statement may run before PostgreSQL cancels it (milliseconds). */
  readonly statementTimeoutMs: number;
  /**
   * Longest the client waits for a query's answer (milliseconds): beyond the statement
   * timeout, for a server or a network that went silent and cannot cancel anything.
   */
  readonly queryTimeoutMs: number;
  /** An unused connection is closed after this long (milliseconds). */
  readonly idleTimeoutMs: number;
}

import type { Config } from './schema.ts';

interface Rule {
  readonly holds: (config: Config) => boolean;
  readonly problem: (config: Config) => string;
}

/**
 * Limits that only make sense together, checked at start-up rather than discovered in
 * production. Kafka's rules apply when Kafka is on; the PostgreSQL ones always (their values
 * are defaults until DATABASE_URL is set, and defaults satisfy them).
 */
const rules: readonly Rule[] = [
  {
    holds: (c) => c.engine.queuedRequestsMax >= c.engine.batchRequestsMax,
    problem: () => 'STOCKD_QUEUE_MAX must be at least STOCKD_BATCH_MAX',
  },
  {
    holds: (c) => c.http.bulkItemsMax <= c.engine.queuedRequestsMax,
    problem: () => 'STOCKD_BULK_ITEMS_MAX must not exceed STOCKD_QUEUE_MAX',
  },
  {
    // A redelivered command has no second effect only while its partition still remembers its
    // commandId. After a crash, what is redelivered is at most one engine call per partition
    // being consumed, and in the worst case (producers keying by something other than the
    // item) all of it lands in one stockd partition: the remembered window must be larger.
    holds: (c) => c.kafka === undefined || c.engine.recentCommandsMax >= redeliveredMax(c),
    problem: (c) =>
      `STOCKD_RECENT_COMMANDS_MAX=${c.engine.recentCommandsMax} is below the ${redeliveredMax(c)} commands the Kafka consumer may redeliver after a crash (STOCKD_CONSUMER_COMMANDS_PER_ENGINE_CALL_MAX=${c.kafka?.commandConsumer.commandsPerEngineCallMax} × STOCKD_CONSUMER_PARTITIONS_CONCURRENTLY_MAX=${c.kafka?.commandConsumer.partitionsConcurrentlyMax}): a redelivered command could apply twice`,
  },
  // Kafka's guidance: heartbeats at most a third of the session, so two can be missed.
  {
    holds: (c) =>
      c.kafka === undefined ||
      3 * c.kafka.commandConsumer.heartbeatIntervalMs <= c.kafka.commandConsumer.sessionTimeoutMs,
    problem: () =>
      'STOCKD_CONSUMER_HEARTBEAT_INTERVAL_MS must be at most a third of STOCKD_CONSUMER_SESSION_TIMEOUT_MS',
  },
  {
    holds: (c) => 3 * c.projector.heartbeatIntervalMs <= c.projector.sessionTimeoutMs,
    problem: () =>
      'STOCKD_PROJECTOR_HEARTBEAT_INTERVAL_MS must be at most a third of STOCKD_PROJECTOR_SESSION_TIMEOUT_MS',
  },
  {
    holds: (c) => 3 * c.projector.heartbeatWhileWaitingMs <= c.projector.sessionTimeoutMs,
    problem: () =>
      'STOCKD_PROJECTOR_HEARTBEAT_WHILE_WAITING_MS must be at most a third of STOCKD_PROJECTOR_SESSION_TIMEOUT_MS',
  },
  {
    holds: (c) =>
      c.kafka === undefined || c.kafka.client.retry.initialMs <= c.kafka.client.retry.maxMs,
    problem: () => 'STOCKD_KAFKA_RETRY_INITIAL_MS must not exceed STOCKD_KAFKA_RETRY_MAX_MS',
  },
  {
    holds: (c) =>
      c.kafka === undefined || c.kafka.relay.backoff.initialMs <= c.kafka.relay.backoff.maxMs,
    problem: () => 'STOCKD_RELAY_RETRY_INITIAL_MS must not exceed STOCKD_RELAY_RETRY_MAX_MS',
  },
  {
    // Otherwise SIGTERM gives up while the relay still waits for its last produce.
    holds: (c) =>
      c.kafka === undefined || c.kafka.relay.stopWaitMsMax < 1_000 * c.shutdownGraceSeconds,
    problem: () => 'STOCKD_RELAY_STOP_WAIT_MS_MAX must be below STOCKD_SHUTDOWN_GRACE_SECONDS',
  },
  {
    holds: (c) => c.projector.backoff.initialMs <= c.projector.backoff.maxMs,
    problem: () =>
      'STOCKD_PROJECTOR_RETRY_INITIAL_MS must not exceed STOCKD_PROJECTOR_RETRY_MAX_MS',
  },
  {
    // Each partition projected at once holds a connection for its transaction; one more is
    // headroom (the migration's lock session at start, a broken session being replaced).
    holds: (c) => c.projectorPool.connectionsMax >= c.projector.partitionsConcurrently + 1,
    problem: () =>
      'STOCKD_PROJECTOR_CONNECTIONS_MAX must be at least STOCKD_PROJECTOR_PARTITIONS_CONCURRENTLY + 1',
  },
  // The client gives up on a query only after PostgreSQL had the chance to cancel it.
  {
    holds: (c) => c.projectorPool.statementTimeoutMs < c.projectorPool.queryTimeoutMs,
    problem: () =>
      'STOCKD_PROJECTOR_STATEMENT_TIMEOUT_MS must be below STOCKD_PROJECTOR_QUERY_TIMEOUT_MS',
  },
  {
    holds: (c) => c.reportsPool.statementTimeoutMs < c.reportsPool.queryTimeoutMs,
    problem: () =>
      'STOCKD_REPORTS_STATEMENT_TIMEOUT_MS must be below STOCKD_REPORTS_QUERY_TIMEOUT_MS',
  },
];

function redeliveredMax(config: Config): number {
  const consumer = config.kafka?.commandConsumer;
  return consumer === undefined
    ? 0
    : consumer.commandsPerEngineCallMax * consumer.partitionsConcurrentlyMax;
}

/** Every rule the configuration breaks, as a message naming its variables. */
export function relatedLimitProblems(config: Config): string[] {
  return rules.filter((rule) => !rule.holds(config)).map((rule) => rule.problem(config));
}

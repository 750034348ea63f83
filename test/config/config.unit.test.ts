import { describe, expect, it } from 'vitest';
import {
  type Config,
  ConfigError,
  configFlags,
  configVariables,
  loadConfig,
} from '../../src/config/config.ts';

const kafkaOn = { KAFKA_BROKERS: '127.0.0.1:9092' };

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  // variable, where it lands, its default (today's value), another valid value
  const tunables: [string, (config: Config) => number, number, number][] = [
    ['STOCKD_EXPIRY_INTERVAL_MS', (c) => c.engine.expiryIntervalMs, 200, 1_000],
    ['STOCKD_EXPIRY_BATCH_MAX', (c) => c.engine.expiryBatchMax, 10_000, 500],
    ['STOCKD_SETTLED_RESERVATIONS_MAX', (c) => c.engine.settledReservationsMax, 5_000_000, 10],
    ['STOCKD_SETTLED_ORDERS_MAX', (c) => c.engine.settledOrdersMax, 500_000, 10],
    ['STOCKD_ORDER_LINES_MAX', (c) => c.orders.linesMax, 100, 1_000],
    ['STOCKD_KAFKA_CONNECTION_TIMEOUT_MS', (c) => c.kafka!.client.connectionTimeoutMs, 3_000, 900],
    ['STOCKD_KAFKA_REQUEST_TIMEOUT_MS', (c) => c.kafka!.client.requestTimeoutMs, 30_000, 5_000],
    ['STOCKD_KAFKA_RETRY_INITIAL_MS', (c) => c.kafka!.client.retry.initialMs, 300, 50],
    ['STOCKD_KAFKA_RETRY_MAX_MS', (c) => c.kafka!.client.retry.maxMs, 10_000, 60_000],
    ['STOCKD_KAFKA_RETRIES_MAX', (c) => c.kafka!.client.retry.retriesMax, 5, 8],
    [
      'STOCKD_CONSUMER_COMMANDS_PER_ENGINE_CALL_MAX',
      (c) => c.kafka!.commandConsumer.commandsPerEngineCallMax,
      2_000,
      100,
    ],
    [
      'STOCKD_CONSUMER_PARTITIONS_CONCURRENTLY_MAX',
      (c) => c.kafka!.commandConsumer.partitionsConcurrentlyMax,
      4,
      2,
    ],
    [
      'STOCKD_CONSUMER_VALUE_BYTES_MAX',
      (c) => c.kafka!.commandConsumer.valueBytesMax,
      65_536,
      4_096,
    ],
    [
      'STOCKD_CONSUMER_FETCH_BYTES_PER_PARTITION_MAX',
      (c) => c.kafka!.commandConsumer.fetchBytesPerPartitionMax,
      1_048_576,
      65_536,
    ],
    ['STOCKD_CONSUMER_FETCH_WAIT_MS_MAX', (c) => c.kafka!.commandConsumer.fetchWaitMsMax, 500, 100],
    [
      'STOCKD_CONSUMER_SESSION_TIMEOUT_MS',
      (c) => c.kafka!.commandConsumer.sessionTimeoutMs,
      30_000,
      45_000,
    ],
    [
      'STOCKD_CONSUMER_HEARTBEAT_INTERVAL_MS',
      (c) => c.kafka!.commandConsumer.heartbeatIntervalMs,
      3_000,
      1_000,
    ],
    [
      'STOCKD_CONSUMER_PRODUCE_ACK_TIMEOUT_MS',
      (c) => c.kafka!.commandConsumer.produceAckTimeoutMs,
      30_000,
      5_000,
    ],
    ['STOCKD_RELAY_ROUND_EVENTS_MAX', (c) => c.kafka!.relay.roundEventsMax, 4_096, 64],
    [
      'STOCKD_RELAY_PARTITION_BATCH_BYTES_MAX',
      (c) => c.kafka!.relay.partitionBatchBytesMax,
      524_288,
      65_536,
    ],
    ['STOCKD_RELAY_IDLE_POLL_MS', (c) => c.kafka!.relay.idlePollMs, 50, 10],
    ['STOCKD_RELAY_RETRY_INITIAL_MS', (c) => c.kafka!.relay.backoff.initialMs, 250, 100],
    ['STOCKD_RELAY_RETRY_MAX_MS', (c) => c.kafka!.relay.backoff.maxMs, 10_000, 20_000],
    ['STOCKD_RELAY_FAILURE_LOG_INTERVAL_MS', (c) => c.kafka!.relay.failureLogIntervalMs, 30_000, 1],
    ['STOCKD_RELAY_PRODUCE_ACK_TIMEOUT_MS', (c) => c.kafka!.relay.produceAckTimeoutMs, 30_000, 500],
    ['STOCKD_RELAY_STOP_WAIT_MS_MAX', (c) => c.kafka!.relay.stopWaitMsMax, 10_000, 0],
    ['STOCKD_PROJECTOR_BATCH_EVENTS_MAX', (c) => c.projector.batchEventsMax, 2_000, 150],
    ['STOCKD_PROJECTOR_PARTITIONS_CONCURRENTLY', (c) => c.projector.partitionsConcurrently, 2, 1],
    [
      'STOCKD_PROJECTOR_FETCH_BYTES_PER_PARTITION_MAX',
      (c) => c.projector.fetchBytesPerPartitionMax,
      1_048_576,
      4_096,
    ],
    ['STOCKD_PROJECTOR_FETCH_WAIT_MS_MAX', (c) => c.projector.fetchWaitMsMax, 5_000, 100],
    ['STOCKD_PROJECTOR_SESSION_TIMEOUT_MS', (c) => c.projector.sessionTimeoutMs, 30_000, 10_000],
    [
      'STOCKD_PROJECTOR_HEARTBEAT_INTERVAL_MS',
      (c) => c.projector.heartbeatIntervalMs,
      3_000,
      1_000,
    ],
    [
      'STOCKD_PROJECTOR_HEARTBEAT_WHILE_WAITING_MS',
      (c) => c.projector.heartbeatWhileWaitingMs,
      1_000,
      500,
    ],
    ['STOCKD_PROJECTOR_RETRY_INITIAL_MS', (c) => c.projector.backoff.initialMs, 100, 20],
    ['STOCKD_PROJECTOR_RETRY_MAX_MS', (c) => c.projector.backoff.maxMs, 10_000, 100],
    ['STOCKD_PROJECTOR_LAG_POLL_MS', (c) => c.projector.lagPollMs, 5_000, 200],
    ['STOCKD_PROJECTOR_CONNECTIONS_MAX', (c) => c.projectorPool.connectionsMax, 3, 8],
    ['STOCKD_PROJECTOR_CONNECT_TIMEOUT_MS', (c) => c.projectorPool.connectTimeoutMs, 5_000, 200],
    [
      'STOCKD_PROJECTOR_STATEMENT_TIMEOUT_MS',
      (c) => c.projectorPool.statementTimeoutMs,
      60_000,
      30_000,
    ],
    ['STOCKD_PROJECTOR_QUERY_TIMEOUT_MS', (c) => c.projectorPool.queryTimeoutMs, 65_000, 90_000],
    ['STOCKD_PROJECTOR_IDLE_TIMEOUT_MS', (c) => c.projectorPool.idleTimeoutMs, 30_000, 5_000],
    ['STOCKD_REPORTS_CONNECTIONS_MAX', (c) => c.reportsPool.connectionsMax, 4, 2],
    ['STOCKD_REPORTS_CONNECT_TIMEOUT_MS', (c) => c.reportsPool.connectTimeoutMs, 3_000, 500],
    ['STOCKD_REPORTS_STATEMENT_TIMEOUT_MS', (c) => c.reportsPool.statementTimeoutMs, 10_000, 5_000],
    ['STOCKD_REPORTS_QUERY_TIMEOUT_MS', (c) => c.reportsPool.queryTimeoutMs, 12_000, 20_000],
    ['STOCKD_REPORTS_IDLE_TIMEOUT_MS', (c) => c.reportsPool.idleTimeoutMs, 30_000, 5_000],
  ];

  it.each(tunables)(
    '%s defaults to today’s value and sets its field',
    (name, field, byDefault, other) => {
      expect(field(loadConfig(kafkaOn))).toBe(byDefault);
      expect(field(loadConfig({ ...kafkaOn, [name]: String(other) }))).toBe(other);
    },
  );

  it('gives the projector one connection per partition projected at once, plus one', () => {
    const config = loadConfig({ STOCKD_PROJECTOR_PARTITIONS_CONCURRENTLY: '6' });
    expect(config.projectorPool.connectionsMax).toBe(7);
  });

  it('takes a flag over the environment variable it stands for', () => {
    expect(loadConfig({ PORT: '9000' }, ['--port', '9001']).port).toBe(9001);
    const flags = ['--kafka-brokers', 'b:1', '--stockd-relay-round-events-max=64'];
    expect(loadConfig({}, flags).kafka!.relay.roundEventsMax).toBe(64);
  });

  it('runs the command consumer on its own thread unless told to keep it on the main one', () => {
    expect(loadConfig(kafkaOn).kafka!.commandConsumer.thread).toBe('own');
    expect(
      loadConfig({ ...kafkaOn, STOCKD_CONSUMER_THREAD: 'main' }).kafka!.commandConsumer.thread,
    ).toBe('main');
    expect(problemsOf({ ...kafkaOn, STOCKD_CONSUMER_THREAD: 'both' })).toEqual([
      'STOCKD_CONSUMER_THREAD=both: expected one of own, main',
    ]);
  });

  it('snapshots per UTC day unless told per hour', () => {
    expect(loadConfig({}).projector.snapshotPeriod).toBe('day');
    expect(loadConfig({ STOCKD_SNAPSHOT_PERIOD: 'hour' }).projector.snapshotPeriod).toBe('hour');
    expect(problemsOf({ STOCKD_SNAPSHOT_PERIOD: 'week' })).toEqual([
      'STOCKD_SNAPSHOT_PERIOD=week: expected one of hour, day',
    ]);
  });

  it('is frozen', () => {
    const config = loadConfig(kafkaOn);
    expect(Object.isFrozen(config.kafka!.relay.backoff)).toBe(true);
    expect(Object.isFrozen(config.reportsPool)).toBe(true);
  });

  it('reads Kafka’s tunables even while Kafka is off', () => {
    expect(problemsOf({ STOCKD_RELAY_IDLE_POLL_MS: 'soon' })).toEqual([
      'STOCKD_RELAY_IDLE_POLL_MS=soon: expected an integer from 1 to 60000',
    ]);
  });

  it.each([
    [{ STOCKD_PROJECTOR_BATCH_EVENTS_MAX: '0' }, 'STOCKD_PROJECTOR_BATCH_EVENTS_MAX=0'],
    [
      { STOCKD_PROJECTOR_PARTITIONS_CONCURRENTLY: '100' },
      'STOCKD_PROJECTOR_PARTITIONS_CONCURRENTLY=100',
    ],
    [{ STOCKD_KAFKA_RETRIES_MAX: '0' }, 'STOCKD_KAFKA_RETRIES_MAX=0'],
    [{ STOCKD_REPORTS_CONNECTIONS_MAX: 'four' }, 'STOCKD_REPORTS_CONNECTIONS_MAX=four'],
  ])('refuses a value out of its range: %o', (env, problem) => {
    expect(problemsOf(env)).toEqual([expect.stringContaining(problem)]);
  });
});

describe('related limits, checked against each other at start-up', () => {
  it.each([
    [
      { STOCKD_QUEUE_MAX: '100', STOCKD_BATCH_MAX: '200', STOCKD_BULK_ITEMS_MAX: '100' },
      'STOCKD_QUEUE_MAX must be at least STOCKD_BATCH_MAX',
    ],
    [{ STOCKD_BULK_ITEMS_MAX: '60000' }, 'STOCKD_BULK_ITEMS_MAX must not exceed STOCKD_QUEUE_MAX'],
    [
      { ...kafkaOn, STOCKD_RECENT_COMMANDS_MAX: '7999' },
      'STOCKD_RECENT_COMMANDS_MAX=7999 is below the 8000 commands the Kafka consumer may redeliver after a crash',
    ],
    [
      {
        ...kafkaOn,
        STOCKD_RECENT_COMMANDS_MAX: '8000',
        STOCKD_CONSUMER_PARTITIONS_CONCURRENTLY_MAX: '5',
      },
      'STOCKD_RECENT_COMMANDS_MAX=8000 is below the 10000 commands',
    ],
    [
      { ...kafkaOn, STOCKD_CONSUMER_HEARTBEAT_INTERVAL_MS: '10001' },
      'STOCKD_CONSUMER_HEARTBEAT_INTERVAL_MS must be at most a third of STOCKD_CONSUMER_SESSION_TIMEOUT_MS',
    ],
    [
      { STOCKD_PROJECTOR_SESSION_TIMEOUT_MS: '6000' },
      'STOCKD_PROJECTOR_HEARTBEAT_INTERVAL_MS must be at most a third of STOCKD_PROJECTOR_SESSION_TIMEOUT_MS',
    ],
    [
      { STOCKD_PROJECTOR_HEARTBEAT_WHILE_WAITING_MS: '20000' },
      'STOCKD_PROJECTOR_HEARTBEAT_WHILE_WAITING_MS must be at most a third of STOCKD_PROJECTOR_SESSION_TIMEOUT_MS',
    ],
    [
      { ...kafkaOn, STOCKD_KAFKA_RETRY_INITIAL_MS: '20000' },
      'STOCKD_KAFKA_RETRY_INITIAL_MS must not exceed STOCKD_KAFKA_RETRY_MAX_MS',
    ],
    [
      { ...kafkaOn, STOCKD_RELAY_RETRY_MAX_MS: '100' },
      'STOCKD_RELAY_RETRY_INITIAL_MS must not exceed STOCKD_RELAY_RETRY_MAX_MS',
    ],
    [
      { ...kafkaOn, STOCKD_SHUTDOWN_GRACE_SECONDS: '10' },
      'STOCKD_RELAY_STOP_WAIT_MS_MAX must be below STOCKD_SHUTDOWN_GRACE_SECONDS',
    ],
    [
      { STOCKD_PROJECTOR_RETRY_INITIAL_MS: '500', STOCKD_PROJECTOR_RETRY_MAX_MS: '100' },
      'STOCKD_PROJECTOR_RETRY_INITIAL_MS must not exceed STOCKD_PROJECTOR_RETRY_MAX_MS',
    ],
    [
      { STOCKD_PROJECTOR_PARTITIONS_CONCURRENTLY: '4', STOCKD_PROJECTOR_CONNECTIONS_MAX: '4' },
      'STOCKD_PROJECTOR_CONNECTIONS_MAX must be at least STOCKD_PROJECTOR_PARTITIONS_CONCURRENTLY + 1',
    ],
    [
      { STOCKD_PROJECTOR_STATEMENT_TIMEOUT_MS: '65000' },
      'STOCKD_PROJECTOR_STATEMENT_TIMEOUT_MS must be below STOCKD_PROJECTOR_QUERY_TIMEOUT_MS',
    ],
    [
      { STOCKD_REPORTS_QUERY_TIMEOUT_MS: '10000' },
      'STOCKD_REPORTS_STATEMENT_TIMEOUT_MS must be below STOCKD_REPORTS_QUERY_TIMEOUT_MS',
    ],
  ])('%o → %s', (env, problem) => {
    expect(problemsOf(env)).toEqual([expect.stringContaining(problem)]);
  });

  it('accepts the defaults, with and without Kafka', () => {
    expect(problemsOf({})).toEqual([]);
    expect(problemsOf(kafkaOn)).toEqual([]);
  });

  it('leaves the commandId window alone while Kafka is off: HTTP has no commandIds', () => {
    expect(problemsOf({ STOCKD_RECENT_COMMANDS_MAX: '0' })).toEqual([]);
  });
});

describe('configuration flags', () => {
  it('are every variable the configuration reads, with Kafka and PostgreSQL on or off', () => {
    const read = new Set<string>();
    const env: Record<string, string> = { KAFKA_BROKERS: 'b:9092', DATABASE_URL: 'postgres://x' };
    loadConfig(
      new Proxy(env, {
        get: (target, name) => {
          if (typeof name === 'string') read.add(name);
          return target[name as string];
        },
      }),
    );
    expect([...configVariables()].sort()).toEqual([...read].sort());
    expect(configFlags().get('stockd-data-dir')).toBe('STOCKD_DATA_DIR');
    expect(configFlags().get('data-dir')).toBe('STOCKD_DATA_DIR');
    expect(configFlags().get('kafka-brokers')).toBe('KAFKA_BROKERS');
  });

  it('refuse a flag the configuration does not know', () => {
    expect(() => loadConfig({}, ['--prot', '9000'])).toThrow(
      expect.objectContaining({ code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' }),
    );
  });
});

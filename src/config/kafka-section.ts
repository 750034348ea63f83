import { commandConsumerDefaults, kafkaClientDefaults, relayDefaults } from './defaults.ts';
import type { EnvReader } from './env-reader.ts';
import type {
  CommandConsumerSettings,
  KafkaClientSettings,
  KafkaConfig,
  RelaySettings,
} from './schema.ts';

const secondMs = 1_000;
const hourMs = 3_600_000;
const mebibyte = 1_048_576;

/**
 * The Kafka section. Its tunables are read (and checked) even when KAFKA_BROKERS is unset, so a
 * mistyped value is reported before the day Kafka is turned on.
 */
export function readKafka(read: EnvReader): KafkaConfig | undefined {
  const brokers = read.list('KAFKA_BROKERS');
  const clientId = read.string('STOCKD_KAFKA_CLIENT_ID', 'stockd');
  const consumerGroup = read.string('STOCKD_KAFKA_GROUP', 'stockd');
  const topics = {
    commands: read.string('STOCKD_TOPIC_COMMANDS', 'inventory-commands'),
    results: read.string('STOCKD_TOPIC_RESULTS', 'inventory-command-results'),
    deadLetters: read.string('STOCKD_TOPIC_DLQ', 'inventory-commands-dlq'),
    events: read.string('STOCKD_TOPIC_EVENTS', 'inventory-events'),
  };
  const client = readKafkaClient(read);
  const commandConsumer = readCommandConsumer(read);
  const relay = readRelay(read);
  if (brokers.length === 0) return undefined;
  return { brokers, clientId, consumerGroup, topics, client, commandConsumer, relay };
}

function readKafkaClient(read: EnvReader): KafkaClientSettings {
  const defaults = kafkaClientDefaults;
  return {
    connectionTimeoutMs: read.integer(
      'STOCKD_KAFKA_CONNECTION_TIMEOUT_MS',
      defaults.connectionTimeoutMs,
      100,
      5 * 60 * secondMs,
    ),
    requestTimeoutMs: read.integer(
      'STOCKD_KAFKA_REQUEST_TIMEOUT_MS',
      defaults.requestTimeoutMs,
      secondMs,
      10 * 60 * secondMs,
    ),
    retry: {
      initialMs: read.integer('STOCKD_KAFKA_RETRY_INITIAL_MS', defaults.retry.initialMs, 1, hourMs),
      maxMs: read.integer('STOCKD_KAFKA_RETRY_MAX_MS', defaults.retry.maxMs, 1, hourMs),
      // kafkajs refuses an idempotent producer (the relay's) without retries.
      retriesMax: read.integer('STOCKD_KAFKA_RETRIES_MAX', defaults.retry.retriesMax, 1, 100),
    },
  };
}

function readCommandConsumer(read: EnvReader): CommandConsumerSettings {
  const defaults = commandConsumerDefaults;
  return {
    thread: read.oneOf('STOCKD_CONSUMER_THREAD', defaults.thread, ['own', 'main']),
    commandsPerEngineCallMax: read.integer(
      'STOCKD_CONSUMER_COMMANDS_PER_ENGINE_CALL_MAX',
      defaults.commandsPerEngineCallMax,
      1,
      100_000,
    ),
    partitionsConcurrentlyMax: read.integer(
      'STOCKD_CONSUMER_PARTITIONS_CONCURRENTLY_MAX',
      defaults.partitionsConcurrentlyMax,
      1,
      4_096,
    ),
    valueBytesMax: read.integer(
      'STOCKD_CONSUMER_VALUE_BYTES_MAX',
      defaults.valueBytesMax,
      1_024,
      64 * mebibyte,
    ),
    fetchBytesPerPartitionMax: read.integer(
      'STOCKD_CONSUMER_FETCH_BYTES_PER_PARTITION_MAX',
      defaults.fetchBytesPerPartitionMax,
      1_024,
      256 * mebibyte,
    ),
    fetchWaitMsMax: read.integer(
      'STOCKD_CONSUMER_FETCH_WAIT_MS_MAX',
      defaults.fetchWaitMsMax,
      1,
      60 * secondMs,
    ),
    sessionTimeoutMs: read.integer(
      'STOCKD_CONSUMER_SESSION_TIMEOUT_MS',
      defaults.sessionTimeoutMs,
      secondMs,
      hourMs,
    ),
    heartbeatIntervalMs: read.integer(
      'STOCKD_CONSUMER_HEARTBEAT_INTERVAL_MS',
      defaults.heartbeatIntervalMs,
      100,
      hourMs,
    ),
    produceAckTimeoutMs: read.integer(
      'STOCKD_CONSUMER_PRODUCE_ACK_TIMEOUT_MS',
      defaults.produceAckTimeoutMs,
      100,
      10 * 60 * secondMs,
    ),
  };
}

function readRelay(read: EnvReader): RelaySettings {
  const defaults = relayDefaults;
  return {
    roundEventsMax: read.integer(
      'STOCKD_RELAY_ROUND_EVENTS_MAX',
      defaults.roundEventsMax,
      1,
      1_000_000,
    ),
    partitionBatchBytesMax: read.integer(
      'STOCKD_RELAY_PARTITION_BATCH_BYTES_MAX',
      defaults.partitionBatchBytesMax,
      1_024,
      256 * mebibyte,
    ),
    idlePollMs: read.integer('STOCKD_RELAY_IDLE_POLL_MS', defaults.idlePollMs, 1, 60 * secondMs),
    backoff: {
      initialMs: read.integer(
        'STOCKD_RELAY_RETRY_INITIAL_MS',
        defaults.backoff.initialMs,
        1,
        hourMs,
      ),
      maxMs: read.integer('STOCKD_RELAY_RETRY_MAX_MS', defaults.backoff.maxMs, 1, hourMs),
    },
    failureLogIntervalMs: read.integer(
      'STOCKD_RELAY_FAILURE_LOG_INTERVAL_MS',
      defaults.failureLogIntervalMs,
      1,
      24 * hourMs,
    ),
    produceAckTimeoutMs: read.integer(
      'STOCKD_RELAY_PRODUCE_ACK_TIMEOUT_MS',
      defaults.produceAckTimeoutMs,
      100,
      10 * 60 * secondMs,
    ),
    stopWaitMsMax: read.integer('STOCKD_RELAY_STOP_WAIT_MS_MAX', defaults.stopWaitMsMax, 0, hourMs),
  };
}

import { randomUUID } from 'node:crypto';
import { type Consumer, Kafka, type KafkaMessage, logLevel, Partitioners } from 'kafkajs';
import { pino } from 'pino';
import { inject } from 'vitest';
import { type KafkaConfig, loadConfig } from '../../src/config/config.ts';

/** Brokers of the test run: global-setup's, else KAFKA_BROKERS. */
export function testBrokers(): string[] {
  const brokers = (inject('kafkaBrokers') as string | undefined) ?? process.env.KAFKA_BROKERS;
  if (!brokers)
    throw new Error('no Kafka broker: run with the int/e2e global setup or KAFKA_BROKERS');
  return brokers.split(',');
}

/** The configuration's Kafka section, with topics and group unique to one test. */
export function uniqueKafkaConfig(brokers: readonly string[], label: string): KafkaConfig {
  const id = `${label}-${randomUUID().slice(0, 8)}`;
  return loadConfig({
    KAFKA_BROKERS: brokers.join(','),
    STOCKD_KAFKA_CLIENT_ID: `stockd-test-${id}`,
    STOCKD_KAFKA_GROUP: `stockd-test-${id}`,
    STOCKD_TOPIC_COMMANDS: `test-${id}-commands`,
    STOCKD_TOPIC_RESULTS: `test-${id}-results`,
    STOCKD_TOPIC_DLQ: `test-${id}-dlq`,
    STOCKD_TOPIC_EVENTS: `test-${id}-events`,
  }).kafka!;
}

export function testClient(brokers: readonly string[]): Kafka {
  return new Kafka({
    clientId: 'stockd-test-client',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
    retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5_000 },
  });
}

export const quietLogger = () => pino({ level: process.env.STOCKD_TEST_LOG_LEVEL ?? 'silent' });

export async function deleteTopics(brokers: readonly string[], config: KafkaConfig): Promise<void> {
  const admin = testClient(brokers).admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: Object.values(config.topics) }).catch(() => {});
  } finally {
    await admin.disconnect();
  }
}

export function keyedProducer(client: Kafka) {
  return client.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
}

export interface ReceivedMessage {
  readonly partition: number;
  readonly message: KafkaMessage;
}

/**
 * Reads a topic from the beginning with a throwaway group into `received`, until stop().
 * `until(received)` resolves once the predicate holds (or rejects after `timeoutMs`).
 */
export async function readTopic(client: Kafka, topic: string) {
  const received: ReceivedMessage[] = [];
  const consumer: Consumer = client.consumer({
    groupId: `stockd-test-reader-${randomUUID()}`,
    maxWaitTimeInMs: 200,
  });
  let changed: (() => void) | undefined;
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      for (const message of batch.messages) received.push({ partition: batch.partition, message });
      changed?.();
    },
  });
  return {
    received,
    async until(
      predicate: (received: readonly ReceivedMessage[]) => boolean,
      timeoutMs: number,
      what: string,
    ): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(received)) {
        if (Date.now() > deadline) {
          throw new Error(`timed out waiting for ${what} (${received.length} messages so far)`);
        }
        await new Promise<void>((resolve) => {
          changed = resolve;
          setTimeout(resolve, 250);
        });
      }
    },
    stop: () => consumer.disconnect(),
  };
}

export function headerText(message: KafkaMessage, name: string): string | undefined {
  const value = message.headers?.[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? String(value[0]) : value.toString();
}

// Topic provisioning on a real broker: missing topics are created with the store's partition
// count; an existing events topic with another count fails the relay (and readiness says why)
// while the rest of stockd goes on.
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKafkaComponents } from '../../src/compose/kafka-components.ts';
import { type Engine, startEngine } from '../../src/engine/engine.ts';
import { engineOptions } from '../../src/engine/engine-options.ts';
import { TopicPartitionCountError } from '../../src/kafka/topics.ts';
import { createTopics } from '../support/kafka-broker.ts';
import { tempDir } from '../support/temp-dir.ts';
import {
  deleteTopics,
  quietLogger,
  testBrokers,
  testClient,
  uniqueKafkaConfig,
} from './kafka-test-kit.ts';

describe('topics on start', () => {
  const dir = tempDir('kafka-topics');
  const brokers = testBrokers();
  const created = uniqueKafkaConfig(brokers, 'topics-new');
  const mismatched = uniqueKafkaConfig(brokers, 'topics-bad');
  let engine: Engine;

  beforeAll(async () => {
    engine = await startEngine(
      engineOptions({ dataDir: dir.path, workerCount: 1, partitionCount: 3 }),
    );
  });

  afterAll(async () => {
    await engine?.close();
    await deleteTopics(brokers, created);
    await deleteTopics(brokers, mismatched);
    dir.remove();
  });

  it('creates every missing topic with the store partition count', async () => {
    const kafka = startKafkaComponents({
      engine,
      kafka: created,
      logger: quietLogger(),
      metrics: new Registry(),
    });
    await kafka.running;
    for (const component of [...kafka.components].reverse()) await component.stop();
    const admin = testClient(brokers).admin();
    await admin.connect();
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: Object.values(created.topics) });
      expect(metadata.topics.map((t) => [t.name, t.partitions.length]).sort()).toEqual(
        Object.values(created.topics)
          .map((name) => [name, 3])
          .sort(),
      );
    } finally {
      await admin.disconnect();
    }
  });

  it('fails the relay when the events topic has another partition count, naming both', async () => {
    await createTopics(brokers, [{ topic: mismatched.topics.events, numPartitions: 5 }]);
    const kafka = startKafkaComponents({
      engine,
      kafka: mismatched,
      logger: quietLogger(),
      metrics: new Registry(),
    });
    try {
      await expect(kafka.relay.running).rejects.toThrow(TopicPartitionCountError);
      expect(kafka.relay.status()).toMatchObject({
        state: 'failed',
        reason: expect.stringContaining(
          `topic "${mismatched.topics.events}" has 5 partitions; stockd's store has 3`,
        ),
      });
      // The command topic is fine: commands are still taken.
      await kafka.consumer.running;
      expect(kafka.consumer.status().state).toBe('running');
    } finally {
      for (const component of [...kafka.components].reverse()) await component.stop();
    }
    expect(kafka.relay.status().state).toBe('failed');
  });
});

// Smoke test of the test infrastructure itself: a real broker (see kafka-broker.ts) talks
// with kafkajs, consumer groups work, and kafkajs's DefaultPartitioner agrees with the broker;
// PostgreSQL answers. Uses the services of global-setup.ts when it ran, else provides its own.
import { randomUUID } from 'node:crypto';
import type { PartitionMetadata } from 'kafkajs';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTopics, type ProvidedKafka, provideKafka } from './kafka-broker.ts';
import { type ProvidedPostgres, providePostgres } from './postgres.ts';

describe('kafka broker', () => {
  let kafka: ProvidedKafka | undefined;
  let brokers: string[];

  beforeAll(async () => {
    const injected = inject('kafkaBrokers') as string | undefined;
    if (injected) {
      brokers = injected.split(',');
    } else {
      kafka = await provideKafka();
      brokers = kafka.brokers;
    }
  });

  afterAll(async () => {
    await kafka?.stop();
  });

  it('delivers keyed messages to a consumer group on the partition kafkajs computes', async () => {
    const topic = `stockd-it-${randomUUID()}`;
    const groupId = `stockd-it-group-${randomUUID()}`;
    const numPartitions = 3;
    await createTopics(brokers, [{ topic, numPartitions }]);

    const client = new Kafka({ clientId: 'stockd-it', brokers, logLevel: logLevel.WARN });
    const admin = client.admin();
    await admin.connect();
    const producer = client.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    const consumer = client.consumer({ groupId });
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      const partitionMetadata: PartitionMetadata[] = metadata.topics[0]!.partitions;
      expect(partitionMetadata).toHaveLength(numPartitions);

      // What kafkajs's (Java-compatible murmur2) DefaultPartitioner picks for each key.
      const partitioner = Partitioners.DefaultPartitioner();
      const keys = Array.from({ length: 30 }, (_, i) => `sku-${i}`);
      const expectedPartition = new Map(
        keys.map((key) => [
          key,
          partitioner({ topic, partitionMetadata, message: { key, value: null } }),
        ]),
      );
      const messages = keys.flatMap((key) =>
        [0, 1].map((seq) => ({ key, value: JSON.stringify({ key, seq }) })),
      );
      const expectedCount = new Array<number>(numPartitions).fill(0);
      for (const { key } of messages) {
        expectedCount[expectedPartition.get(key)!]! += 1;
      }
      expect(expectedCount.every((n) => n > 0)).toBe(true);

      await producer.connect();
      const sent = await producer.send({ topic, messages });
      expect(sent.every((r) => r.errorCode === 0)).toBe(true);

      // What the broker recorded: the high watermark of each partition.
      const offsets = await admin.fetchTopicOffsets(topic);
      const recorded = offsets
        .sort((a, b) => a.partition - b.partition)
        .map((o) => Number(o.high) - Number(o.low));
      expect(recorded).toEqual(expectedCount);

      const received: { key: string; partition: number; value: string }[] = [];
      let allReceived!: () => void;
      const done = new Promise<void>((resolve) => {
        allReceived = resolve;
      });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
          for (const message of batch.messages) {
            received.push({
              key: message.key!.toString(),
              partition: batch.partition,
              value: message.value!.toString(),
            });
            resolveOffset(message.offset);
          }
          await heartbeat();
          if (received.length >= messages.length) {
            allReceived();
          }
        },
      });
      await Promise.race([
        done,
        new Promise<never>((_, reject) =>
          setTimeout(
            () => reject(new Error(`received ${received.length}/${messages.length} messages`)),
            60_000,
          ).unref(),
        ),
      ]);

      expect(received).toHaveLength(messages.length);
      for (const r of received) {
        expect(r.partition, r.key).toBe(expectedPartition.get(r.key));
      }
      expect(received.map((r) => r.value).sort()).toEqual(messages.map((m) => m.value).sort());
      // Per key (hence per partition), order is preserved.
      for (const key of keys) {
        const seqs = received
          .filter((r) => r.key === key)
          .map((r) => (JSON.parse(r.value) as { seq: number }).seq);
        expect(seqs, key).toEqual([0, 1]);
      }

      // The group committed its offsets (disconnect commits what was resolved).
      await consumer.disconnect();
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const committedOffsets = committed!.partitions
        .sort((a, b) => a.partition - b.partition)
        .map((p) => Number(p.offset));
      expect(committedOffsets).toEqual(expectedCount);
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => {});
      await admin.disconnect();
    }
  });
});

describe('postgres', () => {
  let db: ProvidedPostgres | undefined;
  let url: string;

  beforeAll(async () => {
    const injected = inject('databaseUrl') as string | undefined;
    if (injected) {
      url = injected;
    } else {
      db = await providePostgres();
      url = db.url;
    }
  });

  afterAll(async () => {
    await db?.stop();
  });

  it('gives a working connection', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ one: number }>('select 1 as one');
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await client.end();
    }
  });
});

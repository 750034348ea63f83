import { randomUUID } from 'node:crypto';
import { type Admin, Kafka, logLevel, type Producer } from 'kafkajs';
import { inject } from 'vitest';
import { encodeWireEvent, type WireEvent, wireKeyOf } from '../../../src/kafka/wire-event.ts';
import { createTopics } from '../../support/kafka-broker.ts';
import { waitFor } from '../../support/wait-for.ts';

export function testBrokers(): string[] {
  const injected = (inject('kafkaBrokers') as string | undefined) ?? process.env.KAFKA_BROKERS;
  return (injected ?? '127.0.0.1:9092').split(',');
}

/** A topic of its own for one suite (the broker is shared), with a producer and an admin. */
export async function eventTopic(partitionCount: number) {
  const brokers = testBrokers();
  const topic = `stockd-projection-it-${randomUUID()}`;
  await createTopics(brokers, [{ topic, numPartitions: partitionCount }]);
  const kafka = new Kafka({
    clientId: 'stockd-projection-it',
    brokers,
    logLevel: logLevel.NOTHING,
  });
  const producer: Producer = kafka.producer();
  const admin: Admin = kafka.admin();
  await Promise.all([producer.connect(), admin.connect()]);
  return {
    brokers,
    topic,
    admin,
    /** Publishes like stockd's relay: key sku|warehouse, Kafka partition = event.partition. */
    async publish(events: readonly WireEvent[]): Promise<void> {
      for (let start = 0; start < events.length; start += 1_000) {
        await producer.send({
          topic,
          messages: events.slice(start, start + 1_000).map((event) => ({
            key: wireKeyOf(event),
            value: encodeWireEvent(event),
            partition: event.partition,
          })),
        });
      }
    },
    async publishRaw(partition: number, value: Buffer | null): Promise<void> {
      await producer.send({ topic, messages: [{ key: 'junk', value, partition }] });
    },
    waitUntilCaughtUp: (groupId: string, timeoutMs?: number) =>
      waitUntilCaughtUp(admin, groupId, topic, timeoutMs),
    async close(): Promise<void> {
      await admin.deleteTopics({ topics: [topic] }).catch(() => {});
      await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
    },
  };
}

/** Waits until `groupId` has committed every partition of `topic` up to its end. */
export async function waitUntilCaughtUp(
  admin: Admin,
  groupId: string,
  topic: string,
  timeoutMs = 120_000,
): Promise<void> {
  let offsets: unknown;
  await waitFor(
    async () => {
      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      offsets = { ends, committed };
      const at = new Map(committed!.partitions.map((p) => [p.partition, p.offset]));
      return ends.every((end) => at.get(end.partition) === end.high);
    },
    {
      timeoutMs,
      intervalMs: 200,
      what: () => `group ${groupId} to catch up: ${JSON.stringify(offsets)}`,
    },
  );
}

import { randomUUID } from 'node:crypto';
import type { Kafka, Message } from 'kafkajs';
import { Partitioners } from 'kafkajs';

/**
 * Sends `messages` to `topic` in produce calls of `batchMessages`, at most `inFlightMax` calls
 * at once: a batch producer as a client of stockd would run it.
 */
export async function produceAll(
  client: Kafka,
  topic: string,
  messages: readonly Message[],
  batchMessages: number,
  inFlightMax: number,
): Promise<void> {
  const producer = client.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  try {
    let next = 0;
    const sender = async () => {
      while (next < messages.length) {
        const start = next;
        next += batchMessages;
        await producer.send({
          topic,
          acks: -1,
          messages: messages.slice(start, start + batchMessages),
        });
      }
    };
    await Promise.all(Array.from({ length: inFlightMax }, sender));
  } finally {
    await producer.disconnect();
  }
}

/** A consumer group on `topic` from its beginning; `done` resolves after `expected` messages. */
export async function countMessages(
  client: Kafka,
  topic: string,
  expected: number,
  onBatch?: (messages: { key: Buffer | null; value: Buffer | null }[]) => Promise<void>,
): Promise<{ done: Promise<number>; stop(): Promise<void> }> {
  const consumer = client.consumer({
    groupId: `bench-${randomUUID()}`,
    maxWaitTimeInMs: 100,
    maxBytesPerPartition: 1024 * 1024,
  });
  let count = 0;
  const { promise: done, resolve } = Promise.withResolvers<number>();
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: 4,
    eachBatch: async ({ batch }) => {
      if (onBatch) await onBatch(batch.messages);
      count += batch.messages.length;
      if (count >= expected) resolve(performance.now());
    },
  });
  return { done, stop: () => consumer.disconnect() };
}

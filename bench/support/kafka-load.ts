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

/**
 * A consumer group on `topic` from its beginning; `done` resolves after `expected` messages,
 * `reached(n)` after n (a warm-up's end), each with the time it came.
 */
export async function countMessages(
  client: Kafka,
  topic: string,
  expected: number,
  onBatch?: (messages: { key: Buffer | null; value: Buffer | null }[]) => Promise<void>,
): Promise<{
  done: Promise<number>;
  reached(count: number): Promise<number>;
  stop(): Promise<void>;
}> {
  const consumer = client.consumer({
    groupId: `bench-${randomUUID()}`,
    maxWaitTimeInMs: 100,
    maxBytesPerPartition: 1024 * 1024,
  });
  let count = 0;
  const waiting: { count: number; resolve(at: number): void }[] = [];
  const reached = (target: number) => {
    if (count >= target) return Promise.resolve(performance.now());
    const { promise, resolve } = Promise.withResolvers<number>();
    waiting.push({ count: target, resolve });
    return promise;
  };
  const done = reached(expected);
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: 4,
    eachBatch: async ({ batch }) => {
      if (onBatch) await onBatch(batch.messages);
      count += batch.messages.length;
      const now = performance.now();
      for (let i = waiting.length - 1; i >= 0; i--) {
        if (count >= waiting[i]!.count) waiting.splice(i, 1)[0]!.resolve(now);
      }
    },
  });
  return { done, reached, stop: () => consumer.disconnect() };
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, Kafka } from 'kafkajs';
import { encodeWireEvent, type WireEvent, wireKeyOf } from '../../src/kafka/wire-event.ts';

/** Publishes events as stockd's relay does (key sku|warehouse, partition = event.partition). */
export async function publishEvents(
  kafka: Kafka,
  topic: string,
  events: readonly WireEvent[],
): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  try {
    const inFlight: Promise<unknown>[] = [];
    for (let start = 0; start < events.length; start += 5_000) {
      const messages = events.slice(start, start + 5_000).map((event) => ({
        key: wireKeyOf(event),
        value: encodeWireEvent(event),
        partition: event.partition,
      }));
      inFlight.push(producer.send({ topic, messages, acks: -1 }));
      if (inFlight.length >= 4) await inFlight.shift();
    }
    await Promise.all(inFlight);
  } finally {
    await producer.disconnect();
  }
}

/** Resolves once `groupId` has committed every partition of `topic` to its end. */
export async function caughtUp(admin: Admin, groupId: string, topic: string): Promise<void> {
  for (;;) {
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const at = new Map(committed!.partitions.map((p) => [p.partition, p.offset]));
    if (ends.every((end) => at.get(end.partition) === end.high)) return;
    await sleep(50);
  }
}

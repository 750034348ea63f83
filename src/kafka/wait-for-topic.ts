import { setTimeout as sleep } from 'node:timers/promises';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';

const pollMs = 2_000;

/**
 * Waits until `topic` exists. The topic belongs to stockd's relay, which creates it on its
 * first start; a projector started before it waits instead of crashing in a loop.
 */
export async function waitForTopic(
  kafka: Kafka,
  topic: string,
  logger: Logger,
  shouldContinue: () => boolean,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (let attempt = 0; shouldContinue(); attempt++) {
      if ((await admin.listTopics()).includes(topic)) return;
      if (attempt % 15 === 0) logger.warn({ topic }, 'waiting for the events topic to exist');
      await sleep(pollMs);
    }
  } finally {
    await admin.disconnect();
  }
}

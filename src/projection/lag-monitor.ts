import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { delay, interruptibleSleep } from '../retry/interruptible-sleep.ts';
import type { ProjectionLag } from './projection-lag.ts';

export interface LagMonitorDependencies {
  readonly kafka: Kafka;
  readonly topic: string;
  readonly groupId: string;
  readonly lag: Pick<ProjectionLag, 'seen'>;
  readonly logger: Logger;
  /** Time between two polls (milliseconds). */
  readonly intervalMs: number;
}

/**
 * Polls the topic's end offsets and the group's committed offsets, as `kafka-consumer-groups
 * --describe` would. The projector's own fetches stop while it waits for PostgreSQL (or after it
 * failed); this poll does not, so the lag keeps growing in the meantime. Committed offsets are
 * exactly what is in PostgreSQL: the projector commits only after its transaction.
 */
/** Longest stop() waits for a poll in flight (milliseconds): a broker that is away may take long. */
const stopWaitMsMax = 2_000;

export function startLagMonitor(deps: LagMonitorDependencies): { stop(): Promise<void> } {
  const sleep = interruptibleSleep();
  let stopped = false;
  let admin: Admin | undefined;

  const poll = async () => {
    if (admin === undefined) {
      const connecting = deps.kafka.admin();
      await connecting.connect();
      admin = connecting;
    }
    const ends = await admin.fetchTopicOffsets(deps.topic);
    const [committed] = await admin.fetchOffsets({ groupId: deps.groupId, topics: [deps.topic] });
    const committedOf = new Map(
      (committed?.partitions ?? []).map(({ partition, offset }) => [partition, Number(offset)]),
    );
    for (const { partition, high, low } of ends) {
      // No commit yet (-1): the group starts from the oldest retained event.
      const next = committedOf.get(partition) ?? -1;
      deps.lag.seen(partition, Number(high) - 1, (next >= 0 ? next : Number(low)) - 1);
    }
  };

  const loop = async () => {
    while (!stopped) {
      try {
        await poll();
      } catch (error) {
        // The broker is away or the topic does not exist yet: the lag stays as last known.
        deps.logger.debug({ err: error }, 'cannot poll the projection lag');
        await admin?.disconnect().catch(() => {});
        admin = undefined;
      }
      await sleep.sleep(deps.intervalMs);
    }
    await admin?.disconnect().catch(() => {});
  };
  const looping = loop();

  return {
    async stop() {
      stopped = true;
      sleep.interrupt();
      // The loop disconnects when its poll in flight ends, whether or not this waits for it.
      await Promise.race([looping, delay(stopWaitMsMax)]);
    },
  };
}

import type { EachBatchPayload, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { BatchCommands } from '../../app/batch-commands.ts';
import type { KafkaConfig } from '../../config/config.ts';
import type { CommandConsumerSettings, KafkaRetrySettings } from '../../config/schema.ts';
import { kafkajsRetry, Partitioners } from '../../kafka/kafka-client.ts';
import { isKafkaError } from '../../kafka/kafka-errors.ts';
import { createLifecycle, type LifecycleStatus } from '../../lifecycle/lifecycle.ts';
import type { ComponentStatus } from '../../lifecycle/readiness.ts';
import type { BodySettings } from '../../requests/bodies.ts';
import { backoffMs } from '../../retry/backoff.ts';
import { delay, interruptibleSleep } from '../../retry/interruptible-sleep.ts';
import { createCommandDecoder } from './command-codec.ts';
import type { ConsumerMetrics } from './consumer-metrics.ts';
import { type ProduceCallLimits, produceCalls } from './produce-calls.ts';
import { planSlice, type SettledSlice, settleSlice } from './slice-plan.ts';

export interface CommandConsumerDependencies {
  readonly client: Kafka;
  /** The use-case entry of batch producers: one result per command, once durable. */
  readonly commands: BatchCommands;
  readonly topics: KafkaConfig['topics'];
  readonly groupId: string;
  readonly logger: Logger;
  readonly metrics: ConsumerMetrics;
  readonly settings: CommandConsumerSettings;
  /** What the bodies' schemas depend on, as HTTP has them: the same limits over both. */
  readonly requests: BodySettings;
  /**
   * kafkajs's retry of the consumer and the results producer (the client's); its waits are
   * also the backoff between failed start attempts.
   */
  readonly retry: KafkaRetrySettings;
  /** Told every lifecycle change (the ingress thread mirrors its status on the main thread). */
  readonly onStatusChange?: (status: LifecycleStatus) => void;
  /** Runs first in every start attempt (the composition checks the command topics here). */
  readonly prepare?: () => Promise<void>;
  readonly random?: () => number;
}

export interface CommandConsumer {
  readonly name: string;
  /** Its lifecycle and lag, for readiness. */
  status(): ComponentStatus;
  /** Resolves when it first joins the group; rejects if it fails first. */
  readonly running: Promise<void>;
  /** Finishes the batch in hand (answered and committed), leaves the group, disconnects. */
  stop(): Promise<void>;
}

/**
 * Longest stop() waits for a start attempt in flight (milliseconds): with the broker away, a
 * connect takes as long as kafkajs's retries. The attempt disconnects by itself when it ends.
 */
const startWaitMsMax = 5_000;

/**
 * What one produce call of results or dead letters carries: in practice one call per engine call
 * (at most STOCKD_CONSUMER_COMMANDS_PER_ENGINE_CALL_MAX, 2,000 by default). kafkajs's own
 * grouping of a call's messages per partition was quadratic (tulios/kafkajs#1576), which made
 * calls of 256 the cheapest; with stockd's one-pass grouping (kafka/producer-grouping-fix.ts)
 * fewer, larger calls cost less: bench/kafka measured the ingress thread at 28 µs per command
 * instead of 34.
 */
const produceCallLimits: ProduceCallLimits = {
  messagesMax: 2_048,
  // Half the broker's default record batch limit: room for record overhead and headers.
  bytesMax: 512 * 1_024,
};

/** Commands were not decided (stockd is stopping): the rest of the batch waits for redelivery. */
export class CommandsNotDecidedError extends Error {
  override name = 'CommandsNotDecidedError';
}

/**
 * Consumes the command topic in batches. Per engine call (at most commandsPerEngineCallMax
 * messages of one partition), strictly in this order:
 *
 *   decode + validate ─► executeCommands ─► results + dead letters ─► resolve ─► commit
 *                        (resolves when      (acks = all replicas)
 *                         decisions are fsynced)
 *
 * so a committed offset always means "decided, durable and answered". Anything that fails
 * before the commit is redelivered, and the engine's commandId deduplication turns the
 * redelivery into a `duplicate: true` result without a second effect.
 *
 * It starts in the background and returns at once: the group join can take a session timeout
 * after a crash (the dead member is waited for), and a broker may be away; neither may keep
 * HTTP from serving. Lifecycle (lifecycle.ts):
 *
 *   starting ─► running    joined the group (kafkajs's GROUP_JOIN)
 *   starting ─► degraded   a start attempt failed (the broker away): back off, try again
 *   running  ─► degraded   kafkajs crashed and restarts the consumer (the broker away)
 *   degraded ─► running    joined the group again
 *   any      ─► failed     what kafkajs will not restart; a command topic with another count
 */
export function startCommandConsumer(deps: CommandConsumerDependencies): CommandConsumer {
  const { client, settings, topics } = deps;
  const logger = deps.logger.child({ component: 'kafka-command-consumer' });
  const random = deps.random ?? Math.random;
  const lifecycle = createLifecycle({
    name: 'the command consumer',
    onChange: (from, to, reason) => {
      logger.info({ from, to, reason }, 'command consumer');
      deps.onStatusChange?.(lifecycle.status());
    },
  });
  const backoff = interruptibleSleep();
  const decoder = createCommandDecoder({ ...deps.requests, valueBytesMax: settings.valueBytesMax });
  let stopRequested = false;
  const producer = client.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: kafkajsRetry(deps.retry),
  });
  const consumer = client.consumer({
    groupId: deps.groupId,
    allowAutoTopicCreation: false,
    sessionTimeout: settings.sessionTimeoutMs,
    heartbeatInterval: settings.heartbeatIntervalMs,
    maxBytesPerPartition: settings.fetchBytesPerPartitionMax,
    maxWaitTimeInMs: settings.fetchWaitMsMax,
    retry: kafkajsRetry(deps.retry),
  });
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    const partitions = payload.memberAssignment[topics.commands] ?? [];
    deps.metrics.keepPartitions(partitions);
    logger.info(
      { topic: topics.commands, groupId: deps.groupId, partitions: partitions.length },
      'joined the command consumer group: consuming commands',
    );
    lifecycle.tryTo('running');
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (stopRequested) return;
    logger.warn(
      { err: payload.error, restart: payload.restart },
      'command consumer failed; uncommitted messages will be redelivered',
    );
    // kafkajs restarts after what it deems retriable (a broker away); the rest needs an operator.
    lifecycle.tryTo(payload.restart ? 'degraded' : 'failed', payload.error);
  });

  /**
   * Produces a slice's results and dead letters, all acknowledged by every replica before it
   * resolves, in produce calls within produceCallLimits, sent at once.
   */
  const answer = async (settled: SettledSlice): Promise<void> => {
    const calls: Promise<unknown>[] = [];
    for (const [topic, messages] of [
      [topics.results, settled.results],
      [topics.deadLetters, settled.deadLetters],
    ] as const) {
      for (const chunk of produceCalls(messages, produceCallLimits)) {
        calls.push(
          producer.sendBatch({
            topicMessages: [{ topic, messages: chunk }],
            acks: -1,
            timeout: settings.produceAckTimeoutMs,
          }),
        );
      }
    }
    await Promise.all(calls);
  };

  const eachBatch = async (payload: EachBatchPayload): Promise<void> => {
    const { batch } = payload;
    const source = { topic: batch.topic, partition: batch.partition };
    const step = settings.commandsPerEngineCallMax;
    /** Consecutive waits for disk space, for the backoff. */
    let storageWaits = 0;
    for (let start = 0; start < batch.messages.length; ) {
      // Stopping or a seek: leave the rest unresolved; it is fetched again.
      if (!payload.isRunning() || payload.isStale()) return;
      const plan = planSlice(source, batch.messages.slice(start, start + step), decoder);
      const engineResults =
        plan.commands.length === 0
          ? []
          : await deps.commands.executeCommands(plan.commands, { whenFull: 'wait' });
      const settled = settleSlice(plan, engineResults);
      await answer(settled);
      if (settled.lastOffset !== undefined) {
        payload.resolveOffset(settled.lastOffset);
        await commitResolved(payload);
        const lag = BigInt(batch.highWatermark) - BigInt(settled.lastOffset) - 1n;
        deps.metrics.setLag(batch.partition, Number(lag));
      }
      deps.metrics.count(settled.outcomes, settled.deadLetterReasons);
      start += settled.settledMessages;
      if (!settled.complete && settled.undecidedCode === 'STORAGE_FULL') {
        // Short of disk space, like a full queue: nothing is answered, dead-lettered or
        // committed past the command; it is decided again once space is back.
        storageWaits++;
        const waitMs = backoffMs(storageWaits, deps.retry, random());
        if (storageWaits === 1) {
          logger.warn(
            { topic: batch.topic, partition: batch.partition, offset: settled.lastOffset },
            'the data directory is short of space: commands wait until writes are accepted again',
          );
        }
        await backoff.sleep(waitMs);
        await payload.heartbeat();
        continue;
      }
      storageWaits = 0;
      if (!settled.complete) {
        throw new CommandsNotDecidedError(
          `stockd is stopping: commands from ${batch.topic}[${batch.partition}] after offset ${settled.lastOffset ?? 'none'} were not decided and wait for redelivery`,
        );
      }
      await payload.heartbeat();
    }
  };

  const disconnect = async () => {
    // kafkajs waits for the batch in hand (its eachBatch sees isRunning() false before the
    // next engine call), then leaves the group; only then may the producer go.
    await consumer.disconnect().catch(() => {});
    await producer.disconnect().catch(() => {});
  };

  /** One attempt; from run() on, kafkajs joins the group and restarts after crashes itself. */
  const startOnce = async () => {
    await deps.prepare?.();
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topics: [topics.commands], fromBeginning: true });
    if (stopRequested) return;
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: settings.partitionsConcurrentlyMax,
      eachBatch,
    });
  };

  const start = async () => {
    for (let attempt = 1; !stopRequested; attempt++) {
      try {
        await startOnce();
        if (stopRequested) await disconnect(); // stop() came during the attempt
        return;
      } catch (error) {
        await disconnect();
        if (stopRequested) return;
        if (!isKafkaError(error)) {
          logger.error({ err: error }, 'the command consumer cannot start');
          lifecycle.tryTo('failed', error);
          return;
        }
        const waitMs = backoffMs(attempt, deps.retry, random());
        logger.warn({ err: error, attempt, waitMs }, 'cannot start the command consumer; retrying');
        lifecycle.tryTo('degraded', error);
        await backoff.sleep(waitMs);
      }
    }
  };

  lifecycle.to('starting');
  const starting = start();

  let stopping: Promise<void> | undefined;
  return {
    name: 'commandConsumer',
    status: () => ({ ...lifecycle.status(), lagMessages: deps.metrics.lagMessages() }),
    running: lifecycle.running,
    stop() {
      stopping ??= (async () => {
        stopRequested = true;
        lifecycle.tryTo('stopping');
        backoff.interrupt();
        await disconnect();
        await Promise.race([starting, delay(startWaitMsMax)]);
        lifecycle.tryTo('stopped');
        logger.info('command consumer stopped');
      })();
      return stopping;
    },
  };
}

/**
 * Commits this partition's resolved offset. Through the batch's own commit function, because
 * consumer.commitOffsets() silently skips the commit once stop() began, and the batch in hand
 * must still be committed then. kafkajs's resolved offset also covers trailing control records.
 */
async function commitResolved(payload: EachBatchPayload): Promise<void> {
  const { topic, partition } = payload.batch;
  const resolved = payload
    .uncommittedOffsets()
    .topics.find((entry) => entry.topic === topic)
    // kafkajs keeps resolved offsets in an object: its partition numbers come back as strings.
    ?.partitions.find((entry) => Number(entry.partition) === partition);
  if (resolved === undefined) return;
  await payload.commitOffsetsIfNecessary({
    topics: [{ topic, partitions: [{ partition, offset: resolved.offset }] }],
  });
}

import type { Consumer, Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { KafkaRetrySettings, ProjectorSettings } from '../config/schema.ts';
import { kafkajsRetry } from '../kafka/kafka-client.ts';
import { waitForTopic } from '../kafka/wait-for-topic.ts';
import { createBatchHandler } from './batch-handler.ts';
import type { ProjectionMetrics } from './projection-metrics.ts';
import { type ProjectorState, projectorStateMachine } from './projector-state.ts';

export interface ProjectorDependencies {
  readonly kafka: Kafka;
  readonly pool: Pool;
  readonly topic: string;
  readonly groupId: string;
  readonly logger: Logger;
  readonly metrics: ProjectionMetrics;
  readonly options: ProjectorSettings;
  readonly random?: () => number;
  /** kafkajs's retry of the consumer (the client's). */
  readonly retry: KafkaRetrySettings;
}

export interface Projector {
  readonly state: ProjectorState;
  /** Joins the group and starts consuming; resolves once it consumes. */
  start(): Promise<void>;
  /** Stops after the transactions in flight; nothing unapplied is committed. */
  stop(): Promise<void>;
  /** Settles when the projector has stopped; rejects with the error that made it fail. */
  readonly done: Promise<void>;
}

/**
 * The projector: a consumer group on the events topic writing each fetched batch to PostgreSQL
 * (see batch-handler.ts). Offsets are committed only after their transaction, so a crash
 * between the two redelivers events already stored, which the guarded statements ignore.
 */
export function createProjector(deps: ProjectorDependencies): Projector {
  const { topic, logger, metrics, options } = deps;
  let resolveDone!: () => void;
  let rejectDone!: (error: unknown) => void;
  const done = new Promise<void>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  done.catch(() => {}); // observed by whoever awaits it; never an unhandled rejection
  const lifecycle = projectorStateMachine((from, to) => logger.info({ from, to }, 'projector'));
  const consumer: Consumer = deps.kafka.consumer({
    groupId: deps.groupId,
    sessionTimeout: options.sessionTimeoutMs,
    heartbeatInterval: options.heartbeatIntervalMs,
    maxBytesPerPartition: options.fetchBytesPerPartitionMax,
    maxWaitTimeInMs: options.fetchWaitMsMax,
    allowAutoTopicCreation: false,
    retry: kafkajsRetry(deps.retry),
  });

  const fail = (error: unknown) => {
    if (!lifecycle.can('failed')) return;
    logger.error({ err: error }, 'projector failed; stopping without committing the batch');
    lifecycle.to('failed');
    // Not awaited here: disconnect waits for the batch handler this may be called from.
    setImmediate(() => {
      consumer
        .disconnect()
        .catch(() => {})
        .then(() => rejectDone(error));
    });
  };
  consumer.on(consumer.events.GROUP_JOIN, () => metrics.reassigned());
  consumer.on(consumer.events.CRASH, (event) => {
    if (!event.payload.restart) fail(event.payload.error);
  });
  const eachBatch = createBatchHandler({
    topic,
    pool: deps.pool,
    logger,
    metrics,
    options,
    projecting: () => lifecycle.state === 'running',
    fail,
    ...(deps.random !== undefined && { random: deps.random }),
  });

  const start = async () => {
    lifecycle.to('starting');
    const starting = () => lifecycle.state === 'starting';
    try {
      await waitForTopic(deps.kafka, topic, logger, starting);
      if (!starting()) return;
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      if (!starting()) return;
      // Running before run(): kafkajs may hand over the first batch before run() resolves.
      lifecycle.to('running');
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: options.partitionsConcurrently,
        eachBatch,
      });
    } catch (error) {
      fail(error);
      throw error;
    }
  };

  const stop = async () => {
    if (!lifecycle.can('stopping')) return done.catch(() => {});
    lifecycle.to('stopping');
    try {
      await consumer.disconnect();
      lifecycle.to('stopped');
      resolveDone();
    } catch (error) {
      lifecycle.to('failed');
      rejectDone(error);
      throw error;
    }
  };

  return {
    get state() {
      return lifecycle.state;
    },
    done,
    start,
    stop,
  };
}

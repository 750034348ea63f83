import type { Consumer, Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { KafkaRetrySettings, ProjectorSettings } from '../config/schema.ts';
import { kafkajsRetry } from '../kafka/kafka-client.ts';
import { isKafkaError } from '../kafka/kafka-errors.ts';
import { waitForTopic } from '../kafka/wait-for-topic.ts';
import { type ComponentState, createLifecycle } from '../lifecycle/lifecycle.ts';
import type { ComponentStatus } from '../lifecycle/readiness.ts';
import { isRetriable } from '../postgres/retry-policy.ts';
import { backoffMs } from '../retry/backoff.ts';
import { interruptibleSleep } from '../retry/interruptible-sleep.ts';
import { createBatchHandler } from './batch-handler.ts';
import { createPeriodCloser } from './period-closer.ts';
import type { ProjectionMetrics } from './projection-metrics.ts';

export interface ProjectorDependencies {
  readonly kafka: Kafka;
  readonly pool: Pool;
  readonly topic: string;
  readonly groupId: string;
  readonly logger: Logger;
  readonly metrics: ProjectionMetrics;
  readonly options: ProjectorSettings;
  /** Runs once before the consumer starts, retried while PostgreSQL is away (the migrations). */
  readonly prepare?: () => Promise<void>;
  readonly random?: () => number;
  /** Default Date.now: the time readiness gives for state changes, and periods end on. */
  readonly nowMs?: () => number;
  /** How often the period closer looks at the clock (milliseconds); default 1 s. */
  readonly snapshotCheckIntervalMs?: number;
  /** kafkajs's retry of the consumer (the client's). */
  readonly retry: KafkaRetrySettings;
}

export interface Projector {
  readonly state: ComponentState;
  /** Its lifecycle and lag, for readiness. */
  status(): ComponentStatus;
  /**
   * Prepares, waits for the topic, joins the group; every step retried while PostgreSQL or
   * Kafka is away. Resolves once consuming began; rejects only with what retrying cannot fix.
   */
  start(): Promise<void>;
  /** Resolves when it first runs (joined the group); rejects if it stops or fails before. */
  readonly running: Promise<void>;
  /** Stops after the transactions in flight; nothing unapplied is committed. */
  stop(): Promise<void>;
  /** Settles when the projector has stopped; rejects with the error that made it fail. */
  readonly done: Promise<void>;
}

/** Default of how often the period closer looks at the clock (milliseconds). */
const snapshotCheckIntervalMs = 1_000;

/**
 * The projector: a consumer group on the events topic writing each fetched batch to PostgreSQL
 * (see batch-handler.ts). Offsets are committed only after their transaction, so a crash
 * between the two redelivers events already stored, which the guarded statements ignore.
 *
 * It never gives up on PostgreSQL or Kafka being away, however long: lifecycle.ts's `degraded`
 * while a partition's transaction keeps failing (or kafkajs restarts after a crash), `running`
 * again once it commits. It fails — and stays failed, loudly, until a restart — only for what
 * retrying cannot fix (retry-policy.ts: bad SQL, a violated constraint, a bug).
 *
 * Beside the consumer runs the period closer (period-closer.ts): the snapshots of every period
 * that ended, on a timer, from the migrations on.
 */
export function createProjector(deps: ProjectorDependencies): Projector {
  const { topic, logger, metrics, options } = deps;
  const random = deps.random ?? Math.random;
  let resolveDone!: () => void;
  let rejectDone!: (error: unknown) => void;
  const done = new Promise<void>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  done.catch(() => {}); // observed by whoever awaits it; never an unhandled rejection
  const lifecycle = createLifecycle({
    name: 'the projection',
    ...(deps.nowMs !== undefined && { nowMs: deps.nowMs }),
    onChange: (from, to, reason) => logger.info({ from, to, reason }, 'projector'),
  });
  const backoff = interruptibleSleep();
  let stopRequested = false;
  // Set once subscribed: kafkajs may hand over the first batch before run() resolves.
  let consuming = false;
  const failingPartitions = new Set<number>();
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
    if (!lifecycle.tryTo('failed', error)) return;
    void closer.stop();
    logger.error(
      { err: error },
      'projector failed: retrying cannot fix this; reports fall behind until it is fixed and stockd restarted',
    );
    // Not awaited here: disconnect waits for the batch handler this may be called from.
    setImmediate(() => {
      consumer
        .disconnect()
        .catch(() => {})
        .then(() => rejectDone(error));
    });
  };
  const closer = createPeriodCloser({
    pool: deps.pool,
    period: options.snapshotPeriod,
    topic,
    partitionsBehind: () => {
      // Empty until the lag monitor's first poll of the topic (or the first fetch).
      const { byPartition } = metrics.snapshot();
      if (byPartition.size === 0) return undefined;
      return [...byPartition].filter(([, lag]) => lag.events > 0).map(([partition]) => partition);
    },
    nowMs: deps.nowMs ?? Date.now,
    logger,
    checkIntervalMs: deps.snapshotCheckIntervalMs ?? snapshotCheckIntervalMs,
    fail,
  });
  const recovered = () => {
    if (failingPartitions.size === 0) lifecycle.tryTo('running');
  };
  consumer.on(consumer.events.GROUP_JOIN, recovered);
  consumer.on(consumer.events.CRASH, (event) => {
    if (stopRequested) return;
    if (event.payload.restart) lifecycle.tryTo('degraded', event.payload.error);
    else fail(event.payload.error);
  });
  const eachBatch = createBatchHandler({
    topic,
    pool: deps.pool,
    logger,
    metrics,
    options,
    projecting: () => consuming && !stopRequested && lifecycle.state !== 'failed',
    retrying: (partition, error) => {
      failingPartitions.add(partition);
      lifecycle.tryTo('degraded', error);
    },
    applied: (partition) => {
      failingPartitions.delete(partition);
      recovered();
    },
    fail,
    random,
  });

  /** Runs `step` until it succeeds: retriable PostgreSQL or Kafka failures back off and retry. */
  const untilDone = async (what: string, step: () => Promise<void>): Promise<boolean> => {
    for (let attempt = 1; !stopRequested; attempt++) {
      try {
        await step();
        return !stopRequested;
      } catch (error) {
        if (stopRequested) return false;
        if (!isRetriable(error) && !isKafkaError(error)) throw error;
        const waitMs = backoffMs(attempt, options.backoff, random());
        logger.warn({ err: error, attempt, waitMs }, `projector: ${what} failed; retrying`);
        lifecycle.tryTo('degraded', error);
        await backoff.sleep(waitMs);
      }
    }
    return false;
  };

  const start = async () => {
    if (!lifecycle.tryTo('starting')) return;
    try {
      if (deps.prepare !== undefined && !(await untilDone('preparing', deps.prepare))) return;
      // The schema is there: periods close from here on, also while Kafka is still away.
      closer.start();
      const subscribed = await untilDone('joining the events topic', async () => {
        await waitForTopic(deps.kafka, topic, logger, () => !stopRequested);
        await consumer.connect();
        await consumer.subscribe({ topics: [topic], fromBeginning: true });
      });
      if (!subscribed) {
        // stop() came while connecting: its disconnect may have come before the connect.
        await consumer.disconnect().catch(() => {});
        return;
      }
      consuming = true;
      // From here on kafkajs joins the group (GROUP_JOIN: running) and restarts after crashes.
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
    if (stopRequested || lifecycle.state === 'failed') return done.catch(() => {});
    stopRequested = true;
    lifecycle.tryTo('stopping');
    backoff.interrupt();
    try {
      await closer.stop();
      await consumer.disconnect();
      lifecycle.tryTo('stopped');
      resolveDone();
    } catch (error) {
      lifecycle.tryTo('failed', error);
      rejectDone(error);
      throw error;
    }
  };

  return {
    get state() {
      return lifecycle.state;
    },
    status: () => {
      const lag = metrics.snapshot();
      return { ...lifecycle.status(), lagEvents: lag.totalEvents, lagSeconds: lag.seconds };
    },
    running: lifecycle.running,
    done,
    start,
    stop,
  };
}

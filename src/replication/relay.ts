import type { Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { readPublishedSeq, writePublishedSeq } from '../checkpoint/published-position.ts';
import { StorageWriteError, written } from '../checkpoint/storage-write-error.ts';
import type { Store } from '../checkpoint/store.ts';
import { WalFollower } from '../checkpoint/wal-view.ts';
import type { KafkaRetrySettings, RelaySettings } from '../config/schema.ts';
import { kafkajsRetry, Partitioners } from '../kafka/kafka-client.ts';
import { isKafkaError } from '../kafka/kafka-errors.ts';
import { TopicPartitionCountError } from '../kafka/topics.ts';
import { createLifecycle } from '../lifecycle/lifecycle.ts';
import type { ComponentStatus } from '../lifecycle/readiness.ts';
import { backoffMs } from '../retry/backoff.ts';
import { delay, interruptibleSleep } from '../retry/interruptible-sleep.ts';
import { rateLimitedFailureLog } from './failure-log.ts';
import { type ReplicationLag, replicationLag } from './lag.ts';
import { logFrontier } from './log-frontier.ts';
import type { RelayMetrics } from './relay-metrics.ts';
import { collectRound } from './relay-round.ts';

export interface RelayDependencies {
  readonly client: Kafka;
  readonly store: Store;
  readonly storeId: string;
  readonly partitionCount: number;
  readonly topic: string;
  readonly logger: Logger;
  readonly settings: RelaySettings;
  /** kafkajs's retry of the producer (the client's): bounded, so that stop() ends. */
  readonly retry: KafkaRetrySettings;
  /** Built by the caller around `lag` (see relay-metrics.ts). */
  readonly metrics?: (lag: () => ReplicationLag) => RelayMetrics;
  /**
   * Runs before the first round, retried like a round until it succeeds (the composition
   * checks the events topic here). A TopicPartitionCountError from it fails the relay.
   */
  readonly prepare?: () => Promise<void>;
  /** True while the engine refuses writes for lack of space: no round writes to the store. */
  readonly writesRefused?: () => boolean;
}

export interface Relay {
  readonly name: string;
  /** Events logged but not yet published. */
  lag(): ReplicationLag;
  /** Its lifecycle and lag, for readiness. */
  status(): ComponentStatus;
  /** Resolves after `prepare` and the first round succeeded; rejects if the relay fails first. */
  readonly running: Promise<void>;
  /** Finishes the produce in flight and records its position, then disconnects. */
  stop(): Promise<void>;
}

/**
 * The outbox relay: the LMDB log is the outbox, and this loop, on the main thread, publishes it
 * to the events topic. One round at a time:
 *
 *   targets = newest seq per partition ─► fsync barrier ─► read (published, target] ─►
 *   one produce (idempotent, one request in flight: per-partition order) ─► broker acks ─►
 *   write published seqs
 *
 * A crash between the ack and the write republishes the round: duplicates, with the same
 * eventIds. While Kafka is unreachable, rounds fail and are retried with backoff; the engine
 * does not notice, except that the log is kept until it is published.
 *
 * Lifecycle (lifecycle.ts): starting until the first round succeeds; degraded while rounds
 * fail, running again after one succeeds; failed only for a topic with another partition count.
 */
export function startRelay(deps: RelayDependencies): Relay {
  const { store, settings, partitionCount } = deps;
  const logger = deps.logger.child({ component: 'relay' });
  const published = Array.from({ length: partitionCount }, (_, p) => readPublishedSeq(store, p));
  const wal = new WalFollower(store);
  const { newestSeqs } = logFrontier(store, partitionCount, wal);
  const lag = () => replicationLag(newestSeqs(), published);
  const metrics = deps.metrics?.(lag);
  const idle = interruptibleSleep();
  const failureLog = rateLimitedFailureLog(logger, settings.failureLogIntervalMs, lag);
  const lifecycle = createLifecycle({
    name: 'the relay',
    onChange: (from, to, reason) => logger.info({ from, to, reason }, 'relay'),
  });
  let stopRequested = false;
  // stop() gave up waiting for the produce in flight: its answer must not move the position.
  let abandoned = false;
  let producer: Producer | undefined;

  const connectedProducer = async (): Promise<Producer> => {
    if (producer !== undefined) return producer;
    const created = deps.client.producer({
      idempotent: true,
      // With idempotence, one request in flight per broker keeps each partition in log order
      // even across kafkajs's retries.
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // Every message names its partition; the partitioner is only named to keep kafkajs quiet.
      createPartitioner: Partitioners.DefaultPartitioner,
      // Bounded, unlike kafkajs's default for idempotent producers (forever): stop() must end,
      // and a failed round replaces the producer (see dropProducer).
      retry: kafkajsRetry(deps.retry),
    });
    await created.connect();
    producer = created;
    return created;
  };

  /**
   * After a failed send the producer's sequence numbers may no longer match the broker's (a
   * request can have been written although its answer was lost); a new producer gets a new
   * producer id and starts clean, and the round is republished from the recorded position.
   */
  const dropProducer = async (): Promise<void> => {
    const dropped = producer;
    producer = undefined;
    await dropped?.disconnect().catch(() => {});
  };

  /** Publishes one round; returns how many events it published. */
  const publishRound = async (): Promise<number> => {
    const targets = newestSeqs();
    if (targets.every((target, p) => target <= published[p]!)) return 0;
    await durabilityBarrier(store);
    const round = collectRound(store, wal.view(), deps.storeId, published, targets, settings);
    for (const gap of round.gaps) {
      logger.warn(gap, 'events were truncated from the log before they were published; skipped');
    }
    if (round.messages.length > 0) {
      const sending = await connectedProducer();
      await sending.sendBatch({
        topicMessages: [{ topic: deps.topic, messages: round.messages }],
        acks: -1,
        timeout: settings.produceAckTimeoutMs,
      });
    }
    if (abandoned) return 0;
    const writes: Promise<boolean>[] = [];
    for (const [partition, seq] of round.lastSeqs) {
      published[partition] = seq;
      writes.push(writePublishedSeq(store, partition, seq));
    }
    // Committed, not awaited to disk: a lost position only republishes (same eventIds).
    await Promise.all(writes);
    metrics?.published(round.messages.length);
    return round.messages.length;
  };

  const loop = async (): Promise<void> => {
    let failures = 0;
    let prepared = deps.prepare === undefined;
    while (!stopRequested) {
      try {
        if (!prepared) {
          await deps.prepare!();
          prepared = true;
        }
        // Short of space nothing new is committed, and the round's own writes (the barrier,
        // the positions) would take the last pages: wait for space like for a broker.
        const count = deps.writesRefused?.() === true ? 0 : await publishRound();
        if (failures > 0) failureLog.recovered(failures);
        failures = 0;
        lifecycle.tryTo('running');
        if (count === 0) await idle.sleep(settings.idlePollMs);
      } catch (error) {
        // The broker away, or the store unable to take the round's positions: both pass.
        if (!isKafkaError(error) && !(error instanceof StorageWriteError)) throw error;
        failures++;
        metrics?.failed();
        failureLog.failed(error, failures);
        lifecycle.tryTo('degraded', error);
        await dropProducer();
        await idle.sleep(backoffMs(failures, settings.backoff, Math.random()));
      }
    }
  };

  lifecycle.to('starting');
  const looping = loop().catch((error: unknown) => {
    if (error instanceof TopicPartitionCountError) {
      // A deployment error: nothing is published until it is fixed, and readiness says why.
      // The engine goes on taking commands; the log is kept until it is published.
      logger.error({ err: error }, 'the relay stopped: the events topic does not fit the store');
      lifecycle.tryTo('failed', error);
      return;
    }
    // Not Kafka: a bug or a broken store. Crash rather than stop replicating silently.
    lifecycle.tryTo('failed', error);
    logger.fatal({ err: error }, 'the relay failed');
    process.nextTick(() => {
      throw error;
    });
  });
  logger.info({ topic: deps.topic, partitions: partitionCount }, 'relaying events');

  let stopping: Promise<void> | undefined;
  return {
    name: 'relay',
    lag,
    status: () => ({ ...lifecycle.status(), lagEvents: lag().totalEvents }),
    running: lifecycle.running,
    stop() {
      stopping ??= (async () => {
        stopRequested = true;
        lifecycle.tryTo('stopping');
        idle.interrupt();
        const finished = await Promise.race([
          looping.then(() => true),
          delay(settings.stopWaitMsMax).then(() => false),
        ]);
        if (!finished) {
          abandoned = true;
          logger.warn(
            { waitedMs: settings.stopWaitMsMax },
            'the produce in flight did not finish; its events will be republished on the next start',
          );
        }
        await dropProducer();
        lifecycle.tryTo('stopped');
        logger.info({ lagEvents: lag().totalEvents }, 'relay stopped');
      })();
      return stopping;
    },
  };
}

const barrierKey = 'relay/barrier';

/**
 * Makes every commit made so far durable before any of it is published. Workers reply only
 * after fsync, but their commits are visible to readers before that; publishing such an event
 * and then losing it in a power failure would hand out an eventId that a different event gets
 * later. A small write awaited to disk fsyncs the whole environment, hence every earlier commit.
 */
async function durabilityBarrier(store: Store): Promise<void> {
  await written(store.meta.put(barrierKey, Date.now()));
  await written(store.meta.flushed);
}

import type { EachBatchPayload } from 'kafkajs';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { ProjectorSettings } from '../config/schema.ts';
import { isKafkaError } from '../kafka/kafka-errors.ts';
import { type RetryOutcome, retryWhileRetriable, waitInSlices } from '../postgres/retry.ts';
import { type AppliedBatch, applyBatch } from './apply-batch.ts';
import type { BatchPlan } from './batch-plan.ts';
import { planBatch } from './batch-planner.ts';
import type { ProjectionMetrics } from './projection-metrics.ts';

export interface BatchHandlerDependencies {
  readonly topic: string;
  readonly pool: Pool;
  readonly logger: Logger;
  readonly metrics: ProjectionMetrics;
  readonly options: ProjectorSettings;
  /** False once the projector stops or fails: leave the rest of the batch uncommitted. */
  readonly projecting: () => boolean;
  /** PostgreSQL failed a partition's run; it is retried after a backoff. */
  readonly retrying: (partition: number, error: unknown) => void;
  /** A partition's run committed. */
  readonly applied: (partition: number) => void;
  /** A failure retrying cannot fix: the projector stops. */
  readonly fail: (error: unknown) => void;
  readonly random?: () => number;
}

/**
 * kafkajs's eachBatch: one fetched batch of one partition, cut into runs of at most
 * batchEventsMax events, each run one transaction, then its offset commit:
 *
 *   plan (pure) ─► BEGIN … COMMIT ─► resolve + commit offset ─► heartbeat ─► next run
 *                    │ retriable failure: ROLLBACK, back off (heartbeating), retry the run,
 *                    │   for as long as PostgreSQL is away
 *                    │ anything else: fail; the offset stays where it was
 *
 * Errors of Kafka itself (a rebalance during a heartbeat or commit, even one while waiting to
 * retry PostgreSQL) propagate to kafkajs, which rejoins and redelivers from the last committed
 * offset.
 */
export function createBatchHandler(deps: BatchHandlerDependencies) {
  const { topic, logger, metrics, options } = deps;

  const applyWithRetry = (
    plan: BatchPlan,
    payload: EachBatchPayload,
  ): Promise<RetryOutcome<AppliedBatch>> => {
    const shouldContinue = () => deps.projecting() && payload.isRunning() && !payload.isStale();
    return retryWhileRetriable(
      () => applyBatch(deps.pool, plan),
      options.backoff,
      {
        shouldContinue,
        wait: (ms) =>
          waitInSlices(ms, options.heartbeatWhileWaitingMs, payload.heartbeat, shouldContinue),
        onRetry: (error, attempt, waitMs) => {
          metrics.countRetry();
          deps.retrying(plan.partition, error);
          logger.warn(
            { err: error, partition: plan.partition, attempt, waitMs },
            'PostgreSQL failed; retrying the batch',
          );
        },
      },
      deps.random,
    );
  };

  const committed = (plan: BatchPlan, applied: AppliedBatch) => {
    metrics.applied(plan.partition, Number(plan.lastOffset));
    metrics.countEvents('inserted', applied.inserted);
    metrics.countEvents('duplicate', applied.duplicates);
    metrics.countEvents('rejected', plan.rejects.length);
    if (plan.rejects.length > 0) {
      logger.error(
        {
          partition: plan.partition,
          rejects: plan.rejects.map(({ offset, reason }) => ({ offset, reason })),
        },
        'messages on the events topic that are not stockd events: kept in stockd.rejected_messages',
      );
    }
  };

  return async (payload: EachBatchPayload): Promise<void> => {
    const { batch } = payload;
    const firstOffset = Number(batch.firstOffset() ?? batch.lastOffset());
    metrics.seen(batch.partition, Number(batch.highWatermark) - 1, firstOffset - 1);
    for (let start = 0; start < batch.messages.length; start += options.batchEventsMax) {
      if (!deps.projecting()) return;
      const messages = batch.messages.slice(start, start + options.batchEventsMax);
      const plan = planBatch(topic, batch.partition, messages);
      const first = messages[0]!;
      metrics.waiting(batch.partition, Number(first.offset), Number(first.timestamp));
      const startedAt = performance.now();
      let outcome: RetryOutcome<AppliedBatch>;
      try {
        outcome = await applyWithRetry(plan, payload);
      } catch (error) {
        if (isKafkaError(error)) throw error; // from a heartbeat: kafkajs's to handle
        deps.fail(error);
        return;
      }
      if (!outcome.done) return; // stopping, or the partition moved: leave it uncommitted
      metrics.observeBatch((performance.now() - startedAt) / 1000);
      payload.resolveOffset(plan.lastOffset);
      await payload.commitOffsetsIfNecessary({
        topics: [{ topic, partitions: [{ partition: plan.partition, offset: nextOffset(plan) }] }],
      });
      committed(plan, outcome.value);
      deps.applied(plan.partition);
      await payload.heartbeat();
    }
  };
}

/** Kafka commits the offset of the next message to read. */
function nextOffset(plan: BatchPlan): string {
  return (BigInt(plan.lastOffset) + 1n).toString();
}

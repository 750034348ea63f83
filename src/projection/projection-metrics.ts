import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type EventResult = 'inserted' | 'duplicate' | 'rejected';

/**
 * The projector's metrics. Lag is per Kafka partition: the newest offset the projector has
 * seen on the topic (from each fetch's high watermark) minus the newest it has applied, i.e.
 * events published but not yet in PostgreSQL.
 */
export interface ProjectionMetrics {
  /** A fetch showed the partition's newest offset. */
  seen(partition: number, newestOffset: number, appliedOffset: number): void;
  /** A transaction committed up to `appliedOffset`. */
  applied(partition: number, appliedOffset: number): void;
  /** The partitions this member owns changed: forget the others. */
  reassigned(): void;
  countEvents(result: EventResult, count: number): void;
  observeBatch(seconds: number): void;
  countRetry(): void;
}

export function createProjectionMetrics(registry: Registry): ProjectionMetrics {
  const lag = new Gauge({
    name: 'stockd_projection_lag_events',
    help: 'Events on the events topic not yet applied to PostgreSQL, per partition',
    labelNames: ['partition'],
    registers: [registry],
  });
  const events = new Counter({
    name: 'stockd_projection_events_total',
    help: 'Events projected: inserted, duplicate (redelivered, changed nothing) or rejected',
    labelNames: ['result'],
    registers: [registry],
  });
  const batchSeconds = new Histogram({
    name: 'stockd_projection_batch_seconds',
    help: 'Time of one committed batch transaction',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const retries = new Counter({
    name: 'stockd_projection_retries_total',
    help: 'Batch transactions retried after a PostgreSQL failure',
    registers: [registry],
  });
  const positions = new Map<number, { newest: number; applied: number }>();
  const publish = (partition: number) => {
    const position = positions.get(partition)!;
    lag.set({ partition: String(partition) }, Math.max(0, position.newest - position.applied));
  };
  return {
    seen(partition, newestOffset, appliedOffset) {
      const position = positions.get(partition);
      positions.set(partition, {
        newest: Math.max(position?.newest ?? -1, newestOffset),
        applied: position?.applied ?? appliedOffset,
      });
      publish(partition);
    },
    applied(partition, appliedOffset) {
      const position = positions.get(partition) ?? { newest: appliedOffset, applied: -1 };
      positions.set(partition, { ...position, applied: Math.max(position.applied, appliedOffset) });
      publish(partition);
    },
    reassigned() {
      positions.clear();
      lag.reset();
    },
    countEvents(result, count) {
      if (count > 0) events.inc({ result }, count);
    },
    observeBatch(seconds) {
      batchSeconds.observe(seconds);
    },
    countRetry() {
      retries.inc();
    },
  };
}

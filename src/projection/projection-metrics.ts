import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { createProjectionLag, type ProjectionLag } from './projection-lag.ts';

export type EventResult = 'inserted' | 'duplicate' | 'rejected';

/**
 * The projector's metrics, and its lag (projection-lag.ts), which readiness shows too. The lag
 * gauges are computed at scrape time, so the lag in seconds grows while nothing is applied.
 */
export interface ProjectionMetrics extends ProjectionLag {
  countEvents(result: EventResult, count: number): void;
  observeBatch(seconds: number): void;
  countRetry(): void;
}

export function createProjectionMetrics(
  registry: Registry,
  nowMs: () => number = Date.now,
): ProjectionMetrics {
  const lag = createProjectionLag(nowMs);
  new Gauge({
    name: 'stockd_projection_lag_events',
    help: 'Events on the events topic not yet applied to PostgreSQL, per partition',
    labelNames: ['partition'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [partition, { events }] of lag.snapshot().byPartition) {
        this.set({ partition: String(partition) }, events);
      }
    },
  });
  new Gauge({
    name: 'stockd_projection_lag_seconds',
    help: 'Age of the oldest event on the events topic not yet applied to PostgreSQL (0: none)',
    registers: [registry],
    collect() {
      this.set(lag.snapshot().seconds);
    },
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
  return {
    ...lag,
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

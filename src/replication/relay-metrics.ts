import { Counter, Gauge, type Registry } from 'prom-client';
import type { ReplicationLag } from './lag.ts';

export interface RelayMetrics {
  published(events: number): void;
  failed(): void;
}

/** Replication metrics; the lag is computed from the log and the cursors at scrape time. */
export function createRelayMetrics(registry: Registry, lag: () => ReplicationLag): RelayMetrics {
  const published = new Counter({
    name: 'stockd_events_published_total',
    help: 'Events published to the events topic (acknowledged by the broker)',
    registers: [registry],
  });
  const failures = new Counter({
    name: 'stockd_replication_failures_total',
    help: 'Relay rounds that failed (Kafka unreachable or refusing); each is retried',
    registers: [registry],
  });
  new Gauge({
    name: 'stockd_replication_lag_events',
    help: 'Events in the LMDB log not yet published to Kafka, all partitions',
    registers: [registry],
    collect() {
      this.set(lag().totalEvents);
    },
  });
  new Gauge({
    name: 'stockd_replication_partition_lag_events',
    help: 'Events in the LMDB log not yet published to Kafka, per partition',
    labelNames: ['partition'],
    registers: [registry],
    collect() {
      lag().byPartition.forEach((events, partition) => {
        this.set({ partition }, events);
      });
    },
  });
  return {
    published: (events) => published.inc(events),
    failed: () => failures.inc(),
  };
}

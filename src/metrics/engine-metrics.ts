import type { Registry } from 'prom-client';
import type { Engine, EngineStats } from '../engine/engine.ts';
import { commitSecondsBounds } from '../worker-protocol/worker-stats.ts';
import { BucketCounts, histogramValues } from './bucket-counts.ts';
import { type ExternalValue, registerExternalMetric } from './external-metric.ts';

/**
 * Engine metrics. Their numbers live in the worker threads; one scrape asks every worker once
 * (the answer is shared by all metrics of that scrape) and sums or labels them per worker.
 */
export function registerEngineMetrics(registry: Registry, engine: Engine): void {
  // Snapshot times are the engine's clock's, so their age is measured on it too.
  const registeredAtMs = engine.clock.nowMs();
  let pending: { at: number; stats: Promise<EngineStats> } | undefined;
  const stats = () => {
    const now = Date.now();
    if (pending === undefined || now - pending.at > 250) {
      pending = { at: now, stats: engine.stats() };
    }
    return pending.stats;
  };
  const sum = (pick: (w: EngineStats['workers'][number]) => number) => async () => [
    { labels: {}, value: (await stats()).workers.reduce((total, w) => total + pick(w), 0) },
  ];

  registerExternalMetric(registry, {
    name: 'stockd_commands_total',
    help: 'Commands and queries decided by the workers, by type and outcome (applied, unchanged or a rejection code)',
    type: 'counter',
    collect: async () => {
      const totals = new Map<string, number>();
      for (const worker of (await stats()).workers) {
        for (const [type, outcomes] of Object.entries(worker.commands)) {
          for (const [outcome, count] of Object.entries(outcomes)) {
            const key = `${type}\n${outcome}`;
            totals.set(key, (totals.get(key) ?? 0) + count);
          }
        }
      }
      return [...totals].map(([key, value]) => {
        const [type, outcome] = key.split('\n') as [string, string];
        return { labels: { type, outcome }, value };
      });
    },
  });
  registerExternalMetric(registry, {
    name: 'stockd_batches_total',
    help: 'Batches executed by the workers',
    type: 'counter',
    collect: sum((w) => w.batches),
  });
  registerExternalMetric(registry, {
    name: 'stockd_batch_requests_total',
    help: 'Requests in executed batches (divide by stockd_batches_total for the mean batch size)',
    type: 'counter',
    collect: sum((w) => w.batchRequestsSum),
  });
  registerExternalMetric(registry, {
    name: 'stockd_events_written_total',
    help: 'Events appended to the LMDB log',
    type: 'counter',
    collect: sum((w) => w.eventsWritten),
  });
  registerExternalMetric(registry, {
    name: 'stockd_log_commit_seconds',
    help: 'Time from appending a batch to the LMDB log until it is fsynced',
    type: 'histogram',
    collect: async () => commitHistogram((await stats()).workers),
  });
  registerExternalMetric(registry, {
    name: 'stockd_queue_depth',
    help: 'Requests of the main thread (HTTP, order sagas) waiting for a worker, per worker; the command topic waits in its consumer lag',
    type: 'gauge',
    collect: async () =>
      (await stats()).queueDepths.map((value, worker) => ({ labels: { worker }, value })),
  });
  registerExternalMetric(registry, {
    name: 'stockd_overloaded_requests_total',
    help: 'Requests refused with OVERLOADED because their worker queue was full, per worker',
    type: 'counter',
    collect: async () =>
      (await stats()).overloadedRequests.map((value, worker) => ({ labels: { worker }, value })),
  });
  registerExternalMetric(registry, {
    name: 'stockd_snapshot_age_seconds',
    help: 'Age of the newest durable snapshot, per partition (since the engine started if none yet)',
    type: 'gauge',
    collect: async () => {
      const nowMs = engine.clock.nowMs();
      return (await stats()).workers.flatMap((w) =>
        Object.entries(w.snapshotAtMs).map(([partition, atMs]) => ({
          labels: { partition },
          value: (nowMs - (atMs || registeredAtMs)) / 1000,
        })),
      );
    },
  });
  // Snapshot age alone cannot tell a stuck snapshot from a quiet partition (nothing to
  // snapshot): this can. It is also what the next start would replay.
  registerExternalMetric(registry, {
    name: 'stockd_unsnapshotted_events',
    help: 'Events in the log after the newest snapshot, per partition (what a restart replays)',
    type: 'gauge',
    collect: async () =>
      (await stats()).workers.flatMap((w) =>
        Object.entries(w.lastSeq).map(([partition, seq]) => ({
          labels: { partition },
          value: seq - (w.snapshotSeq[Number(partition)] ?? 0),
        })),
      ),
  });
  const gauges: [string, string, (w: EngineStats['workers'][number]) => number][] = [
    ['stockd_items', 'Items held in memory', (w) => w.items],
    [
      'stockd_reservations',
      'Reservations held in memory (held and settled)',
      (w) => w.reservations,
    ],
    ['stockd_pending_expiries', 'Reservation deadlines waiting', (w) => w.pendingDeadlines],
    ['stockd_reservations_expired_total', 'Reservations expired by the timer', (w) => w.expired],
    ['stockd_snapshots_written_total', 'Partition snapshots written', (w) => w.snapshotsWritten],
    [
      'stockd_log_chunks_truncated_total',
      'Log chunks removed by truncation',
      (w) => w.chunksTruncated,
    ],
  ];
  for (const [name, help, pick] of gauges) {
    registerExternalMetric(registry, {
      name,
      help,
      type: name.endsWith('_total') ? 'counter' : 'gauge',
      collect: sum(pick),
    });
  }
  registerExternalMetric(registry, {
    name: 'stockd_worker_heap_used_bytes',
    help: 'V8 heap in use, per worker thread',
    type: 'gauge',
    collect: async () =>
      (await stats()).workers.map((w) => ({
        labels: { worker: w.workerIndex },
        value: w.heapUsedBytes,
      })),
  });
  registerExternalMetric(registry, {
    name: 'stockd_worker_external_memory_bytes',
    help: 'Memory outside the V8 heap held by a worker thread (typed arrays: item rows, indexes)',
    type: 'gauge',
    collect: async () =>
      (await stats()).workers.map((w) => ({
        labels: { worker: w.workerIndex },
        value: w.externalBytes,
      })),
  });
}

function commitHistogram(workers: EngineStats['workers']): ExternalValue[] {
  const total = new BucketCounts(commitSecondsBounds);
  for (const worker of workers) {
    worker.commitSecondsBuckets.forEach((n, i) => {
      total.counts[i]! += n;
    });
    total.sum += worker.commitSecondsSum;
    total.count += worker.commits;
  }
  return histogramValues('stockd_log_commit_seconds', {}, total);
}

import type { Registry } from 'prom-client';
import type { StorageStatus } from '../engine/storage-guard.ts';
import { registerExternalMetric } from './external-metric.ts';

/**
 * Whether the engine refuses writes for lack of space, next to the floor it compares the free
 * space with (stockd_data_dir_free_bytes is the space itself), and how many commits the store
 * could not take.
 */
export function registerStorageMetrics(registry: Registry, storage: () => StorageStatus): void {
  const metric = (
    name: string,
    help: string,
    type: 'gauge' | 'counter',
    value: (status: StorageStatus) => number,
  ) =>
    registerExternalMetric(registry, {
      name,
      help,
      type,
      collect: async () => [{ labels: {}, value: value(storage()) }],
    });
  metric(
    'stockd_storage_writes_refused',
    '1 while writes are refused with STORAGE_FULL because the data directory has less free space than STOCKD_DISK_FREE_FLOOR_BYTES',
    'gauge',
    (status) => (status.refusing ? 1 : 0),
  );
  metric(
    'stockd_data_dir_free_floor_bytes',
    'Free space under which writes are refused (STOCKD_DISK_FREE_FLOOR_BYTES)',
    'gauge',
    (status) => status.floorBytes,
  );
  metric(
    'stockd_storage_failed_commits_total',
    'Batches answered STORAGE_FULL because their commit to the data directory failed (their partitions were reloaded from it)',
    'counter',
    (status) => status.failedCommits,
  );
}

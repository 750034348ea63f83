import { statfs } from 'node:fs/promises';
import type { Registry } from 'prom-client';
import { registerExternalMetric } from './external-metric.ts';

/** The fields of `fs.statfs` these metrics read: the block size and block counts. */
export interface FilesystemStats {
  readonly bsize: number;
  readonly blocks: number;
  readonly bavail: number;
}

/**
 * Space on the filesystem of the data directory, read at scrape time, so that Prometheus can warn
 * before the log's writes fail. Free space is what an unprivileged process may still use
 * (`bavail`): the blocks reserved for root are no use to a non-root stockd.
 */
export function registerDataDirMetrics(
  registry: Registry,
  dataDir: string,
  readStats: (path: string) => Promise<FilesystemStats> = statfs,
): void {
  // Both metrics of one scrape share one call. A failed call leaves both without a sample (an
  // alert on their absence sees it) instead of failing the whole scrape or showing 0.
  let pending: Promise<FilesystemStats | undefined> | undefined;
  const stats = () => {
    pending ??= readStats(dataDir)
      .catch(() => undefined)
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
  const gauge = (name: string, help: string, bytesOf: (fs: FilesystemStats) => number) =>
    registerExternalMetric(registry, {
      name,
      help,
      type: 'gauge',
      collect: async () => {
        const fs = await stats();
        return fs === undefined ? [] : [{ labels: {}, value: bytesOf(fs) }];
      },
    });
  gauge(
    'stockd_data_dir_free_bytes',
    'Bytes still available to stockd on the filesystem of its data directory',
    (fs) => fs.bsize * fs.bavail,
  );
  gauge(
    'stockd_data_dir_size_bytes',
    'Size of the filesystem of the data directory',
    (fs) => fs.bsize * fs.blocks,
  );
}

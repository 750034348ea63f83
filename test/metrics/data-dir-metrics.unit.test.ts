import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import {
  type FilesystemStats,
  registerDataDirMetrics,
} from '../../src/metrics/data-dir-metrics.ts';

const sampleOf = (text: string, name: string) =>
  text.match(new RegExp(`^${name} (\\S+)$`, 'm'))?.[1];

describe('data directory metrics', () => {
  it('give the free space an unprivileged process may use and the filesystem size, in bytes', async () => {
    const registry = new Registry();
    const calls: string[] = [];
    registerDataDirMetrics(registry, '/var/lib/stockd', async (path) => {
      calls.push(path);
      return { bsize: 4096, blocks: 1_000, bavail: 250 } satisfies FilesystemStats;
    });
    const text = await registry.metrics();
    expect(sampleOf(text, 'stockd_data_dir_free_bytes')).toBe(String(4096 * 250));
    expect(sampleOf(text, 'stockd_data_dir_size_bytes')).toBe(String(4096 * 1_000));
    // One statfs per scrape, of the data directory.
    expect(calls).toEqual(['/var/lib/stockd']);
  });

  it('show no sample, rather than 0 or a failed scrape, when the filesystem cannot be read', async () => {
    const registry = new Registry();
    registerDataDirMetrics(registry, '/gone', () => Promise.reject(new Error('ENOENT')));
    const text = await registry.metrics();
    expect(sampleOf(text, 'stockd_data_dir_free_bytes')).toBeUndefined();
    expect(sampleOf(text, 'stockd_data_dir_size_bytes')).toBeUndefined();
    expect(text).toContain('# TYPE stockd_data_dir_free_bytes gauge');
  });
});

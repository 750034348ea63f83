import type { MetricValue, Registry } from 'prom-client';

/** A sample; `metricName` overrides the name (histogram _bucket/_sum/_count lines). */
export type ExternalValue = MetricValue<string> & { metricName?: string };

/**
 * A metric whose values are computed at scrape time by `collect` — for numbers that live
 * elsewhere (worker threads, LMDB) and are read, not incremented, by the main thread.
 */
export function registerExternalMetric(
  registry: Registry,
  spec: {
    name: string;
    help: string;
    type: 'counter' | 'gauge' | 'histogram';
    collect: () => Promise<ExternalValue[]>;
  },
): void {
  // prom-client renders any registered object with a name and an async get().
  const metric = {
    name: spec.name,
    async get() {
      return {
        name: spec.name,
        help: spec.help,
        type: spec.type,
        aggregator: 'sum',
        values: await spec.collect(),
      };
    },
    reset() {},
  };
  registry.registerMetric(metric as unknown as Parameters<Registry['registerMetric']>[0]);
}

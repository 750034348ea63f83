import type { ExternalValue } from './external-metric.ts';

/**
 * A histogram's counts as plain numbers, for hot paths: an observation is a bucket search and
 * three additions. (A prom-client Histogram child validates and hashes its label object on every
 * observation, about a microsecond a request.) Rendered at scrape time by `histogramValues`.
 */
export class BucketCounts {
  readonly bounds: readonly number[];
  /** Observations per bucket, not cumulative; the last one is above every bound (+Inf). */
  readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(bounds: readonly number[]) {
    this.bounds = bounds;
    this.counts = new Array<number>(bounds.length + 1).fill(0);
  }

  observe(value: number): void {
    const bounds = this.bounds;
    let bucket = 0;
    while (bucket < bounds.length && value > bounds[bucket]!) bucket++;
    this.counts[bucket]!++;
    this.sum += value;
    this.count++;
  }
}

/** Prometheus's histogram lines for one label set: cumulative `_bucket`s, `_sum`, `_count`. */
export function histogramValues(
  name: string,
  labels: Readonly<Record<string, string | number>>,
  histogram: Pick<BucketCounts, 'bounds' | 'counts' | 'sum' | 'count'>,
): ExternalValue[] {
  let cumulative = 0;
  const buckets = histogram.counts.map((n, i) => {
    cumulative += n;
    const bound = histogram.bounds[i];
    return {
      metricName: `${name}_bucket`,
      labels: { ...labels, le: bound === undefined ? '+Inf' : bound },
      value: cumulative,
    };
  });
  return [
    ...buckets,
    { metricName: `${name}_sum`, labels, value: histogram.sum },
    { metricName: `${name}_count`, labels, value: histogram.count },
  ];
}

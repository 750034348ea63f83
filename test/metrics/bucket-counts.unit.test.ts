import { describe, expect, it } from 'vitest';
import { BucketCounts, histogramValues } from '../../src/metrics/bucket-counts.ts';

describe('BucketCounts', () => {
  it('counts each observation in the first bucket whose bound it does not exceed', () => {
    const counts = new BucketCounts([0.001, 0.01, 0.1]);
    for (const value of [0.0005, 0.001, 0.002, 0.01, 0.05, 0.5, 7]) counts.observe(value);
    expect(counts.counts).toEqual([2, 2, 1, 2]);
    expect(counts.count).toBe(7);
    expect(counts.sum).toBeCloseTo(7.5635, 10);
  });

  it('renders cumulative buckets ending in +Inf, then the sum and the count', () => {
    const counts = new BucketCounts([0.001, 0.01]);
    for (const value of [0.0001, 0.005, 0.005, 3]) counts.observe(value);
    const labels = { method: 'POST', route: '/inventory/reserve', status_code: 201 };
    expect(histogramValues('latency_seconds', labels, counts)).toEqual([
      { metricName: 'latency_seconds_bucket', labels: { ...labels, le: 0.001 }, value: 1 },
      { metricName: 'latency_seconds_bucket', labels: { ...labels, le: 0.01 }, value: 3 },
      { metricName: 'latency_seconds_bucket', labels: { ...labels, le: '+Inf' }, value: 4 },
      { metricName: 'latency_seconds_sum', labels, value: 3.0101 },
      { metricName: 'latency_seconds_count', labels, value: 4 },
    ]);
  });
});

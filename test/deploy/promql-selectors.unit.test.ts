import { describe, expect, it } from 'vitest';
import { selectorsOf } from './promql-selectors.ts';

describe('the series selectors of a PromQL expression', () => {
  it.each([
    ['up{job="stockd"} == 0', [['up', 'job="stockd"']]],
    [
      'histogram_quantile(0.99, sum by (le, route) (rate(stockd_x_bucket{instance=~"$instance"}[$__rate_interval])))',
      [['stockd_x_bucket', 'instance=~"$instance"']],
    ],
    [
      'sum by (job, instance) (rate(a_total[5m])) / sum by (job, instance) (rate(b_count[5m])) > 0.01',
      [['a_total'], ['b_count']],
    ],
    ['min_over_time(sum by (job) (lag)[10m:1m]) > 0 and deriv(lag[10m]) > 0', [['lag'], ['lag']]],
    [
      'free / size < 0.10 unless on (instance) predict_linear(free[6h], 24 * 3600) < 1e9',
      [['free'], ['size'], ['free']],
    ],
    [
      'max by (component, state) (state_metric{state!="running", component=~"relay|projector"}) == 1',
      [['state_metric', 'state!="running"', 'component=~"relay|projector"']],
    ],
    ['sum(rate(x_total[5m])) without (worker) or vector(0)', [['x_total']]],
  ])('%s', (expression, expected) => {
    const found = selectorsOf(expression).map((s) => [
      s.name,
      ...s.matchers.map((m) => `${m.label}${m.op}"${m.value}"`),
    ]);
    expect(found).toEqual(expected);
  });

  it('refuses what it cannot read rather than guessing', () => {
    expect(() => selectorsOf('{__name__="x"}')).toThrow(/without a metric name/);
    expect(() => selectorsOf('rate(x[5m)')).toThrow(/unclosed/);
  });
});

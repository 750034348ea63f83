import { Counter, Histogram, type Registry } from 'prom-client';

/** Lines per placed order: most orders are small, some are very large (up to 1,000 lines). */
const lineBuckets = [1, 2, 3, 5, 10, 20, 50, 100, 250, 500, 1_000];

/**
 * Orders by use case and outcome (the order's status afterwards, or the code it was refused
 * with), and lines per placed order. Structurally an app/orders OrderObserver.
 */
export function createOrderMetrics(registry: Registry) {
  const orders = new Counter({
    name: 'stockd_orders_total',
    help: 'Order use cases by operation (place, change, confirm, cancel, expire, recover) and outcome (the status afterwards, or the refusal code)',
    labelNames: ['operation', 'outcome'],
    registers: [registry],
  });
  const lines = new Histogram({
    name: 'stockd_order_lines',
    help: 'Lines per order placed (first placements and repeats alike)',
    buckets: lineBuckets,
    registers: [registry],
  });
  for (const outcome of ['HELD', 'FAILED']) orders.inc({ operation: 'place', outcome }, 0);
  return {
    observe(operation: string, outcome: string, lineCount: number): void {
      orders.inc({ operation, outcome });
      if (operation === 'place') lines.observe(lineCount);
    },
  };
}

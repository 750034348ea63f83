import { collectDefaultMetrics, Registry } from 'prom-client';

/** One registry per process: every component registers its metrics here. */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

import type { FastifyInstance } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import type { Registry } from 'prom-client';
import { BucketCounts, histogramValues } from '../../metrics/bucket-counts.ts';
import { registerExternalMetric } from '../../metrics/external-metric.ts';

const metricName = 'stockd_http_request_duration_seconds';
const bounds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * Request latency by route (the pattern, not the URL: bounded label values) and status.
 * Counted in plain numbers per (method, route, status), found through nested maps, and rendered
 * at scrape time: the hook runs on every request. Wrapped with fastify-plugin so the hook sits
 * on the root and sees every route group.
 */
export const requestMetrics = fastifyPlugin(
  async (app: FastifyInstance, options: { readonly registry: Registry }) => {
    const byMethod = new Map<string, Map<string, Map<number, BucketCounts>>>();
    const countsOf = (method: string, route: string, status: number): BucketCounts => {
      let byRoute = byMethod.get(method);
      if (byRoute === undefined) {
        byRoute = new Map();
        byMethod.set(method, byRoute);
      }
      let byStatus = byRoute.get(route);
      if (byStatus === undefined) {
        byStatus = new Map();
        byRoute.set(route, byStatus);
      }
      let counts = byStatus.get(status);
      if (counts === undefined) {
        counts = new BucketCounts(bounds);
        byStatus.set(status, counts);
      }
      return counts;
    };
    registerExternalMetric(options.registry, {
      name: metricName,
      help: 'HTTP request latency, from receipt to the response being sent',
      type: 'histogram',
      collect: async () => {
        const values = [];
        for (const [method, byRoute] of byMethod) {
          for (const [route, byStatus] of byRoute) {
            for (const [status, counts] of byStatus) {
              const labels = { method, route, status_code: status };
              values.push(...histogramValues(metricName, labels, counts));
            }
          }
        }
        return values;
      },
    });
    // A callback hook, not an async one: no promise per request.
    app.addHook('onResponse', (request, reply, done) => {
      countsOf(request.method, request.routeOptions.url ?? 'unknown', reply.statusCode).observe(
        reply.elapsedTime / 1000,
      );
      done();
    });
  },
  { name: 'stockd-request-metrics' },
);

import type { FastifyInstance } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { Histogram, type Registry } from 'prom-client';

/**
 * Request latency by route (the pattern, not the URL: bounded label values) and status.
 * Wrapped with fastify-plugin so the hook sits on the root and sees every route group.
 */
export const requestMetrics = fastifyPlugin(
  async (app: FastifyInstance, options: { readonly registry: Registry }) => {
    const duration = new Histogram({
      name: 'stockd_http_request_duration_seconds',
      help: 'HTTP request latency, from receipt to the response being sent',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [options.registry],
    });
    app.addHook('onResponse', async (request, reply) => {
      duration.observe(
        {
          method: request.method,
          route: request.routeOptions.url ?? 'unknown',
          status_code: reply.statusCode,
        },
        reply.elapsedTime / 1000,
      );
    });
  },
  { name: 'stockd-request-metrics' },
);

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
    // One labelled child per (method, route, status), found through nested maps: prom-client's
    // own label lookup builds and hashes a string from the label object on every observation.
    const children = new Map<string, Map<string, Map<number, Histogram.Internal<string>>>>();
    const childOf = (method: string, route: string, status: number) => {
      let byRoute = children.get(method);
      if (byRoute === undefined) {
        byRoute = new Map();
        children.set(method, byRoute);
      }
      let byStatus = byRoute.get(route);
      if (byStatus === undefined) {
        byStatus = new Map();
        byRoute.set(route, byStatus);
      }
      let child = byStatus.get(status);
      if (child === undefined) {
        child = duration.labels({ method, route, status_code: status });
        byStatus.set(status, child);
      }
      return child;
    };
    // A callback hook, not an async one: no promise per request.
    app.addHook('onResponse', (request, reply, done) => {
      childOf(request.method, request.routeOptions.url ?? 'unknown', reply.statusCode).observe(
        reply.elapsedTime / 1000,
      );
      done();
    });
  },
  { name: 'stockd-request-metrics' },
);

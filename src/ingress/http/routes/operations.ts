import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { Engine } from '../../../engine/engine.ts';

/** Liveness, readiness and Prometheus metrics. */
export function operationsRoutes(
  app: FastifyInstance,
  deps: { engine: Engine; metrics: Registry; ready: () => boolean },
): void {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const ready = deps.engine.state === 'running' && deps.ready();
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'not ready', engine: deps.engine.state });
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    const text = await deps.metrics.metrics();
    return reply.type(deps.metrics.contentType).send(text);
  });
}

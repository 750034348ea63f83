import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import type { EngineState } from '../../../engine/engine.ts';

export interface OperationsRoutesOptions {
  readonly metrics: Registry;
  /** The engine's state: it must be running for the service to be ready. */
  readonly engineState: () => EngineState;
  /** Extra readiness condition (e.g. components started). */
  readonly ready: () => boolean;
}

const tags = ['operations'];

const healthBody = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string' } },
} as const;

const readinessBody = {
  type: 'object',
  required: ['status', 'engine'],
  properties: {
    status: { type: 'string', enum: ['ready', 'not ready'] },
    engine: { type: 'string', enum: ['running', 'draining', 'closed', 'failed'] },
  },
} as const;

/**
 * Liveness, readiness and Prometheus metrics, at the root. Readiness is a state, not an
 * error: its 503 is for load balancers and has no error body.
 */
export const operationsRoutes: FastifyPluginAsync<OperationsRoutesOptions> = async (
  scope,
  options,
) => {
  scope.get(
    '/healthz',
    { schema: { tags, summary: 'Liveness', response: { 200: healthBody } } },
    async () => ({ status: 'ok' }),
  );
  scope.get(
    '/readyz',
    {
      schema: {
        tags,
        summary: 'Readiness: recovered and accepting requests',
        response: { 200: readinessBody, 503: readinessBody },
      },
    },
    async (_request, reply) => {
      const engine = options.engineState();
      const ready = engine === 'running' && options.ready();
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', engine });
    },
  );
  scope.get(
    '/metrics',
    { schema: { tags, summary: 'Prometheus metrics (text exposition format)' } },
    async (_request, reply) => {
      const text = await options.metrics.metrics();
      return reply.type(options.metrics.contentType).send(text);
    },
  );
};

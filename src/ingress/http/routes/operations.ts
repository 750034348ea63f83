import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import type { EngineState } from '../../../engine/engine.ts';
import { type ComponentState, componentTransitions } from '../../../lifecycle/lifecycle.ts';
import { type ComponentStatus, readinessOf } from '../../../lifecycle/readiness.ts';

export interface OperationsRoutesOptions {
  readonly metrics: Registry;
  /** The engine's state: it must be running for the service to be ready. */
  readonly engineState: () => EngineState;
  /** The other components readiness reports, by name (storage, relay, commandConsumer, projector). */
  readonly components: () => Readonly<Record<string, ComponentStatus>>;
}

const tags = ['operations'];

const healthBody = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string' } },
} as const;

const componentBody = {
  type: 'object',
  required: ['state'],
  properties: {
    state: { type: 'string', enum: Object.keys(componentTransitions) },
    since: { type: 'string', format: 'date-time', description: 'when it entered this state' },
    reason: { type: 'string', description: 'degraded or failed: the last error' },
    lagEvents: {
      type: 'integer',
      description: 'relay: events not yet in Kafka; projector: events not yet in PostgreSQL',
    },
    lagSeconds: {
      type: 'number',
      description: 'projector: age of the oldest event not yet in PostgreSQL',
    },
    lagMessages: { type: 'integer', description: 'command consumer: messages not yet answered' },
    freeBytes: {
      type: 'integer',
      description: "storage: bytes free on the data directory's filesystem",
    },
    floorBytes: {
      type: 'integer',
      description: 'storage: free space under which writes are refused (STORAGE_FULL)',
    },
  },
} as const;

const readinessBody = {
  type: 'object',
  required: ['status', 'components'],
  properties: {
    status: {
      type: 'string',
      enum: ['ready', 'degraded', 'not ready'],
      description:
        'ready: everything runs. degraded: reads are served, but a component is starting, retrying or failed, or writes are refused for lack of disk space (storage). not ready (503): the engine is not running',
    },
    components: {
      type: 'object',
      required: ['engine'],
      additionalProperties: componentBody,
      properties: { engine: componentBody },
    },
  },
} as const;

/** The engine's own states in the shared vocabulary (it is never idle: HTTP starts after it). */
const engineStates: Readonly<Record<EngineState, ComponentState>> = {
  running: 'running',
  draining: 'stopping',
  closed: 'stopped',
  failed: 'failed',
};

function componentBodyOf(status: ComponentStatus) {
  const { sinceMs, ...rest } = status;
  return { ...rest, ...(sinceMs !== undefined && { since: new Date(sinceMs).toISOString() }) };
}

/**
 * Liveness, readiness and Prometheus metrics, at the root. Readiness is a state, not an
 * error: its 503 is for load balancers and has no error body. 200 means "send traffic": the
 * engine has recovered and takes writes, even when Kafka or PostgreSQL is away (the body says
 * which component is degraded); 503 means the engine itself does not run (see readiness.ts).
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
        summary: 'Readiness: recovered and accepting requests; the state of every component',
        response: { 200: readinessBody, 503: readinessBody },
      },
    },
    async (_request, reply) => {
      const engine: ComponentStatus = { state: engineStates[options.engineState()] };
      const others = options.components();
      const { status, serving } = readinessOf(engine, others);
      const components: Record<string, ReturnType<typeof componentBodyOf>> = {
        engine: componentBodyOf(engine),
      };
      for (const [name, component] of Object.entries(others)) {
        components[name] = componentBodyOf(component);
      }
      return reply.code(serving ? 200 : 503).send({ status, components });
    },
  );
  scope.get(
    '/metrics',
    {
      schema: {
        tags,
        summary: 'Prometheus metrics (text exposition format)',
        response: {
          200: {
            description: 'Every metric of the process (README, "Metrics")',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
        },
      },
    },
    async (_request, reply) => {
      const text = await options.metrics.metrics();
      return reply.type(options.metrics.contentType).send(text);
    },
  );
};

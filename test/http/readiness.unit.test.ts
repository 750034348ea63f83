// /readyz as a load balancer reads it: 200 while the engine runs — whatever Kafka and PostgreSQL
// are doing, which the body names — and 503 only when the engine does not.
import Fastify from 'fastify';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { EngineState } from '../../src/engine/engine.ts';
import { operationsRoutes } from '../../src/ingress/http/routes/operations.ts';
import type { ComponentStatus } from '../../src/lifecycle/readiness.ts';

async function readyz(engine: EngineState, components: Record<string, ComponentStatus> = {}) {
  const app = Fastify();
  await app.register(operationsRoutes, {
    metrics: new Registry(),
    engineState: () => engine,
    components: () => components,
  });
  try {
    const response = await app.inject('/readyz');
    return { statusCode: response.statusCode, body: response.json() };
  } finally {
    await app.close();
  }
}

const sinceMs = Date.parse('2030-01-01T00:00:00.000Z');

describe('/readyz', () => {
  it('is ready when the engine and every component run', async () => {
    expect(await readyz('running', { relay: { state: 'running', sinceMs, lagEvents: 0 } })).toEqual(
      {
        statusCode: 200,
        body: {
          status: 'ready',
          components: {
            engine: { state: 'running' },
            relay: { state: 'running', since: '2030-01-01T00:00:00.000Z', lagEvents: 0 },
          },
        },
      },
    );
  });

  it('stays 200 while a component is degraded or failed, and says which and why', async () => {
    const { statusCode, body } = await readyz('running', {
      relay: {
        state: 'degraded',
        sinceMs,
        reason: 'KafkaJSConnectionError: refused',
        lagEvents: 7,
      },
      commandConsumer: { state: 'starting', sinceMs, lagMessages: 0 },
      projector: { state: 'failed', sinceMs, reason: 'error 23514', lagEvents: 3, lagSeconds: 1.5 },
    });
    expect(statusCode).toBe(200);
    expect(body).toMatchObject({
      status: 'degraded',
      components: {
        relay: { state: 'degraded', reason: 'KafkaJSConnectionError: refused', lagEvents: 7 },
        commandConsumer: { state: 'starting', lagMessages: 0 },
        projector: { state: 'failed', reason: 'error 23514', lagEvents: 3, lagSeconds: 1.5 },
      },
    });
  });

  it.each([
    ['draining', 'stopping'],
    ['closed', 'stopped'],
    ['failed', 'failed'],
  ] as const)('answers 503 when the engine is %s', async (engine, state) => {
    expect(await readyz(engine, { relay: { state: 'running', sinceMs } })).toMatchObject({
      statusCode: 503,
      body: { status: 'not ready', components: { engine: { state } } },
    });
  });
});

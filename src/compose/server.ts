import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Config } from '../config/config.ts';
import { type Engine, startEngine } from '../engine/engine.ts';
import { engineOptions } from '../engine/engine-options.ts';
import { buildApp } from '../ingress/http/app.ts';
import { registerEngineMetrics } from '../metrics/engine-metrics.ts';
import { createMetricsRegistry } from '../metrics/registry.ts';
import { createPool } from '../postgres/pool.ts';
import { reportsPlugin } from '../reports/reports-plugin.ts';
import type { Component } from './component.ts';
import { startKafkaComponents } from './kafka-components.ts';
import { startProjection } from './projection.ts';

export interface Server {
  readonly engine: Engine;
  readonly app: FastifyInstance;
  readonly metrics: Registry;
  /** The address the HTTP server listens on. */
  readonly url: string;
  /** Stops taking requests, drains, stops every component, closes the engine. */
  stop(): Promise<void>;
}

/**
 * The composition root: engine first (it recovers the data directory), then the components
 * that feed it or read from it, then HTTP. Shutdown runs in reverse order.
 */
export async function startServer(config: Config, logger: Logger): Promise<Server> {
  const metrics = createMetricsRegistry();
  const engine = await startEngine(
    engineOptions({
      dataDir: config.dataDir,
      workerCount: config.workers,
      partitionCount: config.partitions,
      ...config.engine,
      housekeeping: { ...config.engine, replicationEnabled: config.kafka !== undefined },
      onFatal: (error) => {
        logger.fatal({ err: error }, 'worker failure: memory may be ahead of disk; exiting');
        process.exit(70);
      },
    }),
  );
  logger.info(
    {
      dataDir: config.dataDir,
      partitions: engine.identity.partitionCount,
      workers: config.workers,
    },
    'engine recovered',
  );
  registerEngineMetrics(metrics, engine);
  const components: Component[] = [];
  if (config.kafka !== undefined) {
    const kafka = await startKafkaComponents({
      engine,
      kafka: config.kafka,
      logger,
      metrics,
    }).catch(async (error: unknown) => {
      await engine.close();
      throw error;
    });
    components.push(...kafka);
  }
  const plugins: ((app: FastifyInstance) => Promise<void>)[] = [];
  if (config.databaseUrl !== undefined) {
    const reportsPool = createPool(
      config.databaseUrl,
      { ...config.reportsPool, applicationName: 'stockd-reports' },
      logger,
    );
    components.push({ name: 'reports-pool', stop: () => reportsPool.end() });
    plugins.push(reportsPlugin({ pool: reportsPool }));
    if (config.kafka !== undefined) {
      // In the background: PostgreSQL being away must not keep stockd from serving.
      const projection = startProjection(config, logger, { metrics });
      projection.done.catch((error: unknown) => {
        logger.error({ err: error }, 'projection stopped: reports fall behind until a restart');
      });
      components.push({ name: 'projection', stop: () => projection.stop() });
    }
  }
  const app = await buildApp({ engine, config, metrics, logger, ready: () => true, plugins });
  const url = await app.listen({ host: config.host, port: config.port });
  logger.info({ url }, 'listening');

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await app.close();
      for (const component of components.reverse()) {
        await component.stop().catch((error: unknown) => {
          logger.error({ err: error, component: component.name }, 'stopping a component failed');
        });
      }
      await engine.close();
    })();
    return stopping;
  };
  return { engine, app, metrics, url, stop };
}

import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { createInventory } from '../app/inventory.ts';
import { createOrders, type Orders, type OrderUpkeep } from '../app/orders/orders.ts';
import type { Config } from '../config/config.ts';
import { type Engine, startEngine } from '../engine/engine.ts';
import {
  type EngineOptions,
  engineOptions,
  type HousekeepingSettings,
} from '../engine/engine-options.ts';
import { buildApp } from '../ingress/http/app.ts';
import { registerEngineMetrics } from '../metrics/engine-metrics.ts';
import { createOrderMetrics } from '../metrics/order-metrics.ts';
import { createMetricsRegistry } from '../metrics/registry.ts';
import { createPool } from '../postgres/pool.ts';
import { reportsPlugin } from '../reports/reports-plugin.ts';
import type { Component } from './component.ts';
import { startKafkaComponents } from './kafka-components.ts';
import { startProjection } from './projection.ts';

/** stockd composed and running, with its HTTP app built but not listening (tests `inject`). */
export interface Service {
  readonly engine: Engine;
  readonly app: FastifyInstance;
  readonly metrics: Registry;
  /** The order coordinator: tests expire orders with it under a manual clock. */
  readonly orders: Orders & OrderUpkeep;
  /** Stops taking requests, drains, stops every component, closes the engine. */
  stop(): Promise<void>;
}

export interface Server extends Service {
  /** The address the HTTP server listens on. */
  readonly url: string;
}

/** What a caller may put in place of the production wiring's own choices (tests, simulation). */
export interface ServiceOverrides {
  /** Default: the system clock. */
  readonly clock?: EngineOptions['clock'];
  /** Default: log the failure and exit the process. */
  readonly onFatal?: EngineOptions['onFatal'];
  /** Housekeeping settings over those derived from the config. */
  readonly housekeeping?: Partial<HousekeepingSettings>;
}

/** The composition root, then HTTP listening on HOST:PORT. */
export async function startServer(
  config: Config,
  logger: Logger,
  overrides: ServiceOverrides = {},
): Promise<Server> {
  const service = await composeService(config, logger, overrides);
  const url = await service.app
    .listen({ host: config.host, port: config.port })
    .catch(async (error: unknown) => {
      await service.stop();
      throw error;
    });
  logger.info({ url }, 'listening');
  return { ...service, url };
}

/**
 * The composition root: engine first (it recovers the data directory), then the components
 * that feed it or read from it, then the HTTP app. Shutdown runs in reverse order.
 */
export async function composeService(
  config: Config,
  logger: Logger,
  overrides: ServiceOverrides = {},
): Promise<Service> {
  const metrics = createMetricsRegistry();
  const engine = await startOverriddenEngine(
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
    overrides,
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
  const orders = createOrders({
    engine,
    defaultTtlSeconds: config.defaultTtlSeconds,
    linesMax: config.orders.linesMax,
    expiryIntervalMs: config.engine.expiryIntervalMs,
    expiryBatchMax: config.engine.expiryBatchMax,
    observer: createOrderMetrics(metrics),
    onError: (error) => {
      logger.fatal({ err: error }, 'order expiry failed; exiting');
      process.exit(70);
    },
  });
  // Before any ingress serves: no order a previous run left half held survives this start.
  const recovered = await orders.recoverOrders().catch(async (error: unknown) => {
    await engine.close();
    throw error;
  });
  logger.info(recovered, 'orders recovered');
  const inventory = createInventory({
    engine,
    defaultTtlSeconds: config.defaultTtlSeconds,
    orders,
  });
  // First in, so last out: the ingresses stop feeding orders before their sagas are awaited.
  const components: Component[] = [{ name: 'orders', stop: () => orders.stopOrders() }];
  if (config.kafka !== undefined) {
    const kafka = await startKafkaComponents({
      engine,
      commands: inventory,
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
  orders.startOrderExpiry();
  const app = await buildApp({
    inventory,
    engine,
    config,
    metrics,
    logger,
    ready: () => true,
    plugins,
  });

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
  return { engine, app, metrics, orders, stop };
}

/** The engine the config describes, with a caller's overrides on top. */
function startOverriddenEngine(options: EngineOptions, overrides: ServiceOverrides) {
  return startEngine({
    ...options,
    ...(overrides.clock !== undefined && { clock: overrides.clock }),
    ...(overrides.onFatal !== undefined && { onFatal: overrides.onFatal }),
    housekeeping: { ...options.housekeeping, ...overrides.housekeeping },
  });
}

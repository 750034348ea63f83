import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { createInventory } from '../app/inventory.ts';
import { createOrders, type Orders, type OrderUpkeep } from '../app/orders/orders.ts';
import { type Config, ConfigError } from '../config/config.ts';
import { exposureOf, exposureProblemOf } from '../config/exposure.ts';
import { type Engine, startEngine } from '../engine/engine.ts';
import {
  type EngineOptions,
  engineOptions,
  type HousekeepingSettings,
} from '../engine/engine-options.ts';
import { buildApp } from '../ingress/http/app.ts';
import type { ComponentStatus } from '../lifecycle/readiness.ts';
import { registerDataDirMetrics } from '../metrics/data-dir-metrics.ts';
import { registerEngineMetrics } from '../metrics/engine-metrics.ts';
import { createOrderMetrics } from '../metrics/order-metrics.ts';
import { createMetricsRegistry } from '../metrics/registry.ts';
import { registerStorageMetrics } from '../metrics/storage-metrics.ts';
import { createPool } from '../postgres/pool.ts';
import { reportsPlugin } from '../reports/reports-plugin.ts';
import type { Component } from './component.ts';
import { registerComponentMetrics } from './component-metrics.ts';
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

/**
 * The composition root, then HTTP listening on HOST:PORT — unless that would open the API to
 * other machines without keys: then nothing starts (a ConfigError, exit code 78).
 */
export async function startServer(
  config: Config,
  logger: Logger,
  overrides: ServiceOverrides = {},
): Promise<Server> {
  const problem = exposureProblemOf(config);
  if (problem !== undefined) throw new ConfigError([problem]);
  const service = await composeService(config, logger, overrides);
  const url = await service.app
    .listen({ host: config.host, port: config.port })
    .catch(async (error: unknown) => {
      await service.stop();
      throw error;
    });
  logger.info({ url }, 'listening');
  logAccess(config, logger);
  return { ...service, url };
}

/** What protects the API, said once at start: names of keys only, never their hashes. */
function logAccess(config: Config, logger: Logger): void {
  const { keys, metricsScope, rateLimit } = config.access;
  switch (exposureOf(config)) {
    case 'keys':
      logger.info(
        { keys: keys.map((key) => key.name), metrics: metricsScope ?? 'open', rateLimit },
        'API keys required',
      );
      return;
    case 'loopback':
      logger.warn(
        `no API keys configured: serving on loopback (${config.host}) only, without authentication; set STOCKD_API_KEYS or STOCKD_API_KEYS_FILE to serve other machines`,
      );
      return;
    case 'open':
      logger.warn(
        'STOCKD_AUTH=off: no authentication; every route is open to whoever reaches this address',
      );
      return;
  }
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
  registerDataDirMetrics(metrics, config.dataDir);
  registerStorageMetrics(metrics, () => engine.storage);
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
  const components: Component[] = [
    { name: 'orders', stop: () => orders.stopOrders() },
    { name: 'storage', status: () => storageStatusOf(engine), stop: async () => {} },
  ];
  if (config.kafka !== undefined) {
    // In the background, retrying: a broker that is away or a slow group join must not keep
    // HTTP from serving once the engine has recovered.
    const kafka = startKafkaComponents({
      engine,
      orders,
      requests: { defaultTtlSeconds: config.defaultTtlSeconds, linesMax: config.orders.linesMax },
      kafka: config.kafka,
      logger,
      metrics,
    });
    components.push(...kafka.components);
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
      // In the background, retrying: PostgreSQL being away must not keep stockd from serving.
      const projection = startProjection(config, logger, {
        metrics,
        nowMs: () => engine.clock.nowMs(),
      });
      components.push({
        name: 'projector',
        status: () => projection.status(),
        stop: () => projection.stop(),
      });
    }
  }
  registerComponentMetrics(metrics, () => statusesOf(components));
  orders.startOrderExpiry();
  const app = await buildApp({
    inventory,
    engine,
    config,
    metrics,
    logger,
    components: () => statusesOf(components),
    plugins,
  });

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await app.close();
      for (const component of [...components].reverse()) {
        await component.stop().catch((error: unknown) => {
          logger.error({ err: error, component: component.name }, 'stopping a component failed');
        });
      }
      await engine.close({
        onWarning: (line) => logger.warn({ dataDir: config.dataDir }, line),
      });
    })();
    return stopping;
  };
  return { engine, app, metrics, orders, stop };
}

/**
 * The data directory's space as readiness shows it: degraded while writes are refused (reads
 * are still served, so the instance stays in rotation), with the reason and the numbers.
 */
function storageStatusOf(engine: Engine): ComponentStatus {
  const storage = engine.storage;
  return {
    state: storage.refusing ? 'degraded' : 'running',
    sinceMs: storage.sinceMs,
    ...(storage.reason !== undefined && { reason: storage.reason }),
    ...(storage.freeBytes !== undefined && { freeBytes: storage.freeBytes }),
    floorBytes: storage.floorBytes,
  };
}

/** What /readyz shows besides the engine: every component with a lifecycle, by name. */
function statusesOf(components: readonly Component[]): Record<string, ComponentStatus> {
  const statuses: Record<string, ComponentStatus> = {};
  for (const component of components) {
    if (component.status !== undefined) statuses[component.name] = component.status();
  }
  return statuses;
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

import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Inventory } from '../../app/inventory.ts';
import type { Config } from '../../config/config.ts';
import type { Engine } from '../../engine/engine.ts';
import type { ComponentStatus } from '../../lifecycle/readiness.ts';
import { requestValidationOptions } from '../../requests/request-validator.ts';
import { accessControl } from './access/access-plugin.ts';
import { asyncApiRoutes } from './asyncapi.ts';
import { errorHandling } from './error-handler.ts';
import { requestMetrics } from './observe-requests.ts';
import { openApi } from './openapi.ts';
import { inventoryRoutes } from './routes/inventory.ts';
import { operationsRoutes } from './routes/operations.ts';
import { orderRoutes } from './routes/orders.ts';
import { reservationRoutes } from './routes/reservations.ts';
import { stockRoutes } from './routes/stock.ts';

export interface AppDependencies {
  /** The use cases every route calls. */
  readonly inventory: Inventory;
  /** For readiness only: routes reach the engine through the use cases. */
  readonly engine: Pick<Engine, 'state'>;
  readonly config: Config;
  readonly metrics: Registry;
  readonly logger: Logger;
  /** The components /readyz reports besides the engine (relay, command consumer, projector). */
  readonly components?: () => Readonly<Record<string, ComponentStatus>>;
  /**
   * Route groups of optional components (reports when PostgreSQL is configured), each of which
   * registers its own plugin (`app.register`, with its prefix) on the app it is given.
   */
  readonly plugins?: readonly ((app: FastifyInstance) => Promise<void> | void)[];
}

/**
 * Builds the HTTP application without listening, so tests can `inject` into it.
 *
 *   root ── error handling, request metrics, access control, OpenAPI
 *           (fastify-plugin: shared by every scope)
 *    ├── the Kafka contract  /asyncapi /asyncapi.json
 *    ├── operations     /healthz /readyz /metrics
 *    ├── inventory      /inventory, /inventory/history
 *    ├── stock          /inventory/receipts /adjustments /status
 *    ├── reservations   /inventory/reserve /release /confirm, /reservations/:id
 *    ├── orders         /orders, /orders/:id, /orders/:id/confirm /cancel
 *    └── optional groups, e.g. reports under /reports
 *
 * Each group is an encapsulated plugin: a hook it adds applies to its routes only, while what
 * the root holds reaches all of them. Access control is at the root on purpose: one table of
 * rules (access/route-rules.ts) covers every group, and a group without rules cannot be built.
 */
export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const { config, inventory } = deps;
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: config.http.bodyLimitBytes,
    // Per-request logs at these rates would cost more than the requests; metrics cover them.
    logController: new LogController({ disableRequestLogging: true }),
    // No child logger per request (pino builds one with its bindings serialised, on every
    // request): the few lines a request logs name its id themselves (error-handler.ts).
    childLoggerFactory: (logger) => logger,
    // The same options as the Kafka command topic's validator: one contract, two transports.
    ajv: { customOptions: { ...requestValidationOptions } },
  });
  await app.register(errorHandling);
  await app.register(requestMetrics, { registry: deps.metrics });
  await app.register(accessControl, { access: config.access });
  await app.register(openApi);
  await app.register(asyncApiRoutes);
  await app.register(operationsRoutes, {
    metrics: deps.metrics,
    engineState: () => deps.engine.state,
    components: deps.components ?? (() => ({})),
  });
  await app.register(inventoryRoutes, { prefix: '/inventory', inventory });
  await app.register(stockRoutes, {
    prefix: '/inventory',
    inventory,
    bulkItemsMax: config.http.bulkItemsMax,
  });
  await app.register(reservationRoutes, {
    inventory,
    defaultTtlSeconds: config.defaultTtlSeconds,
    bulkItemsMax: config.http.bulkItemsMax,
  });
  await app.register(orderRoutes, {
    prefix: '/orders',
    inventory,
    linesMax: config.orders.linesMax,
    defaultTtlSeconds: config.defaultTtlSeconds,
  });
  for (const plugin of deps.plugins ?? []) await plugin(app);
  await app.ready();
  return app;
}

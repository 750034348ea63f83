import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Config } from '../../config/config.ts';
import type { Engine } from '../../engine/engine.ts';
import { installErrorHandling } from './error-handler.ts';
import { observeRequests } from './observe-requests.ts';
import { registerOpenApi } from './openapi.ts';
import { inventoryHistoryRoutes } from './routes/inventory-history.ts';
import { inventoryLevelsRoutes } from './routes/inventory-levels.ts';
import { operationsRoutes } from './routes/operations.ts';
import { reservationRoutes } from './routes/reservations.ts';
import { stockRoutes } from './routes/stock.ts';

export interface AppDependencies {
  readonly engine: Engine;
  readonly config: Config;
  readonly metrics: Registry;
  readonly logger: Logger;
  /** Extra readiness condition (e.g. components started); the engine's own state is checked too. */
  readonly ready: () => boolean;
  /** Routes of optional components (reports when PostgreSQL is configured). */
  readonly plugins?: readonly ((app: FastifyInstance) => Promise<void> | void)[];
}

/** Builds the HTTP application without listening, so tests can `inject` into it. */
export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: deps.config.http.bodyLimitBytes,
    // Per-request logs at these rates would cost more than the requests; metrics cover them.
    logController: new LogController({ disableRequestLogging: true }),
    ajv: {
      customOptions: {
        // Unknown fields and wrong types are errors (400), never silently dropped or coerced.
        removeAdditional: false,
        coerceTypes: false,
        allErrors: true,
      },
    },
  });
  installErrorHandling(app);
  observeRequests(app, deps.metrics);
  await registerOpenApi(app);
  operationsRoutes(app, deps);
  const { engine, config } = deps;
  inventoryLevelsRoutes(app, engine);
  inventoryHistoryRoutes(app, engine);
  stockRoutes(app, { engine, bulkItemsMax: config.http.bulkItemsMax });
  reservationRoutes(app, { engine, defaultTtlSeconds: config.defaultTtlSeconds });
  for (const plugin of deps.plugins ?? []) await plugin(app);
  await app.ready();
  return app;
}

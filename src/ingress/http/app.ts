import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Config } from '../../config.ts';
import type { Engine } from '../../engine/engine.ts';
import { installErrorHandling } from './error-handler.ts';
import { registerOpenApi } from './openapi.ts';
import { operationsRoutes } from './routes/operations.ts';

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
  });
  installErrorHandling(app);
  await registerOpenApi(app);
  operationsRoutes(app, deps);
  for (const plugin of deps.plugins ?? []) await plugin(app);
  await app.ready();
  return app;
}

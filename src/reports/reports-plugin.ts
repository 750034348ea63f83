import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Pool } from 'pg';
import { migrate } from '../postgres/migrator.ts';
import { isRetriable } from '../postgres/retry-policy.ts';
import { levelsRoute } from './levels-route.ts';
import { movementsRoute } from './movements-route.ts';
import { timelineRoute } from './timeline-route.ts';

export interface ReportsDependencies {
  /** A pool on the reporting database (see postgres/pool.ts); the caller ends it. */
  readonly pool: Pool;
  /** Apply pending migrations first (default true); idempotent, under the migration lock. */
  readonly migrate?: boolean;
}

/**
 * The report routes, a plugin of their own: register it with `{ prefix: '/reports' }`. Setting
 * up applies the reporting schema's migrations. A reporting database that is away must not keep
 * stockd from serving inventory: the routes then answer 503 until it is back (and the projector,
 * which retries, has migrated it). A migration that fails on a working database is a bug: the
 * start fails.
 */
export const reportsRoutes: FastifyPluginAsync<ReportsDependencies> = async (scope, deps) => {
  if (deps.migrate !== false) {
    try {
      await migrate(deps.pool);
    } catch (error) {
      if (!isRetriable(error)) throw error;
      scope.log.warn({ err: error }, 'reporting database unavailable: reports answer 503 for now');
    }
  }
  levelsRoute(scope, deps.pool);
  timelineRoute(scope, deps.pool);
  movementsRoute(scope, deps.pool);
};

/** The reports as one of buildApp's optional route groups: their plugin under /reports. */
export function reportsPlugin(deps: ReportsDependencies): (app: FastifyInstance) => Promise<void> {
  return async (app) => {
    await app.register(reportsRoutes, { prefix: '/reports', ...deps });
  };
}

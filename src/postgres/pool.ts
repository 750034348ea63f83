import pg from 'pg';
import type { Logger } from 'pino';

export interface ProjectionPoolSettings {
  readonly connectionsMax: number;
  readonly statementTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly applicationName: string;
}

/**
 * A bounded pool whose every wait is bounded too: a connect that hangs, a statement that
 * hangs, a socket that silently died (keepalive). An idle client whose server went away emits
 * 'error' on the pool; unhandled, that would crash the process, so it is logged: the next
 * checkout gets a fresh connection.
 */
export function createProjectionPool(
  databaseUrl: string,
  settings: ProjectionPoolSettings,
  logger: Logger,
): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: settings.connectionsMax,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    statement_timeout: settings.statementTimeoutMs,
    query_timeout: settings.statementTimeoutMs + 5_000,
    keepAlive: true,
    application_name: settings.applicationName,
  });
  pool.on('error', (error) => {
    logger.warn({ err: error }, 'an idle PostgreSQL connection failed; it was dropped');
  });
  return pool;
}

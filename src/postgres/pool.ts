import pg from 'pg';
import type { Logger } from 'pino';
import type { PoolSettings } from '../config/schema.ts';

/**
 * The one PostgreSQL pool stockd makes, once per use (the projector's, the reports'), each with
 * its own settings and application name (what pg_stat_activity shows). It is bounded, and so
 * is its every wait: a connect that hangs, a statement that hangs (cancelled by the server), an
 * answer that never comes (given up by the client), a socket that silently died (keepalive).
 * An idle client whose server went away emits 'error' on the pool; unhandled, that would crash
 * the process, so it is logged: the next checkout gets a fresh connection.
 */
export function createPool(
  databaseUrl: string,
  settings: PoolSettings & { readonly applicationName: string },
  logger: Logger,
): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: settings.connectionsMax,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    idleTimeoutMillis: settings.idleTimeoutMs,
    statement_timeout: settings.statementTimeoutMs,
    query_timeout: settings.queryTimeoutMs,
    keepAlive: true,
    application_name: settings.applicationName,
  });
  pool.on('error', (error) => {
    logger.warn(
      { err: error, applicationName: settings.applicationName },
      'an idle PostgreSQL connection failed; it was dropped',
    );
  });
  return pool;
}

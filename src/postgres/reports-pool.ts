import pg from 'pg';
import type { Logger } from 'pino';

export interface ReportsPoolSettings {
  /** Concurrent report queries (connections). */
  readonly connectionsMax: number;
  /** Longest a report query may run (milliseconds); PostgreSQL cancels it then. */
  readonly statementTimeoutMs: number;
  /** Longest wait for a connection (milliseconds): beyond it the request gets 503. */
  readonly connectTimeoutMs: number;
}

/** Bounds of the reports' connection pool. */
export const reportsPoolDefaults: ReportsPoolSettings = Object.freeze({
  connectionsMax: 4,
  statementTimeoutMs: 10_000,
  connectTimeoutMs: 3_000,
});

/**
 * The pool report routes query through: small, and every wait bounded, so slow reports cannot
 * pile up behind a busy database. An idle connection that dies emits 'error' on the pool,
 * which must be handled or the process would crash.
 */
export function createReportsPool(
  databaseUrl: string,
  logger: Logger,
  settings: Partial<ReportsPoolSettings> = {},
): pg.Pool {
  const { connectionsMax, statementTimeoutMs, connectTimeoutMs } = {
    ...reportsPoolDefaults,
    ...settings,
  };
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: connectionsMax,
    connectionTimeoutMillis: connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    statement_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs + 2_000,
    keepAlive: true,
    application_name: 'stockd-reports',
  });
  pool.on('error', (error) => logger.warn({ err: error }, 'an idle reports connection failed'));
  return pool;
}

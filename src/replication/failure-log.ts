import type { Logger } from 'pino';
import type { ReplicationLag } from './lag.ts';

/** The first failure is logged at once; while it lasts, one line per interval. */
export function rateLimitedFailureLog(
  logger: Logger,
  intervalMs: number,
  lag: () => ReplicationLag,
) {
  let loggedAtMs = Number.NEGATIVE_INFINITY;
  return {
    failed(error: unknown, failures: number): void {
      const nowMs = Date.now();
      if (failures > 1 && nowMs - loggedAtMs < intervalMs) return;
      loggedAtMs = nowMs;
      logger.warn(
        { err: error, failures, lagEvents: lag().totalEvents },
        'cannot publish events to Kafka; retrying with backoff (commands are still taken)',
      );
    },
    recovered(failures: number): void {
      loggedAtMs = Number.NEGATIVE_INFINITY;
      logger.info({ failures, lagEvents: lag().totalEvents }, 'publishing events to Kafka again');
    },
  };
}

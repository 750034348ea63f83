import { Kafka, type LogEntry, logLevel, type RetryOptions } from 'kafkajs';
import type { Logger } from 'pino';
import type { KafkaConfig } from '../config/config.ts';

/**
 * kafkajs's own retry, for every request of every client stockd creates: capped and jittered
 * exponential backoff (300 ms, ~600 ms, … up to 10 s, 5 retries: ~20 s before an operation
 * fails). Components retry beyond that themselves (the relay with its own backoff, the consumer
 * by kafkajs's restart), so one failed operation never waits long.
 */
export const kafkaRetry: Readonly<Required<Omit<RetryOptions, 'restartOnFailure'>>> = Object.freeze(
  {
    /** First wait (milliseconds). */
    initialRetryTime: 300,
    /** Longest wait between two attempts (milliseconds). */
    maxRetryTime: 10_000,
    /** Retries after the first attempt. */
    retries: 5,
    /** Each wait is randomized by ± this fraction. */
    factor: 0.2,
    /** Each wait is this many times the previous one. */
    multiplier: 2,
  },
);

export const kafkaClientDefaults = Object.freeze({
  /** Time to open a TCP connection to a broker (milliseconds). */
  connectionTimeoutMs: 3_000,
  /** Time a broker has to answer one request (milliseconds). */
  requestTimeoutMs: 30_000,
});

/** One kafkajs client per process; its producers, consumer and admin share the metadata. */
export function createKafkaClient(config: KafkaConfig, logger: Logger): Kafka {
  return new Kafka({
    clientId: config.clientId,
    brokers: [...config.brokers],
    connectionTimeout: kafkaClientDefaults.connectionTimeoutMs,
    requestTimeout: kafkaClientDefaults.requestTimeoutMs,
    retry: { ...kafkaRetry },
    logLevel: logLevel.INFO,
    logCreator: () => logKafkaEntry(logger.child({ component: 'kafkajs' })),
  });
}

/**
 * kafkajs logs every failed attempt at ERROR, so an unreachable broker would flood the log with
 * errors that stockd handles: they go out as warnings, and stockd's components log the outcome
 * (rate-limited) themselves. kafkajs's INFO lines (joins, assignments) go to debug.
 */
function logKafkaEntry(logger: Logger): (entry: LogEntry) => void {
  return ({ namespace, level, log }) => {
    const { message, timestamp: _timestamp, logger: _logger, ...details } = log;
    if (level <= logLevel.WARN) {
      if (isExpectedWarning(message)) return;
      logger.warn({ namespace, ...details }, message);
    } else if (level === logLevel.INFO) {
      logger.debug({ namespace, ...details }, message);
    } else {
      logger.trace({ namespace, ...details }, message);
    }
  };
}

/**
 * Warnings about choices made on purpose. The relay bounds an idempotent producer's retries so
 * that stop() never waits forever, and after a failed send it replaces the producer, which is
 * what keeps the per-partition order that kafkajs warns about.
 */
function isExpectedWarning(message: string): boolean {
  return message.startsWith('Limiting retries for the idempotent producer');
}

// Before kafkajs itself loads (producer-grouping-fix.ts), and before any client exists: every
// thread that makes one makes it through this module.
import './encoder-allocation-fix.ts';
import './fetch-record-decoder.ts';
import './producer-grouping-fix.ts';
import './record-crc32c.ts';
// After the encoder: it frames requests with it.
import './request-framing-fix.ts';
// After the CRC-32C and the encoder: it loads kafkajs's produce request, which takes both.
import './produce-request-writer.ts';
import './request-queue-idle-fix.ts';
import { Kafka, type LogEntry, logLevel, type RetryOptions } from 'kafkajs';
import type { Logger } from 'pino';
import type { KafkaConfig, KafkaRetrySettings } from '../config/schema.ts';

/** kafkajs's values reach stockd's modules through here, after the fixes above. */
export { Partitioners } from 'kafkajs';

/**
 * kafkajs's own retry, for every request of every client, producer and consumer stockd creates:
 * capped and jittered exponential backoff (by default 300 ms, ~600 ms, … up to 10 s, 5 retries:
 * ~20 s before an operation fails). Components retry beyond that themselves (the relay with its
 * own backoff, the consumers by kafkajs's restart), so one failed operation never waits long.
 * Producers and consumers are given it explicitly: kafkajs's consumer would otherwise replace
 * the client's number of retries with its own default.
 */
export function kafkajsRetry(retry: KafkaRetrySettings): RetryOptions {
  return {
    initialRetryTime: retry.initialMs,
    maxRetryTime: retry.maxMs,
    retries: retry.retriesMax,
    // The shape of the backoff rather than a tunable: each wait twice the previous, ± 20 %.
    factor: 0.2,
    multiplier: 2,
  };
}

/**
 * The one way stockd makes a kafkajs client: with the configured timeouts and retry, and its
 * log lines through stockd's logger. Its producers, consumers and admin share the metadata.
 */
export function createKafkaClient(
  config: Pick<KafkaConfig, 'brokers' | 'clientId' | 'client'>,
  logger: Logger,
): Kafka {
  return new Kafka({
    clientId: config.clientId,
    brokers: [...config.brokers],
    connectionTimeout: config.client.connectionTimeoutMs,
    requestTimeout: config.client.requestTimeoutMs,
    retry: kafkajsRetry(config.client.retry),
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

import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { type Config, ConfigError } from '../config/config.ts';
import type { ProjectorSettings } from '../config/schema.ts';
import { createKafkaClient } from '../kafka/kafka-client.ts';
import { migrate } from '../postgres/migrator.ts';
import { createPool } from '../postgres/pool.ts';
import { retryWhileRetriable } from '../postgres/retry.ts';
import { createProjectionMetrics } from '../projection/projection-metrics.ts';
import { createProjector, type Projector } from '../projection/projector.ts';
import type { ProjectorState } from '../projection/projector-state.ts';

export interface ProjectionOptions {
  /** Registry for the projection's metrics (stockd's own when it runs inside `serve`). */
  readonly metrics?: Registry;
  /** Default: `<STOCKD_KAFKA_GROUP>-projector`. */
  readonly groupId?: string;
  /** Default: the configured events topic. */
  readonly topic?: string;
}

/** A running projection: the projector plus its own pool and Kafka client. */
export interface Projection {
  readonly state: ProjectorState;
  readonly metrics: Registry;
  /** Resolves once migrations are applied and the consumer consumes. */
  readonly ready: Promise<void>;
  /** Resolves when stopped; rejects with the error that stopped it otherwise. */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the projection in the background and returns at once: migrations (retried while
 * PostgreSQL is away), then the consumer. For `serve`, which must not wait for PostgreSQL.
 */
export function startProjection(
  config: Config,
  logger: Logger,
  options: ProjectionOptions = {},
): Projection {
  if (config.databaseUrl === undefined || config.kafka === undefined) {
    throw new ConfigError(['the projector needs both DATABASE_URL and KAFKA_BROKERS']);
  }
  const settings = config.projector;
  const log = logger.child({ component: 'projection' });
  const pool = createPool(
    config.databaseUrl,
    { ...config.projectorPool, applicationName: 'stockd-projector' },
    log,
  );
  const kafka = createKafkaClient(
    { ...config.kafka, clientId: `${config.kafka.clientId}-projector` },
    log,
  );
  const metrics = options.metrics ?? new Registry();
  const projector = createProjector({
    kafka,
    pool,
    topic: options.topic ?? config.kafka.topics.events,
    groupId: options.groupId ?? `${config.kafka.consumerGroup}-projector`,
    logger: log,
    metrics: createProjectionMetrics(metrics),
    options: settings,
    retry: config.kafka.client.retry,
  });
  const stopping = new AbortController();
  const ready = migrateThenStart(pool, projector, settings, log, stopping.signal);
  ready.catch(() => {});
  const done = ready.then(
    () => projector.done,
    (error: unknown) => (stopping.signal.aborted ? undefined : Promise.reject(error)),
  );
  done.catch(() => {});

  let stopped: Promise<void> | undefined;
  return {
    get state() {
      return projector.state;
    },
    metrics,
    ready,
    done,
    stop() {
      stopped ??= (async () => {
        stopping.abort();
        await projector.stop().catch(() => {});
        await ready.catch(() => {});
        await pool.end();
      })();
      return stopped;
    },
  };
}

/** Migrations first, retried while PostgreSQL is away (until stopped), then the consumer. */
async function migrateThenStart(
  pool: Pool,
  projector: Projector,
  settings: ProjectorSettings,
  log: Logger,
  stopped: AbortSignal,
): Promise<void> {
  const migrated = await retryWhileRetriable(() => migrate(pool), settings.backoff, {
    shouldContinue: () => !stopped.aborted,
    // Cut short by stop(); the loop then sees it should not continue.
    wait: (ms) => sleep(ms, undefined, { signal: stopped }).catch(() => {}),
    onRetry: (error, attempt, waitMs) =>
      log.warn({ err: error, attempt, waitMs }, 'PostgreSQL unavailable; retrying migrations'),
  });
  if (!migrated.done) throw new Error('the projection was stopped before it started');
  const { applied, unknown } = migrated.value;
  if (applied.length > 0) log.info({ applied }, 'reporting schema migrated');
  if (unknown.length > 0) {
    log.warn({ unknown }, 'the reporting schema has migrations this stockd does not know');
  }
  await projector.start();
}

/** `stockd project`: the projection on its own, once it consumes. */
export async function runProjector(
  config: Config,
  logger: Logger,
  options: ProjectionOptions = {},
): Promise<Projection> {
  const projection = startProjection(config, logger, options);
  try {
    await projection.ready;
  } catch (error) {
    await projection.stop();
    throw error;
  }
  return projection;
}

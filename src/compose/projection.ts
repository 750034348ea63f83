import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { type Config, ConfigError } from '../config/config.ts';
import { createKafkaClient } from '../kafka/kafka-client.ts';
import type { ComponentState } from '../lifecycle/lifecycle.ts';
import type { ComponentStatus } from '../lifecycle/readiness.ts';
import { migrate } from '../postgres/migrator.ts';
import { createPool } from '../postgres/pool.ts';
import { startLagMonitor } from '../projection/lag-monitor.ts';
import { createProjectionMetrics } from '../projection/projection-metrics.ts';
import { createProjector } from '../projection/projector.ts';
import { delay } from '../retry/interruptible-sleep.ts';

export interface ProjectionOptions {
  /** Registry for the projection's metrics (stockd's own when it runs inside `serve`). */
  readonly metrics?: Registry;
  /** Default: `<STOCKD_KAFKA_GROUP>-projector`. */
  readonly groupId?: string;
  /** Default: the configured events topic. */
  readonly topic?: string;
  /** Default Date.now. Inside `serve`, the engine's clock: event times are on it. */
  readonly nowMs?: () => number;
  /** How often periods' ends are looked for (milliseconds); default 1 s. */
  readonly snapshotCheckIntervalMs?: number;
}

/** Longest stop() waits for a start step in flight (milliseconds). */
const startWaitMsMax = 5_000;

/** A running projection: the projector plus its own pool, Kafka client and lag monitor. */
export interface Projection {
  readonly state: ComponentState;
  /** Lifecycle and lag, for readiness. */
  status(): ComponentStatus;
  readonly metrics: Registry;
  /** Resolves once migrations are applied and the consumer joined; rejects if stopped before. */
  readonly ready: Promise<void>;
  /** Resolves when stopped; rejects with the error that stopped it otherwise. */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the projection in the background and returns at once: migrations, then the consumer,
 * each retried for as long as PostgreSQL or Kafka is away (until stopped). For `serve`, which
 * must not wait for either.
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
  const projectionMetrics = createProjectionMetrics(metrics, options.nowMs);
  const topic = options.topic ?? config.kafka.topics.events;
  const groupId = options.groupId ?? `${config.kafka.consumerGroup}-projector`;
  const projector = createProjector({
    kafka,
    pool,
    topic,
    groupId,
    logger: log,
    metrics: projectionMetrics,
    options: settings,
    retry: config.kafka.client.retry,
    prepare: () => migrateReportingSchema(pool, log),
    ...(options.nowMs !== undefined && { nowMs: options.nowMs }),
    ...(options.snapshotCheckIntervalMs !== undefined && {
      snapshotCheckIntervalMs: options.snapshotCheckIntervalMs,
    }),
  });
  const lagMonitor = startLagMonitor({
    kafka,
    topic,
    groupId,
    lag: projectionMetrics,
    logger: log,
    intervalMs: settings.lagPollMs,
  });
  const starting = projector.start();
  starting.catch(() => {}); // the projector fails, and done and readiness say so

  let stopped: Promise<void> | undefined;
  return {
    get state() {
      return projector.state;
    },
    status: () => projector.status(),
    metrics,
    ready: projector.running,
    done: projector.done,
    stop() {
      stopped ??= (async () => {
        await projector.stop().catch(() => {});
        await lagMonitor.stop();
        // A start step in flight (a connect to a broker that is away) ends by itself.
        await Promise.race([starting.catch(() => {}), delay(startWaitMsMax)]);
        await pool.end();
      })();
      return stopped;
    },
  };
}

/** Applies the reporting schema's pending migrations (retried by the projector while away). */
async function migrateReportingSchema(pool: Pool, log: Logger): Promise<void> {
  const { applied, unknown } = await migrate(pool);
  if (applied.length > 0) log.info({ applied }, 'reporting schema migrated');
  if (unknown.length > 0) {
    log.warn({ unknown }, 'the reporting schema has migrations this stockd does not know');
  }
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

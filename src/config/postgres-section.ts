import { projectorDefaults, projectorPoolDefaults, reportsPoolDefaults } from './defaults.ts';
import type { EnvReader } from './env-reader.ts';
import { type PoolSettings, type ProjectorSettings, snapshotPeriods } from './schema.ts';

const secondMs = 1_000;
const hourMs = 3_600_000;
const mebibyte = 1_048_576;

export function readProjector(read: EnvReader): ProjectorSettings {
  const defaults = projectorDefaults;
  return {
    batchEventsMax: read.integer(
      'STOCKD_PROJECTOR_BATCH_EVENTS_MAX',
      defaults.batchEventsMax,
      1,
      100_000,
    ),
    partitionsConcurrently: read.integer(
      'STOCKD_PROJECTOR_PARTITIONS_CONCURRENTLY',
      defaults.partitionsConcurrently,
      1,
      64,
    ),
    fetchBytesPerPartitionMax: read.integer(
      'STOCKD_PROJECTOR_FETCH_BYTES_PER_PARTITION_MAX',
      defaults.fetchBytesPerPartitionMax,
      1_024,
      64 * mebibyte,
    ),
    fetchWaitMsMax: read.integer(
      'STOCKD_PROJECTOR_FETCH_WAIT_MS_MAX',
      defaults.fetchWaitMsMax,
      1,
      60 * secondMs,
    ),
    sessionTimeoutMs: read.integer(
      'STOCKD_PROJECTOR_SESSION_TIMEOUT_MS',
      defaults.sessionTimeoutMs,
      secondMs,
      hourMs,
    ),
    heartbeatIntervalMs: read.integer(
      'STOCKD_PROJECTOR_HEARTBEAT_INTERVAL_MS',
      defaults.heartbeatIntervalMs,
      100,
      hourMs,
    ),
    heartbeatWhileWaitingMs: read.integer(
      'STOCKD_PROJECTOR_HEARTBEAT_WHILE_WAITING_MS',
      defaults.heartbeatWhileWaitingMs,
      10,
      hourMs,
    ),
    backoff: {
      initialMs: read.integer(
        'STOCKD_PROJECTOR_RETRY_INITIAL_MS',
        defaults.backoff.initialMs,
        1,
        hourMs,
      ),
      maxMs: read.integer('STOCKD_PROJECTOR_RETRY_MAX_MS', defaults.backoff.maxMs, 1, hourMs),
    },
    lagPollMs: read.integer('STOCKD_PROJECTOR_LAG_POLL_MS', defaults.lagPollMs, 10, hourMs),
    snapshotPeriod: read.oneOf('STOCKD_SNAPSHOT_PERIOD', defaults.snapshotPeriod, snapshotPeriods),
  };
}

/** By default one connection per partition projected at once, plus the spare ones. */
export function readProjectorPool(read: EnvReader, partitionsConcurrently: number): PoolSettings {
  const { spareConnections, ...defaults } = projectorPoolDefaults;
  return readPool(read, 'STOCKD_PROJECTOR', {
    connectionsMax: partitionsConcurrently + spareConnections,
    ...defaults,
  });
}

export function readReportsPool(read: EnvReader): PoolSettings {
  return readPool(read, 'STOCKD_REPORTS', reportsPoolDefaults);
}

function readPool(read: EnvReader, prefix: string, defaults: PoolSettings): PoolSettings {
  return {
    connectionsMax: read.integer(`${prefix}_CONNECTIONS_MAX`, defaults.connectionsMax, 1, 1_000),
    connectTimeoutMs: read.integer(
      `${prefix}_CONNECT_TIMEOUT_MS`,
      defaults.connectTimeoutMs,
      100,
      10 * 60 * secondMs,
    ),
    statementTimeoutMs: read.integer(
      `${prefix}_STATEMENT_TIMEOUT_MS`,
      defaults.statementTimeoutMs,
      secondMs,
      24 * hourMs,
    ),
    queryTimeoutMs: read.integer(
      `${prefix}_QUERY_TIMEOUT_MS`,
      defaults.queryTimeoutMs,
      secondMs,
      24 * hourMs,
    ),
    idleTimeoutMs: read.integer(
      `${prefix}_IDLE_TIMEOUT_MS`,
      defaults.idleTimeoutMs,
      secondMs,
      24 * hourMs,
    ),
  };
}

import { engineDefaults } from './defaults.ts';
import type { EnvReader } from './env-reader.ts';
import type { EngineSettings } from './schema.ts';

const secondMs = 1_000;
const hourMs = 3_600_000;

/** The engine's section: batching and queue bounds, and the workers' housekeeping. */
export function readEngine(read: EnvReader): EngineSettings {
  const housekeeping = engineDefaults.housekeeping;
  return {
    batchRequestsMax: read.integer('STOCKD_BATCH_MAX', engineDefaults.batchRequestsMax, 1, 65_536),
    inFlightBatchesMax: read.integer(
      'STOCKD_IN_FLIGHT_BATCHES_MAX',
      engineDefaults.inFlightBatchesMax,
      1,
      64,
    ),
    queuedRequestsMax: read.integer(
      'STOCKD_QUEUE_MAX',
      engineDefaults.queuedRequestsMax,
      1,
      10_000_000,
    ),
    snapshotEveryEvents: read.integer(
      'STOCKD_SNAPSHOT_EVERY_EVENTS',
      housekeeping.snapshotEveryEvents,
      1,
      Number.MAX_SAFE_INTEGER,
    ),
    snapshotIntervalMs:
      secondMs *
      read.integer(
        'STOCKD_SNAPSHOT_INTERVAL_SECONDS',
        housekeeping.snapshotIntervalMs / secondMs,
        1,
        86_400,
      ),
    reservationRetentionMs:
      hourMs *
      read.integer(
        'STOCKD_RESERVATION_RETENTION_HOURS',
        housekeeping.reservationRetentionMs / hourMs,
        1,
        24 * 365,
      ),
    logRetentionMs:
      hourMs *
      read.integer(
        'STOCKD_LOG_RETENTION_HOURS',
        housekeeping.logRetentionMs / hourMs,
        0,
        24 * 3650,
      ),
    recentCommandsMax: read.integer(
      'STOCKD_RECENT_COMMANDS_MAX',
      housekeeping.recentCommandsMax,
      0,
      10_000_000,
    ),
    expiryIntervalMs: read.integer(
      'STOCKD_EXPIRY_INTERVAL_MS',
      housekeeping.expiryIntervalMs,
      10,
      hourMs,
    ),
    expiryBatchMax: read.integer(
      'STOCKD_EXPIRY_BATCH_MAX',
      housekeeping.expiryBatchMax,
      1,
      10_000_000,
    ),
    settledReservationsMax: read.integer(
      'STOCKD_SETTLED_RESERVATIONS_MAX',
      housekeeping.settledReservationsMax,
      1,
      1_000_000_000,
    ),
    asyncCommitEventsMin: read.integer(
      'STOCKD_ASYNC_COMMIT_EVENTS_MIN',
      housekeeping.asyncCommitEventsMin,
      1,
      1_000_000,
    ),
    settledOrdersMax: read.integer(
      'STOCKD_SETTLED_ORDERS_MAX',
      housekeeping.settledOrdersMax,
      1,
      1_000_000_000,
    ),
    diskFreeFloorBytes: read.integer(
      'STOCKD_DISK_FREE_FLOOR_BYTES',
      engineDefaults.diskFreeFloorBytes,
      1,
      Number.MAX_SAFE_INTEGER,
    ),
    diskCheckIntervalMs: read.integer(
      'STOCKD_DISK_CHECK_INTERVAL_MS',
      engineDefaults.diskCheckIntervalMs,
      10,
      60_000,
    ),
    walCompactEveryRecords: read.integer(
      'STOCKD_WAL_COMPACT_EVERY_RECORDS',
      housekeeping.walCompactEveryRecords,
      1,
      65_536,
    ),
  };
}

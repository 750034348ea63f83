/**
 * Defaults of the engine's tunables, each with its unit. The configuration schema (config.ts)
 * reads its defaults from here, and so do engines built directly (tests, benchmarks).
 */
const hourMs = 3_600_000;

export const engineDefaults = Object.freeze({
  partitionCount: 64,
  batchRequestsMax: 1_024,
  inFlightBatchesMax: 4,
  queuedRequestsMax: 50_000,
  noSync: false,
  housekeeping: Object.freeze({
    expiryIntervalMs: 200,
    expiryBatchMax: 10_000,
    snapshotEveryEvents: 50_000,
    snapshotIntervalMs: 60_000,
    reservationRetentionMs: 24 * hourMs,
    settledReservationsMax: 5_000_000,
    logRetentionMs: 168 * hourMs,
    recentCommandsMax: 10_000,
    replicationEnabled: false,
  }),
});

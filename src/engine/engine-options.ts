import type { WorkerSettings } from '../actors/worker-settings.ts';
import type { WorkerQueueLimits } from './worker-queue.ts';

export type HousekeepingSettings = Omit<
  WorkerSettings,
  'dataDir' | 'workerIndex' | 'workerCount' | 'partitionCount' | 'noSync'
>;

export interface EngineOptions extends WorkerQueueLimits {
  readonly dataDir: string;
  readonly workerCount: number;
  /** Partitions of a new data directory; an existing one keeps its own count. */
  readonly partitionCount: number;
  readonly noSync: boolean;
  readonly housekeeping: HousekeepingSettings;
  /** Called when a worker fails in a way that leaves memory ahead of disk; must stop the process. */
  readonly onFatal: (error: unknown) => void;
}

const hourMs = 3_600_000;

/** Defaults, each with its unit. */
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
  } satisfies HousekeepingSettings),
});

export function engineOptions(
  overrides: Partial<Omit<EngineOptions, 'housekeeping'>> & {
    dataDir: string;
    housekeeping?: Partial<HousekeepingSettings>;
  },
): EngineOptions {
  return {
    workerCount: 1,
    onFatal: (error) => {
      console.error('stockd: fatal worker failure, stopping', error);
      process.exit(70);
    },
    ...engineDefaults,
    ...overrides,
    housekeeping: { ...engineDefaults.housekeeping, ...overrides.housekeeping },
  };
}

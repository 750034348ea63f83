import type { HousekeepingSettings } from '../../src/engine/engine-options.ts';
import type { Prng } from './prng.ts';
import type { Item } from './workload.ts';

/** The world one seed simulates: its shape is drawn from the seed too. */
export interface SimConfig {
  readonly partitionCount: number;
  readonly items: readonly Item[];
  /** Each life (start to crash or shutdown) runs 1 to this many workers: ownership moves. */
  readonly workersMax: number;
  readonly batchRequestsMax: number;
  readonly commandIdShare: number;
  /** Base chance of a crash at each crash point passed (faults.ts weighs it per point). */
  readonly crashChance: number;
  /**
   * Chance that a store write (a commit, a compaction, a snapshot, a truncation) fails instead of
   * landing, as on a full disk: the worker must refuse and reload, not crash.
   */
  readonly writeFailureChance: number;
  readonly housekeeping: HousekeepingSettings;
}

const secondMs = 1_000;
const minuteMs = 60 * secondMs;

/**
 * Small worlds with short horizons, so that a few hundred steps reach every mechanism: snapshots
 * after a few events, retention and log truncation within minutes, compaction every few
 * commits, settled reservations forgotten early when over a tiny cap, and in some worlds a
 * commandId window smaller than the run (redeliveries beyond it are new commands).
 */
export function configFor(random: Prng): SimConfig {
  const itemCount = random.int(3, 60);
  const world = {
    partitionCount: random.pick([1, 2, 3, 4, 8, 16]),
    items: Array.from({ length: itemCount }, (_, i) => ({
      sku: `SKU-${i}`,
      warehouseId: `WH-${i % 3}`,
    })),
    workersMax: random.int(1, 3),
    batchRequestsMax: random.int(1, 8),
    commandIdShare: 0.3,
    crashChance: random.pick([0.002, 0.006, 0.02]),
    housekeeping: {
      expiryIntervalMs: 200,
      expiryBatchMax: random.int(1, 8),
      snapshotEveryEvents: random.int(3, 60),
      snapshotIntervalMs: random.int(5, 120) * secondMs,
      reservationRetentionMs: random.int(1, 10) * minuteMs,
      settledReservationsMax: random.pick([2, 20, 1_000_000]),
      logRetentionMs: random.pick([0, 30 * secondMs, 10 * minuteMs]),
      recentCommandsMax: random.pick([5, 10_000]),
      walCompactEveryRecords: random.int(1, 8),
      // Every commit in the worker's own thread: the simulator steps through synchronous commits
      // (a commit on LMDB's write thread is not simulated yet).
      asyncCommitEventsMin: Number.MAX_SAFE_INTEGER,
      settledOrdersMax: 1_000_000,
      replicationEnabled: random.chance(0.5),
    },
  };
  // Drawn last, so that every other part of a seed's world is what it was before failures.
  return { ...world, writeFailureChance: random.pick([0, 0, 0.01, 0.05]) };
}

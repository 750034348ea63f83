import { engineDefaults } from '../config/defaults.ts';
import { type Clock, systemClock } from '../worker-protocol/clock.ts';
import type { WorkerSettings } from '../worker-protocol/worker-settings.ts';
import type { WorkerQueueLimits } from './worker-queue.ts';

export type HousekeepingSettings = Omit<
  WorkerSettings,
  | 'dataDir'
  | 'workerIndex'
  | 'workerCount'
  | 'partitionCount'
  | 'noSync'
  | 'sharedClock'
  | 'writeGate'
>;

export interface EngineOptions extends WorkerQueueLimits {
  readonly dataDir: string;
  readonly workerCount: number;
  /** Partitions of a new data directory; an existing one keeps its own count. */
  readonly partitionCount: number;
  readonly noSync: boolean;
  readonly housekeeping: HousekeepingSettings;
  /**
   * The time of the engine and all its workers. A manual clock (tests) also stops housekeeping
   * timers: it runs on `engine.runHousekeeping()`.
   */
  readonly clock: Clock;
  /**
   * Writes are refused with STORAGE_FULL while the data directory's filesystem has fewer free
   * bytes (0: never — only for tests that make a real write fail).
   */
  readonly diskFreeFloorBytes: number;
  /** How often the free space is read besides after commits (ms). */
  readonly diskCheckIntervalMs: number;
  /** Called when a worker fails in a way that leaves memory ahead of disk; must stop the process. */
  readonly onFatal: (error: unknown) => void;
}

/** Housekeeping defaults, checked here against the worker's settings type. */
const housekeepingDefaults: HousekeepingSettings = engineDefaults.housekeeping;

export function engineOptions(
  overrides: Partial<Omit<EngineOptions, 'housekeeping'>> & {
    dataDir: string;
    housekeeping?: Partial<HousekeepingSettings>;
  },
): EngineOptions {
  return {
    workerCount: 1,
    clock: systemClock(),
    onFatal: (error) => {
      console.error('stockd: fatal worker failure, stopping', error);
      process.exit(70);
    },
    ...engineDefaults,
    ...overrides,
    housekeeping: { ...housekeepingDefaults, ...overrides.housekeeping },
  };
}

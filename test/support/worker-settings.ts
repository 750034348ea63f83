import { engineDefaults } from '../../src/config/defaults.ts';
import type { WorkerSettings } from '../../src/worker-protocol/worker-settings.ts';

/** One worker owning every partition of `dataDir`: housekeeping defaults, no fsync, system clock. */
export function loneWorkerSettings(dataDir: string, partitionCount: number): WorkerSettings {
  return {
    ...engineDefaults.housekeeping,
    dataDir,
    workerIndex: 0,
    workerCount: 1,
    partitionCount,
    noSync: true,
    sharedClock: undefined,
  };
}

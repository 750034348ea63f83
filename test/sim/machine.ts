import type { PartitionActor } from '../../src/actors/partition-actor.ts';
import { recoverPartition } from '../../src/actors/recovery.ts';
import { type SnapshotMark, WorkerRuntime } from '../../src/actors/worker-runtime.ts';
import type { Store } from '../../src/checkpoint/store.ts';
import { compactLeftoverWal } from '../../src/checkpoint/wal-compaction.ts';
import { partitionsOfWorker } from '../../src/partitioner/ownership.ts';
import type { EngineRequest } from '../../src/worker-protocol/requests.ts';
import type { EngineResult } from '../../src/worker-protocol/results.ts';
import type { WorkerSettings } from '../../src/worker-protocol/worker-settings.ts';
import { CrashingLogWriter } from './crashing-log-writer.ts';
import type { FaultInjector } from './faults.ts';
import type { SimConfig } from './sim-config.ts';
import type { SimDisk } from './sim-disk.ts';

/** A batch a worker decided and has not answered yet. */
export interface DecidedBatch {
  readonly requests: EngineRequest[];
  readonly partitions: number[];
  results: EngineResult[];
  /** Its number in the runtime's count of decided batches (WorkerRuntime.isDurable). */
  number: number;
}

export interface SimWorker {
  readonly index: number;
  readonly runtime: WorkerRuntime;
  /** Decided, maybe committed, not answered: what a crash leaves without a reply. */
  decided: DecidedBatch[];
  /** Housekeeping started and not finished (it waits for the disk). */
  operations: number;
}

/** One life of the simulated machine: from a start to a crash or a clean shutdown. */
export interface Machine {
  readonly disk: SimDisk;
  readonly workers: readonly SimWorker[];
  readonly actors: ReadonlyMap<number, PartitionActor>;
  /** The relay's published position per partition, as it keeps it in memory. */
  readonly published: Map<number, number>;
}

export interface MachineParts {
  readonly config: SimConfig;
  readonly dataDir: string;
  readonly disk: SimDisk;
  readonly faults: FaultInjector;
  readonly workerCount: number;
  readonly clock: () => number;
  /** Called with every actor recovered, before it serves. */
  readonly onActor: (actor: PartitionActor) => void;
}

/**
 * Start-up as the engine and its worker threads do it (engine/engine.ts `startEngine`,
 * actors/worker.ts `start`), on one thread: compact what the last life left in the write-ahead
 * space, recover every partition (newest snapshot, then log replay) on the worker that owns it
 * now, and build each worker's runtime. Crash points: the start-up compaction's write and after
 * each partition recovered.
 */
export function startMachine(parts: MachineParts): Machine {
  const { config, disk, faults, workerCount } = parts;
  const store: Store = disk.store;
  compactLeftoverWal(store);
  const actors = new Map<number, PartitionActor>();
  const workers = Array.from({ length: workerCount }, (_, index): SimWorker => {
    const settings: WorkerSettings = {
      ...config.housekeeping,
      dataDir: parts.dataDir,
      workerIndex: index,
      workerCount,
      partitionCount: config.partitionCount,
      noSync: true,
      sharedClock: undefined,
    };
    const owned: PartitionActor[] = [];
    const snapshots = new Map<number, SnapshotMark>();
    for (const partition of partitionsOfWorker(index, workerCount, config.partitionCount)) {
      const recovered = recoverPartition(store, partition, settings);
      faults.point('recovering');
      parts.onActor(recovered.actor);
      actors.set(partition, recovered.actor);
      owned.push(recovered.actor);
      snapshots.set(partition, {
        seq: recovered.snapshotSeq,
        atMs: recovered.snapshotTakenAtMs ?? 0,
      });
    }
    const log = new CrashingLogWriter(
      store,
      {
        workerIndex: index,
        compactEveryRecords: settings.walCompactEveryRecords,
        asyncCommitEventsMin: settings.asyncCommitEventsMin,
      },
      faults,
    );
    const runtime = new WorkerRuntime({
      settings,
      store,
      log,
      actors: owned,
      snapshots,
      recovery: { durationMs: 0, replayedEvents: 0 },
      clock: parts.clock,
      // After a failed write: the reloaded actor replaces the one the checks look at.
      onReloaded: (actor) => {
        parts.onActor(actor);
        actors.set(actor.partition, actor);
      },
    });
    return { index, runtime, decided: [], operations: 0 };
  });
  return { disk, workers, actors, published: new Map() };
}

/**
 * Worker thread entry (a piscina module). Recovers the partitions this worker owns before the
 * first task is accepted — piscina awaits the default export — then serves tasks.
 */
// First: before msgpackr loads in this thread (flat-strings.ts).
import './flat-strings.ts';
import { workerData } from 'node:worker_threads';
import { damageOfLmdbError } from '../checkpoint/data-damage.ts';
import { LogWriter } from '../checkpoint/log-writer.ts';
import { openStore, type Store } from '../checkpoint/store.ts';
import { partitionsOfWorker } from '../partitioner/ownership.ts';
import { workerClock } from '../worker-protocol/clock.ts';
import type { WorkerReplies, WorkerTask } from '../worker-protocol/tasks.ts';
import type { WorkerSettings } from '../worker-protocol/worker-settings.ts';
import { serveBatches } from './batch-server.ts';
import { recoverPartition } from './recovery.ts';
import type { SnapshotMark } from './worker-runtime.ts';
import { WorkerRuntime } from './worker-runtime.ts';

async function start(settings: WorkerSettings) {
  const startedAt = performance.now();
  const store = openStore(settings.dataDir, { noSync: settings.noSync });
  const owned = partitionsOfWorker(
    settings.workerIndex,
    settings.workerCount,
    settings.partitionCount,
  );
  const snapshots = new Map<number, SnapshotMark>();
  let replayedEvents = 0;
  const actors = owned.map((partition) => {
    const recovered = recovering(store, () => recoverPartition(store, partition, settings));
    replayedEvents += recovered.replayedEvents;
    // A partition without one counts its interval from the runtime's start (worker-runtime.ts).
    if (recovered.snapshotTakenAtMs !== undefined) {
      snapshots.set(partition, { seq: recovered.snapshotSeq, atMs: recovered.snapshotTakenAtMs });
    }
    return recovered.actor;
  });
  const clock = workerClock(settings.sharedClock);
  const runtime = new WorkerRuntime({
    settings,
    store,
    log: new LogWriter(store, {
      workerIndex: settings.workerIndex,
      compactEveryRecords: settings.walCompactEveryRecords,
      asyncCommitEventsMin: settings.asyncCommitEventsMin,
    }),
    actors,
    snapshots,
    recovery: { durationMs: performance.now() - startedAt, replayedEvents },
    clock: clock.nowMs,
  });
  // Under a manual clock housekeeping waits to be asked for ('housekeeping' tasks).
  if (clock.shared === undefined) runtime.start();

  return async function handle(task: WorkerTask): Promise<unknown> {
    switch (task.kind) {
      case 'attach':
        serveBatches(task.port, runtime);
        return true satisfies WorkerReplies['attach'];
      case 'stats':
        if (task.collectGarbage) (globalThis as { gc?: () => void }).gc?.();
        return runtime.stats();
      case 'checkpoint':
        return runtime.checkpoint(true);
      case 'housekeeping':
        return runtime.runHousekeeping() satisfies Promise<WorkerReplies['housekeeping']>;
      case 'close': {
        const stats = await runtime.close(task.checkpoint);
        await store.close();
        return stats;
      }
    }
  };
}

/** Recovery reading a damaged page is the data directory's damage, said as such. */
function recovering<T>(store: Store, recover: () => T): T {
  try {
    return recover();
  } catch (error) {
    throw damageOfLmdbError(error, store.file) ?? error;
  }
}

export default start(workerData as WorkerSettings);

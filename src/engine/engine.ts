import { Piscina } from 'piscina';
import { damageOfLmdbError } from '../checkpoint/data-damage.ts';
import { DataDirError, storeFileOf } from '../checkpoint/data-dir.ts';
import { checkDataDir } from '../checkpoint/data-dir-check.ts';
import { lockDataDir } from '../checkpoint/data-dir-lock.ts';
import { openStore, type Store } from '../checkpoint/store.ts';
import { ensureStoreIdentity, type StoreIdentity } from '../checkpoint/store-identity.ts';
import { compactLeftoverWal } from '../checkpoint/wal-compaction.ts';
import { workerOfPartition } from '../partitioner/ownership.ts';
import type { Clock } from '../worker-protocol/clock.ts';
import { type EngineRequest, isReadRequest } from '../worker-protocol/requests.ts';
import type { EngineResult } from '../worker-protocol/results.ts';
import type { HousekeepingCounts, WorkerReplies, WorkerTask } from '../worker-protocol/tasks.ts';
import type { WorkerSettings } from '../worker-protocol/worker-settings.ts';
import type { WorkerStats } from '../worker-protocol/worker-stats.ts';
import { createWriteGate } from '../worker-protocol/write-gate.ts';
import { BatchPort } from './batch-port.ts';
import type { EngineOptions } from './engine-options.ts';
import { ResultGroup } from './result-group.ts';
import { partitionOfRequest } from './route.ts';
import { formatBytes, StorageGuard, type StorageStatus } from './storage-guard.ts';
import { validateRequest } from './validate-request.ts';
import { WorkerQueue } from './worker-queue.ts';

export type EngineState = 'running' | 'draining' | 'closed' | 'failed';

export interface EngineStats {
  readonly workers: readonly WorkerStats[];
  /** Requests waiting per worker, not yet sent. */
  readonly queueDepths: readonly number[];
  /** Requests refused per worker because its queue was full (answered OVERLOADED). */
  readonly overloadedRequests: readonly number[];
}

/**
 * The in-process API every ingress calls. `submit` validates, routes the request to the worker
 * that owns its partition and resolves once the decision is durable. It never throws for a
 * business outcome: refusals are results with a code.
 */
export interface Engine {
  readonly identity: StoreIdentity;
  readonly workerCount: number;
  readonly state: EngineState;
  /** The time every decision of this engine is made at (EngineOptions.clock). */
  readonly clock: Clock;
  /** Read access to the store (history and as-of queries); writes belong to the workers. */
  readonly store: Store;
  /** The data directory's space: whether writes are refused for the lack of it, and why. */
  readonly storage: StorageStatus;
  submit(request: EngineRequest): Promise<EngineResult>;
  /**
   * Many requests, one result each, in order. With `whenFull: 'wait'` (batch producers) a full
   * queue delays the call; with 'reject' (interactive callers) it answers OVERLOADED.
   */
  submitMany(
    requests: readonly EngineRequest[],
    options?: { whenFull: 'wait' | 'reject' },
  ): Promise<EngineResult[]>;
  /** Counters of every worker; `collectGarbage` first (with --expose-gc) for heap figures. */
  stats(options?: { collectGarbage?: boolean }): Promise<EngineStats>;
  /** Snapshots every changed partition now. */
  checkpoint(): Promise<number>;
  /**
   * Runs every worker's housekeeping now, at the clock's time: expires due holds, forgets
   * settled reservations past retention, snapshots due partitions and truncates their logs.
   * Resolves when all of it is durable. How tests move time forward under a manual clock.
   */
  runHousekeeping(): Promise<HousekeepingCounts>;
  /**
   * Stops taking requests, answers everything queued and closes. By default it snapshots every
   * changed partition first, so the next start replays nothing. What could not be done on the
   * way (a final snapshot or compaction the disk had no room for) goes to `onWarning`, one line
   * each: nothing acknowledged depends on it, the next start replays the log instead.
   */
  close(options?: { checkpoint?: boolean; onWarning?: (line: string) => void }): Promise<void>;
}

const overloaded: EngineResult = Object.freeze({ ok: false, code: 'OVERLOADED' });
const storageFull: EngineResult = Object.freeze({ ok: false, code: 'STORAGE_FULL' });
const reservationNotFound: EngineResult = Object.freeze({
  ok: false,
  code: 'RESERVATION_NOT_FOUND',
});

export async function startEngine(options: EngineOptions): Promise<Engine> {
  // Creates the directory if needed; refuses one that is not usable or already in use.
  const lock = lockDataDir(options.dataDir);
  const gate = createWriteGate();
  const guard = new StorageGuard({
    dataDir: options.dataDir,
    freeFloorBytes: options.diskFreeFloorBytes,
    checkIntervalMs: options.diskCheckIntervalMs,
    gate,
    nowMs: () => options.clock.nowMs(),
  });
  // Start-up writes (the store's identity, compacting what the last run left): not on a volume
  // under the floor, where a failed page write could abort the process.
  await guard.check();
  if (guard.refusing) {
    lock.release();
    const { freeBytes = 0, floorBytes } = guard.status;
    throw new DataDirError(
      'full',
      options.dataDir,
      `the data directory ${options.dataDir} has ${formatBytes(freeBytes)} free on its volume, under STOCKD_DISK_FREE_FLOOR_BYTES (${formatBytes(floorBytes)})`,
    );
  }
  let store: Store | undefined;
  let identity: StoreIdentity;
  try {
    // Before anything maps the data file: a damaged one would fault, not fail.
    checkDataDir(options.dataDir);
    store = openStore(options.dataDir, { noSync: options.noSync });
    ({ identity } = await ensureStoreIdentity(
      store,
      options.partitionCount,
      options.clock.nowMs(),
    ));
    // Every run starts with an empty write-ahead space (workers number their records from 1).
    compactLeftoverWal(store);
  } catch (error) {
    // A failed start must not leave the directory locked against the next attempt.
    await store?.close();
    lock.release();
    throw damageOfLmdbError(error, storeFileOf(options.dataDir)) ?? error;
  }
  const partitionCount = identity.partitionCount;
  let state: EngineState = 'running';
  const fail = (error: unknown) => {
    if (state === 'failed') return;
    state = 'failed';
    options.onFatal(error);
  };

  const pools = Array.from({ length: options.workerCount }, (_, workerIndex) => {
    const settings: WorkerSettings = {
      ...options.housekeeping,
      dataDir: options.dataDir,
      workerIndex,
      workerCount: options.workerCount,
      partitionCount,
      noSync: options.noSync,
      sharedClock: options.clock.shared,
      writeGate: gate.shared,
    };
    const pool = new Piscina({
      filename: new URL('../actors/worker.ts', import.meta.url).href,
      minThreads: 1,
      maxThreads: 1,
      idleTimeout: Number.POSITIVE_INFINITY,
      // Room for every in-flight batch plus stats, checkpoint and housekeeping tasks.
      concurrentTasksPerWorker: options.inFlightBatchesMax + 3,
      // The worker awaits fsync and runs timers: its event loop must not block on Atomics.
      // (A manual clock's shared memory is only ever read with Atomics.load, which never waits.)
      atomics: 'disabled',
      workerData: settings,
    });
    pool.on('error', fail);
    return pool;
  });
  const run = <K extends WorkerTask['kind']>(
    workerIndex: number,
    task: Extract<WorkerTask, { kind: K }>,
  ): Promise<WorkerReplies[K]> => pools[workerIndex]!.run(task);

  const ports = pools.map(() => new BatchPort());
  const queues = ports.map(
    (port) =>
      new WorkerQueue(
        options,
        (requests, partitions) =>
          port.send(requests, partitions).then((results) => {
            noteCommitted(results);
            return results;
          }),
        fail,
      ),
  );
  /**
   * Every answered batch may have taken space; one the worker could not commit says why (it is
   * refused as a whole, each result with the failure's message).
   */
  const noteCommitted = (results: readonly EngineResult[]) => {
    const first = results[0];
    if (first !== undefined && !first.ok && first.code === 'STORAGE_FULL' && first.message) {
      guard.commitFailed(first.message);
    } else {
      guard.afterCommit();
    }
  };

  // Recovery happens as each worker loads; the first answer from each means it is ready.
  try {
    await Promise.all(pools.map((_, workerIndex) => run(workerIndex, { kind: 'stats' })));
    await Promise.all(
      pools.map((pool, workerIndex) => {
        const port = ports[workerIndex]!.workerEnd;
        // piscina derives its TransferList type from MessagePort, which @types/node 26 overloads.
        return pool.run({ kind: 'attach', port } satisfies WorkerTask, {
          transferList: [port] as never,
        });
      }),
    );
    await guard.start();
  } catch (error) {
    guard.stop();
    for (const port of ports) port.close();
    await Promise.all(pools.map((pool) => pool.destroy()));
    await store.close();
    lock.release();
    // A damaged record found by a worker's recovery arrives here as a plain Error (a thread
    // boundary keeps only the message): the same DATA_DAMAGED again, not a worker crash.
    throw damageOfLmdbError(error, storeFileOf(options.dataDir)) ?? error;
  }

  const route = (
    request: EngineRequest,
  ): { queue: WorkerQueue; partition: number } | EngineResult => {
    const issues = validateRequest(request);
    if (issues !== undefined) return { ok: false, code: 'VALIDATION', issues };
    const partition = partitionOfRequest(request, partitionCount);
    if (partition === undefined) return reservationNotFound;
    return { queue: queues[workerOfPartition(partition, options.workerCount)]!, partition };
  };

  const notRunning = (): EngineResult => ({
    ok: false,
    code: state === 'failed' ? 'INTERNAL' : 'SHUTTING_DOWN',
  });

  const submit = (request: EngineRequest): Promise<EngineResult> => {
    if (state !== 'running') return Promise.resolve(notRunning());
    if (guard.refusing && !isReadRequest(request)) return Promise.resolve(storageFull);
    const target = route(request);
    if ('ok' in target) return Promise.resolve(target);
    return target.queue.enqueue(request, target.partition) ?? Promise.resolve(overloaded);
  };

  const submitMany = async (
    requests: readonly EngineRequest[],
    { whenFull }: { whenFull: 'wait' | 'reject' } = { whenFull: 'reject' },
  ): Promise<EngineResult[]> => {
    const group = new ResultGroup(requests.length);
    for (let slot = 0; slot < requests.length; slot++) {
      const request = requests[slot]!;
      if (state !== 'running') {
        group.put(slot, notRunning());
        continue;
      }
      if (guard.refusing && !isReadRequest(request)) {
        group.put(slot, storageFull);
        continue;
      }
      const target = route(request);
      if ('ok' in target) {
        group.put(slot, target);
        continue;
      }
      if (whenFull === 'wait' && !target.queue.hasSpace) await target.queue.whenSpace();
      if (!target.queue.enqueueInto(request, target.partition, group, slot)) {
        group.put(slot, overloaded);
      }
    }
    return group.settled;
  };

  return {
    identity,
    workerCount: options.workerCount,
    get state() {
      return state;
    },
    clock: options.clock,
    store,
    get storage() {
      return guard.status;
    },
    submit,
    submitMany,
    async stats({ collectGarbage = false } = {}) {
      const workers = await Promise.all(
        pools.map((_, i) => run(i, { kind: 'stats', collectGarbage })),
      );
      return {
        workers,
        queueDepths: queues.map((queue) => queue.depth),
        overloadedRequests: queues.map((queue) => queue.refused),
      };
    },
    async checkpoint() {
      const written = await Promise.all(pools.map((_, i) => run(i, { kind: 'checkpoint' })));
      return written.reduce((sum, n) => sum + n, 0);
    },
    async runHousekeeping() {
      const runs = await Promise.all(pools.map((_, i) => run(i, { kind: 'housekeeping' })));
      return {
        expired: runs.reduce((sum, r) => sum + r.expired, 0),
        forgotten: runs.reduce((sum, r) => sum + r.forgotten, 0),
        snapshotsWritten: runs.reduce((sum, r) => sum + r.snapshotsWritten, 0),
      };
    },
    async close({ checkpoint = true, onWarning = () => {} } = {}) {
      if (state === 'closed') return;
      if (state === 'running') state = 'draining';
      await Promise.all(queues.map((queue) => queue.whenIdle()));
      guard.stop();
      if (state !== 'failed') {
        const closed = await Promise.all(
          pools.map((_, i) => run(i, { kind: 'close', checkpoint })),
        );
        for (const stats of closed) for (const line of stats.closeWarnings) onWarning(line);
      }
      for (const port of ports) port.close();
      await Promise.all(pools.map((pool) => pool.destroy()));
      await store.close();
      lock.release();
      if (state !== 'failed') state = 'closed';
    },
  };
}

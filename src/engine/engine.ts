import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { damageOfLmdbError } from '../checkpoint/data-damage.ts';
import { DataDirError, storeFileOf } from '../checkpoint/data-dir.ts';
import { checkDataDir } from '../checkpoint/data-dir-check.ts';
import { lockDataDir } from '../checkpoint/data-dir-lock.ts';
import { openStore, type Store } from '../checkpoint/store.ts';
import { ensureStoreIdentity, type StoreIdentity } from '../checkpoint/store-identity.ts';
import { compactLeftoverWal } from '../checkpoint/wal-compaction.ts';
import type { Clock } from '../worker-protocol/clock.ts';
import { type EngineRequest, isReadRequest } from '../worker-protocol/requests.ts';
import type { EngineResult } from '../worker-protocol/results.ts';
import type { HousekeepingCounts, WorkerReplies, WorkerTask } from '../worker-protocol/tasks.ts';
import type { WorkerSettings } from '../worker-protocol/worker-settings.ts';
import type { WorkerStats } from '../worker-protocol/worker-stats.ts';
import { createWriteGate } from '../worker-protocol/write-gate.ts';
import { WorkerBatchError } from './batch-port.ts';
import { EngineClient, type EngineClientSettings } from './engine-client.ts';
import { commitFailureOf, type EngineLink, type LinkNotice } from './engine-link.ts';
import type { EngineOptions } from './engine-options.ts';
import { formatBytes, StorageGuard, type StorageStatus } from './storage-guard.ts';

export type EngineState = 'running' | 'draining' | 'closed' | 'failed';

export interface EngineStats {
  readonly workers: readonly WorkerStats[];
  /** Requests waiting per worker, not yet sent (the main thread's; a linked thread has its own). */
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
  /**
   * Channels of their own to every worker, for another thread to submit through without the
   * main thread on the way (engine-link.ts: the thread calls `connectEngine` on it).
   */
  link(): EngineLink;
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

const storageFull: EngineResult = Object.freeze({ ok: false, code: 'STORAGE_FULL' });

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

  let started = false;
  const startFailures = Array.from({ length: options.workerCount }, () =>
    Promise.withResolvers<never>(),
  );
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
    // A worker that dies while starting fails the start (below), not the running engine.
    pool.on('error', (error) => {
      if (started) fail(error);
      else startFailures[workerIndex]!.reject(error);
    });
    return pool;
  });
  const run = <K extends WorkerTask['kind']>(
    workerIndex: number,
    task: Extract<WorkerTask, { kind: K }>,
  ): Promise<WorkerReplies[K]> => pools[workerIndex]!.run(task);

  /**
   * Every answered batch may have taken space; one the worker could not commit says why (it is
   * refused as a whole, each result with the failure's message).
   */
  const noteCommitted = (results: readonly EngineResult[]) => {
    const reason = commitFailureOf(results);
    if (reason !== undefined) guard.commitFailed(reason);
    else guard.afterCommit();
  };
  /** Hands worker w the end `ports[w]` of a batch channel; it serves every channel it gets. */
  const attach = (ports: readonly MessagePort[]) =>
    Promise.all(
      pools.map((pool, workerIndex) => {
        const port = ports[workerIndex]!;
        // piscina derives its TransferList type from MessagePort, which @types/node 26 overloads.
        return pool.run({ kind: 'attach', port } satisfies WorkerTask, {
          transferList: [port] as never,
        });
      }),
    );
  const channels = pools.map(() => new MessageChannel());
  // Plain numbers: a link carries them to another thread.
  const clientSettings: EngineClientSettings = {
    batchRequestsMax: options.batchRequestsMax,
    inFlightBatchesMax: options.inFlightBatchesMax,
    queuedRequestsMax: options.queuedRequestsMax,
    // The group size from which a worker commits on LMDB's thread and decides meanwhile.
    overlapRequestsMin: options.housekeeping.asyncCommitEventsMin,
    partitionCount,
  };
  /** The control ports of linked threads, closed with the engine. */
  const links: MessagePort[] = [];

  // Recovery happens as each worker loads; the first answer from each means it is ready.
  try {
    await allSettledOrFirstFailure(
      pools.map((_, workerIndex) =>
        Promise.race([run(workerIndex, { kind: 'stats' }), startFailures[workerIndex]!.promise]),
      ),
    );
    await attach(channels.map((channel) => channel.port2));
    await guard.start();
    started = true;
  } catch (error) {
    guard.stop();
    for (const channel of channels) channel.port1.close();
    await Promise.all(pools.map((pool) => pool.destroy()));
    await store.close();
    lock.release();
    // A damaged record found by a worker's recovery arrives here as a plain Error (a thread
    // boundary keeps only the message): the same DATA_DAMAGED again, not a worker crash.
    throw damageOfLmdbError(error, storeFileOf(options.dataDir)) ?? error;
  }

  const notRunning = (): EngineResult => ({
    ok: false,
    code: state === 'failed' ? 'INTERNAL' : 'SHUTTING_DOWN',
  });
  const client = new EngineClient(
    channels.map((channel) => channel.port1),
    clientSettings,
    {
      refusal: (request) => {
        if (state !== 'running') return notRunning();
        if (guard.refusing && !isReadRequest(request)) return storageFull;
        return undefined;
      },
      onAnswered: noteCommitted,
      onFailure: fail,
    },
  );

  const link = (): EngineLink => {
    const linked = pools.map(() => new MessageChannel());
    attach(linked.map((channel) => channel.port2)).catch(fail);
    const control = new MessageChannel();
    control.port1.on('message', (notice: LinkNotice) => {
      switch (notice.kind) {
        case 'failed':
          return fail(new WorkerBatchError(notice.message));
        case 'committed':
          return guard.afterCommit();
        case 'commitFailed':
          return guard.commitFailed(notice.reason);
      }
    });
    // The linked thread's lifetime is its own: this end never keeps the process alive.
    control.port1.unref();
    links.push(control.port1);
    return {
      ports: linked.map((channel) => channel.port1),
      control: control.port2,
      settings: clientSettings,
    };
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
    submit: (request) => client.submit(request),
    submitMany: (requests, options) => client.submitMany(requests, options),
    link,
    async stats({ collectGarbage = false } = {}) {
      const workers = await Promise.all(
        pools.map((_, i) => run(i, { kind: 'stats', collectGarbage })),
      );
      return {
        workers,
        queueDepths: client.queueDepths,
        overloadedRequests: client.overloadedRequests,
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
      await client.whenIdle();
      guard.stop();
      if (state !== 'failed') {
        const closed = await Promise.all(
          pools.map((_, i) => run(i, { kind: 'close', checkpoint })),
        );
        for (const stats of closed) for (const line of stats.closeWarnings) onWarning(line);
      }
      client.close();
      for (const port of links) port.close();
      await Promise.all(pools.map((pool) => pool.destroy()));
      await store.close();
      lock.release();
      if (state !== 'failed') state = 'closed';
    },
  };
}

/**
 * Every promise settled, then the first failure thrown. Terminating a worker (destroying its
 * pool, or exiting) while it is inside an LMDB call aborts the whole process: when one worker's
 * recovery fails, the others are let finish theirs before the pools are destroyed.
 */
async function allSettledOrFirstFailure(promises: readonly Promise<unknown>[]): Promise<void> {
  const outcomes = await Promise.allSettled(promises);
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}

// A commit the store does not take is answered STORAGE_FULL, and the worker reloads every
// partition it left ahead of the store before deciding anything else for it: what it serves
// afterwards is what a restart replays, and a refused command retried later is applied once.
//
// The store is real LMDB; only its failures are injected, at the calls the log writer makes. A
// real failed page write cannot be used here: lmdb-js 3.5.6 formats its error message into a
// 100-byte malloc that the message overruns (mdb.c, mdb_page_flush), and the process aborts
// sooner or later — which is why the service refuses writes at a free-space floor instead.
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { serveBatches } from '../../src/actors/batch-server.ts';
import { recoverPartition } from '../../src/actors/recovery.ts';
import { WorkerRuntime } from '../../src/actors/worker-runtime.ts';
import { readPartitionLog } from '../../src/checkpoint/log-reader.ts';
import { LogWriter } from '../../src/checkpoint/log-writer.ts';
import { openStore, type Store } from '../../src/checkpoint/store.ts';
import { BatchPort } from '../../src/engine/batch-port.ts';
import type { EngineRequest } from '../../src/worker-protocol/requests.ts';
import type { EngineResult } from '../../src/worker-protocol/results.ts';
import { tempDir } from '../support/temp-dir.ts';
import { loneWorkerSettings } from '../support/worker-settings.ts';

const partitions = [0, 1];
const item = (partition: number) => ({ sku: `SKU-${partition}`, warehouseId: 'W' });

/** Which store calls fail next: each entry fails one call of its kind. */
interface Failures {
  putSync: number;
  put: number;
  transaction: number;
}

const enospc = () => Object.assign(new Error('No space left on device'), { code: 28 });

/** The real store, with `failures` of the write calls the log writer makes. */
function failingStore(real: Store, failures: Failures): Store {
  const wal = new Proxy(real.wal, {
    get(target, property) {
      if (property === 'putSync' && failures.putSync > 0) {
        return () => {
          failures.putSync--;
          throw enospc();
        };
      }
      if (property === 'put' && failures.put > 0) {
        return () => {
          failures.put--;
          // As LMDB's write thread fails: a while later, with later commits queued meanwhile.
          return new Promise((_, reject) => setTimeout(() => reject(enospc()), 20));
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const root = new Proxy(real.root, {
    get(target, property) {
      if (property === 'transaction' && failures.transaction > 0) {
        return () => {
          failures.transaction--;
          return Promise.reject(enospc());
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { ...real, wal, root };
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function startWorker(options: { asyncCommitEventsMin: number; compactEveryRecords?: number }) {
  const dir = tempDir('failed-commit');
  const real = openStore(dir.path, { noSync: true });
  cleanups.push(dir.remove, () => real.close());
  const failures: Failures = { putSync: 0, put: 0, transaction: 0 };
  const store = failingStore(real, failures);
  const settings = loneWorkerSettings(dir.path, partitions.length);
  const runtime = new WorkerRuntime({
    settings,
    store,
    log: new LogWriter(store, {
      workerIndex: 0,
      compactEveryRecords: options.compactEveryRecords ?? 1_000,
      asyncCommitEventsMin: options.asyncCommitEventsMin,
    }),
    actors: partitions.map((p) => recoverPartition(store, p, settings).actor),
    snapshots: new Map(),
    recovery: { durationMs: 0, replayedEvents: 0 },
    clock: () => 1_000,
  });
  const channel = new MessageChannel();
  const port = new BatchPort(channel.port1);
  serveBatches(channel.port2, runtime);
  cleanups.push(() => {
    port.close();
    channel.port2.close();
  });
  const send = (requests: EngineRequest[]) =>
    port.send(
      requests,
      requests.map((request) => Number((request as { sku: string }).sku.slice(4))),
    );
  /** What a restart would recover, partition by partition, as the actors hold it now. */
  const replayEqualsLive = () => {
    for (const partition of partitions) {
      const replayed = recoverPartition(real, partition, settings).actor.image();
      expect(runtime.imageOf(partition)).toEqual(replayed);
    }
  };
  return { runtime, failures, send, replayEqualsLive, real };
}

const receive = (partition: number, quantity: number): EngineRequest => ({
  type: 'ReceiveStock',
  ...item(partition),
  quantity,
});
const reserve = (partition: number, key: string): EngineRequest => ({
  type: 'Reserve',
  ...item(partition),
  idempotencyKey: key,
  quantity: 1,
  ttlSeconds: 60,
});
const levelsOf = (result: EngineResult | undefined) =>
  result?.ok === true
    ? { total: result.item?.totalQty, reserved: result.item?.reservedQty }
    : result;

describe.each([
  ['in the worker’s own thread (putSync)', 1_000_000, 'putSync'],
  ['on LMDB’s write thread (put)', 1, 'put'],
] as const)('a commit that fails %s', (_name, asyncCommitEventsMin, call) => {
  it('is answered STORAGE_FULL, and its partition reloaded before the next decision', async () => {
    const { runtime, failures, send, replayEqualsLive } = startWorker({ asyncCommitEventsMin });
    await send([receive(0, 10), receive(1, 10)]);
    expect(await send([reserve(0, 'a')])).toMatchObject([{ ok: true, applied: true }]);

    failures[call] = 1;
    const refused = await send([reserve(0, 'b'), reserve(0, 'a'), { type: 'GetItem', ...item(0) }]);
    for (const result of refused) {
      expect(result).toMatchObject({
        ok: false,
        code: 'STORAGE_FULL',
        message: expect.stringMatching(/No space left on device/),
      });
    }
    // Held back until the reload: decided on the store's state, not on the refused batch's.
    const [afterwards] = await send([{ type: 'GetItem', ...item(0) }]);
    expect(levelsOf(afterwards)).toEqual({ total: 10, reserved: 1 });
    const stats = runtime.stats();
    expect(stats.failedCommits).toBe(1);
    // Only the partition the failed batch touched was ahead of the store.
    expect(stats.partitionReloads).toBe(1);
    replayEqualsLive();

    // Retried once the store takes writes again: applied once, then the original.
    expect(await send([reserve(0, 'b')])).toMatchObject([{ ok: true, applied: true }]);
    expect(await send([reserve(0, 'b')])).toMatchObject([{ ok: true, applied: false }]);
    const [levels] = await send([{ type: 'GetItem', ...item(0) }]);
    expect(levelsOf(levels)).toEqual({ total: 10, reserved: 2 });
    replayEqualsLive();
  });
});

describe('commits behind a failed one', () => {
  it('are refused too, and none of them lands after the gap', async () => {
    const { failures, send, replayEqualsLive, real } = startWorker({ asyncCommitEventsMin: 1 });
    await send([receive(0, 10)]);
    failures.put = 1;
    // The second is decided and committed while the first commit is still on LMDB's thread.
    const firstSent = send([reserve(0, 'x')]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const [first, second] = await Promise.all([firstSent, send([reserve(0, 'y')])]);
    expect([first![0], second![0]]).toMatchObject([
      { ok: false, code: 'STORAGE_FULL' },
      { ok: false, code: 'STORAGE_FULL' },
    ]);
    expect([...readPartitionLog(real, 0, 1)].map((event) => event.seq)).toEqual([1]);
    replayEqualsLive();
    expect(await send([reserve(0, 'y')])).toMatchObject([{ ok: true, applied: true }]);
    expect([...readPartitionLog(real, 0, 1)].map((event) => event.seq)).toEqual([1, 2]);
  });
});

describe('a compaction that fails', () => {
  it('is repaired from the store: nothing lost, no gap between chunks', async () => {
    const { runtime, failures, send, replayEqualsLive, real } = startWorker({
      asyncCommitEventsMin: 1_000_000,
      compactEveryRecords: 2,
    });
    failures.transaction = 1;
    await send([receive(0, 10)]);
    await send([reserve(0, 'p')]); // the second record: a compaction, which fails
    await new Promise((resolve) => setImmediate(resolve));
    // The next checkpoint tick repairs the writer before it writes anything.
    await runtime.checkpoint(false);
    await runtime.recovering;
    for (let n = 0; n < 5; n++) {
      expect(await send([reserve(0, `q${n}`)])).toMatchObject([{ ok: true, applied: true }]);
    }
    await runtime.checkpoint(true);
    expect([...readPartitionLog(real, 0, 1)].map((event) => event.seq)).toEqual([
      1, 2, 3, 4, 5, 6, 7,
    ]);
    expect([...real.wal.getKeys()]).toEqual([]);
    expect(runtime.stats().partitionReloads).toBe(0);
    replayEqualsLive();
  });
});

// A snapshot is of the partition as it was when taken: batches decided while the checkpoint
// waits for its commit (on LMDB's write thread) change the live actor, never the snapshot. A
// restart — the snapshot, then the log after it — must give back exactly the live state.
import { afterEach, describe, expect, it } from 'vitest';
import { recoverPartition } from '../../src/actors/recovery.ts';
import { WorkerRuntime } from '../../src/actors/worker-runtime.ts';
import { LogWriter } from '../../src/checkpoint/log-writer.ts';
import { openStore } from '../../src/checkpoint/store.ts';
import type { EngineRequest } from '../../src/worker-protocol/requests.ts';
import { tempDir } from '../support/temp-dir.ts';
import { loneWorkerSettings } from '../support/worker-settings.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const item = { sku: 'SKU-0', warehouseId: 'W' };
const reserve = (key: string): EngineRequest => ({
  type: 'Reserve',
  ...item,
  idempotencyKey: key,
  quantity: 1,
  ttlSeconds: 60,
});

describe('a checkpoint whose commit runs on LMDB’s write thread', () => {
  it('snapshots the partition as it was, whatever is decided while it waits', async () => {
    const dir = tempDir('snapshot-during-commit');
    const store = openStore(dir.path, { noSync: true });
    cleanups.push(dir.remove, () => store.close());
    const settings = loneWorkerSettings(dir.path, 1);
    const runtime = new WorkerRuntime({
      settings,
      store,
      // Every commit asynchronous: the checkpoint awaits the write thread.
      log: new LogWriter(store, {
        workerIndex: 0,
        compactEveryRecords: 1_000,
        asyncCommitEventsMin: 1,
      }),
      actors: [recoverPartition(store, 0, settings).actor],
      snapshots: new Map(),
      recovery: { durationMs: 0, replayedEvents: 0 },
      clock: () => 1_000,
    });
    runtime.decideBatch([{ type: 'ReceiveStock', ...item, quantity: 10 }], [0]);
    await runtime.commit();
    await runtime.checkpoint(true); // nothing left to compact when the next one starts
    runtime.decideBatch([reserve('a')], [0]);

    const checkpointing = runtime.checkpoint(true);
    // A few microtasks on, the snapshot is taken (seq 2) and its commit is on LMDB's write
    // thread; what is decided now — the same item again, and a new one — comes after it.
    for (let tick = 0; tick < 5; tick++) await null;
    runtime.decideBatch(
      [reserve('b'), { type: 'ReceiveStock', sku: 'SKU-1', warehouseId: 'W', quantity: 3 }],
      [0, 0],
    );
    expect(await checkpointing).toBe(1);
    await runtime.commit();
    await store.root.flushed;

    const restarted = recoverPartition(store, 0, settings);
    expect(restarted.snapshotSeq).toBe(2);
    expect(restarted.replayedEvents).toBe(2);
    expect(restarted.actor.image()).toEqual(runtime.imageOf(0));
  });
});

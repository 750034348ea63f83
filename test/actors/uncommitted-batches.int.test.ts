import { afterEach, describe, expect, it } from 'vitest';
import { PartitionActor } from '../../src/actors/partition-actor.ts';
import { readSnapshot } from '../../src/actors/partition-snapshots.ts';
import { WorkerRuntime } from '../../src/actors/worker-runtime.ts';
import { newestLoggedSeq, readPartitionLog } from '../../src/checkpoint/log-reader.ts';
import { LogWriter } from '../../src/checkpoint/log-writer.ts';
import { openStore, type Store } from '../../src/checkpoint/store.ts';
import type { EngineRequest } from '../../src/worker-protocol/requests.ts';
import { tempDir } from '../support/temp-dir.ts';
import { loneWorkerSettings } from '../support/worker-settings.ts';

/**
 * A batch decided and not yet committed (group commit keeps it so until the worker's channel is
 * drained) must not reach the disk by another way: if the process dies before the commit, it
 * vanishes, and if the commit fails, its clients are told so truthfully. Both found by the
 * deterministic simulation (test/sim/).
 */
let store: Store | undefined;
let dir: ReturnType<typeof tempDir> | undefined;
afterEach(async () => {
  await store?.close();
  dir?.remove();
  store = undefined;
});

const receipt: EngineRequest = {
  type: 'ReceiveStock',
  sku: 'SKU-1',
  warehouseId: 'W',
  quantity: 5,
};
const seqsOf = (partition: number) => [...readPartitionLog(store!, partition, 1)].map((e) => e.seq);

function runtimeOn(openedStore: Store, log: LogWriter): WorkerRuntime {
  return new WorkerRuntime({
    settings: loneWorkerSettings(dir!.path, 1),
    store: openedStore,
    log,
    actors: [new PartitionActor(0)],
    snapshots: new Map(),
    recovery: { durationMs: 0, replayedEvents: 0 },
    clock: () => 1_000,
  });
}

describe('a batch decided and not committed', () => {
  it('is left out of a compaction that runs before its commit', async () => {
    dir = tempDir('uncommitted');
    store = openStore(dir.path, { noSync: true });
    const log = new LogWriter(store, {
      workerIndex: 0,
      compactEveryRecords: 1_000,
      asyncCommitEventsMin: 1e6,
    });
    const runtime = runtimeOn(store, log);
    runtime.decideBatch([receipt], [0]);
    runtime.commit();
    runtime.decideBatch([receipt], [0]);

    await log.compact();
    expect(seqsOf(0)).toEqual([1]);

    runtime.commit();
    await log.compact();
    expect(seqsOf(0)).toEqual([1, 2]);
    expect([...store.wal.getKeys()]).toEqual([]);
  });

  it('is committed before a snapshot can hold it', async () => {
    dir = tempDir('uncommitted');
    store = openStore(dir.path, { noSync: true });
    const runtime = runtimeOn(
      store,
      new LogWriter(store, { workerIndex: 0, compactEveryRecords: 1, asyncCommitEventsMin: 1e6 }),
    );
    runtime.decideBatch([receipt], [0]);

    expect(await runtime.checkpoint(true)).toBe(1);
    expect(readSnapshot(store, 0)?.image.lastSeq).toBe(1);
    expect(newestLoggedSeq(store, 0)).toBe(1);
  });
});

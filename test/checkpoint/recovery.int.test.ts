import { afterEach, describe, expect, it } from 'vitest';
import { type Engine, startEngine } from '../../src/engine/engine.ts';
import { engineOptions } from '../../src/engine/engine-options.ts';
import type { EngineRequest } from '../../src/worker-protocol/requests.ts';
import type { EngineResult } from '../../src/worker-protocol/results.ts';
import { expectPartitionInvariants, partitionContents } from '../support/invariants.ts';
import { readAllPartitions } from '../support/read-partitions.ts';
import { tempDir } from '../support/temp-dir.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function open(dataDir: string, workerCount: number): Promise<Engine> {
  const engine = await startEngine(
    engineOptions({
      dataDir,
      workerCount,
      partitionCount: 8,
      onFatal: (error) => {
        throw error;
      },
    }),
  );
  cleanups.push(() => (engine.state === 'closed' ? undefined : engine.close()));
  return engine;
}

/** A mixed workload over 50 items; returns every reservation id it created. */
async function workload(engine: Engine, round: number): Promise<string[]> {
  const items = Array.from({ length: 50 }, (_, i) => ({
    sku: `SKU-${i}`,
    warehouseId: `WH-${i % 3}`,
  }));
  await engine.submitMany(items.map((item) => ({ type: 'ReceiveStock', ...item, quantity: 20 })));
  const reserves: EngineRequest[] = items.flatMap((item, i) =>
    Array.from({ length: 4 }, (_, k) => ({
      type: 'Reserve' as const,
      ...item,
      idempotencyKey: `r${round}-o${i}-${k}`,
      quantity: 1 + ((i + k) % 5),
      ttlSeconds: 600,
    })),
  );
  const ids = (await engine.submitMany(reserves)).flatMap((r: EngineResult) =>
    r.ok && r.reservation ? [r.reservation.reservationId] : [],
  );
  const follow: EngineRequest[] = ids.map((reservationId, n) =>
    n % 4 === 0
      ? { type: 'Release', reservationId }
      : n % 4 === 1
        ? { type: 'Confirm', reservationId }
        : n % 4 === 2
          ? { type: 'ChangeReservation', reservationId, quantity: 1 + (n % 3) }
          : { type: 'GetReservation', reservationId },
  );
  await engine.submitMany(follow);
  return ids;
}

describe('recovery from the data directory', () => {
  it('restores every item and reservation from snapshot plus log tail', async () => {
    const dir = tempDir('recovery');
    cleanups.push(dir.remove);

    const first = await open(dir.path, 2);
    await workload(first, 1);
    expect(await first.checkpoint()).toBeGreaterThan(0);
    await workload(first, 2);
    await first.close({ checkpoint: false });
    const before = (await readAllPartitions(dir.path)).map(partitionContents);

    // A different worker count: ownership moves, state must not.
    const second = await open(dir.path, 3);
    const stats = await second.stats();
    const replayed = stats.workers.reduce((sum, w) => sum + w.recovery.replayedEvents, 0);
    expect(replayed).toBeGreaterThan(0);
    await second.close({ checkpoint: false });
    const after = await readAllPartitions(dir.path);
    expect(after.map(partitionContents)).toEqual(before);
    for (const actor of after) expectPartitionInvariants(actor);
  });

  it('answers the same for every item and reservation after a restart', async () => {
    const dir = tempDir('answers');
    cleanups.push(dir.remove);
    const first = await open(dir.path, 2);
    const ids = await workload(first, 1);
    await first.checkpoint();
    ids.push(...(await workload(first, 2)));
    const queries: EngineRequest[] = [
      ...ids.map((reservationId) => ({ type: 'GetReservation' as const, reservationId })),
      ...Array.from({ length: 50 }, (_, i) => ({
        type: 'GetItem' as const,
        sku: `SKU-${i}`,
        warehouseId: `WH-${i % 3}`,
      })),
    ];
    const answers = await first.submitMany(queries);
    await first.close({ checkpoint: false });

    const second = await open(dir.path, 1);
    expect(await second.submitMany(queries)).toEqual(answers);
  });

  it('keeps the partition count a data directory was created with', async () => {
    const dir = tempDir('identity');
    cleanups.push(dir.remove);
    const first = await open(dir.path, 1);
    expect(first.identity.partitionCount).toBe(8);
    await first.close();
    const second = await startEngine(
      engineOptions({ dataDir: dir.path, partitionCount: 32, onFatal: () => {} }),
    );
    cleanups.push(() => second.close());
    expect(second.identity.partitionCount).toBe(8);
    expect(second.identity.storeId).toBe(first.identity.storeId);
  });
});

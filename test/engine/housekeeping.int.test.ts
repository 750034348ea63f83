import { afterEach, describe, expect, it } from 'vitest';
import { itemKeyOf } from '../../src/domain/item-key.ts';
import { type Engine, startEngine } from '../../src/engine/engine.ts';
import { engineOptions, type HousekeepingSettings } from '../../src/engine/engine-options.ts';
import { workerOfPartition } from '../../src/partitioner/ownership.ts';
import { partitionOf } from '../../src/partitioner/partition-of.ts';
import { type ManualClock, manualClock } from '../../src/worker-protocol/clock.ts';
import type { EngineRequest } from '../../src/worker-protocol/requests.ts';
import type { EngineResult } from '../../src/worker-protocol/results.ts';
import { tempDir } from '../support/temp-dir.ts';

const startMs = Date.parse('2030-01-01T00:00:00.000Z');
const partitionCount = 8;
const workerCount = 2;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A real engine with two worker threads, whose time moves only when the test moves it. */
async function startOnManualClock(
  housekeeping: Partial<HousekeepingSettings> = {},
): Promise<{ engine: Engine; clock: ManualClock }> {
  const dir = tempDir('housekeeping');
  cleanups.push(dir.remove);
  const clock = manualClock(startMs);
  const engine = await startEngine(
    engineOptions({
      dataDir: dir.path,
      workerCount,
      partitionCount,
      clock,
      housekeeping,
      onFatal: (error) => {
        throw error;
      },
    }),
  );
  cleanups.push(() => engine.close());
  return { engine, clock };
}

/** One item owned by each worker, so every test covers every worker thread. */
const items = Array.from({ length: workerCount }, (_, worker) => {
  for (let n = 0; ; n++) {
    const item = { sku: `SKU-${n}`, warehouseId: 'WH' };
    const partition = partitionOf(itemKeyOf(item.sku, item.warehouseId), partitionCount);
    if (workerOfPartition(partition, workerCount) === worker) return item;
  }
});

const reservationIdOf = (result: EngineResult) => {
  if (!result.ok || result.reservation === undefined) throw new Error(JSON.stringify(result));
  return result.reservation.reservationId;
};

async function holdOnEveryItem(engine: Engine, ttlSeconds: number): Promise<string[]> {
  await engine.submitMany(items.map((item) => ({ type: 'ReceiveStock', ...item, quantity: 10 })));
  const held = await engine.submitMany(
    items.map((item) => ({
      type: 'Reserve',
      ...item,
      idempotencyKey: 'order-1',
      quantity: 4,
      ttlSeconds,
    })),
  );
  return held.map(reservationIdOf);
}

const statusesOf = async (engine: Engine, ids: readonly string[]) =>
  (
    await engine.submitMany(ids.map((reservationId) => ({ type: 'GetReservation', reservationId })))
  ).map((result) => (result.ok ? result.reservation?.status : result.code));

describe('an engine on a manual clock', () => {
  it('decides at the clock’s time on every worker thread', async () => {
    const { engine, clock } = await startOnManualClock();
    expect(engine.identity.createdAtMs).toBe(startMs);
    const received = await engine.submitMany(
      items.map((item) => ({ type: 'ReceiveStock', ...item, quantity: 10 })),
    );
    expect(received.map((r) => r.ok && r.item?.updatedAtMs)).toEqual([startMs, startMs]);

    clock.advance(5_000);
    const held = await engine.submitMany(
      items.map((item) => ({
        type: 'Reserve',
        ...item,
        idempotencyKey: 'o',
        quantity: 1,
        ttlSeconds: 60,
      })),
    );
    expect(held.map((r) => r.ok && r.reservation?.createdAtMs)).toEqual([
      startMs + 5_000,
      startMs + 5_000,
    ]);
    expect(held.map((r) => r.ok && r.reservation?.expiresAtMs)).toEqual([
      startMs + 65_000,
      startMs + 65_000,
    ]);
  });

  it('expires holds at their deadline, not a millisecond before, when housekeeping runs', async () => {
    const { engine, clock } = await startOnManualClock();
    const ids = await holdOnEveryItem(engine, 60);

    clock.advance(59_999);
    expect(await engine.runHousekeeping()).toMatchObject({ expired: 0 });
    expect(await statusesOf(engine, ids)).toEqual(['HELD', 'HELD']);

    clock.advance(1);
    expect(await engine.runHousekeeping()).toMatchObject({ expired: 2 });
    expect(await statusesOf(engine, ids)).toEqual(['EXPIRED', 'EXPIRED']);
    const levels = await engine.submitMany(items.map((item) => ({ type: 'GetItem', ...item })));
    expect(levels.map((r) => r.ok && r.item?.reservedQty)).toEqual([0, 0]);
  });

  it('keeps a settled reservation and its idempotency key for the retention, then forgets both', async () => {
    const retentionMs = 3_600_000;
    const { engine, clock } = await startOnManualClock({ reservationRetentionMs: retentionMs });
    const ids = await holdOnEveryItem(engine, 600);
    await engine.submitMany(ids.map((reservationId) => ({ type: 'Release', reservationId })));
    const repeat = items.map((item) => ({
      type: 'Reserve' as const,
      ...item,
      idempotencyKey: 'order-1',
      quantity: 4,
      ttlSeconds: 600,
    }));

    clock.advance(retentionMs - 1);
    expect(await engine.runHousekeeping()).toMatchObject({ forgotten: 0 });
    expect(await statusesOf(engine, ids)).toEqual(['RELEASED', 'RELEASED']);
    const repeated = await engine.submitMany(repeat);
    expect(repeated.map((r) => r.ok && !r.applied && r.reservation?.reservationId)).toEqual(ids);

    clock.advance(1);
    expect(await engine.runHousekeeping()).toMatchObject({ forgotten: 2 });
    expect(await statusesOf(engine, ids)).toEqual([
      'RESERVATION_NOT_FOUND',
      'RESERVATION_NOT_FOUND',
    ]);
    // The key is free again: the same order now makes a new reservation.
    const again = await engine.submitMany(repeat);
    expect(again.map((r) => r.ok && r.applied)).toEqual([true, true]);
    expect(again.map(reservationIdOf)).not.toContain(ids[0]);
  });

  it('snapshots a changed partition once its interval has passed or enough events came', async () => {
    const { engine, clock } = await startOnManualClock({
      snapshotIntervalMs: 60_000,
      snapshotEveryEvents: 10,
    });
    const item = items[0]!;
    const partition = partitionOf(itemKeyOf(item.sku, item.warehouseId), partitionCount);
    const receive = (times: number) =>
      engine.submitMany(
        Array.from({ length: times }, () => ({
          type: 'ReceiveStock' as const,
          ...item,
          quantity: 1,
        })),
      );
    const snapshotAtMs = async () =>
      (await engine.stats()).workers[workerOfPartition(partition, workerCount)]!.snapshotAtMs[
        partition
      ];

    await receive(1);
    // A partition that was never snapshotted counts its interval from the engine's start.
    clock.advance(59_999);
    expect(await engine.runHousekeeping()).toMatchObject({ snapshotsWritten: 0 });
    clock.advance(1);
    expect(await engine.runHousekeeping()).toMatchObject({ snapshotsWritten: 1 });
    expect(await engine.runHousekeeping()).toMatchObject({ snapshotsWritten: 0 });

    await receive(1);
    clock.advance(59_999);
    expect(await engine.runHousekeeping()).toMatchObject({ snapshotsWritten: 0 });
    clock.advance(1);
    expect(await engine.runHousekeeping()).toMatchObject({ snapshotsWritten: 1 });
    expect(await snapshotAtMs()).toBe(startMs + 120_000);

    await receive(9);
    expect(await engine.runHousekeeping()).toMatchObject({ snapshotsWritten: 0 });
    await receive(1);
    expect(await engine.runHousekeeping()).toMatchObject({ snapshotsWritten: 1 });
  });

  // A partition holding more than snapshotEveryEvents: a snapshot costs what it holds, so the
  // next one waits for as many events as it holds (a hot item's partition would otherwise be
  // snapshotted whole every few thousand events).
  it('waits for as many events as a partition holds before its next snapshot', async () => {
    const { engine } = await startOnManualClock({
      snapshotIntervalMs: 60_000,
      snapshotEveryEvents: 10,
    });
    const item = items[0]!;
    const submit = (requests: EngineRequest[]) => engine.submitMany(requests);
    const receive = (times: number) =>
      submit(Array.from({ length: times }, () => ({ type: 'ReceiveStock', ...item, quantity: 1 })));
    await submit([{ type: 'ReceiveStock', ...item, quantity: 100 }]);
    const holds = await submit(
      Array.from({ length: 30 }, (_, n) => ({
        type: 'Reserve',
        ...item,
        idempotencyKey: `hot-${n}`,
        quantity: 1,
        ttlSeconds: 600,
      })),
    );
    expect(holds.every((r) => r.ok && r.applied)).toBe(true);
    // 31 events since none: one item and 30 holds, as many as it holds.
    expect(await engine.runHousekeeping()).toMatchObject({ snapshotsWritten: 1 });
    await receive(30);
    expect(await engine.runHousekeeping()).toMatchObject({ snapshotsWritten: 0 });
    await receive(1);
    expect(await engine.runHousekeeping()).toMatchObject({ snapshotsWritten: 1 });
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { createOrders } from '../../src/app/orders/orders.ts';
import { type Engine, startEngine } from '../../src/engine/engine.ts';
import { engineOptions } from '../../src/engine/engine-options.ts';
import { manualClock } from '../../src/worker-protocol/clock.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * Orders on a real engine (two worker threads, LMDB): they come back the same after a restart
 * from snapshots and after one from the log alone, their lines never expire on the workers' own
 * timers, and a settled order is forgotten once its retention has passed.
 */
const startMs = Date.parse('2030-01-01T00:00:00.000Z');
const hourMs = 3_600_000;
const line = (sku: string, quantity: number) => ({ sku, warehouseId: 'W', quantity });
const dir = tempDir('orders-restart');
afterAll(() => dir.remove());
const clock = manualClock(startMs);

async function start(): Promise<Engine> {
  return startEngine(
    engineOptions({
      dataDir: dir.path,
      workerCount: 2,
      partitionCount: 8,
      clock,
      housekeeping: { reservationRetentionMs: hourMs },
      onFatal: (error) => {
        throw error;
      },
    }),
  );
}

const coordinator = (engine: Engine) =>
  createOrders({
    engine,
    defaultTtlSeconds: 60,
    linesMax: 10,
    expiryIntervalMs: 100,
    expiryBatchMax: 100,
  });

async function ordersOf(engine: Engine, ...orderIds: string[]) {
  return Promise.all(
    orderIds.map(async (orderId) => {
      const result = await engine.submit({ type: 'GetOrder', orderId });
      return result.ok ? result.order : result.code;
    }),
  );
}

describe('orders on a real engine', () => {
  it('come back the same from snapshots and from the log alone', async () => {
    let engine = await start();
    const orders = coordinator(engine);
    for (const sku of ['A', 'B', 'C', 'D'])
      await engine.submit({ type: 'ReceiveStock', ...line(sku, 10) });
    await orders.placeOrder({
      orderId: 'o-1',
      customerId: 'c',
      lines: [line('A', 2), line('B', 1), line('C', 1)],
    });
    await orders.changeOrder({ orderId: 'o-1', lines: [line('A', 4), line('C', 0), line('D', 1)] });
    await orders.placeOrder({ orderId: 'o-2', lines: [line('B', 1), line('D', 11)] });
    await orders.placeOrder({ orderId: 'o-3', lines: [line('C', 2)] });
    await orders.confirmOrder({ orderId: 'o-3', lines: [line('C', 1)] });
    const before = await ordersOf(engine, 'o-1', 'o-2', 'o-3');
    expect(before.map((o) => (typeof o === 'string' ? o : o?.status))).toEqual([
      'HELD',
      'FAILED',
      'CONFIRMED',
    ]);

    await engine.close(); // snapshots every partition
    engine = await start();
    expect(await ordersOf(engine, 'o-1', 'o-2', 'o-3')).toEqual(before);
    await engine.close({ checkpoint: false });
    engine = await start();
    expect(await ordersOf(engine, 'o-1', 'o-2', 'o-3')).toEqual(before);

    // The workers' own expiry leaves the lines to their order; the order expires them as a whole.
    clock.advance(61_000);
    await engine.runHousekeeping();
    const [held] = await ordersOf(engine, 'o-1');
    expect(typeof held === 'object' && held?.status).toBe('HELD');
    const restarted = coordinator(engine);
    expect(await restarted.recoverOrders()).toMatchObject({ held: 1 });
    expect(await restarted.expireDueOrders()).toBe(1);
    const levels = await Promise.all(
      ['A', 'B', 'C', 'D'].map(async (sku) => {
        const result = await engine.submit({ type: 'GetItem', sku, warehouseId: 'W' });
        return result.ok ? result.item?.reservedQty : result.code;
      }),
    );
    expect(levels).toEqual([0, 0, 0, 0]);

    // Settled orders are kept for the retention, then forgotten like settled reservations.
    clock.advance(hourMs + 1);
    await engine.runHousekeeping();
    expect(await ordersOf(engine, 'o-1', 'o-2', 'o-3')).toEqual([
      'ORDER_NOT_FOUND',
      'ORDER_NOT_FOUND',
      'ORDER_NOT_FOUND',
    ]);
    await engine.close();
  });
});

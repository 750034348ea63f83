import { Packr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { PartitionActor } from '../../src/actors/partition-actor.ts';
import {
  decodeSnapshot,
  encodeSnapshot,
  encodeUncheckedSnapshot,
} from '../../src/actors/snapshot-codec.ts';
import { createOrders } from '../../src/app/orders/orders.ts';
import { manualClock } from '../../src/worker-protocol/clock.ts';
import { partitionContents } from '../support/invariants.ts';
import { MemoryEngine } from '../support/memory-engine.ts';
import { orderContents } from '../support/order-invariants.ts';

const line = (sku: string, quantity: number) => ({ sku, warehouseId: 'W', quantity });

/** Partitions holding orders in every state, and lines held, settled and dropped. */
async function partitionsWithOrders(): Promise<MemoryEngine> {
  const clock = manualClock(1_000_000);
  const engine = new MemoryEngine(4, clock);
  const orders = createOrders({
    engine,
    defaultTtlSeconds: 60,
    linesMax: 10,
    expiryIntervalMs: 100,
    expiryBatchMax: 100,
  });
  for (const sku of ['A', 'B', 'C'])
    await engine.submit({ type: 'ReceiveStock', ...line(sku, 10) });
  await orders.placeOrder({ orderId: 'o-1', customerId: 'c', lines: [line('A', 2), line('B', 3)] });
  await orders.changeOrder({ orderId: 'o-1', lines: [line('B', 0), line('C', 4)] });
  await orders.placeOrder({ orderId: 'o-2', lines: [line('A', 1), line('C', 99)] });
  await orders.placeOrder({ orderId: 'o-3', lines: [line('A', 1)] });
  await orders.confirmOrder({ orderId: 'o-3' });
  // A placement that a crash interrupted after its first hold: unfinished work in the image.
  engine.crashAfter(2);
  await orders.placeOrder({ orderId: 'o-4', lines: [line('A', 1), line('B', 1)] });
  return engine;
}

describe('snapshots of partitions with orders', () => {
  it('restore every order (with its timeline and unfinished work) and every line hold', async () => {
    const engine = await partitionsWithOrders();
    for (const actor of engine.actors) {
      const restored = PartitionActor.fromImage(
        decodeSnapshot(encodeSnapshot(actor.image(), 5)).image,
      );
      expect(partitionContents(restored)).toEqual(partitionContents(actor));
      expect(orderContents([restored])).toEqual(orderContents([actor]));
      expect(restored.orders.unfinished()).toEqual(actor.orders.unfinished());
    }
    const held = engine.actors.flatMap((actor) => [...actor.reservations()]);
    expect(held.some((r) => r.orderId === 'o-1')).toBe(true);
    expect(engine.actors.flatMap((a) => a.orders.unfinished()).map((o) => o.orderId)).toEqual([
      'o-4',
    ]);
  });

  it('still reads snapshots of format 1, from before orders', () => {
    const actor = new PartitionActor(2);
    // Format 1 snapshots predate checksums too: a bare MessagePack map.
    const current = encodeUncheckedSnapshot(actor.image(), 7);
    const { orders: _, ...fields } = new Packr({ useRecords: false }).unpack(current);
    const old = new Packr({ useRecords: false }).pack({ ...fields, formatVersion: 1 });
    const { image } = decodeSnapshot(old);
    expect(image.orders).toEqual([]);
    expect(PartitionActor.fromImage(image).orders.size).toBe(0);
  });
});

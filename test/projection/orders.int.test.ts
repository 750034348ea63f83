// Orders in PostgreSQL: the events a real coordinator logged (over real partition actors), as
// the relay publishes them, projected into order_events, order_snapshots (the seed's
// OrderSnapshots), order_lines and the order_timeline view — the same rows however the events
// are cut into batches and however often runs of them are redelivered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrders } from '../../src/app/orders/orders.ts';
import {
  decodeWireEvent,
  encodeWireEvent,
  isWireOrderEvent,
  toWireEntry,
  wireKeyOfEntry,
} from '../../src/kafka/wire-event.ts';
import { applyBatch } from '../../src/projection/apply-batch.ts';
import type { IncomingMessage } from '../../src/projection/batch-plan.ts';
import { planBatch } from '../../src/projection/batch-planner.ts';
import { manualClock } from '../../src/worker-protocol/clock.ts';
import { MemoryEngine } from '../support/memory-engine.ts';
import { reportingDatabase } from './support/reporting-db.ts';

type Database = Awaited<ReturnType<typeof reportingDatabase>>;
const line = (sku: string, quantity: number) => ({ sku, warehouseId: 'W', quantity });

/** What a coordinator logs for a few orders, each ending differently, as each partition's messages. */
async function orderStory(): Promise<Map<number, IncomingMessage[]>> {
  const clock = manualClock(Date.parse('2030-03-01T10:00:00Z'));
  const engine = new MemoryEngine(4, clock);
  const orders = createOrders({
    engine,
    defaultTtlSeconds: 60,
    linesMax: 10,
    expiryIntervalMs: 100,
    expiryBatchMax: 100,
  });
  for (const sku of ['A', 'B', 'C', 'D']) {
    await engine.submit({ type: 'ReceiveStock', ...line(sku, 10) });
  }
  const step = () => clock.advance(1_000);
  await orders.placeOrder({
    orderId: 'o-1',
    customerId: 'c-1',
    lines: [line('A', 2), line('B', 3), line('C', 1)],
  });
  step();
  await orders.placeOrder({ orderId: 'o-2', lines: [line('A', 1), line('D', 50)] });
  step();
  await orders.changeOrder({ orderId: 'o-1', lines: [line('A', 5), line('C', 0), line('D', 2)] });
  step();
  await orders.confirmOrder({ orderId: 'o-1', lines: [line('B', 1)] });
  step();
  await orders.placeOrder({ orderId: 'o-3', lines: [line('B', 1)], actor: 'shop' });
  await orders.cancelOrder('o-3', 'support');
  await orders.placeOrder({ orderId: 'o-4', lines: [line('C', 4)], ttlSeconds: 5 });
  clock.advance(10_000);
  await orders.expireDueOrders();
  const messages = new Map<number, IncomingMessage[]>();
  engine.logs.forEach((log, partition) => {
    messages.set(
      partition,
      log.map((entry, i) => ({
        offset: String(i),
        key: Buffer.from(wireKeyOfEntry(entry)),
        value: encodeWireEvent(toWireEntry('store-1', entry)),
      })),
    );
  });
  return messages;
}

/** Runs of `size` messages; after each, back by `rewind` (a redelivery). */
async function project(
  db: Database,
  byPartition: Map<number, IncomingMessage[]>,
  size: number,
  rewind: number,
) {
  for (const [partition, messages] of byPartition) {
    let position = 0;
    while (position < messages.length) {
      const end = Math.min(messages.length, position + size);
      await applyBatch(db.pool, planBatch('test-events', partition, messages.slice(position, end)));
      position = end < messages.length ? Math.max(position + 1, end - rewind) : end;
    }
  }
}

const orderTables = async (db: Database) => {
  const query = async (sql: string) => (await db.pool.query(sql)).rows;
  return {
    events: await query('SELECT * FROM stockd.order_events ORDER BY event_id'),
    snapshots: await query(
      'SELECT order_id, customer_id, status, current_qty::int, total_adjustments, last_adjustment_delta::int, last_event_id, last_event_seq::int, order_version, partition, created_at, expires_at, last_updated FROM stockd.order_snapshots ORDER BY order_id',
    ),
    lines: await query('SELECT * FROM stockd.order_lines ORDER BY order_id, sku, warehouse_id'),
  };
};

describe('orders in PostgreSQL', () => {
  let once: Database;
  let again: Database;

  beforeAll(async () => {
    [once, again] = await Promise.all([reportingDatabase(), reportingDatabase()]);
    const messages = await orderStory();
    await project(once, messages, 1_000, 0);
    await project(again, messages, 3, 2);
  });

  afterAll(async () => {
    await Promise.all([once?.close(), again?.close()]);
  });

  it('keeps an OrderSnapshots row per order: current quantity, adjustments, last delta', async () => {
    const { snapshots } = await orderTables(once);
    expect(
      snapshots.map((row) => [
        row.order_id,
        row.status,
        row.current_qty,
        row.total_adjustments,
        row.last_adjustment_delta,
        row.customer_id,
      ]),
    ).toEqual([
      // o-1: 2+3+1 = 6; changed to A 5, B 3, D 2 (+3, -1, +2: net +4, v2); confirmed B 1 of 3.
      ['o-1', 'CONFIRMED', 8, 1, 4, 'c-1'],
      ['o-2', 'FAILED', 51, 0, null, null],
      ['o-3', 'CANCELLED', 1, 0, null, null],
      ['o-4', 'EXPIRED', 4, 0, null, null],
    ]);
    for (const row of snapshots) {
      expect(row.last_event_id).toMatch(/^store-1-\d+-\d+$/);
      expect(row.created_at).toBeInstanceOf(Date);
    }
  });

  it("records who asked for each step: the order's events, and its lines' item events", async () => {
    const { rows } = await once.pool.query(
      "SELECT type, actor FROM stockd.order_events WHERE order_id IN ('o-3', 'o-4') ORDER BY order_id, seq",
    );
    expect(rows).toEqual([
      { type: 'OrderPlaced', actor: 'shop' },
      { type: 'OrderHeld', actor: 'shop' },
      { type: 'OrderCancelled', actor: 'support' },
      { type: 'OrderSettled', actor: 'support' },
      // Placed without an actor, expired by stockd itself.
      { type: 'OrderPlaced', actor: null },
      { type: 'OrderHeld', actor: null },
      { type: 'OrderExpired', actor: null },
      { type: 'OrderSettled', actor: null },
    ]);
    const lineEvents = await once.pool.query(
      `SELECT type, actor FROM stockd.events WHERE reservation_id =
         (SELECT reservation_id FROM stockd.events WHERE idempotency_key = 'o-3') ORDER BY seq`,
    );
    expect(lineEvents.rows).toEqual([
      { type: 'StockReserved', actor: 'shop' },
      { type: 'ReservationReleased', actor: 'support' },
    ]);
  });

  it('keeps a row per order line, with its hold or the code it failed with', async () => {
    const { lines } = await orderTables(once);
    const of = (orderId: string) =>
      lines
        .filter((row) => row.order_id === orderId)
        .map((row) => [row.sku, Number(row.quantity), row.reservation_id !== null, row.code]);
    expect(of('o-1')).toEqual([
      ['A', 5, true, null],
      ['B', 1, true, null],
      ['C', 0, true, null],
      ['D', 2, true, null],
    ]);
    expect(of('o-2')).toEqual([
      ['A', 1, false, 'LINKED_LINE_FAILED'],
      ['D', 50, false, 'INSUFFICIENT_STOCK'],
    ]);
  });

  it('answers an order timeline as SQL: versions, per-line deltas, statuses, times', async () => {
    const { rows } = await once.pool.query(
      `SELECT type, status, version, sku, quantity::int, delta::int
         FROM stockd.order_timeline WHERE order_id = 'o-1' ORDER BY seq, sku`,
    );
    expect(rows.filter((r) => r.type === 'OrderQuantityAdjusted')).toEqual([
      {
        type: 'OrderQuantityAdjusted',
        status: 'HELD',
        version: 2,
        sku: 'A',
        quantity: 5,
        delta: 3,
      },
      {
        type: 'OrderQuantityAdjusted',
        status: 'HELD',
        version: 2,
        sku: 'C',
        quantity: 0,
        delta: -1,
      },
      {
        type: 'OrderQuantityAdjusted',
        status: 'HELD',
        version: 2,
        sku: 'D',
        quantity: 2,
        delta: 2,
      },
    ]);
    expect([...new Set(rows.map((r) => r.type))]).toEqual([
      'OrderPlaced',
      'OrderHeld',
      'OrderChangeRequested',
      'OrderQuantityAdjusted',
      'OrderConfirmed',
      'OrderSettled',
    ]);
  });

  it('writes the same rows whatever the batches and redeliveries', async () => {
    const [a, b] = await Promise.all([orderTables(once), orderTables(again)]);
    const withoutProjectionTimes = (rows: Record<string, unknown>[]) =>
      rows.map(({ projected_at: _, ...row }) => row);
    expect(withoutProjectionTimes(b.events)).toEqual(withoutProjectionTimes(a.events));
    expect(b.snapshots).toEqual(a.snapshots);
    expect(b.lines).toEqual(a.lines);
  });

  it('keeps the raw event of every order event: the payload decodes to it', async () => {
    const { rows } = await once.pool.query<{ event_id: string; payload: Buffer }>(
      'SELECT event_id, payload FROM stockd.order_events',
    );
    const sent = [...(await orderStory()).values()]
      .flat()
      .map((message) => decodeWireEvent(message.value!))
      .filter(isWireOrderEvent);
    expect(rows.length).toBeGreaterThan(5);
    expect(new Map(rows.map((row) => [row.event_id, decodeWireEvent(row.payload)]))).toEqual(
      new Map(sent.map((event) => [event.eventId, event])),
    );
  });
});

// The projection's SQL against a real PostgreSQL, without Kafka: every event once, the levels
// and reservations stockd holds, daily closes and movements — and exactly the same rows however
// the events are cut into batches and however often runs of them are redelivered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemKeyOf } from '../../src/domain/item-key.ts';
import { utcDayOf } from '../../src/projection/day-closes.ts';
import { createEventStream, levelsAsOf } from '../fixtures/wire-event-stream.ts';
import { applyEvents } from './support/apply-events.ts';
import { projectedContents, reportingDatabase } from './support/reporting-db.ts';

type Database = Awaited<ReturnType<typeof reportingDatabase>>;

describe('applying batches to PostgreSQL', () => {
  // ~3,000 events over about a month: every path of the daily closes is taken.
  const stream = createEventStream({
    seed: 3,
    skuCount: 15,
    warehouseCount: 3,
    stepMsMax: 30 * 60_000,
  });
  // A third of the commands named who issued them (an API key's name).
  const events = stream
    .take(3_000)
    .map((event, i) => (i % 3 === 0 ? { ...event, actor: `key-${i % 4}` } : event));
  let once: Database;
  let again: Database;

  beforeAll(async () => {
    [once, again] = await Promise.all([reportingDatabase(), reportingDatabase()]);
    const sizes = [1, 7, 50, 3, 200, 1, 1, 13];
    await applyEvents(once.pool, events, (position) => sizes[position % sizes.length]!);
  });

  afterAll(async () => {
    await Promise.all([once?.close(), again?.close()]);
  });

  it('stores every event exactly once', async () => {
    const { rows } = await once.pool.query(
      'SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS distinct_ids FROM stockd.events',
    );
    expect(rows[0]).toEqual({ n: events.length, distinct_ids: events.length });
  });

  it("stores the actor of each event's command, and NULL where it had none", async () => {
    const { rows } = await once.pool.query<{ event_id: string; actor: string | null }>(
      'SELECT event_id, actor FROM stockd.events',
    );
    const actors = new Map(rows.map((row) => [row.event_id, row.actor]));
    expect(actors).toEqual(new Map(events.map((event) => [event.eventId, event.actor ?? null])));
    const timeline = await once.pool.query(
      'SELECT count(*)::int AS n FROM stockd.reservation_timeline WHERE actor IS NOT NULL',
    );
    expect(timeline.rows[0].n).toBe(
      events.filter((event) => event.actor !== undefined && event.reservationId !== undefined)
        .length,
    );
  });

  it('holds the levels stockd holds, with the seq of the last event applied', async () => {
    const { rows } = await once.pool.query(
      `SELECT sku, warehouse_id, total_qty::int, reserved_qty::int, available_qty::int, status,
              item_version::int, last_applied_seq::int, (extract(epoch FROM updated_at) * 1000)::bigint::text AS at
         FROM stockd.levels`,
    );
    const expected = [...stream.items.values()].map((item) => ({
      sku: item.sku,
      warehouse_id: item.warehouseId,
      total_qty: item.totalQty,
      reserved_qty: item.reservedQty,
      available_qty: item.totalQty - item.reservedQty,
      status: item.status,
      item_version: item.version,
      last_applied_seq: item.lastSeq,
      at: String(item.updatedAtMs),
    }));
    const byItem = (list: { sku: string; warehouse_id: string }[]) =>
      new Map(list.map((row) => [itemKeyOf(row.sku, row.warehouse_id), row]));
    expect(byItem(rows)).toEqual(byItem(expected));
  });

  it('holds each reservation with its counts, last delta and quantity history', async () => {
    const { rows } = await once.pool.query(
      `SELECT r.reservation_id, r.status, r.quantity::int, r.version, r.total_adjustments,
              r.last_delta::int, r.idempotency_key,
              (SELECT count(*)::int FROM stockd.reservation_adjustments a
                WHERE a.reservation_id = r.reservation_id) AS history
         FROM stockd.reservations r`,
    );
    expect(rows).toHaveLength(stream.reservations.size);
    for (const row of rows) {
      const model = stream.reservations.get(row.reservation_id)!;
      expect(row).toEqual({
        reservation_id: model.reservationId,
        status: model.status,
        quantity: model.quantity,
        version: model.version,
        total_adjustments: model.adjustments,
        last_delta: model.lastDelta ?? null,
        idempotency_key: model.idempotencyKey,
        history: 1 + model.adjustments,
      });
    }
  });

  it('closes each day of each item with its levels after its last event of that day', async () => {
    const { rows } = await once.pool.query(
      `SELECT sku, warehouse_id, to_char(day, 'YYYY-MM-DD') AS day, total_qty::int,
              reserved_qty::int, last_event_id FROM stockd.level_snapshots`,
    );
    expect(rows.length).toBeGreaterThan(100);
    for (const row of rows) {
      const endOfDayMs = Date.parse(`${row.day}T00:00:00Z`) + 86_400_000 - 1;
      const reference = levelsAsOf(events, row.sku, row.warehouse_id, endOfDayMs)!;
      expect(row).toMatchObject({
        total_qty: reference.totalQty,
        reserved_qty: reference.reservedQty,
        last_event_id: reference.eventId,
      });
    }
    // Every item-day that was followed by a later active day has its close.
    const expectedCloses = new Set<string>();
    const lastDay = new Map<string, string>();
    for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
      const key = itemKeyOf(event.sku, event.warehouseId);
      const day = utcDayOf(event.timestampMs);
      const previous = lastDay.get(key);
      if (previous !== undefined && previous < day) expectedCloses.add(`${key}|${previous}`);
      lastDay.set(key, day);
    }
    expect(new Set(rows.map((r) => `${itemKeyOf(r.sku, r.warehouse_id)}|${r.day}`))).toEqual(
      expectedCloses,
    );
  });

  it('sums stock movements per warehouse per day', async () => {
    const { rows } = await once.pool.query(
      `SELECT warehouse_id, to_char(day, 'YYYY-MM-DD') AS day, events::int, received_qty::int,
              confirmed_qty::int, net_total_change::int, net_reserved_change::int
         FROM stockd.daily_movements`,
    );
    const expected = new Map<string, Record<string, number | string>>();
    for (const event of events) {
      const day = utcDayOf(event.timestampMs);
      const key = `${event.warehouseId}|${day}`;
      const sums = expected.get(key) ?? {
        warehouse_id: event.warehouseId,
        day,
        events: 0,
        received_qty: 0,
        confirmed_qty: 0,
        net_total_change: 0,
        net_reserved_change: 0,
      };
      (sums.events as number)++;
      if (event.type === 'StockReceived') (sums.received_qty as number) += event.totalDelta;
      if (event.type === 'ReservationConfirmed')
        (sums.confirmed_qty as number) -= event.reservedDelta;
      (sums.net_total_change as number) += event.totalDelta;
      (sums.net_reserved_change as number) += event.reservedDelta;
      expected.set(key, sums);
    }
    expect(new Map(rows.map((row) => [`${row.warehouse_id}|${row.day}`, row]))).toEqual(expected);
  });

  it('writes the same rows however the events are cut and however often they are redelivered', async () => {
    let turn = 0;
    await applyEvents(
      again.pool,
      events,
      (position) => 1 + ((position * 7919 + turn++ * 31) % 97),
      // Every third run, go back up to 60 events: they are applied again, overlapping.
      (end) => (turn % 3 === 0 ? end - (turn % 60) : end),
    );
    expect(await projectedContents(again.pool)).toEqual(await projectedContents(once.pool));
  });

  it('refuses to edit or delete stored events', async () => {
    await expect(once.pool.query('UPDATE stockd.events SET total_qty = 0')).rejects.toThrow(
      /append-only/,
    );
    await expect(once.pool.query('DELETE FROM stockd.events')).rejects.toThrow(/append-only/);
  });
});

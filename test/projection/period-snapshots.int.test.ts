// Period snapshots against a real PostgreSQL with the clock injected: the timer closes a period
// once the clock passes its end (also for quiet items and for a period whose events were all
// "today"), from the events table, exactly once across restarts and replays, catching up after
// being down, corrected by events that arrive late — and the report queries of
// docs/reporting.md, run as the document prints them, answer the levels at the quarter's end.
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventSchemaVersion } from '../../src/checkpoint/logged-event.ts';
import type { SnapshotPeriod } from '../../src/config/schema.ts';
import { itemKeyOf } from '../../src/domain/item-key.ts';
import { decodeWireEvent, encodeWireEvent, type WireEvent } from '../../src/kafka/wire-event.ts';
import { createPeriodCloser, type PeriodCloser } from '../../src/projection/period-closer.ts';
import { periodOf } from '../../src/projection/periods.ts';
import { insertEvents } from '../../src/projection/sql/events.ts';
import { shareSnapshotLock } from '../../src/projection/sql/period-snapshots.ts';
import { type ManualClock, manualClock } from '../../src/worker-protocol/clock.ts';
import { createEventStream, levelsAsOf } from '../fixtures/wire-event-stream.ts';
import { waitFor } from '../support/wait-for.ts';
import { applyEvents } from './support/apply-events.ts';
import { eventTopic } from './support/event-topic.ts';
import { quietLogger, startTestProjection } from './support/projection-under-test.ts';
import { reportingDatabase } from './support/reporting-db.ts';

type Database = Awaited<ReturnType<typeof reportingDatabase>>;

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
const at = (iso: string) => Date.parse(iso);

/** Hand-made item events: one chain per item, seq dense per partition. */
function itemEvents() {
  const seqs = new Map<number, number>();
  const items = new Map<string, { version: number; lastSeq: number; total: number }>();
  const events: WireEvent[] = [];
  return {
    events,
    /** The item's stock becomes `total` at `atMs` (a receipt or a count). */
    set(sku: string, warehouseId: string, atMs: number, total: number, partition = 0): WireEvent {
      const seq = (seqs.get(partition) ?? 0) + 1;
      seqs.set(partition, seq);
      const key = itemKeyOf(sku, warehouseId);
      const item = items.get(key) ?? { version: 0, lastSeq: 0, total: 0 };
      const event: WireEvent = {
        schemaVersion: eventSchemaVersion,
        eventId: `store-p-${partition}-${seq}`,
        partition,
        seq,
        type: item.version === 0 ? 'StockReceived' : 'StockAdjusted',
        sku,
        warehouseId,
        timestampMs: atMs,
        totalDelta: total - item.total,
        reservedDelta: 0,
        totalQty: total,
        reservedQty: 0,
        availableQty: total,
        status: 'ACTIVE',
        itemVersion: item.version + 1,
        itemPreviousSeq: item.lastSeq,
        ...(item.version === 0 ? { quantity: total } : { reason: 'count' }),
      };
      items.set(key, { version: item.version + 1, lastSeq: seq, total });
      events.push(event);
      return event;
    },
  };
}

interface SnapshotRow {
  period: string;
  start: string;
  sku: string;
  warehouse_id: string;
  total_qty: number;
  last_event_id: string;
}

async function snapshots(db: Database): Promise<SnapshotRow[]> {
  const { rows } = await db.pool.query<SnapshotRow>(
    `SELECT period, to_char(period_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24') AS start, sku,
            warehouse_id, total_qty::int, last_event_id
       FROM stockd.period_snapshots ORDER BY period, period_start, sku, warehouse_id`,
  );
  return rows;
}

async function closedPeriods(db: Database): Promise<string[]> {
  const { rows } = await db.pool.query<{ p: string }>(
    `SELECT period || ' ' || to_char(period_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24') AS p
       FROM stockd.snapshot_periods ORDER BY period, period_start`,
  );
  return rows.map((row) => row.p);
}

/** Applies events as the projector would: each partition in runs of 5, in log order. */
const project = (db: Database, events: readonly WireEvent[]) =>
  applyEvents(db.pool, events, () => 5);

/** The SQL block of docs/reporting.md that follows `<!-- report: NAME -->`. */
function reportQuery(name: string): string {
  const doc = readFileSync(new URL('../../docs/reporting.md', import.meta.url), 'utf8');
  const match = new RegExp(`<!-- report: ${name} -->\\n\`\`\`sql\\n([\\s\\S]*?)\`\`\``).exec(doc);
  if (match === null) throw new Error(`docs/reporting.md has no report "${name}"`);
  return match[1]!;
}

describe('period snapshots', () => {
  let db: Database;
  let closers: PeriodCloser[] = [];
  let behind: number[] | undefined = [];
  const closerOn = (clock: ManualClock, period: SnapshotPeriod = 'day', checkIntervalMs = 10) => {
    const closer = createPeriodCloser({
      pool: db.pool,
      period,
      topic: 'test-events', // applyEvents' topic
      partitionsBehind: () => behind,
      nowMs: clock.nowMs,
      logger: quietLogger,
      checkIntervalMs,
      fail: (error) => {
        throw error;
      },
    });
    closers.push(closer);
    return closer;
  };

  beforeAll(async () => {
    db = await reportingDatabase();
  });
  afterEach(async () => {
    await Promise.all(closers.map((closer) => closer.stop()));
    closers = [];
    behind = [];
    await db.close();
    db = await reportingDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('closes a period whose events all happened "today" once the clock passes its end, by the timer', async () => {
    const stream = itemEvents();
    stream.set('SKU-1', 'WH-1', at('2025-03-10T08:00:00Z'), 5);
    stream.set('SKU-1', 'WH-1', at('2025-03-10T23:59:59.999Z'), 7);
    stream.set('SKU-2', 'WH-1', at('2025-03-10T12:00:00Z'), 3);
    await project(db, stream.events);
    const clock = manualClock(at('2025-03-10T23:59:59.999Z'));
    const closer = closerOn(clock);
    closer.start();
    // The timer looks many times; nothing has ended yet.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await closedPeriods(db)).toEqual([]);
    expect(await snapshots(db)).toEqual([]);

    clock.advance(1); // midnight: the day is over
    await waitFor(async () => (await closedPeriods(db)).length > 0, {
      timeoutMs: 10_000,
      what: 'the timer to close 2025-03-10',
    });
    expect(await closedPeriods(db)).toEqual(['day 2025-03-10T00']);
    expect(await snapshots(db)).toEqual([
      {
        period: 'day',
        start: '2025-03-10T00',
        sku: 'SKU-1',
        warehouse_id: 'WH-1',
        total_qty: 7,
        last_event_id: stream.events[1]!.eventId,
      },
      {
        period: 'day',
        start: '2025-03-10T00',
        sku: 'SKU-2',
        warehouse_id: 'WH-1',
        total_qty: 3,
        last_event_id: stream.events[2]!.eventId,
      },
    ]);
  });

  it('gives an item that goes quiet the close of the period it changed in, and every period its row', async () => {
    const stream = itemEvents();
    stream.set('QUIET', 'WH-1', at('2025-03-10T09:00:00Z'), 10);
    stream.set('BUSY', 'WH-1', at('2025-03-10T09:00:00Z'), 1);
    stream.set('BUSY', 'WH-1', at('2025-03-11T09:00:00Z'), 2);
    stream.set('BUSY', 'WH-1', at('2025-03-12T09:00:00Z'), 3);
    const clock = manualClock(at('2025-03-10T10:00:00Z'));
    await project(db, stream.events.slice(0, 2));
    const closer = closerOn(clock);
    expect(await closer.closeDue()).toBe(0);
    clock.set(at('2025-03-11T10:00:00Z'));
    await project(db, stream.events.slice(2, 3));
    expect(await closer.closeDue()).toBe(1);
    clock.set(at('2025-03-12T10:00:00Z'));
    await project(db, stream.events.slice(3));
    expect(await closer.closeDue()).toBe(1);
    clock.set(at('2025-03-14T00:00:00Z'));
    expect(await closer.closeDue()).toBe(2);

    expect(await closedPeriods(db)).toEqual([
      'day 2025-03-10T00',
      'day 2025-03-11T00',
      'day 2025-03-12T00',
      'day 2025-03-13T00',
    ]);
    expect((await snapshots(db)).map((r) => `${r.start} ${r.sku} ${r.total_qty}`)).toEqual([
      '2025-03-10T00 BUSY 1',
      '2025-03-10T00 QUIET 10',
      '2025-03-11T00 BUSY 2',
      '2025-03-12T00 BUSY 3',
    ]);
  });

  it("closes a period with the item's last event before its end, even with the next period's events already projected", async () => {
    const stream = itemEvents();
    stream.set('SKU-1', 'WH-1', at('2025-03-10T10:00:00Z'), 5);
    stream.set('SKU-1', 'WH-1', at('2025-03-10T23:00:00Z'), 7);
    stream.set('SKU-1', 'WH-1', at('2025-03-11T00:00:00Z'), 9); // the next day's first instant
    stream.set('SKU-1', 'WH-1', at('2025-03-11T01:00:00Z'), 11);
    await project(db, stream.events);
    const closer = closerOn(manualClock(at('2025-03-11T02:00:00Z')));
    expect(await closer.closeDue()).toBe(1);
    expect((await snapshots(db)).map((r) => [r.start, r.total_qty, r.last_event_id])).toEqual([
      ['2025-03-10T00', 7, stream.events[1]!.eventId],
    ]);
  });

  it('writes each close once: a restarted closer and a replay of every event change nothing', async () => {
    const events = createEventStream({ seed: 5, skuCount: 6, stepMsMax: 40 * 60_000 }).take(600);
    await project(db, events);
    const endMs = periodOf('day', events.at(-1)!.timestampMs).endMs;
    const clock = manualClock(endMs);
    expect(await closerOn(clock).closeDue()).toBeGreaterThan(3);
    const before = JSON.stringify(await snapshots(db));
    const periodsBefore = await closedPeriods(db);

    // A restart: a new closer finds everything closed.
    expect(await closerOn(clock).closeDue()).toBe(0);
    // A replay: every event delivered again, in other runs, and closes tried again.
    await applyEvents(db.pool, events, (position) => 1 + (position % 17));
    const again = closerOn(clock);
    expect(await again.closeDue()).toBe(0);
    expect(JSON.stringify(await snapshots(db))).toBe(before);
    expect(await closedPeriods(db)).toEqual(periodsBefore);
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS n, count(DISTINCT (period, period_start, sku, warehouse_id))::int AS keys
         FROM stockd.period_snapshots`,
    );
    expect(rows[0].n).toBe(rows[0].keys);
  });

  it('catches up on start after being down across period ends: every period from the events table', async () => {
    // About four days of events, hourly snapshots, the closer first started a day later.
    const events = createEventStream({ seed: 9, skuCount: 5, stepMsMax: 20 * 60_000 }).take(700);
    await project(db, events);
    const lastMs = events.at(-1)!.timestampMs;
    const clock = manualClock(lastMs + dayMs);
    const closer = closerOn(clock, 'hour');
    closer.start();
    const firstHour = periodOf('hour', events[0]!.timestampMs).startMs;
    const expectedPeriods = Math.floor((clock.nowMs() - firstHour) / hourMs);
    await waitFor(async () => (await closedPeriods(db)).length === expectedPeriods, {
      timeoutMs: 60_000,
      what: `${expectedPeriods} hours closed`,
    });
    await expectCloses(db, events, 'hour');
  });

  it('corrects a close when events of its period arrive after it (a projector behind, a late partition)', async () => {
    const stream = itemEvents();
    stream.set('SKU-1', 'WH-1', at('2025-03-10T08:00:00Z'), 5, 0);
    stream.set('SKU-1', 'WH-1', at('2025-03-10T20:00:00Z'), 6, 0);
    stream.set('SKU-2', 'WH-1', at('2025-03-10T21:00:00Z'), 4, 1);
    stream.set('SKU-1', 'WH-1', at('2025-03-11T08:00:00Z'), 8, 0);
    const [first, second, otherPartition, nextDay] = stream.events as [
      WireEvent,
      WireEvent,
      WireEvent,
      WireEvent,
    ];
    const clock = manualClock(at('2025-03-11T00:00:01Z'));
    await project(db, [first]);
    expect(await closerOn(clock).closeDue()).toBe(1);
    expect((await snapshots(db)).map((r) => [r.sku, r.total_qty])).toEqual([['SKU-1', 5]]);

    await project(db, [first, second, otherPartition, nextDay]);
    expect((await snapshots(db)).map((r) => [r.sku, r.total_qty, r.last_event_id])).toEqual([
      ['SKU-1', 6, second.eventId],
      ['SKU-2', 4, otherPartition.eventId],
    ]);
    // Redelivering the older event does not move the close back.
    await project(db, [first]);
    expect((await snapshots(db)).map((r) => [r.sku, r.total_qty])).toEqual([
      ['SKU-1', 6],
      ['SKU-2', 4],
    ]);
  });

  it('waits with a close while a partition it is behind on has not passed the end in PostgreSQL', async () => {
    const stream = itemEvents();
    stream.set('SKU-1', 'WH-1', at('2025-03-10T08:00:00Z'), 5, 0);
    stream.set('SKU-2', 'WH-1', at('2025-03-10T09:00:00Z'), 3, 1);
    stream.set('SKU-2', 'WH-1', at('2025-03-10T22:00:00Z'), 4, 1); // in partition 1's backlog
    stream.set('SKU-2', 'WH-1', at('2025-03-11T01:00:00Z'), 6, 1);
    const [first, second, backlog, nextDay] = stream.events as [
      WireEvent,
      WireEvent,
      WireEvent,
      WireEvent,
    ];
    const closer = closerOn(manualClock(at('2025-03-11T02:00:00Z')));
    await project(db, [first, second]);
    behind = undefined; // just started: how far behind is not known yet
    expect(await closer.closeDue()).toBe(0);
    behind = [1];
    expect(await closer.closeDue()).toBe(0);
    expect(await closedPeriods(db)).toEqual([]);

    await project(db, [backlog, nextDay]); // partition 1 passed the end
    expect(await closer.closeDue()).toBe(1);
    expect((await snapshots(db)).map((r) => [r.sku, r.total_qty, r.last_event_id])).toEqual([
      ['SKU-1', 5, first.eventId],
      ['SKU-2', 4, backlog.eventId],
    ]);
  });

  it('closes only after the batches in flight committed, so it sees their events (the lock)', async () => {
    const stream = itemEvents();
    stream.set('SKU-1', 'WH-1', at('2025-03-10T08:00:00Z'), 5);
    stream.set('SKU-1', 'WH-1', at('2025-03-10T20:00:00Z'), 6);
    await project(db, stream.events.slice(0, 1));
    // A batch in flight: its events inserted, its shared lock held, not committed yet.
    const batch = await db.pool.connect();
    try {
      await batch.query('BEGIN');
      const [late] = stream.events.slice(1);
      await batch.query(insertEvents([late!], [encodeWireEvent(late!)]));
      await batch.query(shareSnapshotLock);
      const closing = closerOn(manualClock(at('2025-03-11T00:00:00Z'))).closeDue();
      await waitFor(
        async () => {
          const { rows } = await db.pool.query(
            `SELECT count(*)::int AS n FROM pg_locks
                WHERE locktype = 'advisory' AND NOT granted
                  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
          );
          return rows[0].n === 1;
        },
        { timeoutMs: 10_000, what: 'the close to wait for the lock' },
      );
      await batch.query('COMMIT');
      expect(await closing).toBe(1);
    } finally {
      batch.release();
    }
    expect((await snapshots(db)).map((r) => [r.sku, r.total_qty])).toEqual([['SKU-1', 6]]);
  });

  it('gives every item and period the levels after its last event before the end (a month of events)', async () => {
    const events = createEventStream({ seed: 3, skuCount: 15, stepMsMax: 30 * 60_000 }).take(3_000);
    const clock = manualClock(events[0]!.timestampMs);
    const closer = closerOn(clock);
    // The clock moves with the events, closing as it goes, as in production.
    for (let start = 0; start < events.length; start += 250) {
      const run = events.slice(start, start + 250);
      await project(db, run);
      clock.set(Math.max(clock.nowMs(), run.at(-1)!.timestampMs));
      await closer.closeDue();
    }
    clock.set(periodOf('day', events.at(-1)!.timestampMs).endMs);
    await closer.closeDue();
    await expectCloses(db, events, 'day');
  });

  it('answers the quarterly and yearly reports of docs/reporting.md with the levels at each quarter end', async () => {
    const stream = itemEvents();
    stream.set('SKU-A', 'WH-1', at('2025-01-05T10:00:00Z'), 100);
    stream.set('SKU-A', 'WH-1', at('2025-03-31T23:30:00Z'), 80); // last of Q1
    stream.set('SKU-A', 'WH-1', at('2025-04-01T00:00:00Z'), 60); // first of Q2
    stream.set('SKU-B', 'WH-1', at('2025-02-14T12:00:00Z'), 25); // quiet after February
    stream.set('SKU-C', 'WH-1', at('2025-05-20T12:00:00Z'), 7); // born in Q2
    stream.set('SKU-A', 'WH-2', at('2025-03-01T12:00:00Z'), 999); // another warehouse
    stream.set('SKU-A', 'WH-1', at('2025-08-08T08:00:00Z'), 50);
    stream.set('SKU-B', 'WH-1', at('2025-12-31T23:59:59.999Z'), 30); // the year's last instant
    await project(db, stream.events);
    expect(await closerOn(manualClock(at('2026-01-01T00:00:00Z'))).closeDue()).toBe(361);

    const quarterly = await db.pool.query(reportQuery('quarterly'));
    expect(
      quarterly.rows.map((r) => [r.sku, Number(r.total_qty), Number(r.available_qty)]),
    ).toEqual([
      ['SKU-A', 80, 80],
      ['SKU-B', 25, 25],
    ]);
    expect(quarterly.rows[0].snapshot_end.toISOString()).toBe('2025-04-01T00:00:00.000Z');
    expect(quarterly.rows[0].last_event_id).toBe(stream.events[1]!.eventId);

    const yearly = await db.pool.query(reportQuery('yearly'));
    expect(
      yearly.rows.map((r) => [
        r.quarter_end.toISOString().slice(0, 10),
        r.sku,
        Number(r.total_qty),
      ]),
    ).toEqual([
      ['2025-04-01', 'SKU-A', 80],
      ['2025-04-01', 'SKU-B', 25],
      ['2025-07-01', 'SKU-A', 60],
      ['2025-07-01', 'SKU-B', 25],
      ['2025-07-01', 'SKU-C', 7],
      ['2025-10-01', 'SKU-A', 50],
      ['2025-10-01', 'SKU-B', 25],
      ['2025-10-01', 'SKU-C', 7],
      ['2026-01-01', 'SKU-A', 50],
      ['2026-01-01', 'SKU-B', 30],
      ['2026-01-01', 'SKU-C', 7],
    ]);
  });

  it('keeps the raw event: the payload decodes to the event projected', async () => {
    const events = createEventStream({ seed: 4 })
      .take(300)
      .map((event, i) => (i % 2 === 0 ? { ...event, actor: 'key-1' } : event));
    await project(db, events);
    const { rows } = await db.pool.query<{ event_id: string; payload: Buffer }>(
      'SELECT event_id, payload FROM stockd.events',
    );
    expect(rows).toHaveLength(events.length);
    const decoded = new Map(rows.map((row) => [row.event_id, decodeWireEvent(row.payload)]));
    expect(decoded).toEqual(new Map(events.map((event) => [event.eventId, event])));
  });
});

describe('period snapshots written by the projector', () => {
  let db: Database;
  let topic: Awaited<ReturnType<typeof eventTopic>>;
  beforeAll(async () => {
    [db, topic] = await Promise.all([reportingDatabase(), eventTopic(3)]);
  });
  afterAll(async () => {
    await Promise.allSettled([db?.close(), topic?.close()]);
  });

  it('closes each hour on its clock from Kafka to PostgreSQL, and a restart writes nothing twice', async () => {
    const stream = createEventStream({ seed: 21, partitionCount: 3, stepMsMax: 5 * 60_000 });
    const events = stream.take(400);
    const clock = manualClock(events[0]!.timestampMs);
    const settings = {
      brokers: topic.brokers,
      databaseUrl: db.url,
      topic: topic.topic,
      groupId: `stockd-period-snapshots-it-${Date.now()}`,
      env: { STOCKD_SNAPSHOT_PERIOD: 'hour' },
      nowMs: clock.nowMs,
      snapshotCheckIntervalMs: 10,
    };
    await topic.publish(events);
    const projection = await startTestProjection(settings);
    try {
      await topic.waitUntilCaughtUp(projection.groupId);
      // Every event is in PostgreSQL, but the clock is still in the first hour.
      expect(await closedPeriods(db)).toEqual([]);
      clock.set(periodOf('hour', events.at(-1)!.timestampMs).endMs);
      const hours = (clock.nowMs() - periodOf('hour', events[0]!.timestampMs).startMs) / hourMs;
      await waitFor(async () => (await closedPeriods(db)).length === hours, {
        timeoutMs: 30_000,
        what: `${hours} hours closed`,
      });
      await expectCloses(db, events, 'hour');
    } finally {
      await projection.stop();
    }
    const before = JSON.stringify(await snapshots(db));
    const again = await startTestProjection(settings);
    try {
      await new Promise((resolve) => setTimeout(resolve, 200)); // its closer looked
      expect(JSON.stringify(await snapshots(db))).toBe(before);
    } finally {
      await again.stop();
    }
  });
});

/** Every (item, period) with events has exactly one row: its newest event before the end. */
async function expectCloses(db: Database, events: readonly WireEvent[], period: SnapshotPeriod) {
  const { rows } = await db.pool.query(
    `SELECT sku, warehouse_id, (extract(epoch FROM period_start) * 1000)::bigint::text AS start_ms,
            (extract(epoch FROM period_end) * 1000)::bigint::text AS end_ms, total_qty::int,
            reserved_qty::int, item_version::int, last_event_id
       FROM stockd.period_snapshots WHERE period = $1`,
    [period],
  );
  const expected = new Map<string, unknown>();
  for (const event of events) {
    const { startMs, endMs } = periodOf(period, event.timestampMs);
    const reference = levelsAsOf(events, event.sku, event.warehouseId, endMs - 1)!;
    expected.set(`${itemKeyOf(event.sku, event.warehouseId)}@${startMs}`, {
      sku: event.sku,
      warehouse_id: event.warehouseId,
      start_ms: String(startMs),
      end_ms: String(endMs),
      total_qty: reference.totalQty,
      reserved_qty: reference.reservedQty,
      item_version: reference.itemVersion,
      last_event_id: reference.eventId,
    });
  }
  const actual = new Map(
    rows.map((row) => [`${itemKeyOf(row.sku, row.warehouse_id)}@${row.start_ms}`, row]),
  );
  expect(actual.size).toBeGreaterThan(20);
  expect(actual).toEqual(expected);
}

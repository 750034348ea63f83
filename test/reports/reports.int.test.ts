// The report routes through stockd's own HTTP app (buildApp, inject) over a reporting database
// filled by the projection's SQL: as-of levels equal the reference answer (the item's newest
// event at or before the instant) at every kind of instant, timelines and movements are
// complete, bad input gets 400 VALIDATION, a database that is away gets 503.
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inventory } from '../../src/app/inventory.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { Engine } from '../../src/engine/engine.ts';
import { buildApp } from '../../src/ingress/http/app.ts';
import type { WireEvent } from '../../src/kafka/wire-event.ts';
import { createPool } from '../../src/postgres/pool.ts';
import { reportsPlugin } from '../../src/reports/reports-plugin.ts';
import { createEventStream, levelsAsOf } from '../fixtures/wire-event-stream.ts';
import { applyEvents } from '../projection/support/apply-events.ts';
import { quietLogger } from '../projection/support/projection-under-test.ts';
import { reportingDatabase } from '../projection/support/reporting-db.ts';

type Database = Awaited<ReturnType<typeof reportingDatabase>>;

// Report routes never touch the engine; the rest of the app is only built, not used.
const noEngine = {} as Engine;
const noInventory = {} as Inventory;

async function reportsApp(pool: Parameters<typeof reportsPlugin>[0]['pool'], migrate = true) {
  return buildApp({
    inventory: noInventory,
    engine: noEngine,
    config: loadConfig({}),
    metrics: new Registry(),
    logger: quietLogger,
    plugins: [reportsPlugin({ pool, migrate })],
  });
}

const expectedLevels = (event: WireEvent) => ({
  sku: event.sku,
  warehouseId: event.warehouseId,
  totalQty: event.totalQty,
  reservedQty: event.reservedQty,
  availableQty: event.availableQty,
  status: event.status,
  version: event.itemVersion,
  updatedAt: new Date(event.timestampMs).toISOString(),
  lastEventId: event.eventId,
});

describe('reports', () => {
  const stream = createEventStream({
    seed: 5,
    skuCount: 12,
    warehouseCount: 3,
    stepMsMax: 45 * 60_000,
  });
  const events = stream.take(2_500);
  const firstMs = events[0]!.timestampMs;
  const lastMs = events.at(-1)!.timestampMs;
  let database: Database;
  let app: FastifyInstance;

  beforeAll(async () => {
    database = await reportingDatabase({ migrated: false });
    app = await reportsApp(database.pool); // migrates on setup
    await applyEvents(database.pool, events, (position) => 1 + (position % 40));
  });

  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  const get = async (url: string) => {
    const response = await app.inject({ method: 'GET', url });
    return { status: response.statusCode, body: response.json() };
  };

  it('answers "levels of item X as of T" like the events say, at every kind of instant', async () => {
    const dayMs = 86_400_000;
    const instants = new Set<number>([firstMs - 1, firstMs, lastMs, lastMs + dayMs * 3]);
    for (let i = 0; i < events.length; i += 37) {
      const at = events[i]!.timestampMs;
      const dayStart = Math.floor(at / dayMs) * dayMs;
      for (const instant of [at, at - 1, dayStart, dayStart - 1, dayStart + dayMs - 1]) {
        instants.add(instant);
      }
    }
    const items = [...stream.items.values()].filter((_, i) => i % 4 === 0);
    let compared = 0;
    for (const item of items) {
      for (const instant of [...instants].filter((_, i) => (i + item.version) % 5 === 0)) {
        const asOf = new Date(instant).toISOString();
        const { status, body } = await get(
          `/reports/levels?sku=${item.sku}&warehouse-id=${item.warehouseId}&asOf=${asOf}`,
        );
        expect(status).toBe(200);
        const reference = levelsAsOf(events, item.sku, item.warehouseId, instant);
        expect(body).toEqual({
          asOf,
          levels: reference === undefined ? [] : [expectedLevels(reference)],
        });
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('lists a warehouse as of an instant, page by page', async () => {
    const instant = Math.round((firstMs + lastMs) / 2);
    const asOf = new Date(instant).toISOString();
    const listed: unknown[] = [];
    let after = '';
    for (let page = 0; page < 20; page++) {
      const { status, body } = await get(
        `/reports/levels?warehouse-id=WH-1&asOf=${asOf}&limit=5${after && `&after=${after}`}`,
      );
      expect(status).toBe(200);
      expect(body.levels.length).toBeLessThanOrEqual(5);
      listed.push(...body.levels);
      if (body.nextAfter === undefined) break;
      after = body.nextAfter;
    }
    const expected = [...stream.items.values()]
      .filter((item) => item.warehouseId === 'WH-1')
      .map((item) => levelsAsOf(events, item.sku, item.warehouseId, instant))
      .filter((event) => event !== undefined)
      .map(expectedLevels);
    const bySku = (list: unknown[]) =>
      new Map((list as { sku: string }[]).map((levels) => [levels.sku, levels]));
    expect(listed).toHaveLength(expected.length);
    expect(bySku(listed)).toEqual(bySku(expected));
  });

  it('lists every warehouse of a SKU now, as stockd holds it', async () => {
    const { body } = await get('/reports/levels?sku=SKU-3');
    const expected = [...stream.items.values()]
      .filter((item) => item.sku === 'SKU-3')
      .map((item) => ({
        sku: item.sku,
        warehouseId: item.warehouseId,
        totalQty: item.totalQty,
        reservedQty: item.reservedQty,
        availableQty: item.totalQty - item.reservedQty,
        status: item.status,
        version: item.version,
        updatedAt: new Date(item.updatedAtMs).toISOString(),
      }));
    expect(
      body.levels.map(({ lastEventId: _, ...levels }: Record<string, unknown>) => levels),
    ).toEqual(expect.arrayContaining(expected));
    expect(body.levels).toHaveLength(expected.length);
  });

  it('gives the same as-of answer in SQL, from the function and from the level_history view', async () => {
    const instant = Math.round(firstMs + (lastMs - firstMs) * 0.3);
    const { rows } = await database.pool.query(
      `SELECT l.sku, l.warehouse_id, f.last_event_id AS from_function, h.event_id AS from_view
         FROM stockd.levels l
         LEFT JOIN LATERAL stockd.item_level_as_of(l.sku, l.warehouse_id, $1) f ON true
         LEFT JOIN stockd.level_history h
           ON h.sku = l.sku AND h.warehouse_id = l.warehouse_id
          AND h.valid_from <= $1 AND (h.valid_until > $1 OR h.valid_until IS NULL)`,
      [new Date(instant)],
    );
    for (const row of rows) {
      const reference = levelsAsOf(events, row.sku, row.warehouse_id, instant)?.eventId ?? null;
      expect([row.from_function, row.from_view]).toEqual([reference, reference]);
    }
  });

  it("shows a reservation's state and full timeline", async () => {
    const adjusted = [...stream.reservations.values()].find(
      (r) => r.adjustments >= 2 && r.status !== 'HELD',
    )!;
    const { status, body } = await get(`/reports/reservations/${adjusted.reservationId}/timeline`);
    expect(status).toBe(200);
    const own = events.filter((event) => event.reservationId === adjusted.reservationId);
    expect(body.reservation).toMatchObject({
      reservationId: adjusted.reservationId,
      idempotencyKey: adjusted.idempotencyKey,
      status: adjusted.status,
      quantity: adjusted.quantity,
      version: adjusted.version,
      totalAdjustments: adjusted.adjustments,
      lastDelta: adjusted.lastDelta,
      createdAt: new Date(adjusted.createdAtMs).toISOString(),
      lastEventId: own.at(-1)!.eventId,
    });
    expect(body.timeline.map((entry: { type: string }) => entry.type)).toEqual(
      own.map((e) => e.type),
    );
    expect(body.timeline.map((entry: { version: number }) => entry.version)).toEqual(
      own.map((e) => e.reservationVersion),
    );
    expect(body.timeline[0]).toMatchObject({ status: 'HELD', delta: own[0]!.quantity });
    expect(body.timeline.at(-1)).toMatchObject({ status: adjusted.status, delta: null });
  });

  it('sums movements per day over a range, every day listed', async () => {
    const from = new Date(firstMs).toISOString().slice(0, 10);
    const to = new Date(lastMs).toISOString().slice(0, 10);
    const { status, body } = await get(
      `/reports/movements?warehouse-id=WH-2&from=${from}&to=${to}`,
    );
    expect(status).toBe(200);
    const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
    expect(body.days).toHaveLength(days);
    const own = events.filter((event) => event.warehouseId === 'WH-2');
    const sum = (field: string) =>
      body.days.reduce((total: number, day: Record<string, number>) => total + day[field]!, 0);
    expect(sum('events')).toBe(own.length);
    expect(sum('receivedQty')).toBe(
      own.filter((e) => e.type === 'StockReceived').reduce((t, e) => t + e.totalDelta, 0),
    );
    expect(sum('expiredQty')).toBe(
      own.filter((e) => e.type === 'ReservationExpired').reduce((t, e) => t - e.reservedDelta, 0),
    );
    expect(sum('netTotalChange')).toBe(own.reduce((t, e) => t + e.totalDelta, 0));
  });

  it.each([
    ['/reports/levels', 400, 'VALIDATION'],
    ['/reports/levels?sku=SKU-1&asOf=yesterday', 400, 'VALIDATION'],
    ['/reports/levels?sku=SKU-1&limit=0', 400, 'VALIDATION'],
    ['/reports/levels?sku=SKU-1&limit=10000', 400, 'VALIDATION'],
    ['/reports/levels?sku=SKU|1', 400, 'VALIDATION'],
    ['/reports/levels?sku=SKU-1&color=red', 400, 'VALIDATION'],
    ['/reports/reservations/not-an-id/timeline', 400, 'VALIDATION'],
    ['/reports/reservations/rsv-0-999999/timeline', 404, 'RESERVATION_NOT_FOUND'],
    ['/reports/movements?warehouse-id=WH-1&from=2025-01-01', 400, 'VALIDATION'],
    ['/reports/movements?warehouse-id=WH-1&from=2025-02-01&to=2025-01-01', 400, 'VALIDATION'],
    ['/reports/movements?warehouse-id=WH-1&from=2024-01-01&to=2025-01-01', 400, 'VALIDATION'],
    ['/reports/movements?warehouse-id=WH-1&from=2025-02-30&to=2025-03-01', 400, 'VALIDATION'],
  ])('GET %s → %i %s', async (url, status, code) => {
    const response = await get(url);
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ statusCode: status, code });
  });

  it('documents the routes in the OpenAPI document', async () => {
    const { body } = await get('/docs/json');
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/reports/levels',
        '/reports/reservations/{id}/timeline',
        '/reports/movements',
      ]),
    );
    expect(
      body.paths['/reports/levels'].get.parameters.map((p: { name: string }) => p.name),
    ).toEqual(expect.arrayContaining(['sku', 'warehouse-id', 'asOf', 'limit', 'after']));
  });

  it('starts without its database, answering 503 NOT_READY (retriable) while it is away', async () => {
    const unreachable = createPool(
      'postgres://postgres@127.0.0.1:1/none',
      { ...loadConfig({}).reportsPool, connectTimeoutMs: 500, applicationName: 'stockd-reports' },
      quietLogger,
    );
    const offline = await reportsApp(unreachable); // its migrations cannot run: no failure
    try {
      const response = await offline.inject({ method: 'GET', url: '/reports/levels?sku=SKU-1' });
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBeDefined();
      expect(response.json()).toMatchObject({ code: 'NOT_READY', retriable: true });
    } finally {
      await offline.close();
      await unreachable.end();
    }
  });

  it('answers 503 NOT_READY on a database nothing has migrated yet', async () => {
    const empty = await reportingDatabase({ migrated: false });
    const unmigrated = await reportsApp(empty.pool, false);
    try {
      const response = await unmigrated.inject({
        method: 'GET',
        url: '/reports/movements?warehouse-id=W&from=2025-01-01&to=2025-01-02',
      });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ code: 'NOT_READY' });
    } finally {
      await unmigrated.close();
      await empty.close();
    }
  });
});

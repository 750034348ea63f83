import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemKeyOf } from '../../src/domain/item-key.ts';
import { startTestApp, type TestApp } from '../support/http-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const send = (method: 'POST' | 'PUT' | 'PATCH', url: string, payload: unknown) =>
  t.app.inject({ method, url, payload: payload as object });
const get = (url: string) => t.app.inject(url);

describe('receipts', () => {
  it('a first receipt creates the item and answers its levels', async () => {
    const response = await send('POST', '/inventory/receipts', {
      sku: 'R-1',
      warehouseId: 'WH-A',
      quantity: 12,
      reason: 'PO 42',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      sku: 'R-1',
      warehouseId: 'WH-A',
      totalQty: 12,
      reservedQty: 0,
      availableQty: 12,
      status: 'ACTIVE',
      version: 1,
    });
  });

  it('bulk receipts answer every item in order', async () => {
    const items = Array.from({ length: 500 }, (_, i) => ({
      sku: `B-${i % 50}`,
      warehouseId: `WH-${i % 2}`,
      quantity: 1 + (i % 3),
    }));
    const response = await send('POST', '/inventory/receipts', { items });
    expect(response.statusCode).toBe(200);
    const answered = response.json().items;
    expect(answered).toHaveLength(500);
    expect(answered.every((item: { ok: boolean }) => item.ok)).toBe(true);
    const expected = new Map<string, number>();
    for (const item of items) {
      const key = itemKeyOf(item.sku, item.warehouseId);
      expected.set(key, (expected.get(key) ?? 0) + item.quantity);
    }
    const levels = (await get('/inventory?sku=B-7&warehouse-id=WH-0,WH-1')).json().levels;
    for (const level of levels)
      expect(level.totalQty).toBe(expected.get(itemKeyOf('B-7', level.warehouseId)));
  });

  it('refuses more than the bulk limit', async () => {
    const items = Array.from({ length: 10_001 }, () => ({
      sku: 'X',
      warehouseId: 'W',
      quantity: 1,
    }));
    const response = await send('POST', '/inventory/receipts', { items });
    expect(response.statusCode).toBe(400);
    expect((await get('/inventory?sku=X&warehouse-id=W')).json().absent).toEqual(['W']);
  });
});

describe('GET /inventory', () => {
  beforeAll(async () => {
    for (const warehouseId of ['A', 'B', 'C']) {
      await send('POST', '/inventory/receipts', { sku: 'L-1', warehouseId, quantity: 5 });
    }
  });

  it.each([
    ['one value', 'warehouse-id=A', ['A']],
    ['[A,B]', 'warehouse-id=[A,B]', ['A', 'B']],
    ['A,B', 'warehouse-id=A,B', ['A', 'B']],
    ['repeated', 'warehouse-id=A&warehouse-id=C', ['A', 'C']],
    ['mixed', 'warehouse-id=[A,B]&warehouse-id=C', ['A', 'B', 'C']],
  ])('accepts %s', async (_form, query, expected) => {
    const response = await get(
      `/inventory?sku=L-1&${query.replace('[', '%5B').replace(']', '%5D')}`,
    );
    expect(response.statusCode).toBe(200);
    expect(response.json().levels.map((l: { warehouseId: string }) => l.warehouseId)).toEqual(
      expected,
    );
  });

  it('lists unknown items as absent, not as an error', async () => {
    const body = (await get('/inventory?sku=L-1&warehouse-id=A,ZZ')).json();
    expect(body.levels.map((l: { warehouseId: string }) => l.warehouseId)).toEqual(['A']);
    expect(body.absent).toEqual(['ZZ']);
  });

  it.each([
    ['no sku', '/inventory?warehouse-id=A'],
    ['no warehouse', '/inventory?sku=L-1'],
    ['bad warehouse id', '/inventory?sku=L-1&warehouse-id=A%7CB'],
    ['bad asOf', '/inventory?sku=L-1&warehouse-id=A&asOf=yesterday'],
    ['unknown parameter', '/inventory?sku=L-1&warehouse-id=A&foo=1'],
  ])('%s → 400', async (_name, url) => {
    const response = await get(url);
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('VALIDATION');
  });
});

describe('adjustments and status', () => {
  beforeAll(async () => {
    await send('POST', '/inventory/receipts', { sku: 'ADJ', warehouseId: 'W', quantity: 10 });
    await send('POST', '/inventory/reserve', {
      sku: 'ADJ',
      warehouseId: 'W',
      quantity: 4,
      idempotencyKey: 'a1',
    });
  });

  it('adjust by delta and by count', async () => {
    expect(
      (
        await send('POST', '/inventory/adjustments', {
          sku: 'ADJ',
          warehouseId: 'W',
          delta: 5,
          reason: 'found',
        })
      ).json(),
    ).toMatchObject({ totalQty: 15 });
    expect(
      (
        await send('POST', '/inventory/adjustments', {
          sku: 'ADJ',
          warehouseId: 'W',
          setTotal: 8,
          reason: 'count',
        })
      ).json(),
    ).toMatchObject({ totalQty: 8, reservedQty: 4, availableQty: 4 });
  });

  it.each([
    [{ setTotal: 3 }, 409, 'WOULD_UNDERCUT_RESERVED'],
    [{ delta: -5 }, 409, 'WOULD_UNDERCUT_RESERVED'],
    [{ delta: 1, setTotal: 1 }, 400, 'VALIDATION'],
    [{}, 400, 'VALIDATION'],
    [{ delta: 0 }, 400, 'VALIDATION'],
  ])('%j → %i %s', async (change, status, code) => {
    const response = await send('POST', '/inventory/adjustments', {
      sku: 'ADJ',
      warehouseId: 'W',
      reason: 'r',
      ...change,
    });
    expect(response.statusCode).toBe(status);
    expect(response.json().code).toBe(code);
  });

  it('an adjustment of an unknown item by delta → 404; a count creates it', async () => {
    expect(
      (
        await send('POST', '/inventory/adjustments', {
          sku: 'NEW',
          warehouseId: 'W',
          delta: 2,
          reason: 'r',
        })
      ).json().code,
    ).toBe('ITEM_NOT_FOUND');
    expect(
      (
        await send('POST', '/inventory/adjustments', {
          sku: 'NEW',
          warehouseId: 'W',
          setTotal: 2,
          reason: 'first count',
        })
      ).json(),
    ).toMatchObject({ totalQty: 2 });
  });

  it('status: inactive items take no reservations; unknown items → 404', async () => {
    expect(
      (
        await send('PUT', '/inventory/status', { sku: 'ADJ', warehouseId: 'W', status: 'INACTIVE' })
      ).json(),
    ).toMatchObject({ status: 'INACTIVE' });
    expect(
      (
        await send('POST', '/inventory/reserve', {
          sku: 'ADJ',
          warehouseId: 'W',
          quantity: 1,
          idempotencyKey: 'a2',
        })
      ).json().code,
    ).toBe('ITEM_INACTIVE');
    expect(
      (
        await send('PUT', '/inventory/status', { sku: 'ADJ', warehouseId: 'W', status: 'ACTIVE' })
      ).json().status,
    ).toBe('ACTIVE');
    expect(
      (
        await send('PUT', '/inventory/status', { sku: 'NONE', warehouseId: 'W', status: 'ACTIVE' })
      ).json().code,
    ).toBe('ITEM_NOT_FOUND');
  });
});

describe('history and levels as of an instant', () => {
  it('lists an item’s events in order and answers levels as they were', async () => {
    await send('POST', '/inventory/receipts', { sku: 'H', warehouseId: 'W', quantity: 10 });
    const reserved = (
      await send('POST', '/inventory/reserve', {
        sku: 'H',
        warehouseId: 'W',
        quantity: 3,
        idempotencyKey: 'h1',
      })
    ).json();
    t.clock.advance(1_000);
    const between = new Date(t.clock.nowMs()).toISOString();
    t.clock.advance(1_000);
    await send('PATCH', `/reservations/${reserved.reservationId}`, { quantity: 5 });
    await send('POST', '/inventory/confirm', { reservationId: reserved.reservationId });

    const history = (await get('/inventory/history?sku=H&warehouse-id=W')).json();
    expect(
      history.events.map((e: { type: string; totalQty: number; reservedQty: number }) => [
        e.type,
        e.totalQty,
        e.reservedQty,
      ]),
    ).toEqual([
      ['StockReceived', 10, 0],
      ['StockReserved', 10, 3],
      ['ReservationAdjusted', 10, 5],
      ['ReservationConfirmed', 5, 0],
    ]);
    expect(history.events[2]).toMatchObject({
      delta: 2,
      quantity: 5,
      reservationVersion: 2,
      reservationId: reserved.reservationId,
    });
    expect(history).toMatchObject({ hasMore: false, truncated: false });

    const then = (await get(`/inventory?sku=H&warehouse-id=W&asOf=${between}`)).json();
    expect(then.levels[0]).toMatchObject({
      totalQty: 10,
      reservedQty: 3,
      availableQty: 7,
      version: 2,
    });
    const before = (await get('/inventory?sku=H&warehouse-id=W&asOf=2000-01-01')).json();
    expect(before).toMatchObject({ levels: [], absent: ['W'] });

    const ranged = (await get(`/inventory/history?sku=H&warehouse-id=W&from=${between}`)).json();
    expect(ranged.events.map((e: { type: string }) => e.type)).toEqual([
      'ReservationAdjusted',
      'ReservationConfirmed',
    ]);
    const page = (await get('/inventory/history?sku=H&warehouse-id=W&limit=2')).json();
    expect(page.events.map((e: { seq: number }) => e.seq)).toHaveLength(2);
    expect(page.hasMore).toBe(true);
    const older = (
      await get(`/inventory/history?sku=H&warehouse-id=W&limit=2&beforeSeq=${page.events[0].seq}`)
    ).json();
    expect(older.events.map((e: { type: string }) => e.type)).toEqual([
      'StockReceived',
      'StockReserved',
    ]);
  });

  it('history of an unknown item → 404', async () => {
    expect((await get('/inventory/history?sku=NOPE&warehouse-id=W')).json().code).toBe(
      'ITEM_NOT_FOUND',
    );
  });
});

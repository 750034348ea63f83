import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/http-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ STOCKD_ORDER_LINES_MAX: '4' });
  for (const [sku, quantity] of [
    ['A', 10],
    ['B', 10],
    ['C', 10],
    ['D', 2],
    ['OFF', 5],
  ] as const) {
    const response = await post('/inventory/receipts', { sku, warehouseId: 'W1', quantity });
    expect(response.statusCode).toBe(200);
  }
  await t.app.inject({
    method: 'PUT',
    url: '/inventory/status',
    payload: { sku: 'OFF', warehouseId: 'W1', status: 'INACTIVE' },
  });
});
afterAll(() => t.close());

const post = (url: string, payload?: unknown) =>
  t.app.inject({
    method: 'POST',
    url,
    ...(payload !== undefined && { payload: payload as object }),
  });
const line = (sku: string, quantity: number) => ({ sku, warehouseId: 'W1', quantity });
const place = (orderId: string, lines: object[], extra: object = {}) =>
  post('/orders', { orderId, lines, ...extra });
const levelsOf = async (sku: string) =>
  (await t.app.inject(`/inventory?sku=${sku}&warehouse-id=W1`)).json().levels[0];
const reservedOf = async (...skus: string[]) =>
  Promise.all(skus.map(async (sku) => (await levelsOf(sku)).reservedQty));

describe('POST /orders', () => {
  it('holds every line: 201 HELD, each line with its hold; levels move', async () => {
    const response = await place('o-1', [line('A', 2), line('B', 3)], {
      customerId: 'c-7',
      ttlSeconds: 120,
    });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({
      orderId: 'o-1',
      customerId: 'c-7',
      status: 'HELD',
      version: 1,
      totalQuantity: 5,
      ttlSeconds: 120,
      lines: [line('A', 2), line('B', 3)],
    });
    expect(Date.parse(body.expiresAt) - Date.parse(body.createdAt)).toBe(120_000);
    for (const held of body.lines) expect(held.reservationId).toMatch(/^rsv-\d+-\d+$/);
    expect(await reservedOf('A', 'B')).toEqual([2, 3]);
  });

  it('is idempotent by orderId: the same body answers 200 with the same order', async () => {
    const first = await place('o-2', [line('C', 1)]);
    const again = await place('o-2', [line('C', 1)]);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(await reservedOf('C')).toEqual([1]);
    const other = await place('o-2', [line('C', 2)]);
    expect(other.statusCode).toBe(409);
    expect(other.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('holds nothing when a line fails: 409 ORDER_FAILED names each line with its code', async () => {
    const before = await reservedOf('A', 'D', 'OFF');
    const response = await place('o-3', [line('A', 1), line('D', 3), line('OFF', 1)]);
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({
      code: 'ORDER_FAILED',
      retriable: false,
      lines: [
        { ...line('A', 1), code: 'LINKED_LINE_FAILED' },
        { ...line('D', 3), code: 'INSUFFICIENT_STOCK' },
        { ...line('OFF', 1), code: 'ITEM_INACTIVE' },
      ],
    });
    expect(await reservedOf('A', 'D', 'OFF')).toEqual(before);
    // The same order again is the same failed order.
    const again = await place('o-3', [line('A', 1), line('D', 3), line('OFF', 1)]);
    expect(again.json()).toEqual(response.json());
    expect((await t.app.inject('/orders/o-3')).json()).toMatchObject({ status: 'FAILED' });
  });

  it.each([
    ['no line', []],
    ['two lines for one item', [line('A', 1), line('A', 2)]],
    ['more lines than STOCKD_ORDER_LINES_MAX', ['A', 'B', 'C', 'D', 'OFF'].map((s) => line(s, 1))],
    ['a quantity of 0', [line('A', 0)]],
  ])('refuses %s: 400', async (_name, lines) => {
    const response = await place('o-bad', lines);
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('VALIDATION');
  });

  it("keeps an order's lines to the order: releasing one directly is refused", async () => {
    const held = (await place('o-4', [line('C', 1)])).json();
    const response = await post('/inventory/release', {
      reservationId: held.lines[0].reservationId,
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('RESERVATION_OF_ORDER');
  });

  it("names a line's order on its hold, and only there", async () => {
    const held = (await place('o-5', [line('C', 1)])).json();
    const hold = await t.app.inject(`/reservations/${held.lines[0].reservationId}`);
    expect(hold.json()).toMatchObject({ orderId: 'o-5', idempotencyKey: 'o-5', status: 'HELD' });
    const own = await post('/inventory/reserve', {
      idempotencyKey: 'not-an-order',
      sku: 'C',
      warehouseId: 'W1',
      quantity: 1,
    });
    expect(own.statusCode).toBe(201);
    expect(own.json()).not.toHaveProperty('orderId');
  });
});

describe('PATCH /orders/:id', () => {
  it('records per-line deltas with a new version: increase, add, drop', async () => {
    await place('o-10', [line('A', 1), line('B', 1)]);
    const before = await reservedOf('A', 'B', 'C');
    const response = await t.app.inject({
      method: 'PATCH',
      url: '/orders/o-10',
      payload: { lines: [line('A', 3), line('B', 0), line('C', 2)] },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      version: 2,
      totalQuantity: 5,
      lines: [line('A', 3), line('C', 2)],
      changes: [
        { ...line('A', 3), delta: 2 },
        { ...line('B', 0), delta: -1 },
        { ...line('C', 2), delta: 2 },
      ],
    });
    expect(await reservedOf('A', 'B', 'C')).toEqual([before[0] + 2, before[1] - 1, before[2] + 2]);
  });

  it('changes nothing when an increase finds no stock: 409 ORDER_CHANGE_FAILED', async () => {
    await place('o-11', [line('A', 1), line('D', 1)]);
    const before = await reservedOf('A', 'D');
    const response = await t.app.inject({
      method: 'PATCH',
      url: '/orders/o-11',
      payload: { lines: [line('A', 2), line('D', 5)] },
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({
      code: 'ORDER_CHANGE_FAILED',
      retriable: true,
      lines: [
        { ...line('A', 2), code: 'LINKED_LINE_FAILED' },
        { ...line('D', 5), code: 'INSUFFICIENT_STOCK' },
      ],
    });
    expect(await reservedOf('A', 'D')).toEqual(before);
    expect((await t.app.inject('/orders/o-11')).json()).toMatchObject({
      version: 1,
      lines: [line('A', 1), line('D', 1)],
    });
  });
});

describe('GET /orders/:id', () => {
  it('answers the order with its whole timeline', async () => {
    const response = await t.app.inject('/orders/o-10');
    expect(response.statusCode).toBe(200);
    const timeline = response.json().timeline;
    expect(timeline.map((e: { type: string; version: number }) => [e.type, e.version])).toEqual([
      ['OrderPlaced', 1],
      ['OrderHeld', 1],
      ['OrderChangeRequested', 1],
      ['OrderQuantityAdjusted', 2],
    ]);
    expect(timeline[3].lines).toEqual([
      expect.objectContaining({ sku: 'A', delta: 2 }),
      expect.objectContaining({ sku: 'B', delta: -1 }),
      expect.objectContaining({ sku: 'C', delta: 2 }),
    ]);
    expect((await t.app.inject('/orders/nope')).json().code).toBe('ORDER_NOT_FOUND');
  });
});

describe('settling orders', () => {
  it('confirms every line; partly when lines are named (the rest is released)', async () => {
    await place('o-20', [line('A', 2), line('B', 2)]);
    const [totalA, totalB] = await Promise.all(
      ['A', 'B'].map(async (s) => (await levelsOf(s)).totalQty),
    );
    const [reservedA, reservedB] = await reservedOf('A', 'B');
    const response = await post('/orders/o-20/confirm', { lines: [line('B', 1)] });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'CONFIRMED',
      totalQuantity: 3,
      lines: [line('A', 2), line('B', 1)],
    });
    expect(await levelsOf('A')).toMatchObject({ totalQty: totalA - 2, reservedQty: reservedA - 2 });
    expect(await levelsOf('B')).toMatchObject({ totalQty: totalB - 1, reservedQty: reservedB - 2 });
    expect((await post('/orders/o-20/confirm')).statusCode).toBe(200);
    expect((await post('/orders/o-20/cancel')).json().code).toBe('ORDER_CONFIRMED');
  });

  it('refuses to confirm more than a line holds, or a line the order does not have', async () => {
    await place('o-21', [line('A', 1)]);
    expect((await post('/orders/o-21/confirm', { lines: [line('A', 2)] })).json().code).toBe(
      'CONFIRM_EXCEEDS_HELD',
    );
    expect((await post('/orders/o-21/confirm', { lines: [line('B', 1)] })).json().code).toBe(
      'ORDER_LINE_NOT_FOUND',
    );
  });

  it('cancels: every line is released', async () => {
    const before = await reservedOf('A', 'C');
    await place('o-22', [line('A', 1), line('C', 1)]);
    const response = await post('/orders/o-22/cancel');
    expect(response.statusCode).toBe(200);
    expect(response.json().status).toBe('CANCELLED');
    expect(await reservedOf('A', 'C')).toEqual(before);
    expect((await post('/orders/o-22/confirm')).json().code).toBe('ORDER_CANCELLED');
  });

  it('expires the whole order at its deadline', async () => {
    const before = await reservedOf('A', 'B');
    await place('o-23', [line('A', 1), line('B', 1)], { ttlSeconds: 30 });
    t.clock.advance(29_000);
    expect(await t.orders.expireDueOrders()).toBe(0);
    t.clock.advance(1_000);
    expect(await t.orders.expireDueOrders()).toBeGreaterThanOrEqual(1);
    expect((await t.app.inject('/orders/o-23')).json().status).toBe('EXPIRED');
    expect(await reservedOf('A', 'B')).toEqual(before.map((r) => r));
    expect((await post('/orders/o-23/confirm')).json().code).toBe('ORDER_EXPIRED');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/http-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  for (const [sku, quantity] of [
    ['SKU-1', 10],
    ['SKU-2', 3],
    ['SKU-OFF', 5],
  ] as const) {
    const response = await post('/inventory/receipts', { sku, warehouseId: 'WH-1', quantity });
    expect(response.statusCode).toBe(200);
  }
  await t.app.inject({
    method: 'PUT',
    url: '/inventory/status',
    payload: { sku: 'SKU-OFF', warehouseId: 'WH-1', status: 'INACTIVE' },
  });
});
afterAll(() => t.close());

const post = (url: string, payload: unknown) =>
  t.app.inject({ method: 'POST', url, payload: payload as object });
const reserve = (payload: Record<string, unknown>) =>
  post('/inventory/reserve', { sku: 'SKU-1', warehouseId: 'WH-1', quantity: 1, ...payload });
const levelsOf = async (sku: string) =>
  (await t.app.inject(`/inventory?sku=${sku}&warehouse-id=WH-1`)).json().levels[0];

describe('POST /inventory/reserve', () => {
  it('holds stock: 201 with the reservation, levels move', async () => {
    const response = await reserve({ idempotencyKey: 'order-1', quantity: 3, ttlSeconds: 120 });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({
      sku: 'SKU-1',
      warehouseId: 'WH-1',
      idempotencyKey: 'order-1',
      quantity: 3,
      status: 'HELD',
      ttlSeconds: 120,
      version: 1,
    });
    expect(body.reservationId).toMatch(/^rsv-\d+-\d+$/);
    expect(Date.parse(body.expiresAt) - Date.parse(body.createdAt)).toBe(120_000);
    expect(await levelsOf('SKU-1')).toMatchObject({
      totalQty: 10,
      reservedQty: 3,
      availableQty: 7,
    });
  });

  it('an idempotent repeat answers 200 with the same body and changes nothing', async () => {
    const first = await reserve({ orderId: 'order-2', quantity: 2 });
    const again = await reserve({ orderId: 'order-2', quantity: 2 });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(await levelsOf('SKU-1')).toMatchObject({ reservedQty: 5 });
  });

  it.each([
    [
      'same key, other body',
      { idempotencyKey: 'order-1', quantity: 4 },
      409,
      'IDEMPOTENCY_KEY_REUSED',
    ],
    ['more than available', { idempotencyKey: 'big', quantity: 6 }, 409, 'INSUFFICIENT_STOCK'],
    ['unknown item', { idempotencyKey: 'x', sku: 'NOPE' }, 404, 'ITEM_NOT_FOUND'],
    ['inactive item', { idempotencyKey: 'x', sku: 'SKU-OFF' }, 409, 'ITEM_INACTIVE'],
    ['no idempotency key', {}, 400, 'VALIDATION'],
    ['orderId and idempotencyKey differ', { idempotencyKey: 'a', orderId: 'b' }, 400, 'VALIDATION'],
  ])('%s → %i %s', async (_name, body, status, code) => {
    const before = await levelsOf('SKU-1');
    const response = await reserve(body);
    expect(response.statusCode).toBe(status);
    expect(response.json()).toMatchObject({ statusCode: status, code });
    expect(await levelsOf('SKU-1')).toEqual(before);
  });

  it('refusals carry fastify’s shape plus code and retriable', async () => {
    const body = (await reserve({ idempotencyKey: 'big2', quantity: 99 })).json();
    expect(body).toEqual({
      statusCode: 409,
      code: 'INSUFFICIENT_STOCK',
      error: 'Conflict',
      message: 'Not enough available stock',
      retriable: true,
    });
  });
});

describe('release, confirm and the reservation resource', () => {
  const hold = async (key: string, sku = 'SKU-2', quantity = 1, ttlSeconds = 600) =>
    (await reserve({ idempotencyKey: key, sku, quantity, ttlSeconds })).json()
      .reservationId as string;

  it('release gives the stock back; releasing again is a no-op', async () => {
    const id = await hold('rel-1');
    expect((await levelsOf('SKU-2')).reservedQty).toBe(1);
    const first = await post('/inventory/release', { reservationId: id });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ reservationId: id, status: 'RELEASED' });
    expect((await post('/inventory/release', { reservationId: id })).json()).toEqual({
      reservationId: id,
      status: 'RELEASED',
    });
    expect(await levelsOf('SKU-2')).toMatchObject({ totalQty: 3, reservedQty: 0 });
  });

  it('confirm takes the stock out of the total; a confirmed hold cannot be released', async () => {
    const id = await hold('conf-1');
    expect((await post('/inventory/confirm', { reservationId: id })).json()).toEqual({
      reservationId: id,
      status: 'CONFIRMED',
    });
    expect(await levelsOf('SKU-2')).toMatchObject({ totalQty: 2, reservedQty: 0 });
    const release = await post('/inventory/release', { reservationId: id });
    expect(release.statusCode).toBe(409);
    expect(release.json().code).toBe('RESERVATION_CONFIRMED');
  });

  it('a released hold cannot be confirmed', async () => {
    const id = await hold('rel-2');
    await post('/inventory/release', { reservationId: id });
    const response = await post('/inventory/confirm', { reservationId: id });
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('RESERVATION_RELEASED');
  });

  it('a hold expires at its deadline; then it cannot be confirmed and its stock is back', async () => {
    const id = await hold('exp-1', 'SKU-2', 1, 60);
    const statusOf = async () => (await t.app.inject(`/reservations/${id}`)).json().status;
    t.clock.advance(59_999);
    expect(await t.engine.runHousekeeping()).toMatchObject({ expired: 0 });
    expect(await statusOf()).toBe('HELD');
    t.clock.advance(1);
    expect(await t.engine.runHousekeeping()).toMatchObject({ expired: 1 });
    expect(await statusOf()).toBe('EXPIRED');
    expect((await levelsOf('SKU-2')).reservedQty).toBe(0);
    const response = await post('/inventory/confirm', { reservationId: id });
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('RESERVATION_EXPIRED');
    expect((await post('/inventory/release', { reservationId: id })).json().status).toBe('EXPIRED');
  });

  it.each([
    ['release', 'rsv-0-999999'],
    ['confirm', 'rsv-0-999999'],
    ['release', 'rsv-4095-1'],
  ])('%s of unknown %s → 404 RESERVATION_NOT_FOUND', async (action, reservationId) => {
    const response = await post(`/inventory/${action}`, { reservationId });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('RESERVATION_NOT_FOUND');
  });

  it('GET /reservations/:id shows the quantity history; PATCH records deltas with versions', async () => {
    const id = await hold('patch-1', 'SKU-1', 1);
    const up = await t.app.inject({
      method: 'PATCH',
      url: `/reservations/${id}`,
      payload: { quantity: 3 },
    });
    expect(up.statusCode).toBe(200);
    expect(up.json()).toMatchObject({ quantity: 3, version: 2, delta: 2 });
    const down = await t.app.inject({
      method: 'PATCH',
      url: `/reservations/${id}`,
      payload: { quantity: 2 },
    });
    expect(down.json()).toMatchObject({ quantity: 2, version: 3, delta: -1 });
    const same = await t.app.inject({
      method: 'PATCH',
      url: `/reservations/${id}`,
      payload: { quantity: 2 },
    });
    expect(same.json()).toMatchObject({ version: 3, delta: 0 });
    const view = (await t.app.inject(`/reservations/${id}`)).json();
    expect(
      view.history.map((c: { version: number; delta: number; quantity: number }) => [
        c.version,
        c.delta,
        c.quantity,
      ]),
    ).toEqual([
      [1, 1, 1],
      [2, 2, 3],
      [3, -1, 2],
    ]);
  });

  it('PATCH beyond what is available → 409 INSUFFICIENT_STOCK and nothing changes', async () => {
    const id = await hold('patch-2', 'SKU-1', 1);
    const before = await levelsOf('SKU-1');
    const response = await t.app.inject({
      method: 'PATCH',
      url: `/reservations/${id}`,
      payload: { quantity: 1_000 },
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('INSUFFICIENT_STOCK');
    expect(await levelsOf('SKU-1')).toEqual(before);
  });

  it('GET of an unknown or malformed id', async () => {
    expect((await t.app.inject('/reservations/rsv-1-424242')).statusCode).toBe(404);
    expect((await t.app.inject('/reservations/nope')).json().code).toBe('VALIDATION');
  });
});

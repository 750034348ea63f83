// POST /inventory/reserve/bulk against a real engine: each hold decided on its own, answered in
// its place with the single reserve's body or error code; bad input refuses the whole request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/http-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ STOCKD_BULK_ITEMS_MAX: '5' });
  const items = [
    { sku: 'A', warehouseId: 'W', quantity: 10 },
    { sku: 'B', warehouseId: 'W', quantity: 2 },
  ];
  expect((await post('/inventory/receipts', { items })).statusCode).toBe(200);
});
afterAll(() => t.close());

const post = (url: string, payload: unknown) =>
  t.app.inject({ method: 'POST', url, payload: payload as object });
const bulk = (items: unknown[]) => post('/inventory/reserve/bulk', { items });
const levelsOf = async (sku: string) =>
  (await t.app.inject(`/inventory?sku=${sku}&warehouse-id=W`)).json().levels[0];

describe('POST /inventory/reserve/bulk', () => {
  it('decides each hold on its own and answers each in its place', async () => {
    const response = await bulk([
      { sku: 'A', warehouseId: 'W', quantity: 3, idempotencyKey: 'o-1', ttlSeconds: 60 },
      { sku: 'B', warehouseId: 'W', quantity: 5, idempotencyKey: 'o-2' },
      { sku: 'NONE', warehouseId: 'W', quantity: 1, orderId: 'o-3' },
      { sku: 'B', warehouseId: 'W', quantity: 2, idempotencyKey: 'o-4' },
    ]);
    expect(response.statusCode).toBe(200);
    const [held, short, unknown, last] = response.json().items;
    expect(held).toMatchObject({
      ok: true,
      created: true,
      sku: 'A',
      idempotencyKey: 'o-1',
      quantity: 3,
      status: 'HELD',
      ttlSeconds: 60,
      version: 1,
    });
    expect(held.reservationId).toMatch(/^rsv-\d+-\d+$/);
    expect(short).toEqual({
      ok: false,
      sku: 'B',
      warehouseId: 'W',
      code: 'INSUFFICIENT_STOCK',
      message: expect.any(String),
      retriable: true,
    });
    expect(unknown).toMatchObject({ ok: false, sku: 'NONE', code: 'ITEM_NOT_FOUND' });
    // A refusal of one hold does not stop the next one of the same item.
    expect(last).toMatchObject({ ok: true, created: true, sku: 'B', quantity: 2 });
    expect(await levelsOf('A')).toMatchObject({ reservedQty: 3, availableQty: 7 });
    expect(await levelsOf('B')).toMatchObject({ reservedQty: 2, availableQty: 0 });

    // The same holds again: idempotent repeats answer the first holds and change nothing.
    const again = await bulk([
      { sku: 'A', warehouseId: 'W', quantity: 3, idempotencyKey: 'o-1', ttlSeconds: 60 },
      { sku: 'A', warehouseId: 'W', quantity: 4, idempotencyKey: 'o-1', ttlSeconds: 60 },
    ]);
    const [repeat, reused] = again.json().items;
    expect(repeat).toMatchObject({ ok: true, created: false, reservationId: held.reservationId });
    expect(reused).toMatchObject({ ok: false, code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await levelsOf('A')).toMatchObject({ reservedQty: 3 });

    // Each hold is a reservation of its own, released like any other.
    const released = await post('/inventory/release', { reservationId: held.reservationId });
    expect(released.json()).toEqual({ reservationId: held.reservationId, status: 'RELEASED' });
  });

  // Rows: a body → the field VALIDATION names; nothing of it is held.
  const badBodies: [name: string, field: string, body: unknown][] = [
    ['no items', 'items', {}],
    ['an empty list', 'items', { items: [] }],
    ['more than STOCKD_BULK_ITEMS_MAX', 'items', { items: Array(6).fill(entry('x')) }],
    [
      'a bad quantity',
      'items.1.quantity',
      { items: [entry('k-1'), { ...entry('k-2'), quantity: 0 }] },
    ],
    ['an unknown field', 'items.0.colour', { items: [{ ...entry('k-3'), colour: 'red' }] }],
    [
      'a hold without a key',
      'items.1.idempotencyKey',
      { items: [entry('k-4'), { ...entry('k-5'), idempotencyKey: undefined }] },
    ],
    [
      'two keys that differ',
      'items.0.idempotencyKey',
      { items: [{ ...entry('k-6'), orderId: 'other' }] },
    ],
  ];
  it.each(badBodies)('%s → 400 VALIDATION naming %s, nothing held', async (_name, field, body) => {
    const before = await levelsOf('A');
    const response = await post('/inventory/reserve/bulk', body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'VALIDATION', retriable: false });
    expect(response.json().details.map((issue: { field: string }) => issue.field)).toContain(field);
    expect(await levelsOf('A')).toEqual(before);
  });
});

function entry(key: string) {
  return { sku: 'A', warehouseId: 'W', quantity: 1, idempotencyKey: key };
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/http-app.ts';

/**
 * Orders competing for the last units of the same items, over HTTP on a real socket, on two
 * workers (lines of one order decided on both). Holds are decided item by item, never under a
 * lock spanning items, so nothing can deadlock; each order is still all or nothing, and nothing
 * is oversold.
 */
let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await startTestApp({ STOCKD_WORKERS: '2', STOCKD_PARTITIONS: '16' });
  base = await t.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(() => t.close());

const post = async (url: string, payload: object) => {
  const response = await fetch(`${base}${url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  return { statusCode: response.status, body: (await response.json()) as unknown };
};
// biome-ignore lint/suspicious/noExplicitAny: response bodies, checked field by field below
const get = async (url: string): Promise<any> => (await fetch(`${base}${url}`)).json();
const line = (sku: string, quantity = 1) => ({ sku, warehouseId: 'W', quantity });
const levelsOf = async (sku: string) =>
  (await get(`/inventory?sku=${sku}&warehouse-id=W`)).levels[0];

async function receive(sku: string, quantity: number) {
  expect((await post('/inventory/receipts', { sku, warehouseId: 'W', quantity })).statusCode).toBe(
    200,
  );
}

/** Every order either holds all its lines (HELD) or none (FAILED); levels equal Σ held lines. */
async function expectWholeOrders(orderIds: string[], skus: string[]) {
  const heldBySku = new Map<string, number>();
  for (const orderId of orderIds) {
    const order = await get(`/orders/${orderId}`);
    expect(['HELD', 'FAILED'], orderId).toContain(order.status);
    for (const held of order.lines) {
      if (order.status === 'HELD') {
        expect(held.reservationId, `${orderId} ${held.sku}`).toBeDefined();
        heldBySku.set(held.sku, (heldBySku.get(held.sku) ?? 0) + held.quantity);
      } else {
        expect(held.reservationId, `${orderId} ${held.sku}`).toBeUndefined();
      }
    }
  }
  for (const sku of skus) {
    const levels = await levelsOf(sku);
    expect(levels.reservedQty, sku).toBe(heldBySku.get(sku) ?? 0);
    expect(levels.availableQty, sku).toBeGreaterThanOrEqual(0);
  }
  return heldBySku;
}

describe('orders competing for the last units', () => {
  it('two orders, the same two items in opposite order: at most one is held, never half', async () => {
    const outcomes = new Map<string, number>();
    for (let round = 0; round < 40; round++) {
      const [a, b] = [`A${round}`, `B${round}`];
      await receive(a, 1);
      await receive(b, 1);
      const [first, second] = await Promise.all([
        post('/orders', { orderId: `x${round}`, lines: [line(a), line(b)] }),
        post('/orders', { orderId: `y${round}`, lines: [line(b), line(a)] }),
      ]);
      const statuses = [first.statusCode, second.statusCode].sort().join(' ');
      outcomes.set(statuses, (outcomes.get(statuses) ?? 0) + 1);
      expect(['201 409', '409 409']).toContain(statuses);
      await expectWholeOrders([`x${round}`, `y${round}`], [a, b]);
    }
    // Both failing (each took one item first) is allowed; one winning is the common case.
    expect(outcomes.get('201 409') ?? 0).toBeGreaterThan(0);
  });

  it('many orders over a few scarce items: all or nothing, nothing oversold', async () => {
    const skus = ['P', 'Q', 'R', 'S', 'T'];
    for (const sku of skus) await receive(sku, 6);
    const orderIds = Array.from({ length: 30 }, (_, i) => `m${i}`);
    const responses = await Promise.all(
      orderIds.map((orderId, i) => {
        // Each order takes 2–3 items, in an order of its own.
        const picked = [skus[i % 5]!, skus[(i * 3 + 1) % 5]!, skus[(i * 7 + 2) % 5]!];
        const lines = [...new Set(picked)].map((sku) => line(sku, 1 + (i % 2)));
        return post('/orders', { orderId, lines });
      }),
    );
    for (const response of responses) expect([201, 409]).toContain(response.statusCode);
    const held = await expectWholeOrders(orderIds, skus);
    for (const sku of skus) expect(held.get(sku) ?? 0).toBeLessThanOrEqual(6);
    expect(responses.filter((r) => r.statusCode === 201).length).toBeGreaterThan(0);
  });
});

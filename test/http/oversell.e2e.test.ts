import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/http-app.ts';

/** Over a real socket: many concurrent clients race for the last units of one item. */
describe('oversell exactness', () => {
  let t: TestApp;
  let url: string;
  beforeAll(async () => {
    t = await startTestApp();
    url = await t.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(() => t.close());

  it('10,000 units, 30,000 concurrent reserves of 1 → exactly 10,000 succeed', async () => {
    const receipt = await fetch(`${url}/inventory/receipts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sku: 'HOT', warehouseId: 'W', quantity: 10_000 }),
    });
    expect(receipt.status).toBe(200);

    const attempts = 30_000;
    const clients = 200;
    const statuses = new Map<number, number>();
    const ids = new Set<string>();
    let next = 0;
    const client = async () => {
      while (next < attempts) {
        const n = next++;
        const response = await fetch(`${url}/inventory/reserve`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            sku: 'HOT',
            warehouseId: 'W',
            quantity: 1,
            idempotencyKey: `o-${n}`,
          }),
        });
        const body = (await response.json()) as { reservationId?: string; code?: string };
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status === 201) ids.add(body.reservationId!);
        else expect(body.code).toBe('INSUFFICIENT_STOCK');
      }
    };
    await Promise.all(Array.from({ length: clients }, client));

    expect(statuses.get(201)).toBe(10_000);
    expect(statuses.get(409)).toBe(20_000);
    expect(ids.size).toBe(10_000);
    const levels = (await (await fetch(`${url}/inventory?sku=HOT&warehouse-id=W`)).json()) as {
      levels: unknown[];
    };
    expect(levels.levels[0]).toMatchObject({
      totalQty: 10_000,
      reservedQty: 10_000,
      availableQty: 0,
    });
  });
});

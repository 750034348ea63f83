import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/http-app.ts';
import { badInputEnv, badInputRows, valid } from './bad-input-rows.ts';

let t: TestApp;
let historyBefore: string;
beforeAll(async () => {
  t = await startTestApp(badInputEnv);
  await t.app.inject({
    method: 'POST',
    url: '/inventory/receipts',
    payload: { sku: 'SKU-1', warehouseId: 'WH-1', quantity: 10 },
  });
  historyBefore = (await t.app.inject('/inventory/history?sku=SKU-1&warehouse-id=WH-1')).body;
});
afterAll(() => t.close());

describe('bad input is refused with a 4xx and changes nothing', () => {
  it.each(badInputRows)('%s → %i %s', async (_name, url, body, status, code) => {
    const response = await t.app.inject({
      method: 'POST',
      url,
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(status);
    expect(response.json()).toMatchObject({ statusCode: status, code });
    expect((await t.app.inject('/inventory/history?sku=SKU-1&warehouse-id=WH-1')).body).toBe(
      historyBefore,
    );
  });

  it('a body that is not JSON → 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/inventory/reserve',
      body: 'sku=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('an unknown route → 404 ROUTE_NOT_FOUND', async () => {
    const response = await t.app.inject('/inventory/nope');
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('ROUTE_NOT_FOUND');
  });

  it('validation errors name the offending fields', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/inventory/reserve',
      payload: { ...valid, quantity: 0, extra: true },
    });
    expect(response.json().details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'quantity' }),
        expect.objectContaining({ field: 'extra' }),
      ]),
    );
  });
});

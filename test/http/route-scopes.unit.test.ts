// Each route group is an encapsulated fastify plugin: a hook added in a group's scope (where
// authentication of admin routes will go) covers that group's routes — for reservations, under
// both of its prefixes — and no other group's, while what the root holds (the error handling,
// wrapped with fastify-plugin) reaches every group. Over fake use cases: no engine needed.
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inventory } from '../../src/app/inventory.ts';
import { errorHandling } from '../../src/ingress/http/error-handler.ts';
import { inventoryRoutes } from '../../src/ingress/http/routes/inventory.ts';
import {
  type ReservationRoutesOptions,
  reservationRoutes,
} from '../../src/ingress/http/routes/reservations.ts';
import { stockRoutes } from '../../src/ingress/http/routes/stock.ts';

const inventory = {
  currentLevels: async ({ sku }) => ({ ok: true, value: { sku, levels: [], absent: ['W'] } }),
  reserve: async () => ({ ok: false, code: 'OVERLOADED' }),
  getReservation: async () => ({ ok: false, code: 'RESERVATION_NOT_FOUND' }),
  setItemStatus: async () => ({ ok: false, code: 'ITEM_NOT_FOUND' }),
} as Partial<Inventory> as Inventory;

/** The reservation group with one hook of its own, as authentication would add it. */
const guardedReservations: FastifyPluginAsync<ReservationRoutesOptions> = async (
  scope,
  options,
) => {
  scope.addHook('onRequest', async (_request, reply) => {
    reply.header('x-group', 'reservations');
  });
  await reservationRoutes(scope, options);
};

let app: FastifyInstance;
beforeAll(async () => {
  app = Fastify();
  await app.register(errorHandling);
  await app.register(inventoryRoutes, { prefix: '/inventory', inventory });
  await app.register(stockRoutes, { prefix: '/inventory', inventory, bulkItemsMax: 10 });
  await app.register(guardedReservations, { inventory, defaultTtlSeconds: 900, bulkItemsMax: 10 });
  await app.ready();
});
afterAll(() => app.close());

const reserve = { sku: 'S', warehouseId: 'W', quantity: 1, orderId: 'o-1' };

describe('route groups as plugins', () => {
  it.each([
    ['POST', '/inventory/reserve', reserve, 'reservations'],
    ['GET', '/reservations/rsv-1-1', undefined, 'reservations'],
    ['GET', '/inventory?sku=S&warehouse-id=W', undefined, undefined],
    ['PUT', '/inventory/status', { sku: 'S', warehouseId: 'W', status: 'ACTIVE' }, undefined],
  ] as const)('%s %s → hook of group %s', async (method, url, payload, group) => {
    const response = await app.inject({ method, url, ...(payload && { payload }) });
    expect(response.headers['x-group']).toBe(group);
  });

  it('errors of every group come from the shared handler and the catalog', async () => {
    const overloaded = await app.inject({
      method: 'POST',
      url: '/inventory/reserve',
      payload: reserve,
    });
    expect(overloaded.statusCode).toBe(503);
    expect(overloaded.headers['retry-after']).toBe('1');
    expect(overloaded.json()).toMatchObject({ code: 'OVERLOADED', retriable: true });
    const invalid = await app.inject({
      method: 'PUT',
      url: '/inventory/status',
      payload: { sku: 'S', warehouseId: 'W', status: 'GONE' },
    });
    expect(invalid.json()).toMatchObject({ statusCode: 400, code: 'VALIDATION' });
    expect(invalid.json().details).toEqual([expect.objectContaining({ field: 'status' })]);
  });
});

import type { FastifyInstance } from 'fastify';
import type { Engine } from '../../../engine/engine.ts';
import { errorCatalog } from '../../../errors.ts';
import type { EngineRequest } from '../../../worker-protocol/requests.ts';
import { errorBody } from '../http-error.ts';
import { sendRefusal } from '../refusal.ts';
import { itemLevelsBody } from '../response-bodies.ts';
import { errors, itemLevels, itemStatus, quantity, reason, sku, warehouseId } from '../schemas.ts';

interface Receipt {
  sku: string;
  warehouseId: string;
  quantity: number;
  reason?: string;
}

const receipt = {
  type: 'object',
  required: ['sku', 'warehouseId', 'quantity'],
  additionalProperties: false,
  properties: { sku, warehouseId, quantity, reason },
} as const;

/** Receipts (single or bulk), adjustments and item status: stock enters, is counted, is switched. */
export function stockRoutes(
  app: FastifyInstance,
  deps: { engine: Engine; bulkItemsMax: number },
): void {
  const { engine } = deps;

  app.post<{ Body: Receipt | { items: Receipt[] } }>(
    '/inventory/receipts',
    {
      schema: {
        tags: ['inventory'],
        summary: `Stock received: one item, or {items:[…]} with up to ${deps.bulkItemsMax} (creates items on first receipt)`,
        // if/then/else rather than oneOf: errors then describe the form that was meant.
        body: {
          type: 'object',
          if: { type: 'object', required: ['items'] },
          // biome-ignore lint/suspicious/noThenProperty: `then` is the JSON Schema keyword here
          then: {
            type: 'object',
            required: ['items'],
            additionalProperties: false,
            properties: {
              items: { type: 'array', minItems: 1, maxItems: deps.bulkItemsMax, items: receipt },
            },
          },
          else: receipt,
        },
        response: {
          200: {
            oneOf: [
              itemLevels,
              {
                type: 'object',
                required: ['items'],
                properties: {
                  items: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: {
                        ...itemLevels.properties,
                        ok: { type: 'boolean' },
                        code: { type: 'string' },
                        message: { type: 'string' },
                      },
                    },
                  },
                },
              },
            ],
          },
          ...errors(400, 409, 503),
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      if (!('items' in body)) {
        const result = await engine.submit({ type: 'ReceiveStock', ...body });
        if (!result.ok) return sendRefusal(reply, result);
        return itemLevelsBody(result.item!);
      }
      // Each receipt is decided on its own: the answer lists every item's outcome in order.
      const requests: EngineRequest[] = body.items.map((item) => ({
        type: 'ReceiveStock',
        ...item,
      }));
      const results = await engine.submitMany(requests, { whenFull: 'wait' });
      return {
        items: results.map((result, i) =>
          result.ok
            ? { ok: true, ...itemLevelsBody(result.item!) }
            : {
                ok: false,
                sku: body.items[i]!.sku,
                warehouseId: body.items[i]!.warehouseId,
                code: result.code,
                message: result.message ?? errorCatalog[result.code].message,
              },
        ),
      };
    },
  );

  app.post<{
    Body: { sku: string; warehouseId: string; delta?: number; setTotal?: number; reason: string };
  }>(
    '/inventory/adjustments',
    {
      schema: {
        tags: ['inventory'],
        summary: 'Correct the total: by a delta, or to a counted total (setTotal)',
        body: {
          type: 'object',
          required: ['sku', 'warehouseId', 'reason'],
          additionalProperties: false,
          properties: {
            sku,
            warehouseId,
            delta: {
              type: 'integer',
              minimum: -1_000_000_000,
              maximum: 1_000_000_000,
              not: { const: 0 },
            },
            setTotal: { type: 'integer', minimum: 0, maximum: 1_000_000_000_000_000 },
            reason,
          },
          oneOf: [{ required: ['delta'] }, { required: ['setTotal'] }],
        },
        response: { 200: itemLevels, ...errors(400, 404, 409, 503) },
      },
    },
    async (request, reply) => {
      const result = await engine.submit({ type: 'AdjustStock', ...request.body });
      if (!result.ok) return sendRefusal(reply, result);
      return itemLevelsBody(result.item!);
    },
  );

  app.put<{ Body: { sku: string; warehouseId: string; status: 'ACTIVE' | 'INACTIVE' } }>(
    '/inventory/status',
    {
      schema: {
        tags: ['inventory'],
        summary: 'Activate or deactivate an item (an inactive item takes no new reservations)',
        body: {
          type: 'object',
          required: ['sku', 'warehouseId', 'status'],
          additionalProperties: false,
          properties: { sku, warehouseId, status: itemStatus },
        },
        response: { 200: itemLevels, ...errors(400, 404, 503) },
      },
    },
    async (request, reply) => {
      const result = await engine.submit({ type: 'SetItemStatus', ...request.body });
      if (!result.ok) return sendRefusal(reply, result);
      if (result.item === undefined) return reply.code(404).send(errorBody('ITEM_NOT_FOUND'));
      return itemLevelsBody(result.item);
    },
  );
}

import type { FastifyPluginAsync } from 'fastify';
import type { Adjustment, Receipt, StatusChange, Stock } from '../../../app/stock.ts';
import { adjustmentBody, receiptBody, statusChangeBody } from '../../../requests/bodies.ts';
import { actorOf } from '../access/caller.ts';
import { bulkEntryError, sendError } from '../error-reply.ts';
import { itemLevelsBody } from '../response-bodies.ts';
import { bulkResponse, errors, itemLevels } from '../schemas.ts';

export interface StockRoutesOptions {
  readonly inventory: Stock;
  /** Most receipts one bulk request may carry. */
  readonly bulkItemsMax: number;
}

const tags = ['stock'];

/**
 * Stock administration, registered under /inventory: receipts (single or bulk), adjustments and
 * item status — stock enters, is counted, is switched. A plugin of its own; its routes need
 * inventory:admin (access/route-rules.ts).
 */
export const stockRoutes: FastifyPluginAsync<StockRoutesOptions> = async (scope, options) => {
  const { inventory, bulkItemsMax } = options;

  scope.post<{ Body: Receipt | { items: Receipt[] } }>(
    '/receipts',
    {
      schema: {
        tags,
        summary: `Stock received: one item, or {items:[…]} with up to ${bulkItemsMax} (creates items on first receipt)`,
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
              items: { type: 'array', minItems: 1, maxItems: bulkItemsMax, items: receiptBody },
            },
          },
          else: receiptBody,
        },
        response: {
          200: {
            oneOf: [itemLevels, bulkResponse(itemLevels)],
          },
          ...errors(400, 409, 503, 507),
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      if (!('items' in body)) {
        const outcome = await inventory.receiveStock(body, actorOf(request));
        if (!outcome.ok) return sendError(reply, outcome);
        return itemLevelsBody(outcome.value);
      }
      const outcomes = await inventory.receiveStockMany(body.items, actorOf(request));
      return {
        items: outcomes.map((outcome, i) =>
          outcome.ok
            ? { ok: true, ...itemLevelsBody(outcome.value) }
            : {
                ok: false,
                sku: body.items[i]!.sku,
                warehouseId: body.items[i]!.warehouseId,
                ...bulkEntryError(outcome),
              },
        ),
      };
    },
  );

  scope.post<{ Body: Adjustment }>(
    '/adjustments',
    {
      schema: {
        tags,
        summary: 'Correct the total: by a delta, or to a counted total (setTotal)',
        body: adjustmentBody,
        response: { 200: itemLevels, ...errors(400, 404, 409, 503, 507) },
      },
    },
    async (request, reply) => {
      const outcome = await inventory.adjustStock(request.body, actorOf(request));
      if (!outcome.ok) return sendError(reply, outcome);
      return itemLevelsBody(outcome.value);
    },
  );

  scope.put<{ Body: StatusChange }>(
    '/status',
    {
      schema: {
        tags,
        summary: 'Activate or deactivate an item (an inactive item takes no new reservations)',
        body: statusChangeBody,
        response: { 200: itemLevels, ...errors(400, 404, 503, 507) },
      },
    },
    async (request, reply) => {
      const outcome = await inventory.setItemStatus(request.body, actorOf(request));
      if (!outcome.ok) return sendError(reply, outcome);
      return itemLevelsBody(outcome.value);
    },
  );
};

import type { FastifyInstance } from 'fastify';
import { itemHistory } from '../../../app/item-history.ts';
import type { Engine } from '../../../engine/engine.ts';
import { toWireEvent } from '../../../kafka/wire-event.ts';
import { errorBody } from '../http-error.ts';
import { instantOf } from '../query-params.ts';
import { sendRefusal } from '../refusal.ts';
import { isoOf } from '../response-bodies.ts';
import { errors, sku, warehouseId } from '../schemas.ts';

const historyLimitMax = 10_000;

interface HistoryQuery {
  sku: string;
  'warehouse-id': string;
  from?: string;
  to?: string;
  limit?: string;
  beforeSeq?: string;
}

/** GET /inventory/history — an item's events in a time range, oldest first. */
export function inventoryHistoryRoutes(app: FastifyInstance, engine: Engine): void {
  app.get<{ Querystring: HistoryQuery }>(
    '/inventory/history',
    {
      schema: {
        tags: ['inventory'],
        summary: "An item's events between from and to (ISO-8601), oldest first",
        querystring: {
          type: 'object',
          required: ['sku', 'warehouse-id'],
          additionalProperties: false,
          properties: {
            sku,
            'warehouse-id': warehouseId,
            from: { type: 'string', description: 'ISO-8601 instant (default: the beginning)' },
            to: { type: 'string', description: 'ISO-8601 instant (default: now)' },
            limit: {
              type: 'string',
              pattern: '^[1-9][0-9]{0,4}$',
              description: `1 to ${historyLimitMax}, default 1000: the newest events of the range`,
            },
            beforeSeq: {
              type: 'string',
              pattern: '^[1-9][0-9]{0,15}$',
              description: 'page: only events before this seq',
            },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['sku', 'warehouseId', 'events', 'hasMore', 'truncated'],
            properties: {
              sku: { type: 'string' },
              warehouseId: { type: 'string' },
              events: { type: 'array', items: { type: 'object', additionalProperties: true } },
              hasMore: {
                type: 'boolean',
                description: 'older events in the range: ask again with beforeSeq',
              },
              truncated: {
                type: 'boolean',
                description: 'part of the range is older than the retained log',
              },
            },
          },
          ...errors(400, 404, 503),
        },
      },
    },
    async (request, reply) => {
      const query = request.query;
      const fromMs = query.from === undefined ? 0 : instantOf(query.from);
      const toMs = query.to === undefined ? Number.MAX_SAFE_INTEGER : instantOf(query.to);
      const limit = query.limit === undefined ? 1_000 : Number(query.limit);
      if (fromMs === undefined || toMs === undefined || limit > historyLimitMax) {
        return reply
          .code(400)
          .send(
            errorBody('VALIDATION', 'from/to must be ISO-8601 instants and limit at most 10000'),
          );
      }
      const history = await itemHistory(engine, {
        sku: query.sku,
        warehouseId: query['warehouse-id'],
        fromMs,
        toMs,
        limit,
        beforeSeq:
          query.beforeSeq === undefined ? Number.POSITIVE_INFINITY : Number(query.beforeSeq),
      });
      if (history === undefined) return reply.code(404).send(errorBody('ITEM_NOT_FOUND'));
      if ('ok' in history) return sendRefusal(reply, history);
      return {
        sku: query.sku,
        warehouseId: query['warehouse-id'],
        events: history.events.map((event) => {
          const { timestampMs, expiresAtMs, ...wire } = toWireEvent(engine.identity.storeId, event);
          return {
            ...wire,
            timestamp: isoOf(timestampMs),
            ...(expiresAtMs !== undefined && { expiresAt: isoOf(expiresAtMs) }),
          };
        }),
        hasMore: history.hasMore,
        truncated: history.truncated,
      };
    },
  );
}

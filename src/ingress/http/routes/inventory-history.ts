import type { FastifyInstance } from 'fastify';
import { type HistoryEvent, historyLimits, type ItemHistory } from '../../../app/item-history.ts';
import type { ValidationIssue } from '../../../domain/validate-command.ts';
import { sendError } from '../error-reply.ts';
import { instantOf } from '../query-params.ts';
import { isoOf } from '../response-bodies.ts';
import { errors, historyEvent, sku, warehouseId } from '../schemas.ts';

interface HistoryQueryString {
  sku: string;
  'warehouse-id': string;
  from?: string;
  to?: string;
  limit?: string;
  beforeSeq?: string;
}

const instantIssue = (field: string): ValidationIssue => ({
  field,
  message: 'must be an ISO-8601 date or date-time',
});

/** GET /inventory/history — an item's events in a time range, oldest first. */
export function historyRoute(scope: FastifyInstance, inventory: ItemHistory, tags: string[]): void {
  scope.get<{ Querystring: HistoryQueryString }>(
    '/history',
    {
      schema: {
        tags,
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
              description: `1 to ${historyLimits.eventsMax}, default ${historyLimits.eventsDefault}: the newest events of the range`,
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
              events: { type: 'array', items: historyEvent },
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
      // Query strings are not coerced: the schema checked their form, here they become values.
      const fromMs = query.from === undefined ? undefined : instantOf(query.from);
      const toMs = query.to === undefined ? undefined : instantOf(query.to);
      const issues = [
        ...(query.from !== undefined && fromMs === undefined ? [instantIssue('from')] : []),
        ...(query.to !== undefined && toMs === undefined ? [instantIssue('to')] : []),
      ];
      if (issues.length > 0) return sendError(reply, { code: 'VALIDATION', issues });
      const outcome = await inventory.history({
        sku: query.sku,
        warehouseId: query['warehouse-id'],
        fromMs,
        toMs,
        limit: query.limit === undefined ? undefined : Number(query.limit),
        beforeSeq: query.beforeSeq === undefined ? undefined : Number(query.beforeSeq),
      });
      if (!outcome.ok) return sendError(reply, outcome);
      return {
        sku: query.sku,
        warehouseId: query['warehouse-id'],
        ...outcome.value,
        events: outcome.value.events.map(historyEventBody),
      };
    },
  );
}

/** The event with its times as ISO-8601 instants, and its levels after it in full. */
function historyEventBody(event: HistoryEvent) {
  const { timestampMs, ...fields } = event;
  const after = { availableQty: event.totalQty - event.reservedQty, timestamp: isoOf(timestampMs) };
  if (!('expiresAtMs' in fields)) return { ...fields, ...after };
  const { expiresAtMs, ...reserved } = fields;
  return { ...reserved, ...after, expiresAt: isoOf(expiresAtMs) };
}

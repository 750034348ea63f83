import type { FastifyInstance } from 'fastify';
import type { Levels } from '../../../app/levels.ts';
import { warehousesPerQueryMax } from '../../../app/levels.ts';
import { sendError } from '../error-reply.ts';
import { instantOf, warehouseIdsOf } from '../query-params.ts';
import { isoOf, levelsBody } from '../response-bodies.ts';
import { errors, levels, sku } from '../schemas.ts';

interface LevelsQueryString {
  sku: string;
  'warehouse-id': string | string[];
  asOf?: string;
}

/**
 * GET /inventory?sku=S&warehouse-id=W — the seed's levels query. Unknown items are listed under
 * `absent`, not refused. With `asOf`, the levels as they were at that instant.
 */
export function levelsRoute(scope: FastifyInstance, inventory: Levels, tags: string[]): void {
  scope.get<{ Querystring: LevelsQueryString }>(
    '',
    {
      schema: {
        tags,
        summary: 'Stock levels of a SKU in one or more warehouses, now or as of an instant',
        querystring: {
          type: 'object',
          required: ['sku', 'warehouse-id'],
          additionalProperties: false,
          properties: {
            sku,
            'warehouse-id': {
              anyOf: [
                { type: 'string', minLength: 1, maxLength: 8_192 },
                {
                  type: 'array',
                  items: { type: 'string', minLength: 1 },
                  maxItems: warehousesPerQueryMax,
                },
              ],
              description: 'W, [A,B], A,B, or repeated',
            },
            asOf: { type: 'string', description: 'ISO-8601 instant' },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['sku', 'levels', 'absent'],
            properties: {
              sku: { type: 'string' },
              asOf: { type: 'string' },
              levels: { type: 'array', items: levels },
              absent: { type: 'array', items: { type: 'string' } },
            },
          },
          ...errors(400, 410, 503),
        },
      },
    },
    async (request, reply) => {
      const query = {
        sku: request.query.sku,
        warehouseIds: warehouseIdsOf(request.query['warehouse-id']),
      };
      if (request.query.asOf === undefined) {
        const outcome = await inventory.currentLevels(query);
        if (!outcome.ok) return sendError(reply, outcome);
        return { ...outcome.value, levels: outcome.value.levels.map(levelsBody) };
      }
      const asOfMs = instantOf(request.query.asOf);
      if (asOfMs === undefined) {
        return sendError(reply, {
          code: 'VALIDATION',
          issues: [{ field: 'asOf', message: 'must be an ISO-8601 date or date-time' }],
        });
      }
      const outcome = await inventory.levelsAsOf({ ...query, asOfMs });
      if (!outcome.ok) return sendError(reply, outcome);
      return {
        ...outcome.value,
        asOf: isoOf(asOfMs),
        levels: outcome.value.levels.map(levelsBody),
      };
    },
  );
}

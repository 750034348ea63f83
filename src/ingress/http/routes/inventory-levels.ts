import type { FastifyInstance } from 'fastify';
import { levelsAsOf } from '../../../app/item-history.ts';
import type { Engine } from '../../../engine/engine.ts';
import { errorBody } from '../http-error.ts';
import { instantOf, warehouseIdsOf } from '../query-params.ts';
import { sendRefusal } from '../refusal.ts';
import { levelsBody } from '../response-bodies.ts';
import { errors, levels, sku, warehouseId } from '../schemas.ts';

/** Most warehouses one levels query may name. */
const warehousesPerQueryMax = 100;

interface LevelsQuery {
  sku: string;
  'warehouse-id': string | string[];
  asOf?: string;
}

/**
 * GET /inventory?sku=S&warehouse-id=W — the seed's levels query. Unknown items are listed under
 * `absent`, not refused. With `asOf`, the levels as they were at that instant.
 */
export function inventoryLevelsRoutes(app: FastifyInstance, engine: Engine): void {
  app.get<{ Querystring: LevelsQuery }>(
    '/inventory',
    {
      schema: {
        tags: ['inventory'],
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
      const ids = warehouseIdsOf(request.query['warehouse-id']);
      const asOfMs = request.query.asOf === undefined ? undefined : instantOf(request.query.asOf);
      if (request.query.asOf !== undefined && asOfMs === undefined) {
        return reply
          .code(400)
          .send(
            errorBody('VALIDATION', 'asOf must be an ISO-8601 instant', [
              { field: 'asOf', message: 'must be an ISO-8601 date or date-time' },
            ]),
          );
      }
      const badId = ids.find(
        (id) => !new RegExp(warehouseId.pattern).test(id) || id.length > warehouseId.maxLength,
      );
      if (badId !== undefined || ids.length === 0 || ids.length > warehousesPerQueryMax) {
        return reply.code(400).send(
          errorBody('VALIDATION', 'warehouse-id is not valid', [
            {
              field: 'warehouse-id',
              message: `must name 1 to ${warehousesPerQueryMax} valid warehouse ids`,
            },
          ]),
        );
      }
      const { sku: skuValue } = request.query;
      const found: ReturnType<typeof levelsBody>[] = [];
      const absent: string[] = [];
      if (asOfMs === undefined) {
        const results = await engine.submitMany(
          ids.map((id) => ({ type: 'GetItem' as const, sku: skuValue, warehouseId: id })),
        );
        for (const [i, result] of results.entries()) {
          if (!result.ok) return sendRefusal(reply, result);
          if (result.item === undefined) absent.push(ids[i]!);
          else found.push(levelsBody(result.item));
        }
        return { sku: skuValue, levels: found, absent };
      }
      for (const id of ids) {
        const answer = await levelsAsOf(engine, skuValue, id, asOfMs);
        if (answer.kind === 'refused') return sendRefusal(reply, answer.result);
        if (answer.kind === 'truncated')
          return reply.code(410).send(errorBody('HISTORY_TRUNCATED'));
        if (answer.kind === 'absent') absent.push(id);
        else found.push(levelsBody(answer.levels));
      }
      return { sku: skuValue, asOf: new Date(asOfMs).toISOString(), levels: found, absent };
    },
  );
}

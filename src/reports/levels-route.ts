import type { FastifyInstance } from 'fastify';
import type { Pool } from 'pg';
import { sendError } from '../ingress/http/error-reply.ts';
import { instantOf } from '../ingress/http/query-params.ts';
import { withDatabase } from './database-unavailable.ts';
import { type LevelsRow, type LevelsSelector, levelsBodyOf, levelsQuery } from './levels-query.ts';
import { pageSizeOf } from './report-params.ts';
import { levelsResponse, levelsQuery as querySchema, tags } from './report-schemas.ts';

interface LevelsQueryString {
  sku?: string;
  'warehouse-id'?: string;
  asOf?: string;
  limit?: string;
  after?: string;
}

/**
 * GET /reports/levels — levels from PostgreSQL, now or as of an instant (inclusive, like
 * stockd's own GET /inventory?asOf=): one item (sku and warehouse-id), every item of a
 * warehouse (warehouse-id), or every warehouse of a SKU (sku), in pages.
 */
export function levelsRoute(scope: FastifyInstance, pool: Pool): void {
  scope.get<{ Querystring: LevelsQueryString }>(
    '/levels',
    {
      schema: {
        tags,
        summary:
          'Levels of an item, a warehouse or a SKU from the reporting database, now or as of an instant',
        querystring: querySchema,
        response: levelsResponse,
      },
    },
    async (request, reply) => {
      const { sku, asOf, after } = request.query;
      const warehouseId = request.query['warehouse-id'];
      const asOfMs = asOf === undefined ? undefined : instantOf(asOf);
      if (asOf !== undefined && asOfMs === undefined) {
        return sendError(reply, {
          code: 'VALIDATION',
          issues: [{ field: 'asOf', message: 'must be an ISO-8601 date or date-time' }],
        });
      }
      if (sku === undefined && warehouseId === undefined) {
        return sendError(reply, {
          code: 'VALIDATION',
          issues: [{ field: 'sku', message: 'or warehouse-id is required (or both)' }],
        });
      }
      const selector: LevelsSelector =
        sku !== undefined && warehouseId !== undefined
          ? { kind: 'item', sku, warehouseId }
          : warehouseId !== undefined
            ? { kind: 'warehouse', warehouseId, after: after ?? '' }
            : { kind: 'sku', sku: sku!, after: after ?? '' };
      const pageSize = pageSizeOf(request.query.limit);
      return withDatabase(reply, async () => {
        // One row more than the page tells whether another page follows.
        const { rows } = await pool.query<LevelsRow>(levelsQuery(selector, asOfMs, pageSize + 1));
        const levels = rows.slice(0, pageSize).map(levelsBodyOf);
        const last = levels.at(-1);
        return {
          ...(asOfMs !== undefined && { asOf: new Date(asOfMs).toISOString() }),
          levels,
          ...(rows.length > pageSize &&
            last !== undefined && {
              nextAfter: selector.kind === 'sku' ? last.warehouseId : last.sku,
            }),
        };
      });
    },
  );
}

import type { FastifyInstance } from 'fastify';
import type { Pool } from 'pg';
import { sendError } from '../ingress/http/error-reply.ts';
import { withDatabase } from './database-unavailable.ts';
import { dayRangeOf } from './report-params.ts';
import { movementsQuery, movementsResponse, tags } from './report-schemas.ts';

interface MovementsQueryString {
  'warehouse-id': string;
  from: string;
  to: string;
}

type MovementRow = Record<(typeof columns)[number][1], string>;

/** Report fields and their columns in stockd.daily_movements. */
const columns = [
  ['events', 'events'],
  ['receivedQty', 'received_qty'],
  ['adjustedQty', 'adjusted_qty'],
  ['reservedQty', 'reserved_qty'],
  ['reservationAdjustedQty', 'reservation_adjusted_qty'],
  ['confirmedQty', 'confirmed_qty'],
  ['releasedQty', 'released_qty'],
  ['expiredQty', 'expired_qty'],
  ['statusChanges', 'status_changes'],
  ['netTotalChange', 'net_total_change'],
  ['netReservedChange', 'net_reserved_change'],
] as const;

// Every day of the range, zeros where nothing moved, so charts need no gap filling.
const movementsSql = `
  SELECT to_char(d.day, 'YYYY-MM-DD') AS day,
         ${columns.map(([, column]) => `coalesce(m.${column}, 0) AS ${column}`).join(',\n         ')}
    FROM generate_series($2::date, $3::date, interval '1 day') AS d(day)
    LEFT JOIN stockd.daily_movements m ON m.warehouse_id = $1 AND m.day = d.day::date
   ORDER BY d.day`;

/** GET /reports/movements — stock movements of a warehouse per UTC day. */
export function movementsRoute(scope: FastifyInstance, pool: Pool): void {
  scope.get<{ Querystring: MovementsQueryString }>(
    '/movements',
    {
      schema: {
        tags,
        summary: 'Stock movements of a warehouse per day (UTC) from the reporting database',
        querystring: movementsQuery,
        response: movementsResponse,
      },
    },
    async (request, reply) => {
      const warehouseId = request.query['warehouse-id'];
      const range = dayRangeOf(request.query.from, request.query.to);
      if (!range.ok) {
        return sendError(reply, { code: 'VALIDATION', issues: range.issues });
      }
      return withDatabase(reply, async () => {
        const { rows } = await pool.query<MovementRow & { day: string }>(movementsSql, [
          warehouseId,
          range.value.from,
          range.value.to,
        ]);
        return {
          warehouseId,
          ...range.value,
          days: rows.map((row) => ({
            day: row.day,
            ...Object.fromEntries(columns.map(([field, column]) => [field, Number(row[column])])),
          })),
        };
      });
    },
  );
}

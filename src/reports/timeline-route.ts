import type { FastifyInstance } from 'fastify';
import type { Pool } from 'pg';
import type { ReservationStatus } from '../domain/reservation.ts';
import { sendError } from '../ingress/http/error-reply.ts';
import { withDatabase } from './database-unavailable.ts';
import { reportLimits } from './report-params.ts';
import { tags, timelineParams, timelineResponse } from './report-schemas.ts';

interface ReservationRow {
  reservation_id: string;
  sku: string;
  warehouse_id: string;
  idempotency_key: string | null;
  status: ReservationStatus;
  quantity: string;
  version: number;
  ttl_seconds: number | null;
  created_at: Date | null;
  expires_at: Date | null;
  updated_at: Date;
  total_adjustments: number;
  last_delta: string | null;
  last_event_id: string;
}

interface TimelineRow {
  version: number;
  type: string;
  occurred_at: Date;
  status: ReservationStatus;
  quantity: string;
  quantity_delta: string | null;
  reserved_delta: string;
  total_delta: string;
  event_id: string;
  seq: string;
  actor: string | null;
}

const reservationSql = `
  SELECT reservation_id, sku, warehouse_id, idempotency_key, status, quantity, version,
         ttl_seconds, created_at, expires_at, updated_at, total_adjustments, last_delta,
         last_event_id
    FROM stockd.reservations
   WHERE reservation_id = $1`;

const timelineSql = `
  SELECT version, type, occurred_at, status, quantity, quantity_delta, reserved_delta,
         total_delta, event_id, seq, actor
    FROM stockd.reservation_timeline
   WHERE reservation_id = $1
   ORDER BY version
   LIMIT $2`;

/** GET /reports/reservations/:id/timeline — the reservation now, and every event of it. */
export function timelineRoute(scope: FastifyInstance, pool: Pool): void {
  scope.get<{ Params: { id: string } }>(
    '/reservations/:id/timeline',
    {
      schema: {
        tags,
        summary: "A reservation's state and full timeline from the reporting database",
        params: timelineParams,
        response: timelineResponse,
      },
    },
    async (request, reply) =>
      withDatabase(reply, async () => {
        const { id } = request.params;
        const found = await pool.query<ReservationRow>(reservationSql, [id]);
        const reservation = found.rows[0];
        if (reservation === undefined) {
          return sendError(reply, { code: 'RESERVATION_NOT_FOUND' });
        }
        const events = await pool.query<TimelineRow>(timelineSql, [
          id,
          reportLimits.timelineEventsMax,
        ]);
        return {
          reservation: reservationBodyOf(reservation),
          timeline: events.rows.map(timelineEntryOf),
        };
      }),
  );
}

const isoOrNull = (date: Date | null) => (date === null ? null : date.toISOString());
const numberOrNull = (text: string | null) => (text === null ? null : Number(text));

function reservationBodyOf(row: ReservationRow) {
  return {
    reservationId: row.reservation_id,
    sku: row.sku,
    warehouseId: row.warehouse_id,
    idempotencyKey: row.idempotency_key,
    status: row.status,
    quantity: Number(row.quantity),
    version: row.version,
    ttlSeconds: row.ttl_seconds,
    createdAt: isoOrNull(row.created_at),
    expiresAt: isoOrNull(row.expires_at),
    updatedAt: row.updated_at.toISOString(),
    totalAdjustments: row.total_adjustments,
    lastDelta: numberOrNull(row.last_delta),
    lastEventId: row.last_event_id,
  };
}

function timelineEntryOf(row: TimelineRow) {
  return {
    version: row.version,
    type: row.type,
    at: row.occurred_at.toISOString(),
    status: row.status,
    quantity: Number(row.quantity),
    delta: numberOrNull(row.quantity_delta),
    reservedDelta: Number(row.reserved_delta),
    totalDelta: Number(row.total_delta),
    eventId: row.event_id,
    seq: Number(row.seq),
    actor: row.actor,
  };
}

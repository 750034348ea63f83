import type { QueryConfig } from 'pg';
import type { QuantityChangeRow, ReservationRow } from '../batch-plan.ts';
import { timestampOf as at } from './epoch.ts';

/** Reservations and their quantity history; both idempotent (natural key, version guard). */
export function insertQuantityChanges(changes: readonly QuantityChangeRow[]): QueryConfig {
  return {
    name: 'stockd-projection-quantity-changes',
    text: `
      INSERT INTO stockd.reservation_adjustments (
        reservation_id, version, delta, quantity, occurred_at, event_id)
      SELECT reservation_id, version, delta, quantity, ${at('timestamp_ms')}, event_id
        FROM unnest($1::text[], $2::integer[], $3::bigint[], $4::bigint[], $5::bigint[],
                    $6::text[])
          AS t(reservation_id, version, delta, quantity, timestamp_ms, event_id)
      ON CONFLICT (reservation_id, version) DO NOTHING`,
    values: [
      changes.map((c) => c.reservationId),
      changes.map((c) => c.version),
      changes.map((c) => c.delta),
      changes.map((c) => c.quantity),
      changes.map((c) => c.timestampMs),
      changes.map((c) => c.eventId),
    ],
  };
}

/**
 * Counts come from the quantity history (inserted by the previous statement), not from
 * increments: a run that overlaps one already applied would otherwise count twice.
 */
export function upsertReservations(rows: readonly ReservationRow[]): QueryConfig {
  return {
    name: 'stockd-projection-reservations',
    text: `
      WITH incoming AS (
        SELECT * FROM unnest(
          $1::text[], $2::text[], $3::text[], $4::integer[], $5::text[], $6::bigint[],
          $7::integer[], $8::text[], $9::bigint[], $10::bigint[], $11::text[], $12::integer[],
          $13::bigint[], $14::bigint[]
        ) AS t(reservation_id, sku, warehouse_id, partition, status, quantity, version,
               last_event_id, last_event_seq, updated_at_ms, idempotency_key, ttl_seconds,
               created_at_ms, expires_at_ms)
      ), history AS (
        SELECT a.reservation_id,
               count(*) FILTER (WHERE a.version > 1) AS total_adjustments,
               (array_agg(a.delta ORDER BY a.version DESC) FILTER (WHERE a.version > 1))[1]
                 AS last_delta
          FROM stockd.reservation_adjustments a
         WHERE a.reservation_id IN (SELECT reservation_id FROM incoming)
         GROUP BY a.reservation_id
      )
      INSERT INTO stockd.reservations AS r (
        reservation_id, sku, warehouse_id, partition, idempotency_key, status, quantity, version,
        ttl_seconds, created_at, expires_at, total_adjustments, last_delta, last_event_id,
        last_event_seq, updated_at)
      SELECT i.reservation_id, i.sku, i.warehouse_id, i.partition, i.idempotency_key, i.status,
             i.quantity, i.version, i.ttl_seconds, ${at('i.created_at_ms')},
             ${at('i.expires_at_ms')}, coalesce(h.total_adjustments, 0), h.last_delta,
             i.last_event_id, i.last_event_seq, ${at('i.updated_at_ms')}
        FROM incoming i LEFT JOIN history h USING (reservation_id)
      ON CONFLICT (reservation_id) DO UPDATE SET
        status = EXCLUDED.status,
        quantity = EXCLUDED.quantity,
        version = EXCLUDED.version,
        total_adjustments = EXCLUDED.total_adjustments,
        last_delta = EXCLUDED.last_delta,
        last_event_id = EXCLUDED.last_event_id,
        last_event_seq = EXCLUDED.last_event_seq,
        updated_at = EXCLUDED.updated_at,
        idempotency_key = coalesce(r.idempotency_key, EXCLUDED.idempotency_key),
        ttl_seconds = coalesce(r.ttl_seconds, EXCLUDED.ttl_seconds),
        created_at = coalesce(r.created_at, EXCLUDED.created_at),
        expires_at = coalesce(r.expires_at, EXCLUDED.expires_at),
        projected_at = now()
      WHERE r.version < EXCLUDED.version`,
    values: [
      rows.map((r) => r.reservationId),
      rows.map((r) => r.sku),
      rows.map((r) => r.warehouseId),
      rows.map((r) => r.partition),
      rows.map((r) => r.status),
      rows.map((r) => r.quantity),
      rows.map((r) => r.version),
      rows.map((r) => r.eventId),
      rows.map((r) => r.seq),
      rows.map((r) => r.timestampMs),
      rows.map((r) => r.creation?.idempotencyKey ?? null),
      rows.map((r) => r.creation?.ttlSeconds ?? null),
      rows.map((r) => r.creation?.createdAtMs ?? null),
      rows.map((r) => r.creation?.expiresAtMs ?? null),
    ],
  };
}

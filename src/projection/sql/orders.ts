import type { QueryConfig } from 'pg';
import type { WireOrderEvent } from '../../kafka/wire-event.ts';
import type { OrderLineRow, OrderSnapshotRow } from '../order-rows.ts';
import { timestampOf as at } from './epoch.ts';

/** Order events (ON CONFLICT DO NOTHING), then lines and snapshots (guarded by seq). */
export function insertOrderEvents(
  events: readonly WireOrderEvent[],
  payloads: readonly Buffer[],
): QueryConfig {
  return {
    name: 'stockd-projection-order-events',
    text: `
      INSERT INTO stockd.order_events (
        event_id, partition, seq, type, order_id, status, order_version, total_quantity,
        occurred_at, customer_id, ttl_seconds, expires_at, lines, command_id, schema_version,
        actor, payload)
      SELECT event_id, partition, seq, type, order_id, status, order_version, total_quantity,
             ${at('timestamp_ms')}, customer_id, ttl_seconds, ${at('expires_at_ms')}, lines,
             command_id, schema_version, actor, payload
        FROM unnest($1::text[], $2::integer[], $3::bigint[], $4::text[], $5::text[], $6::text[],
                    $7::integer[], $8::bigint[], $9::bigint[], $10::text[], $11::integer[],
                    $12::bigint[], $13::jsonb[], $14::text[], $15::smallint[], $16::text[],
                    $17::bytea[])
          AS t(event_id, partition, seq, type, order_id, status, order_version, total_quantity,
               timestamp_ms, customer_id, ttl_seconds, expires_at_ms, lines, command_id,
               schema_version, actor, payload)
      ON CONFLICT (event_id) DO NOTHING`,
    values: [
      events.map((e) => e.eventId),
      events.map((e) => e.partition),
      events.map((e) => e.seq),
      events.map((e) => e.type),
      events.map((e) => e.orderId),
      events.map((e) => e.status),
      events.map((e) => e.orderVersion),
      events.map((e) => e.totalQuantity),
      events.map((e) => e.timestampMs),
      events.map((e) => e.customerId ?? null),
      events.map((e) => e.ttlSeconds ?? null),
      events.map((e) => e.expiresAtMs ?? null),
      events.map((e) => JSON.stringify(e.lines)),
      events.map((e) => e.commandId ?? null),
      events.map((e) => e.schemaVersion),
      events.map((e) => e.actor ?? null),
      payloads,
    ],
  };
}

export function upsertOrderLines(rows: readonly OrderLineRow[]): QueryConfig {
  return {
    name: 'stockd-projection-order-lines',
    text: `
      INSERT INTO stockd.order_lines AS l (
        order_id, sku, warehouse_id, quantity, reservation_id, code, last_event_id,
        last_event_seq, updated_at)
      SELECT order_id, sku, warehouse_id, quantity, reservation_id, code, last_event_id,
             last_event_seq, ${at('updated_at_ms')}
        FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[],
                    $7::text[], $8::bigint[], $9::bigint[])
          AS t(order_id, sku, warehouse_id, quantity, reservation_id, code, last_event_id,
               last_event_seq, updated_at_ms)
      ON CONFLICT (order_id, sku, warehouse_id) DO UPDATE SET
        quantity = EXCLUDED.quantity,
        reservation_id = coalesce(EXCLUDED.reservation_id, l.reservation_id),
        code = coalesce(EXCLUDED.code, l.code),
        last_event_id = EXCLUDED.last_event_id,
        last_event_seq = EXCLUDED.last_event_seq,
        updated_at = EXCLUDED.updated_at
      WHERE l.last_event_seq < EXCLUDED.last_event_seq`,
    values: [
      rows.map((r) => r.orderId),
      rows.map((r) => r.sku),
      rows.map((r) => r.warehouseId),
      rows.map((r) => r.quantity),
      rows.map((r) => r.reservationId ?? null),
      rows.map((r) => r.code ?? null),
      rows.map((r) => r.eventId),
      rows.map((r) => r.seq),
      rows.map((r) => r.timestampMs),
    ],
  };
}

/**
 * total_adjustments is the order's version − 1 (each quantity change makes one), so a run that
 * overlaps one already applied counts nothing twice.
 */
export function upsertOrderSnapshots(rows: readonly OrderSnapshotRow[]): QueryConfig {
  return {
    name: 'stockd-projection-order-snapshots',
    text: `
      INSERT INTO stockd.order_snapshots AS s (
        order_id, customer_id, status, current_qty, total_adjustments, last_adjustment_delta,
        last_event_id, last_event_seq, order_version, partition, created_at, expires_at,
        last_updated)
      SELECT order_id, customer_id, status, current_qty, order_version - 1,
             last_adjustment_delta, last_event_id, last_event_seq, order_version, partition,
             ${at('created_at_ms')}, ${at('expires_at_ms')}, ${at('updated_at_ms')}
        FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::text[],
                    $7::bigint[], $8::integer[], $9::integer[], $10::bigint[], $11::bigint[],
                    $12::bigint[])
          AS t(order_id, customer_id, status, current_qty, last_adjustment_delta, last_event_id,
               last_event_seq, order_version, partition, created_at_ms, expires_at_ms,
               updated_at_ms)
      ON CONFLICT (order_id) DO UPDATE SET
        status = EXCLUDED.status,
        current_qty = EXCLUDED.current_qty,
        total_adjustments = EXCLUDED.total_adjustments,
        last_adjustment_delta = coalesce(EXCLUDED.last_adjustment_delta, s.last_adjustment_delta),
        last_event_id = EXCLUDED.last_event_id,
        last_event_seq = EXCLUDED.last_event_seq,
        order_version = EXCLUDED.order_version,
        customer_id = coalesce(s.customer_id, EXCLUDED.customer_id),
        created_at = coalesce(s.created_at, EXCLUDED.created_at),
        expires_at = coalesce(s.expires_at, EXCLUDED.expires_at),
        last_updated = EXCLUDED.last_updated,
        projected_at = now()
      WHERE s.last_event_seq < EXCLUDED.last_event_seq`,
    values: [
      rows.map((r) => r.orderId),
      rows.map((r) => r.creation?.customerId ?? null),
      rows.map((r) => r.status),
      rows.map((r) => r.currentQty),
      rows.map((r) => r.lastAdjustmentDelta ?? null),
      rows.map((r) => r.eventId),
      rows.map((r) => r.seq),
      rows.map((r) => r.orderVersion),
      rows.map((r) => r.partition),
      rows.map((r) => r.creation?.createdAtMs ?? null),
      rows.map((r) => r.creation?.expiresAtMs ?? null),
      rows.map((r) => r.timestampMs),
    ],
  };
}

import type { QueryConfig } from 'pg';
import type { WireEvent } from '../../kafka/wire-event.ts';
import type { BatchPlan } from '../batch-plan.ts';
import { timestampOf as at } from './epoch.ts';

/**
 * The event store's statements. Rows travel as one array per column and unnest() into a set,
 * so each statement is one round trip with a fixed text (prepared once per connection), whatever
 * the batch size. The movement sums come from the rows the insert actually inserted: a
 * redelivered event inserts nothing, so it adds nothing.
 */
export function insertEvents(
  events: readonly WireEvent[],
  payloads: readonly Buffer[],
): QueryConfig {
  return {
    name: 'stockd-projection-events',
    text: `
      WITH incoming AS (
        SELECT * FROM unnest(
          $1::text[], $2::integer[], $3::bigint[], $4::text[], $5::text[], $6::text[],
          $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[], $12::text[],
          $13::bigint[], $14::bigint[], $15::text[], $16::integer[], $17::bigint[],
          $18::bigint[], $19::text[], $20::integer[], $21::bigint[], $22::text[], $23::text[],
          $24::smallint[], $25::text[], $26::bytea[]
        ) AS t(event_id, partition, seq, type, sku, warehouse_id, timestamp_ms, total_delta,
               reserved_delta, total_qty, reserved_qty, status, item_version, item_previous_seq,
               reservation_id, reservation_version, quantity, delta, idempotency_key,
               ttl_seconds, expires_at_ms, reason, command_id, schema_version, actor, payload)
      ), inserted AS (
        INSERT INTO stockd.events (
          event_id, partition, seq, type, sku, warehouse_id, occurred_at, total_delta,
          reserved_delta, total_qty, reserved_qty, status, item_version, item_previous_seq,
          reservation_id, reservation_version, quantity, delta, idempotency_key, ttl_seconds,
          expires_at, reason, command_id, schema_version, actor, payload)
        SELECT event_id, partition, seq, type, sku, warehouse_id, ${at('timestamp_ms')},
               total_delta, reserved_delta, total_qty, reserved_qty, status, item_version,
               item_previous_seq, reservation_id, reservation_version, quantity, delta,
               idempotency_key, ttl_seconds, ${at('expires_at_ms')}, reason, command_id,
               schema_version, actor, payload
          FROM incoming
        ON CONFLICT (event_id) DO NOTHING
        RETURNING warehouse_id, occurred_at, type, total_delta, reserved_delta
      ), movements AS (
        INSERT INTO stockd.warehouse_daily_movements AS m (
          warehouse_id, day, events, received_qty, adjusted_qty, reserved_qty,
          reservation_adjusted_qty, confirmed_qty, released_qty, expired_qty, status_changes,
          net_total_change, net_reserved_change)
        SELECT warehouse_id, stockd.utc_day(occurred_at), count(*),
               coalesce(sum(total_delta) FILTER (WHERE type = 'StockReceived'), 0),
               coalesce(sum(total_delta) FILTER (WHERE type = 'StockAdjusted'), 0),
               coalesce(sum(reserved_delta) FILTER (WHERE type = 'StockReserved'), 0),
               coalesce(sum(reserved_delta) FILTER (WHERE type = 'ReservationAdjusted'), 0),
               coalesce(-sum(reserved_delta) FILTER (WHERE type = 'ReservationConfirmed'), 0),
               coalesce(-sum(reserved_delta) FILTER (WHERE type = 'ReservationReleased'), 0),
               coalesce(-sum(reserved_delta) FILTER (WHERE type = 'ReservationExpired'), 0),
               count(*) FILTER (WHERE type = 'ItemStatusChanged'),
               sum(total_delta), sum(reserved_delta)
          FROM inserted
         GROUP BY 1, 2
         -- One order for every transaction: concurrent partitions wait, never deadlock.
         ORDER BY 1, 2
        ON CONFLICT (warehouse_id, day) DO UPDATE SET
          events = m.events + EXCLUDED.events,
          received_qty = m.received_qty + EXCLUDED.received_qty,
          adjusted_qty = m.adjusted_qty + EXCLUDED.adjusted_qty,
          reserved_qty = m.reserved_qty + EXCLUDED.reserved_qty,
          reservation_adjusted_qty = m.reservation_adjusted_qty + EXCLUDED.reservation_adjusted_qty,
          confirmed_qty = m.confirmed_qty + EXCLUDED.confirmed_qty,
          released_qty = m.released_qty + EXCLUDED.released_qty,
          expired_qty = m.expired_qty + EXCLUDED.expired_qty,
          status_changes = m.status_changes + EXCLUDED.status_changes,
          net_total_change = m.net_total_change + EXCLUDED.net_total_change,
          net_reserved_change = m.net_reserved_change + EXCLUDED.net_reserved_change
      )
      SELECT count(*)::integer AS inserted FROM inserted`,
    values: [
      events.map((e) => e.eventId),
      events.map((e) => e.partition),
      events.map((e) => e.seq),
      events.map((e) => e.type),
      events.map((e) => e.sku),
      events.map((e) => e.warehouseId),
      events.map((e) => e.timestampMs),
      events.map((e) => e.totalDelta),
      events.map((e) => e.reservedDelta),
      events.map((e) => e.totalQty),
      events.map((e) => e.reservedQty),
      events.map((e) => e.status),
      events.map((e) => e.itemVersion),
      events.map((e) => e.itemPreviousSeq),
      events.map((e) => e.reservationId ?? null),
      events.map((e) => e.reservationVersion ?? null),
      events.map((e) => e.quantity ?? null),
      events.map((e) => e.delta ?? null),
      events.map((e) => e.idempotencyKey ?? null),
      events.map((e) => e.ttlSeconds ?? null),
      events.map((e) => e.expiresAtMs ?? null),
      events.map((e) => e.reason ?? null),
      events.map((e) => e.commandId ?? null),
      events.map((e) => e.schemaVersion),
      events.map((e) => e.actor ?? null),
      payloads,
    ],
  };
}

/** Values of rejected messages are cut to this size (bytes). */
const rejectedValueBytesMax = 65_536;

export function insertRejects(plan: BatchPlan): QueryConfig {
  return {
    name: 'stockd-projection-rejects',
    text: `
      INSERT INTO stockd.rejected_messages (
        topic, kafka_partition, kafka_offset, reason, message_key, message_value)
      SELECT $1, $2, kafka_offset, reason, message_key, message_value
        FROM unnest($3::bigint[], $4::text[], $5::bytea[], $6::bytea[])
          AS t(kafka_offset, reason, message_key, message_value)
      ON CONFLICT (topic, kafka_partition, kafka_offset) DO NOTHING`,
    values: [
      plan.topic,
      plan.partition,
      plan.rejects.map((r) => r.offset),
      plan.rejects.map((r) => r.reason),
      plan.rejects.map((r) => r.key),
      plan.rejects.map((r) => r.value?.subarray(0, rejectedValueBytesMax) ?? null),
    ],
  };
}

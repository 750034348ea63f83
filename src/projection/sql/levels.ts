import type { QueryConfig } from 'pg';
import type { DayCloseRow, LevelRow } from '../batch-plan.ts';
import { timestampOf as at } from './epoch.ts';

/** Current levels (guarded by seq) and daily closes (natural key). */
export function insertDayCloses(closes: readonly DayCloseRow[]): QueryConfig {
  return {
    name: 'stockd-projection-day-closes',
    text: `
      INSERT INTO stockd.level_snapshots (
        sku, warehouse_id, day, total_qty, reserved_qty, status, item_version, last_event_id,
        last_event_seq, last_event_at)
      SELECT sku, warehouse_id, day, total_qty, reserved_qty, status, item_version, event_id,
             seq, ${at('timestamp_ms')}
        FROM unnest($1::text[], $2::text[], $3::date[], $4::bigint[], $5::bigint[], $6::text[],
                    $7::bigint[], $8::text[], $9::bigint[], $10::bigint[])
          AS t(sku, warehouse_id, day, total_qty, reserved_qty, status, item_version, event_id,
               seq, timestamp_ms)
      ON CONFLICT (sku, warehouse_id, day) DO NOTHING`,
    values: [
      closes.map((c) => c.sku),
      closes.map((c) => c.warehouseId),
      closes.map((c) => c.day),
      closes.map((c) => c.totalQty),
      closes.map((c) => c.reservedQty),
      closes.map((c) => c.status),
      closes.map((c) => c.itemVersion),
      closes.map((c) => c.eventId),
      closes.map((c) => c.seq),
      closes.map((c) => c.timestampMs),
    ],
  };
}

/**
 * The levels upsert, guarded by seq. Its `closes` CTE sees the rows as they were before the
 * statement (one snapshot for the whole statement): a stored row whose day ends before the
 * batch's newest event of that item is that day's close. It runs after insertDayCloses, so a
 * close found inside the batch (a later event of the same day) wins the DO NOTHING.
 */
export function upsertLevels(rows: readonly LevelRow[]): QueryConfig {
  return {
    name: 'stockd-projection-levels',
    text: `
      WITH incoming AS (
        SELECT * FROM unnest($1::text[], $2::text[], $3::integer[], $4::bigint[], $5::text[],
                             $6::bigint[], $7::bigint[], $8::text[], $9::bigint[], $10::bigint[])
          AS t(sku, warehouse_id, partition, seq, event_id, total_qty, reserved_qty, status,
               item_version, timestamp_ms)
      ), closes AS (
        INSERT INTO stockd.level_snapshots (
          sku, warehouse_id, day, total_qty, reserved_qty, status, item_version, last_event_id,
          last_event_seq, last_event_at)
        SELECT l.sku, l.warehouse_id, stockd.utc_day(l.updated_at), l.total_qty, l.reserved_qty,
               l.status, l.item_version, l.last_event_id, l.last_applied_seq, l.updated_at
          FROM stockd.levels l
          JOIN incoming i ON i.sku = l.sku AND i.warehouse_id = l.warehouse_id
         WHERE i.seq > l.last_applied_seq
           AND stockd.utc_day(${at('i.timestamp_ms')}) > stockd.utc_day(l.updated_at)
        ON CONFLICT (sku, warehouse_id, day) DO NOTHING
      )
      INSERT INTO stockd.levels AS l (
        sku, warehouse_id, partition, last_applied_seq, last_event_id, total_qty, reserved_qty,
        status, item_version, updated_at)
      SELECT sku, warehouse_id, partition, seq, event_id, total_qty, reserved_qty, status,
             item_version, ${at('timestamp_ms')}
        FROM incoming
      ON CONFLICT (sku, warehouse_id) DO UPDATE SET
        partition = EXCLUDED.partition,
        last_applied_seq = EXCLUDED.last_applied_seq,
        last_event_id = EXCLUDED.last_event_id,
        total_qty = EXCLUDED.total_qty,
        reserved_qty = EXCLUDED.reserved_qty,
        status = EXCLUDED.status,
        item_version = EXCLUDED.item_version,
        updated_at = EXCLUDED.updated_at,
        projected_at = now()
      WHERE l.last_applied_seq < EXCLUDED.last_applied_seq`,
    values: [
      rows.map((r) => r.sku),
      rows.map((r) => r.warehouseId),
      rows.map((r) => r.partition),
      rows.map((r) => r.seq),
      rows.map((r) => r.eventId),
      rows.map((r) => r.totalQty),
      rows.map((r) => r.reservedQty),
      rows.map((r) => r.status),
      rows.map((r) => r.itemVersion),
      rows.map((r) => r.timestampMs),
    ],
  };
}

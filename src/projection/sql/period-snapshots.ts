import type { QueryConfig } from 'pg';
import type { WireEvent } from '../../kafka/wire-event.ts';
import type { Period } from '../periods.ts';
import { timestampOf as at } from './epoch.ts';

/**
 * The period snapshots' statements. A close reads a period's events from stockd.events; a
 * batch that brings events of a period already closed corrects that period's rows. The two
 * must not miss each other (a close that does not see a batch's events while the batch does
 * not see the close yet), so they take one advisory lock: a batch shared, right before its
 * correction, a close exclusive for its whole transaction. A close thus waits for the batches
 * in flight, and a batch that comes after it waits, then sees it.
 */
const snapshotLockKey = 0x736e617073686f74n; // "snapshot"

/** A batch's side of the lock, held until its transaction ends. */
export const shareSnapshotLock = `SELECT pg_advisory_xact_lock_shared(${snapshotLockKey})`;

/** A close's side of the lock, held until its transaction ends. */
export const takeSnapshotLock = `SELECT pg_advisory_xact_lock(${snapshotLockKey})`;

/** The newest period of this length closed so far (none: no row). */
export function lastClosedPeriod(period: Period['period']): QueryConfig {
  return {
    name: 'stockd-snapshot-last-closed',
    text: `
      SELECT (extract(epoch FROM period_start) * 1000)::bigint::text AS start_ms,
             (extract(epoch FROM period_end) * 1000)::bigint::text AS end_ms
        FROM stockd.snapshot_periods
       WHERE period = $1
       ORDER BY period_start DESC
       LIMIT 1`,
    values: [period],
  };
}

/** The time of the oldest event stored (NULL: none yet), where a new series of closes starts. */
export const oldestEventTime: QueryConfig = {
  name: 'stockd-snapshot-oldest-event',
  text: `SELECT (extract(epoch FROM min(occurred_at)) * 1000)::bigint::text AS at_ms
           FROM stockd.events`,
};

/**
 * How many of the given Kafka partitions have no event at or after `endMs` in PostgreSQL yet:
 * partitions the projector is behind on whose backlog may still hold events of the period.
 */
export function partitionsShortOf(
  topic: string,
  partitions: readonly number[],
  endMs: number,
): QueryConfig {
  return {
    name: 'stockd-snapshot-partitions-short',
    text: `
      SELECT count(*)::integer AS short
        FROM unnest($2::integer[]) AS b(kafka_partition)
        LEFT JOIN stockd.projection_progress p
          ON p.topic = $1 AND p.kafka_partition = b.kafka_partition
       WHERE p.last_event_at IS NULL OR p.last_event_at < ${at('$3::bigint')}`,
    values: [topic, partitions, endMs],
  };
}

/**
 * Closes one period: a row for every item that changed in [start, end), holding its levels
 * after its last event before the end (the highest seq: an item's events are one chain), and
 * the period's own row. Both ON CONFLICT DO NOTHING: closing a period again writes nothing.
 */
export function closePeriod(period: Period): QueryConfig {
  return {
    name: 'stockd-snapshot-close',
    text: `
      WITH last_events AS (
        SELECT DISTINCT ON (e.sku, e.warehouse_id)
               e.sku, e.warehouse_id, e.total_qty, e.reserved_qty, e.status, e.item_version,
               e.event_id, e.seq, e.occurred_at
          FROM stockd.events e
         WHERE e.occurred_at >= ${at('$2::bigint')} AND e.occurred_at < ${at('$3::bigint')}
         ORDER BY e.sku, e.warehouse_id, e.seq DESC
      ), snapshots AS (
        INSERT INTO stockd.period_snapshots (
          period, period_start, period_end, sku, warehouse_id, total_qty, reserved_qty, status,
          item_version, last_event_id, last_event_seq, last_event_at)
        SELECT $1, ${at('$2::bigint')}, ${at('$3::bigint')}, sku, warehouse_id, total_qty,
               reserved_qty, status, item_version, event_id, seq, occurred_at
          FROM last_events
        ON CONFLICT (period, period_start, sku, warehouse_id) DO NOTHING
      ), closed AS (
        INSERT INTO stockd.snapshot_periods (period, period_start, period_end)
        VALUES ($1, ${at('$2::bigint')}, ${at('$3::bigint')})
        ON CONFLICT (period, period_start) DO NOTHING
      )
      SELECT count(*)::integer AS items FROM last_events`,
    values: [period.period, period.startMs, period.endMs],
  };
}

/**
 * Corrects the closes of periods that were closed before these events reached PostgreSQL (the
 * projector was behind at a period's end, or catching up after being down across it): for each
 * item and closed period of every length among the events, the row is rewritten from the
 * item's last stored event of that period — only if that is later in the item's chain than
 * the one the row holds, so redeliveries change nothing. A period older than the first one
 * closed gets its row too. Runs after the events are inserted (it reads them back) and after
 * shareSnapshotLock. UTC days are 24 hours: no session time zone enters the arithmetic.
 */
export function correctLateCloses(events: readonly WireEvent[]): QueryConfig {
  return {
    name: 'stockd-snapshot-correct-late',
    text: `
      WITH closed AS (
        SELECT k.period,
               CASE k.period WHEN 'hour' THEN interval '1 hour' ELSE interval '24 hours' END
                 AS length,
               (SELECT s.period_end FROM stockd.snapshot_periods s
                 WHERE s.period = k.period ORDER BY s.period_start DESC LIMIT 1) AS until
          FROM (VALUES ('hour'), ('day')) AS k(period)
      ), late AS (
        SELECT DISTINCT c.period, c.length, t.sku, t.warehouse_id,
               date_trunc(c.period, ${at('t.timestamp_ms')}, 'UTC') AS period_start
          FROM unnest($1::text[], $2::text[], $3::bigint[]) AS t(sku, warehouse_id, timestamp_ms)
          JOIN closed c ON ${at('t.timestamp_ms')} < c.until
      ), periods AS (
        INSERT INTO stockd.snapshot_periods (period, period_start, period_end)
        SELECT DISTINCT period, period_start, period_start + length FROM late
        ON CONFLICT (period, period_start) DO NOTHING
      )
      INSERT INTO stockd.period_snapshots AS s (
        period, period_start, period_end, sku, warehouse_id, total_qty, reserved_qty, status,
        item_version, last_event_id, last_event_seq, last_event_at)
      SELECT l.period, l.period_start, l.period_start + l.length, l.sku, l.warehouse_id,
             e.total_qty, e.reserved_qty, e.status, e.item_version, e.event_id, e.seq,
             e.occurred_at
        FROM late l
       CROSS JOIN LATERAL (
         SELECT * FROM stockd.events e
          WHERE e.sku = l.sku AND e.warehouse_id = l.warehouse_id
            AND e.occurred_at >= l.period_start AND e.occurred_at < l.period_start + l.length
          ORDER BY e.seq DESC
          LIMIT 1) e
      ON CONFLICT (period, period_start, sku, warehouse_id) DO UPDATE SET
        total_qty = EXCLUDED.total_qty,
        reserved_qty = EXCLUDED.reserved_qty,
        status = EXCLUDED.status,
        item_version = EXCLUDED.item_version,
        last_event_id = EXCLUDED.last_event_id,
        last_event_seq = EXCLUDED.last_event_seq,
        last_event_at = EXCLUDED.last_event_at,
        snapshot_at = now()
      WHERE s.last_event_seq < EXCLUDED.last_event_seq`,
    values: [
      events.map((e) => e.sku),
      events.map((e) => e.warehouseId),
      events.map((e) => e.timestampMs),
    ],
  };
}

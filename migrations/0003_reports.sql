-- The reports as SQL: what GET /reports/... answers, for psql and BI tools too.

-- The UTC calendar day of an instant: snapshots and movements are kept per UTC day.
CREATE FUNCTION stockd.utc_day(at timestamptz) RETURNS date
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN (at AT TIME ZONE 'UTC')::date;

-- Levels of one item as of an instant (inclusive): its state after its newest event at or
-- before p_at, or no row if it had none. One query, three indexed candidates, newest wins:
--   1. the newest daily close before p_at's day (level_snapshots),
--   2. the newest event of p_at's own day up to p_at (events),
--   3. the current row, if nothing happened to the item since p_at (levels).
-- Why that suffices: if the item's newest event at or before p_at is on an earlier day, then
-- either a later event exists (and closed that day, so 1 holds it) or none does (so 3 is it).
CREATE FUNCTION stockd.item_level_as_of(p_sku text, p_warehouse_id text, p_at timestamptz)
RETURNS TABLE (
  total_qty      bigint,
  reserved_qty   bigint,
  available_qty  bigint,
  status         text,
  item_version   bigint,
  updated_at     timestamptz,
  last_event_id  text,
  last_event_seq bigint
)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT c.total_qty, c.reserved_qty, c.total_qty - c.reserved_qty, c.status, c.item_version,
         c.at, c.event_id, c.seq
  FROM (
    (SELECT s.total_qty, s.reserved_qty, s.status, s.item_version,
            s.last_event_at AS at, s.last_event_id AS event_id, s.last_event_seq AS seq
       FROM stockd.level_snapshots s
      WHERE s.sku = p_sku AND s.warehouse_id = p_warehouse_id
        AND s.day < stockd.utc_day(p_at)
      ORDER BY s.day DESC
      LIMIT 1)
    UNION ALL
    (SELECT e.total_qty, e.reserved_qty, e.status, e.item_version,
            e.occurred_at, e.event_id, e.seq
       FROM stockd.events e
      WHERE e.sku = p_sku AND e.warehouse_id = p_warehouse_id
        AND e.occurred_at >= (stockd.utc_day(p_at)::timestamp AT TIME ZONE 'UTC')
        AND e.occurred_at <= p_at
      ORDER BY e.occurred_at DESC, e.seq DESC
      LIMIT 1)
    UNION ALL
    (SELECT l.total_qty, l.reserved_qty, l.status, l.item_version,
            l.updated_at, l.last_event_id, l.last_applied_seq
       FROM stockd.levels l
      WHERE l.sku = p_sku AND l.warehouse_id = p_warehouse_id AND l.updated_at <= p_at)
  ) AS c
  ORDER BY c.at DESC, c.seq DESC
  LIMIT 1
$$;

-- Every state an item has been in, with the interval it held: "as of T" is the row with
-- valid_from <= T < valid_until (open-ended for the current state). From the events alone;
-- filter by sku and warehouse_id, which PostgreSQL pushes below the window.
CREATE VIEW stockd.level_history AS
SELECT e.sku,
       e.warehouse_id,
       e.occurred_at                    AS valid_from,
       lead(e.occurred_at) OVER item    AS valid_until,
       e.total_qty,
       e.reserved_qty,
       e.available_qty,
       e.status,
       e.item_version,
       e.type,
       e.event_id,
       e.seq
  FROM stockd.events e
WINDOW item AS (PARTITION BY e.sku, e.warehouse_id ORDER BY e.occurred_at, e.seq);

-- A reservation's full timeline: one row per event, oldest first by version.
CREATE VIEW stockd.reservation_timeline AS
SELECT e.reservation_id,
       e.reservation_version AS version,
       e.type,
       e.occurred_at,
       CASE e.type
         WHEN 'ReservationConfirmed' THEN 'CONFIRMED'
         WHEN 'ReservationReleased' THEN 'RELEASED'
         WHEN 'ReservationExpired' THEN 'EXPIRED'
         ELSE 'HELD'
       END                   AS status,
       e.quantity,
       CASE e.type
         WHEN 'StockReserved' THEN e.quantity
         WHEN 'ReservationAdjusted' THEN e.delta
       END                   AS quantity_delta,
       e.reserved_delta,
       e.total_delta,
       e.sku,
       e.warehouse_id,
       e.idempotency_key,
       e.expires_at,
       e.event_id,
       e.partition,
       e.seq,
       e.command_id
  FROM stockd.events e
 WHERE e.reservation_id IS NOT NULL;

-- Stock movements per warehouse per UTC day (days without events have no row).
CREATE VIEW stockd.daily_movements AS
SELECT m.warehouse_id,
       m.day,
       m.events,
       m.received_qty,
       m.adjusted_qty,
       m.reserved_qty,
       m.reservation_adjusted_qty,
       m.confirmed_qty,
       m.released_qty,
       m.expired_qty,
       m.status_changes,
       m.net_total_change,
       m.net_reserved_change
  FROM stockd.warehouse_daily_movements m;

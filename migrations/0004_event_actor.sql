-- Who issued each event's command: the name of the API key (HTTP) or the actor a Kafka command
-- declared. NULL for events of commands without one (authentication off, the expiry timer,
-- events projected before stockd recorded it). Adding a nullable column without a default
-- rewrites nothing: the append-only table keeps its rows as they are.
ALTER TABLE stockd.events ADD COLUMN actor text;

-- A reservation's timeline says who reserved, changed, confirmed or released it. The view is
-- 0003's with the column appended (CREATE OR REPLACE VIEW may only add columns at the end).
CREATE OR REPLACE VIEW stockd.reservation_timeline AS
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
       e.command_id,
       e.actor
  FROM stockd.events e
 WHERE e.reservation_id IS NOT NULL;

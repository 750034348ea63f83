-- Orders (docs/orders.md): every order event exactly once, the order-tracking seed's
-- OrderSnapshots as one row per order, a row per order line, and the order timeline as SQL.
-- Written by the projector from the events topic like everything else, idempotently: a
-- redelivered event changes nothing.

-- Append-only, like stockd.events: an order's events as published (lines as a JSON array of
-- {sku, warehouseId, quantity, delta?, reservationId?, code?}).
CREATE TABLE stockd.order_events (
  event_id       text        PRIMARY KEY,
  partition      integer     NOT NULL CHECK (partition >= 0),
  seq            bigint      NOT NULL CHECK (seq >= 1),
  type           text        NOT NULL CHECK (type IN (
                   'OrderPlaced', 'OrderHeld', 'OrderFailed', 'OrderChangeRequested',
                   'OrderQuantityAdjusted', 'OrderChangeRejected', 'OrderConfirmed',
                   'OrderCancelled', 'OrderExpired', 'OrderSettled')),
  order_id       text        NOT NULL,
  -- The order after the event.
  status         text        NOT NULL CHECK (status IN (
                   'PENDING', 'HELD', 'CONFIRMED', 'FAILED', 'CANCELLED', 'EXPIRED')),
  order_version  integer     NOT NULL,
  total_quantity bigint      NOT NULL,
  occurred_at    timestamptz NOT NULL,
  -- OrderPlaced only.
  customer_id    text,
  ttl_seconds    integer,
  expires_at     timestamptz,
  lines          jsonb       NOT NULL,
  command_id     text,
  schema_version smallint    NOT NULL,
  projected_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_events_order ON stockd.order_events (order_id, seq);

CREATE TRIGGER order_events_append_only BEFORE UPDATE OR DELETE ON stockd.order_events
  FOR EACH ROW EXECUTE FUNCTION stockd.reject_event_change();
CREATE TRIGGER order_events_no_truncate BEFORE TRUNCATE ON stockd.order_events
  FOR EACH STATEMENT EXECUTE FUNCTION stockd.reject_event_change();

-- The seed's OrderSnapshots: one row per order, its latest state. An order lives on one
-- partition, where its events' seq only grows: `last_event_seq` guards the upsert.
--   current_qty            Σ of the lines' quantities (after a confirmation: the units confirmed)
--   total_adjustments      quantity changes so far (the order's version − 1)
--   last_adjustment_delta  net change of the latest OrderQuantityAdjusted; NULL while none
CREATE TABLE stockd.order_snapshots (
  order_id              text        PRIMARY KEY,
  customer_id           text,
  status                text        NOT NULL,
  current_qty           bigint      NOT NULL,
  total_adjustments     integer     NOT NULL,
  last_adjustment_delta bigint,
  last_event_id         text        NOT NULL,
  last_event_seq        bigint      NOT NULL,
  order_version         integer     NOT NULL,
  partition             integer     NOT NULL,
  created_at            timestamptz,
  expires_at            timestamptz,
  -- Time of the order's newest event (not of the projection: see projected_at).
  last_updated          timestamptz NOT NULL,
  projected_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_snapshots_customer ON stockd.order_snapshots (customer_id, last_updated);
CREATE INDEX order_snapshots_updated ON stockd.order_snapshots (last_updated);

-- Per SKU detail: one row per line an order ever had. quantity is the line's now (0: dropped,
-- or nothing shipped of it); reservation_id its hold on the item; code why it was not held.
CREATE TABLE stockd.order_lines (
  order_id       text        NOT NULL,
  sku            text        NOT NULL,
  warehouse_id   text        NOT NULL,
  quantity       bigint      NOT NULL,
  reservation_id text,
  code           text,
  last_event_id  text        NOT NULL,
  last_event_seq bigint      NOT NULL,
  updated_at     timestamptz NOT NULL,
  PRIMARY KEY (order_id, sku, warehouse_id)
);
CREATE INDEX order_lines_item ON stockd.order_lines (sku, warehouse_id);

-- An order's full timeline: one row per line of each event (one row for an event without
-- lines), oldest first by seq: versions, per-line deltas, status changes, times.
CREATE VIEW stockd.order_timeline AS
SELECT e.order_id,
       e.seq,
       e.order_version AS version,
       e.type,
       e.status,
       e.occurred_at,
       e.total_quantity,
       l.sku,
       l."warehouseId"   AS warehouse_id,
       l.quantity,
       l.delta,
       l."reservationId" AS reservation_id,
       l.code,
       e.customer_id,
       e.event_id,
       e.partition,
       e.command_id
  FROM stockd.order_events e
  LEFT JOIN LATERAL jsonb_to_recordset(e.lines)
         AS l(sku text, "warehouseId" text, quantity bigint, delta bigint, "reservationId" text,
              code text) ON true;

-- The event store: every stockd event exactly once, as published on `inventory-events`.
--
-- Append-only. Each row carries the item's levels AFTER the event, so "levels of item X as of
-- T" is the newest row of X at or before T (see 0003). Not partitioned by time: PostgreSQL
-- requires a partitioned table's unique keys to include the partition key, which would turn
-- "unique on event_id" into "unique on (event_id, occurred_at)"; at the sizes stockd's
-- reporting sees (millions to a few hundred million rows) one table with the two indexes below
-- answers every report by index, and nothing is deleted, so dropping old partitions would buy
-- nothing. See docs/reporting.md for when to revisit this.
CREATE SCHEMA IF NOT EXISTS stockd;

CREATE TABLE stockd.events (
  event_id            text        PRIMARY KEY,
  partition           integer     NOT NULL CHECK (partition >= 0),
  seq                 bigint      NOT NULL CHECK (seq >= 1),
  type                text        NOT NULL CHECK (type IN (
                        'StockReceived', 'StockAdjusted', 'ItemStatusChanged', 'StockReserved',
                        'ReservationAdjusted', 'ReservationConfirmed', 'ReservationReleased',
                        'ReservationExpired')),
  sku                 text        NOT NULL,
  warehouse_id        text        NOT NULL,
  occurred_at         timestamptz NOT NULL,
  total_delta         bigint      NOT NULL,
  reserved_delta      bigint      NOT NULL,
  -- The item after the event.
  total_qty           bigint      NOT NULL,
  reserved_qty        bigint      NOT NULL,
  available_qty       bigint      GENERATED ALWAYS AS (total_qty - reserved_qty) STORED,
  status              text        NOT NULL CHECK (status IN ('ACTIVE', 'INACTIVE')),
  item_version        bigint      NOT NULL,
  item_previous_seq   bigint      NOT NULL,
  -- Reservation events only.
  reservation_id      text,
  reservation_version integer,
  quantity            bigint,
  delta               bigint,
  idempotency_key     text,
  ttl_seconds         integer,
  expires_at          timestamptz,
  reason              text,
  command_id          text,
  schema_version      smallint    NOT NULL,
  projected_at        timestamptz NOT NULL DEFAULT now()
);

-- As-of and history of one item: newest event at or before T.
CREATE INDEX events_item_time ON stockd.events (sku, warehouse_id, occurred_at, seq);
-- A reservation's timeline.
CREATE INDEX events_reservation ON stockd.events (reservation_id, reservation_version)
  WHERE reservation_id IS NOT NULL;

-- Append-only, enforced: history is corrected by new events, never by editing old ones.
CREATE FUNCTION stockd.reject_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'stockd.events is append-only (% refused)', TG_OP
    USING ERRCODE = 'restrict_violation';
END
$$;

CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON stockd.events
  FOR EACH ROW EXECUTE FUNCTION stockd.reject_event_change();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON stockd.events
  FOR EACH STATEMENT EXECUTE FUNCTION stockd.reject_event_change();

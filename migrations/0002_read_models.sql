-- Read models the projector maintains from the event store, in the same transaction as the
-- events they come from. Each is idempotent on its own: a redelivered event changes nothing.

-- Current levels, one row per item. `last_applied_seq` guards the upsert: an event older than
-- the row (a redelivery) is ignored, so replays change nothing.
CREATE TABLE stockd.levels (
  sku              text        NOT NULL,
  warehouse_id     text        NOT NULL,
  partition        integer     NOT NULL,
  last_applied_seq bigint      NOT NULL,
  last_event_id    text        NOT NULL,
  total_qty        bigint      NOT NULL,
  reserved_qty     bigint      NOT NULL,
  available_qty    bigint      GENERATED ALWAYS AS (total_qty - reserved_qty) STORED,
  status           text        NOT NULL CHECK (status IN ('ACTIVE', 'INACTIVE')),
  item_version     bigint      NOT NULL,
  -- Time of the item's newest event (not of the projection: see projected_at).
  updated_at       timestamptz NOT NULL,
  projected_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (sku, warehouse_id)
);
CREATE INDEX levels_warehouse ON stockd.levels (warehouse_id, sku);

-- Reservations: the order-tracking seed's OrderSnapshots (current quantity, total adjustments,
-- last delta, last event id, last update), guarded by the reservation's version. Creation
-- fields are NULL only if the projection never saw the StockReserved (a topic whose retention
-- already dropped it).
CREATE TABLE stockd.reservations (
  reservation_id    text        PRIMARY KEY,
  sku               text        NOT NULL,
  warehouse_id      text        NOT NULL,
  partition         integer     NOT NULL,
  idempotency_key   text,
  status            text        NOT NULL CHECK (status IN ('HELD', 'CONFIRMED', 'RELEASED', 'EXPIRED')),
  quantity          bigint      NOT NULL,
  version           integer     NOT NULL,
  ttl_seconds       integer,
  created_at        timestamptz,
  expires_at        timestamptz,
  total_adjustments integer     NOT NULL,
  -- Delta of the newest ReservationAdjusted; NULL while there is none.
  last_delta        bigint,
  last_event_id     text        NOT NULL,
  last_event_seq    bigint      NOT NULL,
  updated_at        timestamptz NOT NULL,
  projected_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reservations_item ON stockd.reservations (sku, warehouse_id);
CREATE INDEX reservations_idempotency_key ON stockd.reservations (idempotency_key);

-- A reservation's quantity history, as stockd's own GET /reservations/:id shows it: creation
-- is version 1 (delta = the quantity), then every ReservationAdjusted with its version.
CREATE TABLE stockd.reservation_adjustments (
  reservation_id text        NOT NULL,
  version        integer     NOT NULL,
  delta          bigint      NOT NULL,
  quantity       bigint      NOT NULL,
  occurred_at    timestamptz NOT NULL,
  event_id       text        NOT NULL,
  PRIMARY KEY (reservation_id, version)
);

-- Daily closing levels (UTC days), written by the projector when an item's first event of a
-- later day arrives: one row per item per day on which it changed, holding its levels after
-- its last event of that day. Sparse on purpose: a dense snapshot of every item every day
-- costs a row per item per day whether or not it moved.
CREATE TABLE stockd.level_snapshots (
  sku            text        NOT NULL,
  warehouse_id   text        NOT NULL,
  day            date        NOT NULL,
  total_qty      bigint      NOT NULL,
  reserved_qty   bigint      NOT NULL,
  available_qty  bigint      GENERATED ALWAYS AS (total_qty - reserved_qty) STORED,
  status         text        NOT NULL,
  item_version   bigint      NOT NULL,
  last_event_id  text        NOT NULL,
  last_event_seq bigint      NOT NULL,
  last_event_at  timestamptz NOT NULL,
  PRIMARY KEY (sku, warehouse_id, day)
);

-- Stock movements per warehouse per UTC day, summed from the events as they are first
-- inserted (a redelivered event inserts nothing, so adds nothing). Units are positive for
-- receipts, holds, confirmations, releases and expiries; adjustments are signed.
CREATE TABLE stockd.warehouse_daily_movements (
  warehouse_id             text   NOT NULL,
  day                      date   NOT NULL,
  events                   bigint NOT NULL,
  received_qty             bigint NOT NULL,
  adjusted_qty             bigint NOT NULL,
  reserved_qty             bigint NOT NULL,
  reservation_adjusted_qty bigint NOT NULL,
  confirmed_qty            bigint NOT NULL,
  released_qty             bigint NOT NULL,
  expired_qty              bigint NOT NULL,
  status_changes           bigint NOT NULL,
  net_total_change         bigint NOT NULL,
  net_reserved_change      bigint NOT NULL,
  PRIMARY KEY (warehouse_id, day)
);

-- How far the projection got, per Kafka partition: the same transaction as the batch, so it
-- never claims more than is in the tables.
CREATE TABLE stockd.projection_progress (
  topic           text        NOT NULL,
  kafka_partition integer     NOT NULL,
  last_offset     bigint      NOT NULL,
  last_event_at   timestamptz,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (topic, kafka_partition)
);

-- Messages on the events topic that are not stockd events (undecodable, unknown schema),
-- kept for inspection instead of being dropped silently. Values are cut to 64 KiB.
CREATE TABLE stockd.rejected_messages (
  topic           text        NOT NULL,
  kafka_partition integer     NOT NULL,
  kafka_offset    bigint      NOT NULL,
  reason          text        NOT NULL,
  message_key     bytea,
  message_value   bytea,
  rejected_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (topic, kafka_partition, kafka_offset)
);

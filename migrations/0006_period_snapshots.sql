-- Period snapshots for reports: the level of every item that changed in an hour or a UTC day,
-- written at the period's end by the projector's timer (docs/reporting.md, "Period
-- snapshots"), and the raw event next to its columns.

-- The raw event: the MessagePack bytes of the Kafka message exactly as received, so a field a
-- newer stockd adds (or one no column holds) is never lost, and a read model added later can be
-- rebuilt from PostgreSQL alone. NULL for rows projected before this migration. Adding nullable
-- columns without a default rewrites nothing: the append-only tables keep their rows as they are.
ALTER TABLE stockd.events ADD COLUMN payload bytea;
ALTER TABLE stockd.order_events ADD COLUMN payload bytea;

-- A period's events by time, for its close (every item that changed in [start, end)). On a
-- large existing table the build takes a while and holds inserts back meanwhile: the projector
-- that runs this migration starts consuming once it is done.
CREATE INDEX events_time ON stockd.events (occurred_at);

-- The periods closed so far, one row each, empty ones too: where the timer resumes after a
-- restart, and what a report checks to know that a period's snapshots are final.
CREATE TABLE stockd.snapshot_periods (
  period       text        NOT NULL CHECK (period IN ('hour', 'day')),
  period_start timestamptz NOT NULL,
  period_end   timestamptz NOT NULL,
  closed_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (period, period_start),
  CHECK (period_end > period_start)
);

-- One row per period and item that changed in it: the item's levels after its last event
-- before the period's end. Written once by the close (ON CONFLICT DO NOTHING); changed only if
-- an event of the period reached PostgreSQL after its close (then the row moves to that later
-- event of the item's chain, never back: guarded by last_event_seq).
CREATE TABLE stockd.period_snapshots (
  period         text        NOT NULL CHECK (period IN ('hour', 'day')),
  period_start   timestamptz NOT NULL,
  period_end     timestamptz NOT NULL,
  sku            text        NOT NULL,
  warehouse_id   text        NOT NULL,
  total_qty      bigint      NOT NULL,
  reserved_qty   bigint      NOT NULL,
  available_qty  bigint      GENERATED ALWAYS AS (total_qty - reserved_qty) STORED,
  status         text        NOT NULL CHECK (status IN ('ACTIVE', 'INACTIVE')),
  item_version   bigint      NOT NULL,
  last_event_id  text        NOT NULL,
  last_event_seq bigint      NOT NULL,
  last_event_at  timestamptz NOT NULL,
  -- When the projector wrote (or last corrected) the row.
  snapshot_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (period, period_start, sku, warehouse_id)
);
-- "The latest snapshot of item X before the end of a report's period": one index descent.
CREATE INDEX period_snapshots_item ON stockd.period_snapshots (sku, warehouse_id, period_end);

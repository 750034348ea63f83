-- The seed's (001) Inventory DB and Reservation DB, as it describes them.
CREATE TABLE inventory (
  sku_id        text        NOT NULL,
  warehouse_id  text        NOT NULL,
  available_qty integer     NOT NULL, -- total_qty - reserved_qty
  total_qty     integer     NOT NULL,
  reserved_qty  integer     NOT NULL,
  status        text        NOT NULL DEFAULT 'ACTIVE',
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (sku_id, warehouse_id)
);

-- The order id / idempotency key is the reservation's id.
CREATE TABLE reservation (
  idempotency_key text        PRIMARY KEY,
  sku_id          text        NOT NULL,
  warehouse_id    text        NOT NULL,
  qty             integer     NOT NULL,
  status          text        NOT NULL,
  created_at      timestamptz NOT NULL,
  expires_at      timestamptz NOT NULL
);

/**
 * The seed's PostgreSQL design behind stockd's reserve route: per request one transaction on a
 * pooled connection (DATABASE_URL, POOL_SIZE connections, synchronous_commit=on so COMMIT
 * returns after the WAL is fsynced):
 *
 *   BEGIN
 *   INSERT INTO reservation … ON CONFLICT DO NOTHING     no row: a repeat → the original, COMMIT
 *   UPDATE inventory … WHERE … AND available_qty >= $q   no row: ROLLBACK → 409 (or 404)
 *   COMMIT
 *
 * The UPDATE's row lock is held until COMMIT, which is what serialises reserves of one item.
 * Statements are named, so each connection parses and plans them once.
 */
import pg from 'pg';
import {
  defaultTtlSeconds,
  heldReservation,
  keyOf,
  missingKey,
  type ReserveOutcome,
  reserveApp,
  serve,
} from './reserve-app.ts';

const poolSize = Number(process.env.POOL_SIZE);
const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: poolSize,
  // Connections stay open for the whole run: the bench measures their backends' CPU by pid.
  idleTimeoutMillis: 0,
  options: '-c synchronous_commit=on',
});

const insertHold = {
  name: 'insert-hold',
  text: `INSERT INTO reservation
           (idempotency_key, sku_id, warehouse_id, qty, status, created_at, expires_at)
         VALUES ($1, $2, $3, $4, 'HELD', to_timestamp($5::float8 / 1000),
                 to_timestamp($5::float8 / 1000) + make_interval(secs => $6))
         ON CONFLICT DO NOTHING`,
};
const selectHold = {
  name: 'select-hold',
  text: `SELECT sku_id, warehouse_id, qty,
                (extract(epoch FROM created_at) * 1000)::float8 AS created_at_ms,
                extract(epoch FROM expires_at - created_at)::int AS ttl_seconds
           FROM reservation WHERE idempotency_key = $1`,
};
const reserveStock = {
  name: 'reserve-stock',
  text: `UPDATE inventory
            SET available_qty = available_qty - $3, reserved_qty = reserved_qty + $3,
                updated_at = now()
          WHERE sku_id = $1 AND warehouse_id = $2 AND available_qty >= $3`,
};
const itemExists = {
  name: 'item-exists',
  text: 'SELECT 1 FROM inventory WHERE sku_id = $1 AND warehouse_id = $2',
};

async function reserve(
  client: pg.PoolClient,
  key: string,
  sku: string,
  warehouseId: string,
  quantity: number,
  ttlSeconds: number,
): Promise<ReserveOutcome> {
  const createdAtMs = Date.now();
  const inserted = await client.query({
    ...insertHold,
    values: [key, sku, warehouseId, quantity, createdAtMs, ttlSeconds],
  });
  if (inserted.rowCount === 0) {
    const { rows } = await client.query({ ...selectHold, values: [key] });
    const [held] = rows;
    await client.query('COMMIT');
    return {
      statusCode: 200,
      reservation: heldReservation({
        key,
        sku: held.sku_id,
        warehouseId: held.warehouse_id,
        quantity: held.qty,
        ttlSeconds: held.ttl_seconds,
        createdAtMs: held.created_at_ms,
      }),
    };
  }
  const updated = await client.query({ ...reserveStock, values: [sku, warehouseId, quantity] });
  if (updated.rowCount === 0) {
    const exists = await client.query({ ...itemExists, values: [sku, warehouseId] });
    await client.query('ROLLBACK');
    return exists.rowCount === 0
      ? { statusCode: 404, code: 'ITEM_NOT_FOUND', message: 'no such item' }
      : { statusCode: 409, code: 'INSUFFICIENT_STOCK', message: 'not enough available stock' };
  }
  await client.query('COMMIT');
  return {
    statusCode: 201,
    reservation: heldReservation({ key, sku, warehouseId, quantity, ttlSeconds, createdAtMs }),
  };
}

// Open every connection before the load starts, so that their backends exist (and are counted)
// from the first request of the measured window.
const warm = await Promise.all(Array.from({ length: poolSize }, () => pool.connect()));
for (const client of warm) client.release();

await serve(
  reserveApp(async (body) => {
    const key = keyOf(body);
    if (key === undefined) return missingKey;
    const { sku, warehouseId, quantity, ttlSeconds = defaultTtlSeconds } = body;
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const outcome = await reserve(client, key, sku, warehouseId, quantity, ttlSeconds);
      client.release();
      return outcome;
    } catch (error) {
      // Closing the connection aborts whatever transaction it was in.
      client.release(true);
      throw error;
    }
  }),
);

/**
 * The HTTP ceiling for bench/http: stockd's reserve route and schemas with a handler that stores
 * nothing, so what it costs is the HTTP work alone.
 */
import {
  defaultTtlSeconds,
  heldReservation,
  keyOf,
  missingKey,
  reserveApp,
  serve,
} from './reserve-app.ts';

await serve(
  reserveApp(async (body) => {
    const key = keyOf(body);
    if (key === undefined) return missingKey;
    const { sku, warehouseId, quantity, ttlSeconds = defaultTtlSeconds } = body;
    const createdAtMs = Date.now();
    return {
      statusCode: 201,
      reservation: heldReservation({ key, sku, warehouseId, quantity, ttlSeconds, createdAtMs }),
    };
  }),
);

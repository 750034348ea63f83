/**
 * The Redis + Lua baseline's HTTP front: stockd's reserve route whose handler runs
 * redis-reserve.lua with EVALSHA (loaded once at start) against the redis-server on
 * REDIS_PORT. Auto-pipelining writes the commands of one event-loop turn in one socket write,
 * as a tuned Redis client would.
 */
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { holdKeyOf, stockKeyOf } from './redis-keys.ts';
import {
  defaultTtlSeconds,
  heldReservation,
  keyOf,
  missingKey,
  type ReserveOutcome,
  reserveApp,
  serve,
} from './reserve-app.ts';

const redis = new Redis({
  host: '127.0.0.1',
  port: Number(process.env.REDIS_PORT),
  enableAutoPipelining: true,
});
const script = readFileSync(new URL('./redis-reserve.lua', import.meta.url), 'utf8');
const sha = (await redis.script('LOAD', script)) as string;

const rejections: Record<number, ReserveOutcome> = {
  404: { statusCode: 404, code: 'ITEM_NOT_FOUND', message: 'no such item' },
  409: { statusCode: 409, code: 'INSUFFICIENT_STOCK', message: 'not enough available stock' },
};

await serve(
  reserveApp(async (body) => {
    const key = keyOf(body);
    if (key === undefined) return missingKey;
    const { sku, warehouseId, quantity, ttlSeconds = defaultTtlSeconds } = body;
    const reply = (await redis.evalsha(
      sha,
      2,
      holdKeyOf(key),
      stockKeyOf(sku, warehouseId),
      sku,
      warehouseId,
      quantity,
      ttlSeconds,
      Date.now(),
    )) as [number, ...string[]];
    const [statusCode] = reply;
    if (statusCode === 201) {
      const createdAtMs = Number(reply[1]);
      return {
        statusCode,
        reservation: heldReservation({ key, sku, warehouseId, quantity, ttlSeconds, createdAtMs }),
      };
    }
    if (statusCode === 200) {
      const [, heldSku, heldWarehouseId, heldQuantity, heldTtlSeconds, createdAtMs] = reply;
      return {
        statusCode,
        reservation: heldReservation({
          key,
          sku: heldSku!,
          warehouseId: heldWarehouseId!,
          quantity: Number(heldQuantity),
          ttlSeconds: Number(heldTtlSeconds),
          createdAtMs: Number(createdAtMs),
        }),
      };
    }
    return rejections[statusCode]!;
  }),
);

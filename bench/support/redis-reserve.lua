-- The seed's reserve, atomically (Redis runs one script at a time, so no other command sees a
-- half-done reserve):
--   KEYS[1] hold:<idempotency key>   hash: the hold, which is also the idempotency record
--   KEYS[2] stock:<sku>|<warehouse>  hash: total, reserved
--   ARGV    sku, warehouseId, quantity, ttlSeconds, createdAtMs
-- Returns {201, createdAtMs} for a new hold, {200, sku, warehouseId, quantity, ttlSeconds,
-- createdAtMs} for a repeat of a key (the original hold), {404} or {409} for a rejection.
local held = redis.call('HMGET', KEYS[1], 'sku', 'warehouseId', 'quantity', 'ttlSeconds', 'createdAtMs')
if held[1] then
  return {200, held[1], held[2], held[3], held[4], held[5]}
end
local stock = redis.call('HMGET', KEYS[2], 'total', 'reserved')
if not stock[1] then
  return {404}
end
local quantity = tonumber(ARGV[3])
if tonumber(stock[1]) - tonumber(stock[2]) < quantity then
  return {409}
end
redis.call('HINCRBY', KEYS[2], 'reserved', quantity)
redis.call('HSET', KEYS[1], 'sku', ARGV[1], 'warehouseId', ARGV[2], 'quantity', ARGV[3],
  'ttlSeconds', ARGV[4], 'createdAtMs', ARGV[5], 'status', 'HELD')
return {201, ARGV[5]}

/** Where the Redis baseline keeps an item's stock and a hold (see redis-reserve.lua). */
export const stockKeyOf = (sku: string, warehouseId: string) => `stock:${sku}|${warehouseId}`;
export const holdKeyOf = (idempotencyKey: string) => `hold:${idempotencyKey}`;

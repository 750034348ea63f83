import type { ItemLevels, ReservationView } from '../../worker-protocol/results.ts';

/** Engine views → HTTP bodies: times as ISO-8601, internal fields dropped. */
export const isoOf = (ms: number) => new Date(ms).toISOString();

export function levelsBody(item: ItemLevels) {
  return {
    warehouseId: item.warehouseId,
    totalQty: item.totalQty,
    reservedQty: item.reservedQty,
    availableQty: item.availableQty,
    status: item.status,
    version: item.version,
    updatedAt: isoOf(item.updatedAtMs),
  };
}

export function itemLevelsBody(item: ItemLevels) {
  return { sku: item.sku, ...levelsBody(item) };
}

export function reservationBody(view: ReservationView) {
  return {
    reservationId: view.reservationId,
    sku: view.sku,
    warehouseId: view.warehouseId,
    idempotencyKey: view.idempotencyKey,
    quantity: view.quantity,
    status: view.status,
    ttlSeconds: view.ttlSeconds,
    createdAt: isoOf(view.createdAtMs),
    expiresAt: isoOf(view.expiresAtMs),
    updatedAt: isoOf(view.updatedAtMs),
    version: view.version,
    ...(view.history !== undefined && {
      history: view.history.map((change) => ({
        version: change.version,
        delta: change.delta,
        quantity: change.quantity,
        at: isoOf(change.atMs),
      })),
    }),
  };
}

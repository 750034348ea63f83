import type { ItemLevels, ReservationView } from '../../worker-protocol/results.ts';

/**
 * Engine views → HTTP bodies: times as ISO-8601, internal fields dropped.
 *
 * The requests of one batch are decided at one instant, so the replies of a batch repeat the
 * same few times: the last ones formatted are remembered (Date#toISOString costs about as much
 * as the rest of building a reply).
 */
const recentIso = new Map<number, string>();
const recentIsoMax = 64;

export function isoOf(ms: number): string {
  let iso = recentIso.get(ms);
  if (iso === undefined) {
    if (recentIso.size >= recentIsoMax) recentIso.clear();
    iso = new Date(ms).toISOString();
    recentIso.set(ms, iso);
  }
  return iso;
}

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
    ...(view.orderId !== undefined && { orderId: view.orderId }),
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

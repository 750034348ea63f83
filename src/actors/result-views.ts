import { availableQty } from '../domain/item.ts';
import { quantityHistory, type Reservation } from '../domain/reservation.ts';
import type { LeanReservationView } from '../worker-protocol/lean-results.ts';
import type { ItemLevels, ReservationView } from '../worker-protocol/results.ts';
import type { ItemTable } from './item-table.ts';

export function itemLevels(
  items: ItemTable,
  index: number,
  sku: string,
  warehouseId: string,
): ItemLevels {
  const item = items.read(index);
  return {
    sku,
    warehouseId,
    totalQty: item.totalQty,
    reservedQty: item.reservedQty,
    availableQty: availableQty(item),
    status: item.status,
    version: item.version,
    updatedAtMs: item.updatedAtMs,
    lastEventSeq: items.lastSeqAt(index),
  };
}

export function reservationView(
  reservation: Reservation,
  sku: string,
  warehouseId: string,
  withHistory: boolean,
): ReservationView {
  const view: ReservationView = {
    reservationId: reservation.reservationId,
    sku,
    warehouseId,
    idempotencyKey: reservation.idempotencyKey,
    quantity: reservation.quantity,
    status: reservation.status,
    ttlSeconds: reservation.ttlSeconds,
    createdAtMs: reservation.createdAtMs,
    expiresAtMs: reservation.expiresAtMs,
    updatedAtMs: reservation.updatedAtMs,
    version: reservation.version,
    ...(reservation.orderId !== undefined && { orderId: reservation.orderId }),
  };
  return withHistory ? { ...view, history: quantityHistory(reservation) } : view;
}

/**
 * A new or repeated Reserve's view for the batch channel (worker-protocol/lean-results.ts). A
 * literal of its own rather than reservationView's without three fields: built once, at its size.
 */
export function leanReservationView(reservation: Reservation): LeanReservationView {
  return {
    reservationId: reservation.reservationId,
    quantity: reservation.quantity,
    status: reservation.status,
    ttlSeconds: reservation.ttlSeconds,
    createdAtMs: reservation.createdAtMs,
    expiresAtMs: reservation.expiresAtMs,
    updatedAtMs: reservation.updatedAtMs,
    version: reservation.version,
  };
}

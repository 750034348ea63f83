import { assert } from './assert.ts';
import type { ItemEvent } from './events.ts';
import type { ItemState } from './item.ts';
import {
  noAdjustments,
  type Reservation,
  type ReservationStatus,
  reservationTransitions,
} from './reservation.ts';

/**
 * evolve(state, event) → state. Applies the deltas and asserts that the result is the after-state
 * the event recorded: replay that disagrees with the original decision is a bug, not a rejection.
 */
export function evolveItem(item: ItemState | undefined, event: ItemEvent): ItemState {
  const next: ItemState = {
    totalQty: (item?.totalQty ?? 0) + event.totalDelta,
    reservedQty: (item?.reservedQty ?? 0) + event.reservedDelta,
    status: event.status,
    version: (item?.version ?? 0) + 1,
    updatedAtMs: event.timestampMs,
  };
  assert(
    next.totalQty === event.totalQty &&
      next.reservedQty === event.reservedQty &&
      next.version === event.itemVersion,
    () => `event ${event.type} v${event.itemVersion} does not follow item v${item?.version ?? 0}`,
  );
  assert(
    next.reservedQty >= 0 && next.totalQty >= next.reservedQty,
    'stock is never oversold: 0 ≤ reserved ≤ total',
  );
  return next;
}

/** The reservation after `event`; events of other reservations or of the item leave it as is. */
export function evolveReservation(
  reservation: Reservation | undefined,
  event: ItemEvent,
  itemKey: string,
): Reservation | undefined {
  if (event.type === 'StockReserved') {
    return {
      reservationId: event.reservationId,
      itemKey,
      idempotencyKey: event.idempotencyKey,
      ...(event.orderId !== undefined && { orderId: event.orderId }),
      quantity: event.quantity,
      requestedQuantity: event.quantity,
      ttlSeconds: event.ttlSeconds,
      status: 'HELD',
      createdAtMs: event.timestampMs,
      expiresAtMs: event.expiresAtMs,
      updatedAtMs: event.timestampMs,
      version: 1,
      adjustments: noAdjustments,
    };
  }
  if (!('reservationId' in event) || reservation?.reservationId !== event.reservationId) {
    return reservation;
  }
  assert(reservation.status === 'HELD', () => `${event.type} applies to a HELD reservation only`);
  assert(event.reservationVersion === reservation.version + 1, 'reservation versions are dense');
  const common = { version: event.reservationVersion, updatedAtMs: event.timestampMs };
  switch (event.type) {
    case 'ReservationAdjusted':
      return {
        ...reservation,
        ...common,
        quantity: event.quantity,
        adjustments: [
          ...reservation.adjustments,
          {
            version: event.reservationVersion,
            delta: event.delta,
            quantity: event.quantity,
            atMs: event.timestampMs,
          },
        ],
      };
    case 'ReservationConfirmed':
      return transition(reservation, 'CONFIRMED', common);
    case 'ReservationReleased':
      return transition(reservation, 'RELEASED', common);
    case 'ReservationExpired':
      return transition(reservation, 'EXPIRED', common);
  }
}

function transition(
  reservation: Reservation,
  status: ReservationStatus,
  common: { version: number; updatedAtMs: number },
): Reservation {
  assert(
    reservationTransitions[reservation.status].includes(status),
    () =>
      `reservation ${reservation.reservationId} cannot go from ${reservation.status} to ${status}`,
  );
  return { ...reservation, ...common, status };
}

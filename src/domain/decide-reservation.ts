import { assert } from './assert.ts';
import type { ChangeReservation, Confirm, Expire, Release, Reserve } from './commands.ts';
import { applied, type Decision, type DecisionContext, rejected, unchanged } from './decision.ts';
import { eventBase } from './event-builder.ts';
import { availableQty, type ItemState } from './item.ts';
import { limits } from './limits.ts';
import type { RejectionCode } from './rejections.ts';
import type { Reservation, ReservationStatus } from './reservation.ts';

/** Why a reservation that is no longer HELD cannot be changed or confirmed. */
export const finalStatusRejection: Readonly<
  Record<Exclude<ReservationStatus, 'HELD'>, RejectionCode>
> = {
  CONFIRMED: 'RESERVATION_CONFIRMED',
  RELEASED: 'RESERVATION_RELEASED',
  EXPIRED: 'RESERVATION_EXPIRED',
};

/**
 * Idempotency is decided here: `context.reservation` is the reservation already made under this
 * item and idempotency key, if any. The same request again returns it; a different one is refused.
 */
export function decideReserve(command: Reserve, context: DecisionContext): Decision {
  const { item, reservation: existing, nowMs } = context;
  if (item === undefined) return rejected('ITEM_NOT_FOUND');
  if (existing !== undefined) {
    // The key is an order's id, and this item one of its lines: not this client's hold.
    if (existing.orderId !== undefined) return rejected('IDEMPOTENCY_KEY_REUSED');
    const sameRequest =
      existing.requestedQuantity === command.quantity && existing.ttlSeconds === command.ttlSeconds;
    return sameRequest ? unchanged : rejected('IDEMPOTENCY_KEY_REUSED');
  }
  if (item.status === 'INACTIVE') return rejected('ITEM_INACTIVE');
  if (availableQty(item) < command.quantity) return rejected('INSUFFICIENT_STOCK');
  // The item's fields listed, not spread: a literal with a spread in it grows its storage field by
  // field after the spread (a sixth of what a reserve allocated in the worker, on the hot path).
  const base = eventBase(item, nowMs, 0, command.quantity);
  return applied({
    type: 'StockReserved',
    timestampMs: base.timestampMs,
    totalDelta: base.totalDelta,
    reservedDelta: base.reservedDelta,
    totalQty: base.totalQty,
    reservedQty: base.reservedQty,
    status: base.status,
    itemVersion: base.itemVersion,
    reservationId: context.newReservationId,
    idempotencyKey: command.idempotencyKey,
    quantity: command.quantity,
    reservationVersion: 1,
    ttlSeconds: command.ttlSeconds,
    expiresAtMs: nowMs + command.ttlSeconds * 1000,
  });
}

export function decideChangeReservation(
  command: ChangeReservation,
  context: DecisionContext,
): Decision {
  const { item, reservation, nowMs } = context;
  if (reservation === undefined) return rejected('RESERVATION_NOT_FOUND');
  if (reservation.orderId !== undefined) return rejected('RESERVATION_OF_ORDER');
  return decideQuantityChange(reservation, item, command.quantity, nowMs);
}

/**
 * A held reservation's new quantity, recorded as a delta with a new version: the rule shared by
 * a client's change and an order changing one of its lines (decide-line.ts), once the caller has
 * checked who may change it.
 */
export function decideQuantityChange(
  reservation: Reservation,
  item: ItemState | undefined,
  quantity: number,
  nowMs: number,
): Decision {
  if (reservation.status !== 'HELD') return rejected(finalStatusRejection[reservation.status]);
  assert(item !== undefined, 'a held reservation belongs to an existing item');
  const delta = quantity - reservation.quantity;
  if (delta === 0) return unchanged;
  if (delta > 0 && item.status === 'INACTIVE') return rejected('ITEM_INACTIVE');
  if (delta > 0 && availableQty(item) < delta) return rejected('INSUFFICIENT_STOCK');
  if (reservation.adjustments.length >= limits.reservationAdjustmentsMax) {
    return rejected('ADJUSTMENT_LIMIT_REACHED');
  }
  return applied({
    type: 'ReservationAdjusted',
    ...eventBase(item, nowMs, 0, delta),
    reservationId: reservation.reservationId,
    quantity,
    reservationVersion: reservation.version + 1,
    delta,
  });
}

export function decideConfirm(_command: Confirm, context: DecisionContext): Decision {
  const { reservation } = context;
  if (reservation === undefined) return rejected('RESERVATION_NOT_FOUND');
  if (reservation.orderId !== undefined) return rejected('RESERVATION_OF_ORDER');
  if (reservation.status === 'CONFIRMED') return unchanged;
  if (reservation.status !== 'HELD') return rejected(finalStatusRejection[reservation.status]);
  const quantity = reservation.quantity;
  return settle('ReservationConfirmed', reservation, context, -quantity, -quantity);
}

/** Releasing an expired hold is a no-op: its stock went back when it expired. */
export function decideRelease(_command: Release, context: DecisionContext): Decision {
  const { reservation } = context;
  if (reservation === undefined) return rejected('RESERVATION_NOT_FOUND');
  if (reservation.orderId !== undefined) return rejected('RESERVATION_OF_ORDER');
  if (reservation.status === 'CONFIRMED') return rejected('RESERVATION_CONFIRMED');
  if (reservation.status !== 'HELD') return unchanged;
  return settle('ReservationReleased', reservation, context, 0, -reservation.quantity);
}

/**
 * The expiry timer may race a release or confirm; anything but a due HELD hold is a no-op. An
 * order's lines expire with their order (SettleLine), never one by one.
 */
export function decideExpire(_command: Expire, context: DecisionContext): Decision {
  const { reservation, nowMs } = context;
  if (reservation === undefined) return rejected('RESERVATION_NOT_FOUND');
  if (reservation.orderId !== undefined) return unchanged;
  if (reservation.status !== 'HELD' || nowMs < reservation.expiresAtMs) return unchanged;
  return settle('ReservationExpired', reservation, context, 0, -reservation.quantity);
}

export function settle(
  type: 'ReservationConfirmed' | 'ReservationReleased' | 'ReservationExpired',
  reservation: Reservation,
  context: DecisionContext,
  totalDelta: number,
  reservedDelta: number,
): Decision {
  assert(context.item !== undefined, 'a held reservation belongs to an existing item');
  return applied({
    type,
    ...eventBase(context.item, context.nowMs, totalDelta, reservedDelta),
    reservationId: reservation.reservationId,
    quantity: reservation.quantity,
    reservationVersion: reservation.version + 1,
  });
}

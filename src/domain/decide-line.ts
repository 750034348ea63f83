import { assert } from './assert.ts';
import { decideQuantityChange, finalStatusRejection, settle } from './decide-reservation.ts';
import { applied, type Decision, type DecisionContext, rejected, unchanged } from './decision.ts';
import { eventBase } from './event-builder.ts';
import type { ReservationAdjusted } from './events.ts';
import { evolveItem } from './evolve.ts';
import { availableQty } from './item.ts';
import type { HoldLine, SetLineQuantity, SettleLine } from './line-commands.ts';

/**
 * An order's line is a reservation whose idempotency key is the orderId. `context.reservation`
 * is the newest reservation under that key on this item: the order's live hold (a repeat), one it
 * settled earlier (the line was dropped and is added again: hold anew), or a client's own reserve
 * that happens to use the order's id as its key (refused).
 */
export function decideHoldLine(command: HoldLine, context: DecisionContext): Decision {
  const { item, reservation: existing, nowMs } = context;
  if (item === undefined) return rejected('ITEM_NOT_FOUND');
  if (existing !== undefined) {
    if (existing.orderId !== command.orderId) return rejected('IDEMPOTENCY_KEY_REUSED');
    if (existing.status === 'HELD') return unchanged;
  }
  if (item.status === 'INACTIVE') return rejected('ITEM_INACTIVE');
  if (availableQty(item) < command.quantity) return rejected('INSUFFICIENT_STOCK');
  return applied({
    type: 'StockReserved',
    ...eventBase(item, nowMs, 0, command.quantity),
    reservationId: context.newReservationId,
    idempotencyKey: command.orderId,
    orderId: command.orderId,
    quantity: command.quantity,
    reservationVersion: 1,
    ttlSeconds: command.ttlSeconds,
    expiresAtMs: command.expiresAtMs,
  });
}

/** Absolute, so repeating it after a crash changes nothing: the line already has the quantity. */
export function decideSetLineQuantity(
  command: SetLineQuantity,
  context: DecisionContext,
): Decision {
  const { item, reservation, nowMs } = context;
  if (reservation === undefined || reservation.orderId !== command.orderId) {
    return rejected('RESERVATION_NOT_FOUND');
  }
  return decideQuantityChange(reservation, item, command.quantity, nowMs);
}

/**
 * The line's hold ends as its order did. A line already in the state asked for is a no-op, so a
 * settlement interrupted by a crash is finished by repeating it. A partial confirmation is two
 * events: the hold shrinks to the units shipped (its history shows the delta), then confirms.
 */
export function decideSettleLine(command: SettleLine, context: DecisionContext): Decision {
  const { item, reservation, nowMs } = context;
  if (reservation === undefined || reservation.orderId !== command.orderId) {
    return rejected('RESERVATION_NOT_FOUND');
  }
  const wantsRelease = command.action === 'release' || command.quantity === 0;
  if (reservation.status === 'CONFIRMED') {
    return command.action === 'confirm' && command.quantity > 0
      ? unchanged
      : rejected('RESERVATION_CONFIRMED');
  }
  if (reservation.status !== 'HELD') {
    // Released or expired: a release (or an expiry) of it is already done; a confirm is too late.
    return command.action === 'confirm' && command.quantity > 0
      ? rejected(finalStatusRejection[reservation.status])
      : unchanged;
  }
  assert(item !== undefined, 'a held reservation belongs to an existing item');
  if (command.action === 'expire') {
    return settle('ReservationExpired', reservation, context, 0, -reservation.quantity);
  }
  if (wantsRelease) {
    return settle('ReservationReleased', reservation, context, 0, -reservation.quantity);
  }
  const shipped = command.quantity;
  if (shipped > reservation.quantity) return rejected('CONFIRM_EXCEEDS_HELD');
  if (shipped === reservation.quantity) {
    return settle('ReservationConfirmed', reservation, context, -shipped, -shipped);
  }
  const delta = shipped - reservation.quantity;
  const shrink: ReservationAdjusted = {
    type: 'ReservationAdjusted',
    ...eventBase(item, nowMs, 0, delta),
    reservationId: reservation.reservationId,
    quantity: shipped,
    reservationVersion: reservation.version + 1,
    delta,
  };
  return applied(shrink, {
    type: 'ReservationConfirmed',
    ...eventBase(evolveItem(item, shrink), nowMs, -shipped, -shipped),
    reservationId: reservation.reservationId,
    quantity: shipped,
    reservationVersion: reservation.version + 2,
  });
}

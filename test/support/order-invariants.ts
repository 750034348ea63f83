import { expect } from 'vitest';
import type { PartitionActor } from '../../src/actors/partition-actor.ts';
import { itemKeyOf } from '../../src/domain/item-key.ts';
import { hasUnfinishedWork, type Order } from '../../src/domain/order.ts';
import type { Reservation } from '../../src/domain/reservation.ts';
import { parseReservationId } from '../../src/domain/reservation-id.ts';
import { expectPartitionInvariants } from './invariants.ts';

/** Every order of every partition. */
export function allOrders(actors: readonly PartitionActor[]): Order[] {
  return actors.flatMap((actor) => [...actor.orders.values()]);
}

function reservationOf(actors: readonly PartitionActor[], reservationId: string) {
  return actors[parseReservationId(reservationId)!.partition]!.reservation(reservationId);
}

const lineStatusOf: Readonly<Record<string, Reservation['status']>> = {
  HELD: 'HELD',
  CONFIRMED: 'CONFIRMED',
  CANCELLED: 'RELEASED',
  EXPIRED: 'EXPIRED',
};

/**
 * What must hold whenever no saga is under way (after every answered request, and after a
 * restart's recovery): every partition's own invariants (0 ≤ reserved ≤ total, reserved = Σ held
 * lines); every order finished, fully held or not at all; every line's hold in its order's
 * state; and no order's hold anywhere that its order does not account for.
 */
export function expectOrderInvariants(actors: readonly PartitionActor[]): void {
  for (const actor of actors) expectPartitionInvariants(actor);
  const orders = allOrders(actors);
  const accounted = new Set<string>();
  for (const order of orders) {
    expect(hasUnfinishedWork(order), `${order.orderId} is finished`).toBe(false);
    if (order.status === 'FAILED') {
      for (const line of order.lines) expect(line.reservationId, order.orderId).toBeUndefined();
      continue;
    }
    const wanted = lineStatusOf[order.status]!;
    for (const line of order.lines) {
      expect(line.reservationId, `${order.orderId} ${line.sku} is held`).toBeDefined();
      const hold = reservationOf(actors, line.reservationId!);
      if (hold === undefined) continue; // settled and forgotten past retention
      accounted.add(hold.reservationId);
      expect(hold.orderId).toBe(order.orderId);
      expect(hold.itemKey).toBe(itemKeyOf(line.sku, line.warehouseId));
      const status = order.status === 'CONFIRMED' && line.quantity === 0 ? 'RELEASED' : wanted;
      expect(hold.status, `${order.orderId} ${line.sku} ${order.status}`).toBe(status);
      if (status !== 'RELEASED') expect(hold.quantity).toBe(line.quantity);
    }
  }
  // No stray hold: every HELD line hold is a line of its HELD order.
  for (const actor of actors) {
    for (const hold of actor.reservations()) {
      if (hold.orderId === undefined || hold.status !== 'HELD') continue;
      expect(accounted.has(hold.reservationId), `stray hold ${hold.reservationId}`).toBe(true);
    }
  }
}

/** Orders and partitions, as plain data, to compare a live engine with its replay. */
export function orderContents(actors: readonly PartitionActor[]) {
  return allOrders(actors).sort((a, b) => a.orderId.localeCompare(b.orderId));
}

import type { Command } from '../domain/commands.ts';
import { createsReservation, isReservationCommand } from '../domain/commands.ts';
import type { DecisionContext } from '../domain/decision.ts';
import { splitItemKey } from '../domain/item-key.ts';
import type { Reservation } from '../domain/reservation.ts';
import { formatReservationId } from '../domain/reservation-id.ts';
import type { PartitionActor } from './partition-actor.ts';

/** The item a command is about, as far as it can be found. */
export interface Target {
  readonly sku: string;
  readonly warehouseId: string;
  readonly reservation: Reservation | undefined;
  /** The item's row in the actor's table; undefined for an item not seen yet. */
  readonly itemIndex: number | undefined;
}

/**
 * Everything `decide` may look at, and where it was found. One object is both: the decision
 * reads its DecisionContext fields, the actor then applies at `itemIndex` without a second
 * lookup (no extra allocation per command on the hot path).
 */
export interface Prefetched extends DecisionContext {
  /** Undefined when the command names a reservation that does not exist. */
  readonly target: Target | undefined;
  /** The item's row in the actor's table; undefined for an item not seen yet. */
  readonly itemIndex: number | undefined;
}

/**
 * The lookup every worker does before deciding: the reservation by its id (which names the
 * partition and creation seq), or for Reserve and HoldLine by the item's idempotency key; then
 * the item's row; and the id a new reservation would get (the seq its StockReserved will have).
 */
export function prefetch(actor: PartitionActor, command: Command, nowMs: number): Prefetched {
  const target = locate(actor, command);
  const itemIndex = target?.itemIndex;
  return {
    nowMs,
    item: itemIndex === undefined ? undefined : actor.items.read(itemIndex),
    reservation: target?.reservation,
    newReservationId: createsReservation(command)
      ? formatReservationId(actor.partition, actor.nextSeq)
      : '',
    target,
    itemIndex,
  };
}

function locate(actor: PartitionActor, command: Command): Target | undefined {
  if (isReservationCommand(command)) {
    const reservation = actor.reservation(command.reservationId);
    if (reservation === undefined) return undefined;
    const { itemKey } = reservation;
    const { sku, warehouseId } = splitItemKey(itemKey);
    return { sku, warehouseId, reservation, itemIndex: actor.items.indexOf(itemKey) };
  }
  const { sku, warehouseId } = command;
  const itemIndex = actor.items.indexOfItem(sku, warehouseId);
  // An item not seen yet has no reservations (its key is built once, for its row: apply).
  if (itemIndex === undefined) return { sku, warehouseId, reservation: undefined, itemIndex };
  const itemKey = actor.items.keyAt(itemIndex);
  // An order's line holds are keyed by the orderId (domain/line-commands.ts).
  const reservation =
    command.type === 'Reserve'
      ? actor.reservationByIdempotencyKey(itemKey, command.idempotencyKey)
      : command.type === 'HoldLine'
        ? actor.reservationByIdempotencyKey(itemKey, command.orderId)
        : undefined;
  return { sku, warehouseId, reservation, itemIndex };
}

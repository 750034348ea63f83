import type { LoggedEvent } from '../checkpoint/logged-event.ts';
import type { Command } from '../domain/commands.ts';
import { isReservationCommand } from '../domain/commands.ts';
import { decide } from '../domain/decide.ts';
import { itemKeyOf, splitItemKey } from '../domain/item-key.ts';
import type { Reservation } from '../domain/reservation.ts';
import { formatReservationId } from '../domain/reservation-id.ts';
import type { EngineRequest } from '../engine/requests.ts';
import type { EngineResult } from '../engine/results.ts';
import type { PartitionActor } from './partition-actor.ts';
import { itemLevels, reservationView } from './views.ts';

/** Receives every event a command produced, after it was applied, in order. */
export type EventSink = (event: LoggedEvent, touched: Reservation | undefined) => void;

/**
 * One request against its partition: prefetch what the decision may look at, decide (pure),
 * apply the events, and describe the outcome. Synchronous: a worker runs a whole batch of these
 * back to back, then commits the batch's events once.
 */
export function execute(
  actor: PartitionActor,
  request: EngineRequest,
  nowMs: number,
  sink: EventSink,
): EngineResult {
  switch (request.type) {
    case 'GetItem': {
      const index = actor.items.indexOf(itemKeyOf(request.sku, request.warehouseId));
      return index === undefined
        ? { ok: true, applied: false }
        : { ok: true, applied: false, item: itemLevels(actor.items, index) };
    }
    case 'GetReservation': {
      const reservation = actor.reservations.get(request.reservationId);
      if (reservation === undefined) return { ok: false, code: 'RESERVATION_NOT_FOUND' };
      const index = actor.items.indexOf(reservation.itemKey)!;
      return {
        ok: true,
        applied: false,
        item: itemLevels(actor.items, index),
        reservation: reservationView(reservation, true),
      };
    }
    default:
      return executeCommand(actor, request, nowMs, sink);
  }
}

function executeCommand(
  actor: PartitionActor,
  command: Command,
  nowMs: number,
  sink: EventSink,
): EngineResult {
  let reservation: Reservation | undefined;
  let itemKey: string | undefined;
  if (isReservationCommand(command)) {
    reservation = actor.reservations.get(command.reservationId);
    itemKey = reservation?.itemKey;
  } else {
    itemKey = itemKeyOf(command.sku, command.warehouseId);
    if (command.type === 'Reserve') {
      reservation = actor.reservationByIdempotencyKey(itemKey, command.idempotencyKey);
    }
  }
  const itemIndex = itemKey === undefined ? undefined : actor.items.indexOf(itemKey);
  const decision = decide(command, {
    nowMs,
    item: itemIndex === undefined ? undefined : actor.items.read(itemIndex),
    reservation,
    newReservationId:
      command.type === 'Reserve' ? formatReservationId(actor.partition, actor.nextSeq) : '',
  });
  const withHistory = command.type === 'ChangeReservation';
  if (decision.outcome === 'rejected') return { ok: false, code: decision.code };
  if (decision.outcome === 'unchanged') {
    return {
      ok: true,
      applied: false,
      ...(itemIndex !== undefined && { item: itemLevels(actor.items, itemIndex) }),
      ...(reservation !== undefined && { reservation: reservationView(reservation, withHistory) }),
    };
  }
  const { sku, warehouseId } = splitItemKey(itemKey!);
  let touched: Reservation | undefined;
  for (const event of decision.events) {
    const index = actor.items.indexOf(itemKey!);
    const logged: LoggedEvent = {
      ...event,
      partition: actor.partition,
      seq: actor.nextSeq,
      sku,
      warehouseId,
      itemPreviousSeq: index === undefined ? 0 : actor.items.lastSeqAt(index),
      ...(command.commandId !== undefined && { commandId: command.commandId }),
    };
    touched = actor.apply(logged) ?? touched;
    sink(logged, touched);
  }
  return {
    ok: true,
    applied: true,
    item: itemLevels(actor.items, actor.items.indexOf(itemKey!)!),
    ...(touched !== undefined && { reservation: reservationView(touched, withHistory) }),
  };
}

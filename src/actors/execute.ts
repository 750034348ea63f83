import type { LoggedEvent } from '../checkpoint/logged-event.ts';
import { commandFingerprint, isSameCommand } from '../domain/command-fingerprint.ts';
import type { Command } from '../domain/commands.ts';
import { createsReservation, isReservationCommand } from '../domain/commands.ts';
import { decide } from '../domain/decide.ts';
import { itemKeyOf, splitItemKey } from '../domain/item-key.ts';
import { formatReservationId } from '../domain/reservation-id.ts';
import { errorMessageOf } from '../errors.ts';
import type { ResultViews } from '../worker-protocol/lean-results.ts';
import type { EngineRequest } from '../worker-protocol/requests.ts';
import type { EngineResult, ReservationView } from '../worker-protocol/results.ts';
import type { EventSink } from './event-sink.ts';
import { executeOrderRequest } from './execute-order.ts';
import type { PartitionActor } from './partition-actor.ts';
import { prefetch } from './prefetch.ts';
import { itemLevels, leanReservationView, reservationView } from './result-views.ts';

export type { EventSink } from './event-sink.ts';

/**
 * One request against its partition: prefetch what the decision may look at, decide (pure),
 * apply the events, and describe the outcome. Synchronous: a worker runs a whole batch of these
 * back to back, then commits the batch's events once. With `views: 'lean'` a Reserve's answer
 * leaves out what its request said (the batch channel's form, worker-protocol/lean-results.ts).
 */
export function execute(
  actor: PartitionActor,
  request: EngineRequest,
  nowMs: number,
  sink: EventSink,
  views: ResultViews = 'full',
): EngineResult {
  switch (request.type) {
    case 'GetItem': {
      const { sku, warehouseId } = request;
      const index = actor.items.indexOfItem(sku, warehouseId);
      return index === undefined
        ? { ok: true, applied: false }
        : { ok: true, applied: false, item: itemLevels(actor.items, index, sku, warehouseId) };
    }
    case 'GetReservation': {
      const reservation = actor.reservation(request.reservationId);
      if (reservation === undefined) return { ok: false, code: 'RESERVATION_NOT_FOUND' };
      const { sku, warehouseId } = splitItemKey(reservation.itemKey);
      const index = actor.items.indexOf(reservation.itemKey)!;
      return {
        ok: true,
        applied: false,
        item: itemLevels(actor.items, index, sku, warehouseId),
        reservation: reservationView(reservation, sku, warehouseId, true),
      };
    }
    case 'OpenOrder':
    case 'MarkOrderHeld':
    case 'MarkOrderFailed':
    case 'BeginOrderChange':
    case 'CompleteOrderChange':
    case 'RejectOrderChange':
    case 'SettleOrder':
    case 'MarkOrderSettled':
    case 'GetOrder':
    case 'ListOrderWork':
      return executeOrderRequest(actor, request, nowMs, sink);
    default:
      return executeCommand(actor, request, nowMs, sink, views);
  }
}

function executeCommand(
  actor: PartitionActor,
  command: Command,
  nowMs: number,
  sink: EventSink,
  views: ResultViews,
): EngineResult {
  // Only batch producers' commands carry a commandId: the fingerprint costs nothing otherwise.
  let fingerprint: number | undefined;
  if (command.commandId !== undefined) {
    fingerprint = commandFingerprint(command);
    const remembered = actor.recentCommand(command.commandId);
    if (remembered !== undefined) {
      return isSameCommand(remembered.fingerprint, fingerprint)
        ? duplicateOf(actor, command, remembered.seq)
        : reusedCommandId(actor, remembered.seq);
    }
  }
  const prefetched = prefetch(actor, command, nowMs);
  const { target } = prefetched;
  let { itemIndex } = prefetched;
  const decision = decide(command, prefetched);
  if (decision.outcome === 'rejected') return { ok: false, code: decision.code };
  // Every other outcome has found its item (deciders reject when there is none).
  const { sku, warehouseId } = target!;
  const withHistory = command.type === 'ChangeReservation';
  // Replies about a reservation carry the reservation; item commands carry the new levels.
  const withLevels = !isReservationCommand(command) && !createsReservation(command);
  let reservation = target!.reservation;
  if (decision.outcome === 'applied') {
    for (const event of decision.events) {
      const logged: LoggedEvent = {
        ...event,
        partition: actor.partition,
        seq: actor.nextSeq,
        sku,
        warehouseId,
        itemPreviousSeq: itemIndex === undefined ? 0 : actor.items.lastSeqAt(itemIndex),
        ...(command.commandId !== undefined && {
          commandId: command.commandId,
          commandFingerprint: fingerprint!,
        }),
        ...(command.actor !== undefined && { actor: command.actor }),
      };
      const touched = actor.apply(logged, itemIndex);
      itemIndex ??= actor.items.indexOfItem(sku, warehouseId);
      reservation = touched ?? reservation;
      sink(logged, touched);
    }
  }
  const wasApplied = decision.outcome === 'applied';
  const view =
    reservation === undefined
      ? undefined
      : views === 'lean' && command.type === 'Reserve'
        ? // The requesting end puts the request's fields back (restoreEchoedFields).
          (leanReservationView(reservation) as ReservationView)
        : reservationView(reservation, sku, warehouseId, withHistory);
  // Whole literals, no spreads of optional parts: each result is allocated once, at its size.
  if (withLevels) {
    const item = itemLevels(actor.items, itemIndex!, sku, warehouseId);
    return view === undefined
      ? { ok: true, applied: wasApplied, item }
      : { ok: true, applied: wasApplied, item, reservation: view };
  }
  return view === undefined
    ? { ok: true, applied: wasApplied }
    : { ok: true, applied: wasApplied, reservation: view };
}

/** A commandId used before for another command: refused, naming the event of its first use. */
function reusedCommandId(actor: PartitionActor, seq: number): EngineResult {
  const reason = `its first command caused event ${seq} of partition ${actor.partition}`;
  return {
    ok: false,
    code: 'COMMAND_ID_REUSED',
    message: errorMessageOf('COMMAND_ID_REUSED', { reason }),
  };
}

/** A redelivered command: no effect, and an answer about what its first delivery did. */
function duplicateOf(actor: PartitionActor, command: Command, seq: number): EngineResult {
  const reservation =
    command.type === 'Reserve'
      ? actor.reservation(formatReservationId(actor.partition, seq))
      : isReservationCommand(command)
        ? actor.reservation(command.reservationId)
        : undefined;
  const itemKey =
    reservation?.itemKey ??
    itemKeyOf((command as { sku: string }).sku, (command as { warehouseId: string }).warehouseId);
  const index = actor.items.indexOf(itemKey);
  const { sku, warehouseId } = splitItemKey(itemKey);
  return {
    ok: true,
    applied: false,
    duplicate: true,
    ...(index !== undefined && { item: itemLevels(actor.items, index, sku, warehouseId) }),
    ...(reservation !== undefined && {
      reservation: reservationView(reservation, sku, warehouseId, false),
    }),
  };
}

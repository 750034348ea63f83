import { itemKeyOf } from '../domain/item-key.ts';
import type { ReservationStatus } from '../domain/reservation.ts';
import {
  decodeWireEvent,
  isWireOrderEvent,
  type WireEntry,
  type WireEvent,
  type WireOrderEvent,
} from '../kafka/wire-event.ts';
import type {
  BatchPlan,
  IncomingMessage,
  LevelRow,
  QuantityChangeRow,
  RejectedMessage,
  ReservationRow,
} from './batch-plan.ts';
import { orderProblemOf, problemOf } from './check-wire-event.ts';
import { dayClosesOf, levelRowOf } from './day-closes.ts';
import { orderLinesOf, orderSnapshotsOf } from './order-rows.ts';

/**
 * Turns a run of messages of one Kafka partition into the rows of one transaction. Pure: what
 * it computes depends on the messages only, so the same run, or any run overlapping it,
 * plans rows that the guarded SQL applies at most once.
 */
export function planBatch(
  topic: string,
  partition: number,
  messages: readonly IncomingMessage[],
): BatchPlan {
  if (messages.length === 0) throw new RangeError('planBatch needs at least one message');
  const { events, eventPayloads, orderEvents, orderEventPayloads, rejects } =
    decodeMessages(messages);
  return {
    topic,
    partition,
    lastOffset: messages.at(-1)!.offset,
    events,
    eventPayloads,
    rejects,
    levels: newestLevels(events),
    dayCloses: dayClosesOf(events),
    reservations: newestReservations(events),
    quantityChanges: quantityChangesOf(events),
    orderEvents,
    orderEventPayloads,
    orderSnapshots: orderSnapshotsOf(orderEvents),
    orderLines: orderLinesOf(orderEvents),
    newestEventAtMs: [...events, ...orderEvents].reduce<number | undefined>(
      (newest, event) => Math.max(newest ?? 0, event.timestampMs),
      undefined,
    ),
  };
}

/**
 * Events in log order without repeats (a relay may publish an event twice), items' and orders'
 * apart, each with the bytes it was decoded from, and the rest.
 */
export function decodeMessages(messages: readonly IncomingMessage[]): {
  events: WireEvent[];
  eventPayloads: Buffer[];
  orderEvents: WireOrderEvent[];
  orderEventPayloads: Buffer[];
  rejects: RejectedMessage[];
} {
  const events: WireEvent[] = [];
  const eventPayloads: Buffer[] = [];
  const orderEvents: WireOrderEvent[] = [];
  const orderEventPayloads: Buffer[] = [];
  const rejects: RejectedMessage[] = [];
  const seen = new Set<string>();
  for (const message of messages) {
    const decoded = decodeOne(message);
    if (typeof decoded === 'string') {
      rejects.push({
        offset: message.offset,
        reason: decoded,
        key: message.key,
        value: message.value,
      });
    } else if (!seen.has(decoded.eventId)) {
      seen.add(decoded.eventId);
      // Decoded, so the value was there.
      if (isWireOrderEvent(decoded)) {
        orderEvents.push(decoded);
        orderEventPayloads.push(message.value!);
      } else {
        events.push(decoded);
        eventPayloads.push(message.value!);
      }
    }
  }
  return { events, eventPayloads, orderEvents, orderEventPayloads, rejects };
}

function decodeOne(message: IncomingMessage): WireEntry | string {
  if (message.value === null) return 'empty message';
  let event: WireEntry;
  try {
    event = decodeWireEvent(message.value);
  } catch (error) {
    return `undecodable: ${error instanceof Error ? error.message : String(error)}`;
  }
  return (isWireOrderEvent(event) ? orderProblemOf(event) : problemOf(event)) ?? event;
}

function newestLevels(events: readonly WireEvent[]): LevelRow[] {
  const newest = new Map<string, WireEvent>();
  for (const event of events) {
    const key = itemKeyOf(event.sku, event.warehouseId);
    const current = newest.get(key);
    if (current === undefined || event.seq > current.seq) newest.set(key, event);
  }
  return [...newest.values()].map(levelRowOf);
}

const statusAfter: Readonly<Record<string, ReservationStatus>> = {
  StockReserved: 'HELD',
  ReservationAdjusted: 'HELD',
  ReservationConfirmed: 'CONFIRMED',
  ReservationReleased: 'RELEASED',
  ReservationExpired: 'EXPIRED',
};

function newestReservations(events: readonly WireEvent[]): ReservationRow[] {
  const newest = new Map<string, ReservationRow>();
  for (const event of events) {
    const reservationId = event.reservationId;
    if (reservationId === undefined) continue;
    const current = newest.get(reservationId);
    const creation =
      event.type === 'StockReserved'
        ? {
            idempotencyKey: event.idempotencyKey!,
            ttlSeconds: event.ttlSeconds!,
            createdAtMs: event.timestampMs,
            expiresAtMs: event.expiresAtMs!,
          }
        : current?.creation;
    if (current !== undefined && current.version >= event.reservationVersion!) {
      if (creation !== current.creation) newest.set(reservationId, { ...current, creation });
      continue;
    }
    newest.set(reservationId, {
      reservationId,
      sku: event.sku,
      warehouseId: event.warehouseId,
      partition: event.partition,
      status: statusAfter[event.type]!,
      quantity: event.quantity!,
      version: event.reservationVersion!,
      eventId: event.eventId,
      seq: event.seq,
      timestampMs: event.timestampMs,
      creation,
    });
  }
  return [...newest.values()];
}

function quantityChangesOf(events: readonly WireEvent[]): QuantityChangeRow[] {
  const changes: QuantityChangeRow[] = [];
  for (const event of events) {
    if (event.type !== 'StockReserved' && event.type !== 'ReservationAdjusted') continue;
    changes.push({
      reservationId: event.reservationId!,
      version: event.reservationVersion!,
      delta: event.type === 'StockReserved' ? event.quantity! : event.delta!,
      quantity: event.quantity!,
      timestampMs: event.timestampMs,
      eventId: event.eventId,
    });
  }
  return changes;
}

import type { ItemStatus } from './item.ts';

/**
 * What every event says about its item after it is applied. Carrying the quantities after the
 * event (not only the deltas) lets a reader answer "levels as of T" from one event, and lets
 * replay assert that it rebuilt exactly what was decided.
 */
interface ItemEventBase {
  readonly timestampMs: number;
  readonly totalDelta: number;
  readonly reservedDelta: number;
  readonly totalQty: number;
  readonly reservedQty: number;
  readonly status: ItemStatus;
  readonly itemVersion: number;
}

export interface StockReceived extends ItemEventBase {
  readonly type: 'StockReceived';
  readonly quantity: number;
  readonly reason?: string | undefined;
}

/**
 * A correction of the total. `delta` is what it changed (equal to `totalDelta`; 0 for a count
 * that found the total as it was) and `totalQty` the new total; a stock count also says what it
 * counted (`setTotal`), so a reader tells "found 40" from "4 damaged". Events logged before
 * `delta` existed lack both; the wire fills `delta` from `totalDelta` (kafka/wire-event.ts).
 */
export interface StockAdjusted extends ItemEventBase {
  readonly type: 'StockAdjusted';
  readonly delta: number;
  readonly setTotal?: number;
  readonly reason: string;
}

export interface ItemStatusChanged extends ItemEventBase {
  readonly type: 'ItemStatusChanged';
}

interface ReservationEventBase extends ItemEventBase {
  readonly reservationId: string;
  /** The reservation's quantity after the event. */
  readonly quantity: number;
  readonly reservationVersion: number;
}

export interface StockReserved extends ReservationEventBase {
  readonly type: 'StockReserved';
  readonly idempotencyKey: string;
  /** A line of this order; absent for a client's own reserve. */
  readonly orderId?: string;
  readonly ttlSeconds: number;
  readonly expiresAtMs: number;
}

export interface ReservationAdjusted extends ReservationEventBase {
  readonly type: 'ReservationAdjusted';
  /** Change of the reservation's quantity (+20, -5): the seed's OrderQuantityAdjusted delta. */
  readonly delta: number;
}

export interface ReservationConfirmed extends ReservationEventBase {
  readonly type: 'ReservationConfirmed';
}

export interface ReservationReleased extends ReservationEventBase {
  readonly type: 'ReservationReleased';
}

export interface ReservationExpired extends ReservationEventBase {
  readonly type: 'ReservationExpired';
}

export type ReservationEvent =
  | StockReserved
  | ReservationAdjusted
  | ReservationConfirmed
  | ReservationReleased
  | ReservationExpired;

export type ItemEvent = StockReceived | StockAdjusted | ItemStatusChanged | ReservationEvent;
export type EventType = ItemEvent['type'];

export const eventTypes: readonly EventType[] = [
  'StockReceived',
  'StockAdjusted',
  'ItemStatusChanged',
  'StockReserved',
  'ReservationAdjusted',
  'ReservationConfirmed',
  'ReservationReleased',
  'ReservationExpired',
];

export function isReservationEvent(event: ItemEvent): event is ReservationEvent {
  return 'reservationId' in event;
}

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

export interface StockAdjusted extends ItemEventBase {
  readonly type: 'StockAdjusted';
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

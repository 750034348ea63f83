import type { EventLine, OrderStatus } from './order.ts';

/**
 * What every order event says about its order after it is applied. Like item events, they carry
 * the after-state (status, version, total quantity), so a reader needs no earlier event.
 */
interface OrderEventBase {
  readonly orderId: string;
  readonly timestampMs: number;
  readonly status: OrderStatus;
  readonly orderVersion: number;
  /** Σ of the lines' quantities after the event (the seed's CurrentQty). */
  readonly totalQuantity: number;
  readonly lines: readonly EventLine[];
  /** Who asked for the step the event records; absent for stockd's own (expiry, recovery). */
  readonly actor?: string;
}

/** The seed's OrderCreated: the order and its lines, PENDING until every line is held. */
export interface OrderPlaced extends OrderEventBase {
  readonly type: 'OrderPlaced';
  readonly customerId?: string;
  readonly ttlSeconds: number;
  readonly expiresAtMs: number;
}

/** Every line is held; lines carry their reservation ids. */
export interface OrderHeld extends OrderEventBase {
  readonly type: 'OrderHeld';
}

/** A line could not be held: every line with its code, none held. */
export interface OrderFailed extends OrderEventBase {
  readonly type: 'OrderFailed';
}

/** A quantity change is under way: the named lines' new quantities and deltas. */
export interface OrderChangeRequested extends OrderEventBase {
  readonly type: 'OrderChangeRequested';
}

/** The seed's OrderQuantityAdjusted: the changed lines with their deltas, a new order version. */
export interface OrderQuantityAdjusted extends OrderEventBase {
  readonly type: 'OrderQuantityAdjusted';
}

/** An increase found no stock: the order is as it was; the lines carry their codes. */
export interface OrderChangeRejected extends OrderEventBase {
  readonly type: 'OrderChangeRejected';
}

/** Payment succeeded: every line with the units confirmed (delta < 0: released, partial). */
export interface OrderConfirmed extends OrderEventBase {
  readonly type: 'OrderConfirmed';
}

/** Payment failed: every line is released. */
export interface OrderCancelled extends OrderEventBase {
  readonly type: 'OrderCancelled';
}

/** The order's time ran out: every line's hold expires. */
export interface OrderExpired extends OrderEventBase {
  readonly type: 'OrderExpired';
}

/** Every line's hold is confirmed, released or expired as the order's status says. */
export interface OrderSettled extends OrderEventBase {
  readonly type: 'OrderSettled';
}

export type OrderEvent =
  | OrderPlaced
  | OrderHeld
  | OrderFailed
  | OrderChangeRequested
  | OrderQuantityAdjusted
  | OrderChangeRejected
  | OrderConfirmed
  | OrderCancelled
  | OrderExpired
  | OrderSettled;

export type OrderEventType = OrderEvent['type'];

/** In this order on disk (event frames): append only. */
export const orderEventTypes: readonly OrderEventType[] = [
  'OrderPlaced',
  'OrderHeld',
  'OrderFailed',
  'OrderChangeRequested',
  'OrderQuantityAdjusted',
  'OrderChangeRejected',
  'OrderConfirmed',
  'OrderCancelled',
  'OrderExpired',
  'OrderSettled',
];

/** Item events never carry an order version: the one field tells the two kinds apart. */
export function isOrderEvent<T extends object>(event: T): event is T & OrderEvent {
  return (event as { orderVersion?: number }).orderVersion !== undefined;
}

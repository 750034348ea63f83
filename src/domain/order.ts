import type { RejectionCode } from './rejections.ts';

/**
 * An order: several lines, each a quantity of one item, held all together or not at all (the
 * seed's orchestrated saga). Its lines are holds on their items' partitions; the order itself
 * lives on the partition of its orderId, so its own decisions are logged like any other.
 *
 *   PENDING ──► HELD ──► CONFIRMED | CANCELLED | EXPIRED
 *      └──────► FAILED                (a line could not be held; none is)
 */
export type OrderStatus = 'PENDING' | 'HELD' | 'CONFIRMED' | 'FAILED' | 'CANCELLED' | 'EXPIRED';

/** In this order on disk (event frames, snapshots): append only. */
export const orderStatuses: readonly OrderStatus[] = [
  'PENDING',
  'HELD',
  'CONFIRMED',
  'FAILED',
  'CANCELLED',
  'EXPIRED',
];

export const orderTransitions: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  PENDING: ['HELD', 'FAILED'],
  HELD: ['CONFIRMED', 'CANCELLED', 'EXPIRED'],
  CONFIRMED: [],
  FAILED: [],
  CANCELLED: [],
  EXPIRED: [],
};

/** A quantity of one item, as a client names it: placing, changing or confirming an order. */
export interface LineRequest {
  readonly sku: string;
  readonly warehouseId: string;
  readonly quantity: number;
}

export interface OrderLine extends LineRequest {
  /** The hold on the line's item, once the order holds it. */
  readonly reservationId?: string;
  /** FAILED orders: why this line was not held (LINKED_LINE_FAILED: another line failed). */
  readonly code?: RejectionCode;
}

/** One line as an order event records it: its quantity after the event and what changed. */
export interface EventLine extends LineRequest {
  /** Change of the line's quantity (OrderQuantityAdjusted, a partial OrderConfirmed). */
  readonly delta?: number;
  readonly reservationId?: string;
  /** Why the line could not be held (OrderFailed, OrderChangeRejected). */
  readonly code?: RejectionCode;
}

/** One entry of an order's timeline: an event of the order, as GET /orders/:id shows it. */
export interface OrderTimelineEntry {
  readonly type: string;
  readonly status: OrderStatus;
  readonly version: number;
  readonly atMs: number;
  readonly lines: readonly EventLine[];
  /** Who asked for the step (absent: stockd's own, such as expiry). */
  readonly actor?: string;
}

export interface Order {
  readonly orderId: string;
  readonly customerId?: string;
  readonly status: OrderStatus;
  /** 1 at placement, +1 for every quantity change (OrderQuantityAdjusted). */
  readonly version: number;
  readonly ttlSeconds: number;
  readonly createdAtMs: number;
  /** Every line's hold lasts until then; the order expires as a whole. */
  readonly expiresAtMs: number;
  readonly updatedAtMs: number;
  /** The lines now; after a confirmation, the units confirmed (a partial one released the rest). */
  readonly lines: readonly OrderLine[];
  /** The lines as first placed: an idempotent repeat is compared against them. */
  readonly placedLines: readonly LineRequest[];
  /** A logged change (OrderChangeRequested) not yet completed or rejected: its new quantities. */
  readonly pendingChange?: readonly EventLine[];
  /** CONFIRMED, CANCELLED or EXPIRED, and the lines' holds not all settled yet. */
  readonly settling: boolean;
  /** Every event of the order, oldest first. */
  readonly timeline: readonly OrderTimelineEntry[];
}

/** Statuses in which an order does nothing more (once its lines are settled). */
export function isFinal(status: OrderStatus): boolean {
  return orderTransitions[status].length === 0;
}

/** Orders that wait for their coordinator: placement, a change or a settlement half done. */
export function hasUnfinishedWork(order: Order): boolean {
  return order.status === 'PENDING' || order.pendingChange !== undefined || order.settling;
}

export function totalQuantityOf(lines: readonly LineRequest[]): number {
  let total = 0;
  for (const line of lines) total += line.quantity;
  return total;
}

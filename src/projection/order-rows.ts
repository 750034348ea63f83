import { itemKeyOf } from '../domain/item-key.ts';
import type { OrderStatus } from '../domain/order.ts';
import type { WireOrderEvent } from '../kafka/wire-event.ts';

/** The newest state of one order in a batch (the seed's OrderSnapshots row). */
export interface OrderSnapshotRow {
  readonly orderId: string;
  readonly partition: number;
  readonly status: OrderStatus;
  readonly currentQty: number;
  readonly orderVersion: number;
  /** Net delta of the batch's newest OrderQuantityAdjusted; undefined: keep the stored one. */
  readonly lastAdjustmentDelta: number | undefined;
  readonly eventId: string;
  readonly seq: number;
  readonly timestampMs: number;
  /** From the batch's OrderPlaced, if it holds it. */
  readonly creation:
    | {
        readonly customerId: string | undefined;
        readonly createdAtMs: number;
        readonly expiresAtMs: number;
      }
    | undefined;
}

/** The newest state of one order line in a batch. */
export interface OrderLineRow {
  readonly orderId: string;
  readonly sku: string;
  readonly warehouseId: string;
  readonly quantity: number;
  readonly reservationId: string | undefined;
  readonly code: string | undefined;
  readonly eventId: string;
  readonly seq: number;
  readonly timestampMs: number;
}

/** Events whose lines are the lines' state after them (the others name targets or nothing). */
const lineStateTypes: ReadonlySet<string> = new Set([
  'OrderPlaced',
  'OrderHeld',
  'OrderFailed',
  'OrderQuantityAdjusted',
  'OrderConfirmed',
]);

/** Per order, its newest snapshot row; each field from the newest event that carries it. */
export function orderSnapshotsOf(events: readonly WireOrderEvent[]): OrderSnapshotRow[] {
  const newest = new Map<string, OrderSnapshotRow>();
  for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
    const current = newest.get(event.orderId);
    newest.set(event.orderId, {
      orderId: event.orderId,
      partition: event.partition,
      status: event.status,
      currentQty: event.totalQuantity,
      orderVersion: event.orderVersion,
      lastAdjustmentDelta:
        event.type === 'OrderQuantityAdjusted'
          ? event.lines.reduce((sum, line) => sum + (line.delta ?? 0), 0)
          : current?.lastAdjustmentDelta,
      eventId: event.eventId,
      seq: event.seq,
      timestampMs: event.timestampMs,
      creation:
        event.type === 'OrderPlaced'
          ? {
              customerId: event.customerId,
              createdAtMs: event.timestampMs,
              expiresAtMs: event.expiresAtMs!,
            }
          : current?.creation,
    });
  }
  return [...newest.values()];
}

/** Per order line, its newest state; a hold or a code stays known once an event gave it. */
export function orderLinesOf(events: readonly WireOrderEvent[]): OrderLineRow[] {
  const newest = new Map<string, OrderLineRow>();
  for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
    if (!lineStateTypes.has(event.type)) continue;
    for (const line of event.lines) {
      const key = `${event.orderId}\n${itemKeyOf(line.sku, line.warehouseId)}`;
      const current = newest.get(key);
      newest.set(key, {
        orderId: event.orderId,
        sku: line.sku,
        warehouseId: line.warehouseId,
        quantity: line.quantity,
        reservationId: line.reservationId ?? current?.reservationId,
        code: line.code ?? current?.code,
        eventId: event.eventId,
        seq: event.seq,
        timestampMs: event.timestampMs,
      });
    }
  }
  return [...newest.values()];
}

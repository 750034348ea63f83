import type { EventLine } from '../../domain/order.ts';
import { totalQuantityOf } from '../../domain/order.ts';
import type { OrderView } from '../../worker-protocol/results.ts';
import { isoOf } from './response-bodies.ts';

/** An order as HTTP answers it: times as ISO-8601, internals (saga state) left out. */
export function orderBody(order: OrderView, withTimeline = false) {
  return {
    orderId: order.orderId,
    ...(order.customerId !== undefined && { customerId: order.customerId }),
    status: order.status,
    version: order.version,
    totalQuantity: totalQuantityOf(order.lines),
    ttlSeconds: order.ttlSeconds,
    createdAt: isoOf(order.createdAtMs),
    expiresAt: isoOf(order.expiresAtMs),
    updatedAt: isoOf(order.updatedAtMs),
    lines: order.lines.map(lineBody),
    ...(withTimeline && {
      timeline: order.timeline.map((entry) => ({
        type: entry.type,
        status: entry.status,
        version: entry.version,
        at: isoOf(entry.atMs),
        lines: entry.lines.map(lineBody),
        ...(entry.actor !== undefined && { actor: entry.actor }),
      })),
    }),
  };
}

function lineBody(line: EventLine) {
  return {
    sku: line.sku,
    warehouseId: line.warehouseId,
    quantity: line.quantity,
    ...(line.delta !== undefined && { delta: line.delta }),
    ...(line.reservationId !== undefined && { reservationId: line.reservationId }),
    ...(line.code !== undefined && { code: line.code }),
  };
}

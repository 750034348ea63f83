import { assert } from './assert.ts';
import type { Order, OrderLine, OrderStatus, OrderTimelineEntry } from './order.ts';
import { orderTransitions, totalQuantityOf } from './order.ts';
import type { OrderEvent } from './order-events.ts';
import { lineKeyOf, linesAfter } from './order-lines.ts';

/**
 * evolve(order, event) → order. Like items, it asserts that the result is the after-state the
 * event recorded (status, version, total quantity): a replay that disagrees is a bug.
 */
export function evolveOrder(order: Order | undefined, event: OrderEvent): Order {
  if (event.type === 'OrderPlaced') {
    assert(order === undefined, () => `order ${event.orderId} is placed once`);
    return checked(
      {
        orderId: event.orderId,
        ...(event.customerId !== undefined && { customerId: event.customerId }),
        status: 'PENDING',
        version: 1,
        ttlSeconds: event.ttlSeconds,
        createdAtMs: event.timestampMs,
        expiresAtMs: event.expiresAtMs,
        updatedAtMs: event.timestampMs,
        lines: event.lines,
        placedLines: event.lines,
        settling: false,
        timeline: [entryOf(event)],
      },
      event,
    );
  }
  assert(order?.orderId === event.orderId, () => `${event.type} applies to order ${event.orderId}`);
  const common = { updatedAtMs: event.timestampMs, timeline: [...order.timeline, entryOf(event)] };
  switch (event.type) {
    case 'OrderHeld':
    case 'OrderFailed':
      return checked(
        { ...transition(order, event.status), ...common, lines: merged(order.lines, event) },
        event,
      );
    case 'OrderChangeRequested':
      assert(order.pendingChange === undefined, 'one change at a time');
      return checked({ ...order, ...common, pendingChange: event.lines }, event);
    case 'OrderQuantityAdjusted': {
      assert(order.pendingChange !== undefined, 'a change completes what was requested');
      assert(event.orderVersion === order.version + 1, 'order versions are dense');
      const { pendingChange: _, ...rest } = order;
      const lines = linesAfter(order.lines, event.lines);
      return checked({ ...rest, ...common, version: event.orderVersion, lines }, event);
    }
    case 'OrderChangeRejected': {
      assert(order.pendingChange !== undefined, 'a change is rejected once requested');
      const { pendingChange: _, ...rest } = order;
      return checked({ ...rest, ...common }, event);
    }
    case 'OrderConfirmed':
      return checked(
        {
          ...transition(order, 'CONFIRMED'),
          ...common,
          lines: event.lines.map(({ delta: _, ...line }) => line),
          settling: true,
        },
        event,
      );
    case 'OrderCancelled':
    case 'OrderExpired':
      return checked({ ...transition(order, event.status), ...common, settling: true }, event);
    case 'OrderSettled':
      assert(order.settling, 'an order settles once');
      return checked({ ...order, ...common, settling: false }, event);
  }
}

function transition(order: Order, status: OrderStatus): Order {
  assert(
    orderTransitions[order.status].includes(status),
    `order ${order.orderId} cannot go from ${order.status} to ${status}`,
  );
  return { ...order, status };
}

/** The event's per-line facts (holds, codes) on the order's lines. */
function merged(lines: readonly OrderLine[], event: OrderEvent): OrderLine[] {
  const byKey = new Map(event.lines.map((line) => [lineKeyOf(line), line]));
  return lines.map((line) => {
    const update = byKey.get(lineKeyOf(line));
    assert(update !== undefined, () => `${event.type} names every line`);
    return {
      ...line,
      ...(update.reservationId !== undefined && { reservationId: update.reservationId }),
      ...(update.code !== undefined && { code: update.code }),
    };
  });
}

function entryOf(event: OrderEvent): OrderTimelineEntry {
  return {
    type: event.type,
    status: event.status,
    version: event.orderVersion,
    atMs: event.timestampMs,
    lines: event.lines,
    ...(event.actor !== undefined && { actor: event.actor }),
  };
}

function checked(order: Order, event: OrderEvent): Order {
  assert(
    order.status === event.status &&
      order.version === event.orderVersion &&
      totalQuantityOf(order.lines) === event.totalQuantity,
    `${event.type} of order ${order.orderId} does not follow its state`,
  );
  return order;
}

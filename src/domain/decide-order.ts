import { assert } from './assert.ts';
import { limits } from './limits.ts';
import type { EventLine, Order, OrderLine, OrderStatus } from './order.ts';
import { totalQuantityOf } from './order.ts';
import type {
  BeginOrderChange,
  CompleteOrderChange,
  LineFailure,
  LineReservation,
  MarkOrderFailed,
  MarkOrderHeld,
  OpenOrder,
  OrderCommand,
  SettleOrder,
} from './order-commands.ts';
import type { OrderEvent } from './order-events.ts';
import { changeOf, lineKeyOf, requestOf, samePlacement } from './order-lines.ts';
import type { RejectionCode } from './rejections.ts';

/** Everything an order decision may look at: the order (if any) and the time. */
export interface OrderContext {
  readonly nowMs: number;
  readonly order: Order | undefined;
}

export type OrderDecision =
  | { readonly outcome: 'applied'; readonly events: readonly OrderEvent[] }
  | { readonly outcome: 'unchanged' }
  | { readonly outcome: 'rejected'; readonly code: RejectionCode };

const unchanged: OrderDecision = Object.freeze({ outcome: 'unchanged' });
const rejected = (code: RejectionCode): OrderDecision => ({ outcome: 'rejected', code });
const applied = (event: OrderEvent): OrderDecision => ({ outcome: 'applied', events: [event] });

/** Why an order that is not HELD cannot be changed or confirmed. */
const notHeldRejection: Readonly<Record<Exclude<OrderStatus, 'HELD'>, RejectionCode>> = {
  PENDING: 'ORDER_BUSY',
  CONFIRMED: 'ORDER_CONFIRMED',
  FAILED: 'ORDER_FAILED',
  CANCELLED: 'ORDER_CANCELLED',
  EXPIRED: 'ORDER_EXPIRED',
};

/** decide(order, command, now) → order events | unchanged | rejection. Pure. */
export function decideOrder(command: OrderCommand, context: OrderContext): OrderDecision {
  if (command.type === 'OpenOrder') return decideOpen(command, context);
  const { order } = context;
  if (order === undefined) return rejected('ORDER_NOT_FOUND');
  switch (command.type) {
    case 'MarkOrderHeld':
      return decideHeld(command, order, context.nowMs);
    case 'MarkOrderFailed':
      return decideFailed(command, order, context.nowMs);
    case 'BeginOrderChange':
      return decideBeginChange(command, order, context.nowMs);
    case 'CompleteOrderChange':
      return decideCompleteChange(command, order, context.nowMs);
    case 'RejectOrderChange':
      if (order.pendingChange === undefined) return unchanged;
      return applied(
        eventOf(order, 'OrderChangeRejected', context.nowMs, {
          lines: withCodes(order.pendingChange, command.failures),
        }),
      );
    case 'SettleOrder':
      return decideSettle(command, order, context.nowMs);
    case 'MarkOrderSettled':
      if (!order.settling) return unchanged;
      return applied(eventOf(order, 'OrderSettled', context.nowMs, {}));
  }
}

/** The same order again (customer, lines, ttl) is a repeat, whatever became of it since. */
function decideOpen(command: OpenOrder, { order, nowMs }: OrderContext): OrderDecision {
  if (order !== undefined) {
    return samePlacement(order, command) ? unchanged : rejected('IDEMPOTENCY_KEY_REUSED');
  }
  const lines = command.lines.map(requestOf);
  return applied({
    type: 'OrderPlaced',
    orderId: command.orderId,
    timestampMs: nowMs,
    status: 'PENDING',
    orderVersion: 1,
    totalQuantity: totalQuantityOf(lines),
    lines,
    ...(command.customerId !== undefined && { customerId: command.customerId }),
    ttlSeconds: command.ttlSeconds,
    expiresAtMs: nowMs + command.ttlSeconds * 1000,
  });
}

function decideHeld(command: MarkOrderHeld, order: Order, nowMs: number): OrderDecision {
  if (order.status !== 'PENDING') {
    return order.status === 'HELD' ? unchanged : rejected(notHeldRejection[order.status]);
  }
  const lines = withReservations(order.lines, command.reservations, 'every line');
  return applied(eventOf(order, 'OrderHeld', nowMs, { status: 'HELD', lines }));
}

function decideFailed(command: MarkOrderFailed, order: Order, nowMs: number): OrderDecision {
  if (order.status !== 'PENDING') {
    if (order.status === 'FAILED') return unchanged;
    return rejected(order.status === 'HELD' ? 'ORDER_BUSY' : notHeldRejection[order.status]);
  }
  assert(command.failures.length > 0, 'a failed order names the lines that failed');
  const lines = withCodes(order.lines, command.failures);
  return applied(eventOf(order, 'OrderFailed', nowMs, { status: 'FAILED', lines }));
}

function decideBeginChange(command: BeginOrderChange, order: Order, nowMs: number): OrderDecision {
  const refusal = heldRefusal(order, nowMs);
  if (refusal !== undefined) return rejected(refusal);
  const { changes, after } = changeOf(order.lines, command.lines);
  if (changes.length === 0) return unchanged;
  if (after.length === 0) return rejected('ORDER_EMPTY');
  if (after.length > Math.min(command.linesMax, limits.orderLinesMax)) {
    return rejected('ORDER_LINE_LIMIT_REACHED');
  }
  const changesSoFar = order.timeline.filter((e) => e.type === 'OrderChangeRequested').length;
  if (changesSoFar >= limits.orderChangesMax) return rejected('ORDER_CHANGE_LIMIT_REACHED');
  return applied(eventOf(order, 'OrderChangeRequested', nowMs, { lines: changes }));
}

function decideCompleteChange(
  command: CompleteOrderChange,
  order: Order,
  nowMs: number,
): OrderDecision {
  const pending = order.pendingChange;
  if (pending === undefined) return unchanged;
  const added = pending.filter((line) => line.reservationId === undefined && line.quantity > 0);
  const lines = pending.map((line) =>
    line.reservationId !== undefined || line.quantity === 0
      ? line
      : withReservations([line], command.reservations, 'every added line')[0]!,
  );
  assert(added.length === command.reservations.length, 'a hold for each added line, no other');
  const { after } = changeOf(order.lines, lines);
  return applied(
    eventOf(order, 'OrderQuantityAdjusted', nowMs, {
      lines,
      version: order.version + 1,
      totalQuantity: totalQuantityOf(after),
    }),
  );
}

function decideSettle(command: SettleOrder, order: Order, nowMs: number): OrderDecision {
  if (order.status === command.outcome) return unchanged;
  switch (command.outcome) {
    case 'CONFIRMED': {
      const refusal = heldRefusal(order, nowMs);
      if (refusal !== undefined) return rejected(refusal);
      const confirmed = confirmedLines(order.lines, command.lines ?? []);
      if (typeof confirmed === 'string') return rejected(confirmed);
      return applied(
        eventOf(order, 'OrderConfirmed', nowMs, {
          status: 'CONFIRMED',
          lines: confirmed,
          totalQuantity: totalQuantityOf(confirmed),
        }),
      );
    }
    case 'CANCELLED':
      // Payment failed for an order that holds nothing any more: nothing left to give back.
      if (order.status === 'EXPIRED' || order.status === 'FAILED') return unchanged;
      if (order.status !== 'HELD') return rejected(notHeldRejection[order.status]);
      if (order.pendingChange !== undefined) return rejected('ORDER_BUSY');
      return applied(eventOf(order, 'OrderCancelled', nowMs, { status: 'CANCELLED' }));
    case 'EXPIRED':
      // The expiry timer may race a confirmation or a change: only a due, idle HELD order expires.
      if (order.status !== 'HELD' || order.pendingChange !== undefined) return unchanged;
      if (nowMs < order.expiresAtMs) return unchanged;
      return applied(eventOf(order, 'OrderExpired', nowMs, { status: 'EXPIRED' }));
  }
}

/** Why a HELD order cannot be changed or confirmed now (undefined: it can). */
function heldRefusal(order: Order, nowMs: number): RejectionCode | undefined {
  if (order.status !== 'HELD') return notHeldRejection[order.status];
  if (nowMs >= order.expiresAtMs) return 'ORDER_EXPIRED';
  if (order.pendingChange !== undefined) return 'ORDER_BUSY';
  return undefined;
}

/** Every line with the units to confirm: those named, the rest in full. */
function confirmedLines(
  lines: readonly OrderLine[],
  named: readonly { sku: string; warehouseId: string; quantity: number }[],
): EventLine[] | RejectionCode {
  const wanted = new Map(named.map((line) => [lineKeyOf(line), line.quantity]));
  const confirmed: EventLine[] = [];
  for (const line of lines) {
    const quantity = wanted.get(lineKeyOf(line)) ?? line.quantity;
    wanted.delete(lineKeyOf(line));
    if (quantity > line.quantity) return 'CONFIRM_EXCEEDS_HELD';
    confirmed.push({
      ...requestOf(line),
      quantity,
      ...(quantity !== line.quantity && { delta: quantity - line.quantity }),
      ...(line.reservationId !== undefined && { reservationId: line.reservationId }),
    });
  }
  return wanted.size > 0 ? 'ORDER_LINE_NOT_FOUND' : confirmed;
}

function withReservations<L extends { sku: string; warehouseId: string }>(
  lines: readonly L[],
  reservations: readonly LineReservation[],
  what: string,
): (L & { reservationId: string })[] {
  const ids = new Map(reservations.map((r) => [lineKeyOf(r), r.reservationId]));
  return lines.map((line) => {
    const reservationId = ids.get(lineKeyOf(line));
    assert(reservationId !== undefined, () => `${what} has a hold`);
    return { ...line, reservationId };
  });
}

/** The failing lines with their own codes; every other line failed only because they did. */
function withCodes<L extends { sku: string; warehouseId: string }>(
  lines: readonly L[],
  failures: readonly LineFailure[],
): (L & { code: RejectionCode })[] {
  const codes = new Map(failures.map((f) => [lineKeyOf(f), f.code]));
  return lines.map((line) => ({
    ...line,
    code: codes.get(lineKeyOf(line)) ?? 'LINKED_LINE_FAILED',
  }));
}

/** What an event says about the order after it: unchanged fields carry over. */
interface After {
  readonly status?: OrderStatus;
  readonly version?: number;
  readonly totalQuantity?: number;
  readonly lines?: readonly EventLine[];
}

function eventOf(
  order: Order,
  type: Exclude<OrderEvent['type'], 'OrderPlaced'>,
  nowMs: number,
  after: After,
): OrderEvent {
  return {
    type,
    orderId: order.orderId,
    timestampMs: nowMs,
    status: after.status ?? order.status,
    orderVersion: after.version ?? order.version,
    totalQuantity: after.totalQuantity ?? totalQuantityOf(order.lines),
    lines: after.lines ?? [],
  } as OrderEvent;
}

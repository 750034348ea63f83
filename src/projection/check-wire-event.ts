import { eventTypes } from '../domain/events.ts';
import { orderStatuses } from '../domain/order.ts';
import { orderEventTypes } from '../domain/order-events.ts';
import type { WireEvent, WireOrderEvent } from '../kafka/wire-event.ts';

const knownTypes: ReadonlySet<string> = new Set(eventTypes);
const reservationTypes: ReadonlySet<string> = new Set(
  eventTypes.filter((type) => type === 'StockReserved' || type.startsWith('Reservation')),
);
// Loose on purpose: these checks guard the tables' types, not stockd's rules (which a newer
// stockd may relax); an event stockd accepted must never end up among the rejects.
const textLengthMax = 1_024;
// Columns of type integer (partition, reservation version, ttl).
const int32Max = 2_147_483_647;

/**
 * Why a decoded message is not an event the projection can store (undefined: it is). The
 * wire codec checks the schema version only; the database would reject the rest in the middle
 * of a transaction, where one bad message would block its whole batch forever.
 */
export function problemOf(event: WireEvent): string | undefined {
  const value = event as unknown as Record<string, unknown>;
  for (const field of ['eventId', 'sku', 'warehouseId'] as const) {
    if (!isText(value[field])) return `${field} is not a string of 1 to ${textLengthMax}`;
  }
  if (!knownTypes.has(value.type as string)) return `unknown type ${String(value.type)}`;
  if (!isInteger(value.seq, 1)) return 'seq is not an integer ≥ 1';
  if (!isInteger(value.partition, 0, int32Max)) return 'partition is not a 32-bit integer ≥ 0';
  for (const field of ['timestampMs', 'totalQty', 'reservedQty', 'itemVersion']) {
    if (!isInteger(value[field], 0)) return `${field} is not an integer ≥ 0`;
  }
  for (const field of ['totalDelta', 'reservedDelta', 'itemPreviousSeq']) {
    if (!isInteger(value[field])) return `${field} is not an integer`;
  }
  if (value.availableQty !== event.totalQty - event.reservedQty) {
    return 'availableQty is not totalQty - reservedQty';
  }
  if (value.status !== 'ACTIVE' && value.status !== 'INACTIVE') return 'unknown status';
  for (const field of ['reason', 'commandId', 'actor']) {
    if (value[field] !== undefined && !isText(value[field])) return `${field} is not a string`;
  }
  // Stored in its own column whenever present: ReservationAdjusted's, and StockAdjusted's from
  // schema 2 on.
  if (value.delta !== undefined && !isInteger(value.delta)) return 'delta is not an integer';
  return reservationTypes.has(event.type) ? reservationProblemOf(value) : undefined;
}

const knownOrderTypes: ReadonlySet<string> = new Set(orderEventTypes);
const knownOrderStatuses: ReadonlySet<string> = new Set(orderStatuses);
// Lines of one order event (stockd allows at most 1,000).
const orderLinesMax = 10_000;

/** Like problemOf, for an order's event: what the order tables' columns need. */
export function orderProblemOf(event: WireOrderEvent): string | undefined {
  const value = event as unknown as Record<string, unknown>;
  for (const field of ['eventId', 'orderId'] as const) {
    if (!isText(value[field])) return `${field} is not a string of 1 to ${textLengthMax}`;
  }
  if (!knownOrderTypes.has(value.type as string)) return `unknown type ${String(value.type)}`;
  if (!knownOrderStatuses.has(value.status as string)) return 'unknown order status';
  if (!isInteger(value.seq, 1)) return 'seq is not an integer ≥ 1';
  if (!isInteger(value.partition, 0, int32Max)) return 'partition is not a 32-bit integer ≥ 0';
  if (!isInteger(value.orderVersion, 1, int32Max)) return 'orderVersion is not an integer ≥ 1';
  for (const field of ['timestampMs', 'totalQuantity']) {
    if (!isInteger(value[field], 0)) return `${field} is not an integer ≥ 0`;
  }
  for (const field of ['customerId', 'commandId', 'actor']) {
    if (value[field] !== undefined && !isText(value[field])) return `${field} is not a string`;
  }
  if (value.type === 'OrderPlaced') {
    if (!isInteger(value.ttlSeconds, 0, int32Max)) return 'ttlSeconds is not a 32-bit integer';
    if (!isInteger(value.expiresAtMs, 0)) return 'expiresAtMs is not an integer ≥ 0';
  }
  if (!Array.isArray(value.lines) || value.lines.length > orderLinesMax)
    return 'lines is not a list';
  for (const line of value.lines as Record<string, unknown>[]) {
    if (typeof line !== 'object' || line === null) return 'a line is not a map';
    if (!isText(line.sku) || !isText(line.warehouseId)) return 'a line has no sku or warehouseId';
    if (!isInteger(line.quantity, 0)) return "a line's quantity is not an integer ≥ 0";
    if (line.delta !== undefined && !isInteger(line.delta))
      return "a line's delta is not an integer";
    for (const field of ['reservationId', 'code']) {
      if (line[field] !== undefined && !isText(line[field]))
        return `a line's ${field} is not a string`;
    }
  }
  return undefined;
}

function reservationProblemOf(value: Record<string, unknown>): string | undefined {
  if (!isText(value.reservationId)) return 'reservationId is missing';
  if (!isInteger(value.quantity, 0)) return 'quantity is not an integer ≥ 0';
  if (!isInteger(value.reservationVersion, 1, int32Max)) {
    return 'reservationVersion is not a 32-bit integer ≥ 1';
  }
  if (value.type === 'ReservationAdjusted' && !isInteger(value.delta)) {
    return 'delta is not an integer';
  }
  if (value.type !== 'StockReserved') return undefined;
  if (!isText(value.idempotencyKey)) return 'idempotencyKey is missing';
  if (!isInteger(value.ttlSeconds, 0, int32Max)) return 'ttlSeconds is not a 32-bit integer ≥ 0';
  if (!isInteger(value.expiresAtMs, 0)) return 'expiresAtMs is not an integer ≥ 0';
  return undefined;
}

function isInteger(
  value: unknown,
  min = Number.MIN_SAFE_INTEGER,
  max = Number.MAX_SAFE_INTEGER,
): boolean {
  return Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max;
}

function isText(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0 && value.length <= textLengthMax;
}

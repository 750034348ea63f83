import { itemKeyOf } from './item-key.ts';
import type { EventLine, LineRequest, Order, OrderLine } from './order.ts';

/** A line is named by its item: an order holds each item at most once. */
export function lineKeyOf(line: { readonly sku: string; readonly warehouseId: string }): string {
  return itemKeyOf(line.sku, line.warehouseId);
}

/** Only the fields of a line request (a client's object may carry more). */
export function requestOf(line: LineRequest): LineRequest {
  return { sku: line.sku, warehouseId: line.warehouseId, quantity: line.quantity };
}

/** Same lines (in any order) with the same quantities. */
export function sameLines(a: readonly LineRequest[], b: readonly LineRequest[]): boolean {
  if (a.length !== b.length) return false;
  const quantities = new Map(a.map((line) => [lineKeyOf(line), line.quantity]));
  return b.every((line) => quantities.get(lineKeyOf(line)) === line.quantity);
}

/** The request an order was placed with, compared as reserve compares its repeats. */
export function samePlacement(
  order: Order,
  request: {
    readonly customerId?: string | undefined;
    readonly lines: readonly LineRequest[];
    readonly ttlSeconds: number;
  },
): boolean {
  return (
    order.customerId === request.customerId &&
    order.ttlSeconds === request.ttlSeconds &&
    sameLines(order.placedLines, request.lines)
  );
}

/**
 * A change as the client names it (new quantities; 0 drops a line; an unknown line is added),
 * against the order's lines: the lines whose quantity really changes, each with its delta and
 * its hold if it has one, and the lines the order would then have.
 */
export function changeOf(
  lines: readonly OrderLine[],
  named: readonly LineRequest[],
): { changes: EventLine[]; after: OrderLine[] } {
  const current = new Map(lines.map((line) => [lineKeyOf(line), line]));
  const changes: EventLine[] = [];
  for (const line of named) {
    const existing = current.get(lineKeyOf(line));
    const delta = line.quantity - (existing?.quantity ?? 0);
    if (delta === 0) continue;
    changes.push({
      ...requestOf(line),
      delta,
      ...(existing?.reservationId !== undefined && { reservationId: existing.reservationId }),
    });
  }
  return { changes, after: linesAfter(lines, changes) };
}

/** The order's lines with `changes` applied: changed in place, dropped at 0, added at the end. */
export function linesAfter(
  lines: readonly OrderLine[],
  changes: readonly EventLine[],
): OrderLine[] {
  const byKey = new Map(changes.map((change) => [lineKeyOf(change), change]));
  const after: OrderLine[] = [];
  for (const line of lines) {
    const change = byKey.get(lineKeyOf(line));
    if (change === undefined) {
      after.push(line);
    } else {
      byKey.delete(lineKeyOf(line));
      if (change.quantity > 0) after.push({ ...line, quantity: change.quantity });
    }
  }
  for (const change of byKey.values()) {
    if (change.quantity === 0) continue;
    after.push({
      ...requestOf(change),
      ...(change.reservationId !== undefined && { reservationId: change.reservationId }),
    });
  }
  return after;
}

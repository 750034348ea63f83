import type { LoggedEvent } from '../../src/checkpoint/logged-event.ts';

/** A receipt of one unit as partition `partition`'s event `seq` (totals follow the seq). */
export function loggedReceipt(partition: number, seq: number): LoggedEvent {
  return {
    type: 'StockReceived',
    partition,
    seq,
    sku: `SKU-${partition}`,
    warehouseId: 'W',
    itemPreviousSeq: seq - 1,
    timestampMs: 1_000 * seq,
    totalDelta: 1,
    reservedDelta: 0,
    totalQty: seq,
    reservedQty: 0,
    status: 'ACTIVE',
    itemVersion: seq,
    quantity: 1,
  };
}

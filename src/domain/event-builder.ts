import type { ItemState, ItemStatus } from './item.ts';

/** The after-state fields every event carries, computed from the item before it. */
export function eventBase(
  item: ItemState | undefined,
  nowMs: number,
  totalDelta: number,
  reservedDelta: number,
  status: ItemStatus = item?.status ?? 'ACTIVE',
) {
  return {
    timestampMs: nowMs,
    totalDelta,
    reservedDelta,
    totalQty: (item?.totalQty ?? 0) + totalDelta,
    reservedQty: (item?.reservedQty ?? 0) + reservedDelta,
    status,
    itemVersion: (item?.version ?? 0) + 1,
  };
}

/** One (sku, warehouseId) pair's stock. availableQty is derived, never stored. */
export type ItemStatus = 'ACTIVE' | 'INACTIVE';

export interface ItemState {
  readonly totalQty: number;
  readonly reservedQty: number;
  readonly status: ItemStatus;
  /** Count of events applied to this item. */
  readonly version: number;
  readonly updatedAtMs: number;
}

export function availableQty(item: ItemState): number {
  return item.totalQty - item.reservedQty;
}

/**
 * An item is addressed by `sku|warehouseId`: the same string is the partitioner's hash input,
 * the Kafka message key and the in-memory index key. Validation forbids '|' in both parts, so
 * the join is unambiguous.
 */
export const itemKeySeparator = '|';

export function itemKeyOf(sku: string, warehouseId: string): string {
  return sku + itemKeySeparator + warehouseId;
}

export function splitItemKey(itemKey: string): { sku: string; warehouseId: string } {
  const at = itemKey.indexOf(itemKeySeparator);
  return { sku: itemKey.slice(0, at), warehouseId: itemKey.slice(at + 1) };
}

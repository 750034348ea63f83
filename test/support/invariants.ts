import { expect } from 'vitest';
import type { PartitionActor } from '../../src/actors/partition-actor.ts';

/**
 * The invariants every partition must satisfy at every durable point:
 * 0 ≤ reserved ≤ total, and reserved = the sum of the item's HELD reservations.
 */
export function expectPartitionInvariants(actor: PartitionActor): void {
  const heldByItem = new Map<string, number>();
  for (const reservation of actor.reservations()) {
    if (reservation.status !== 'HELD') continue;
    heldByItem.set(
      reservation.itemKey,
      (heldByItem.get(reservation.itemKey) ?? 0) + reservation.quantity,
    );
  }
  for (let index = 0; index < actor.items.size; index++) {
    const itemKey = actor.items.keyAt(index);
    const item = actor.items.read(index);
    expect(item.reservedQty, `${itemKey} reserved`).toBeGreaterThanOrEqual(0);
    expect(item.totalQty, `${itemKey} total ≥ reserved`).toBeGreaterThanOrEqual(item.reservedQty);
    expect(item.reservedQty, `${itemKey} reserved = Σ HELD`).toBe(heldByItem.get(itemKey) ?? 0);
  }
}

/** Every item and reservation, as plain data, for comparing two partitions. */
export function partitionContents(actor: PartitionActor) {
  const items = Array.from({ length: actor.items.size }, (_, index) => ({
    key: actor.items.keyAt(index),
    ...actor.items.read(index),
    lastSeq: actor.items.lastSeqAt(index),
  }));
  const reservations = [...actor.reservations()].sort((a, b) =>
    a.reservationId.localeCompare(b.reservationId),
  );
  return { nextSeq: actor.nextSeq, items, reservations };
}

import { itemEventsNewestFirst } from '../checkpoint/item-log-walk.ts';
import type { LoggedEvent } from '../checkpoint/logged-event.ts';
import { itemKeyOf } from '../domain/item-key.ts';
import type { Engine } from '../engine/engine.ts';
import { partitionOf } from '../partitioner/partition-of.ts';
import type { ItemLevels } from '../worker-protocol/results.ts';

/** Most log events one query may walk through (bounds its latency). */
const walkStepsMax = 1_000_000;

/** What reading an item's past needs: a durable read of it now, and the log to walk back. */
export type LogReadingEngine = Pick<Engine, 'submit' | 'store' | 'identity'>;

/**
 * The item now (a durable read through its worker, so the log holds everything it says) and a
 * walk back from its newest event. Every event links to the item's previous one, so the walk
 * visits only this item's events.
 */
export async function readItem(engine: LogReadingEngine, sku: string, warehouseId: string) {
  const result = await engine.submit({ type: 'GetItem', sku, warehouseId });
  if (!result.ok) return result;
  const partition = partitionOf(itemKeyOf(sku, warehouseId), engine.identity.partitionCount);
  const newestSeq = result.item?.lastEventSeq ?? 0;
  return {
    ok: true as const,
    item: result.item,
    walk: () => itemEventsNewestFirst(engine.store, partition, newestSeq, walkStepsMax),
  };
}

/** Every event carries the item's quantities after it: its levels at that moment. */
export function levelsAfter(event: LoggedEvent): ItemLevels {
  return {
    sku: event.sku,
    warehouseId: event.warehouseId,
    totalQty: event.totalQty,
    reservedQty: event.reservedQty,
    availableQty: event.totalQty - event.reservedQty,
    status: event.status,
    version: event.itemVersion,
    updatedAtMs: event.timestampMs,
    lastEventSeq: event.seq,
  };
}

import { itemEventsNewestFirst } from '../checkpoint/item-log-walk.ts';
import type { LoggedEvent } from '../checkpoint/logged-event.ts';
import { itemKeyOf } from '../domain/item-key.ts';
import type { Engine } from '../engine/engine.ts';
import { partitionOf } from '../partitioner/partition-of.ts';
import type { EngineResult, ItemLevels } from '../worker-protocol/results.ts';

/** Most log events one query may walk through (bounds its latency). */
const walkStepsMax = 1_000_000;

export type LevelsAsOf =
  | { readonly kind: 'levels'; readonly levels: ItemLevels }
  | { readonly kind: 'absent' }
  | { readonly kind: 'truncated' }
  | { readonly kind: 'refused'; readonly result: Extract<EngineResult, { ok: false }> };

/**
 * An item's levels as they were at `asOfMs`: every event carries the item's quantities after it,
 * so the answer is the after-state of the item's newest event at or before that time.
 */
export async function levelsAsOf(
  engine: Engine,
  sku: string,
  warehouseId: string,
  asOfMs: number,
): Promise<LevelsAsOf> {
  const current = await currentItem(engine, sku, warehouseId);
  if (!current.ok) return { kind: 'refused', result: current };
  if (current.item === undefined) return { kind: 'absent' };
  if (current.item.updatedAtMs <= asOfMs) return { kind: 'levels', levels: current.item };
  const walk = current.walk();
  for (let next = walk.next(); ; next = walk.next()) {
    if (next.done) return next.value.truncated ? { kind: 'truncated' } : { kind: 'absent' };
    if (next.value.timestampMs <= asOfMs)
      return { kind: 'levels', levels: levelsAfter(next.value) };
  }
}

export interface ItemHistory {
  /** Oldest first. */
  readonly events: readonly LoggedEvent[];
  /** Older events in the range exist beyond `limit` (page with `beforeSeq`). */
  readonly hasMore: boolean;
  /** Part of the range is older than the retained log. */
  readonly truncated: boolean;
}

/** The item's events with fromMs ≤ time ≤ toMs (and seq < beforeSeq), the newest `limit` of them. */
export async function itemHistory(
  engine: Engine,
  query: {
    sku: string;
    warehouseId: string;
    fromMs: number;
    toMs: number;
    beforeSeq: number;
    limit: number;
  },
): Promise<ItemHistory | Extract<EngineResult, { ok: false }> | undefined> {
  const current = await currentItem(engine, query.sku, query.warehouseId);
  if (!current.ok) return current;
  if (current.item === undefined) return undefined;
  const newestFirst: LoggedEvent[] = [];
  const walk = current.walk();
  for (let next = walk.next(); ; next = walk.next()) {
    if (next.done) {
      return { events: newestFirst.reverse(), hasMore: false, truncated: next.value.truncated };
    }
    const event = next.value;
    if (event.timestampMs < query.fromMs) break;
    if (event.timestampMs > query.toMs || event.seq >= query.beforeSeq) continue;
    if (newestFirst.length === query.limit) {
      return { events: newestFirst.reverse(), hasMore: true, truncated: false };
    }
    newestFirst.push(event);
  }
  return { events: newestFirst.reverse(), hasMore: false, truncated: false };
}

/** The item now (a durable read through its worker) and a walk back from its newest event. */
async function currentItem(engine: Engine, sku: string, warehouseId: string) {
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

function levelsAfter(event: LoggedEvent): ItemLevels {
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

import { itemKeyOf } from '../domain/item-key.ts';
import type { WireEvent } from '../kafka/wire-event.ts';
import type { DayCloseRow, LevelRow } from './batch-plan.ts';

const dayMs = 86_400_000;

/** The UTC calendar day of an instant, as YYYY-MM-DD. */
export function utcDayOf(timestampMs: number): string {
  return new Date(Math.floor(timestampMs / dayMs) * dayMs).toISOString().slice(0, 10);
}

export function levelRowOf(event: WireEvent): LevelRow {
  return {
    sku: event.sku,
    warehouseId: event.warehouseId,
    partition: event.partition,
    seq: event.seq,
    eventId: event.eventId,
    totalQty: event.totalQty,
    reservedQty: event.reservedQty,
    status: event.status,
    itemVersion: event.itemVersion,
    timestampMs: event.timestampMs,
  };
}

/**
 * Daily closes found inside a batch: whenever an item's next event (by seq) falls on a later
 * UTC day, the earlier event was the item's last of its day, and its levels close that day.
 *
 *   item X:  seq 4 (Mon 10:00)  seq 7 (Mon 18:00)  seq 9 (Wed 08:00)
 *                                     └─ closes Mon ─┘
 *
 * The close of the day before the batch's first event (the stored levels row) is written by
 * the levels upsert itself, which still sees that row (see sql/levels.ts). Each close is
 * a function of the event sequence alone, so recomputing it on a redelivery writes nothing new.
 */
export function dayClosesOf(events: readonly WireEvent[]): DayCloseRow[] {
  const byItem = new Map<string, WireEvent[]>();
  for (const event of events) {
    const key = itemKeyOf(event.sku, event.warehouseId);
    const list = byItem.get(key);
    if (list === undefined) byItem.set(key, [event]);
    else list.push(event);
  }
  const closes: DayCloseRow[] = [];
  for (const list of byItem.values()) {
    list.sort((a, b) => a.seq - b.seq);
    for (let i = 0; i + 1 < list.length; i++) {
      const event = list[i]!;
      const day = utcDayOf(event.timestampMs);
      if (day < utcDayOf(list[i + 1]!.timestampMs)) closes.push({ ...levelRowOf(event), day });
    }
  }
  return closes;
}

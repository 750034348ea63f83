import { eventIdOf, eventSchemaVersion, type LoggedEvent } from '../checkpoint/logged-event.ts';
import { type LogReadingEngine, readItem } from './item-log.ts';
import { accepted, invalid, type Outcome } from './outcome.ts';

export const historyLimits = Object.freeze({
  /** Events one answer holds unless asked for fewer, and at most. */
  eventsDefault: 1_000,
  eventsMax: 10_000,
});

export interface HistoryQuery {
  readonly sku: string;
  readonly warehouseId: string;
  /** Inclusive; default: the beginning. */
  readonly fromMs?: number | undefined;
  /** Inclusive; default: now. */
  readonly toMs?: number | undefined;
  /** The newest this many events of the range (default historyLimits.eventsDefault). */
  readonly limit?: number | undefined;
  /** Paging back: only events before this seq. */
  readonly beforeSeq?: number | undefined;
}

/** An event as it was logged, with the identity it has everywhere downstream. */
export type HistoryEvent = LoggedEvent & {
  readonly schemaVersion: number;
  /** The same id the event carries on the event topic and in PostgreSQL. */
  readonly eventId: string;
};

export interface History {
  /** Oldest first. */
  readonly events: readonly HistoryEvent[];
  /** Older events in the range exist beyond `limit` (page with `beforeSeq`). */
  readonly hasMore: boolean;
  /** Part of the range is older than the retained log. */
  readonly truncated: boolean;
}

/** An item's events, read back from the log. */
export interface ItemHistory {
  /** The item's events with fromMs ≤ time ≤ toMs (and seq < beforeSeq), the newest `limit`. */
  history(query: HistoryQuery): Promise<Outcome<History>>;
}

export function createItemHistory(deps: { readonly engine: LogReadingEngine }): ItemHistory {
  const { engine } = deps;
  return {
    async history(query) {
      const limit = query.limit ?? historyLimits.eventsDefault;
      if (!Number.isInteger(limit) || limit < 1 || limit > historyLimits.eventsMax) {
        return invalid({ field: 'limit', message: `must be 1 to ${historyLimits.eventsMax}` });
      }
      const current = await readItem(engine, query.sku, query.warehouseId);
      if (!current.ok) return current;
      if (current.item === undefined) return { ok: false, code: 'ITEM_NOT_FOUND' };
      const found = collect(current.walk(), {
        fromMs: query.fromMs ?? 0,
        toMs: query.toMs ?? Number.MAX_SAFE_INTEGER,
        beforeSeq: query.beforeSeq ?? Number.POSITIVE_INFINITY,
        limit,
      });
      const { storeId } = engine.identity;
      return accepted({
        ...found,
        events: found.events.map((event) => ({
          schemaVersion: eventSchemaVersion,
          eventId: eventIdOf(storeId, event.partition, event.seq),
          ...event,
        })),
      });
    },
  };
}

/** Walks newest first: skips what is too new, stops at what is too old or at the limit. */
function collect(
  walk: Generator<LoggedEvent, { truncated: boolean }>,
  range: { fromMs: number; toMs: number; beforeSeq: number; limit: number },
): { events: LoggedEvent[]; hasMore: boolean; truncated: boolean } {
  const newestFirst: LoggedEvent[] = [];
  for (let next = walk.next(); ; next = walk.next()) {
    if (next.done) {
      return { events: newestFirst.reverse(), hasMore: false, truncated: next.value.truncated };
    }
    const event = next.value;
    if (event.timestampMs < range.fromMs) break;
    if (event.timestampMs > range.toMs || event.seq >= range.beforeSeq) continue;
    if (newestFirst.length === range.limit) {
      return { events: newestFirst.reverse(), hasMore: true, truncated: false };
    }
    newestFirst.push(event);
  }
  return { events: newestFirst.reverse(), hasMore: false, truncated: false };
}

import { assert } from '../domain/assert.ts';
import { isOrderEvent } from '../domain/order-events.ts';
import { readChunkContaining } from './log-reader.ts';
import type { LoggedEvent } from './logged-event.ts';
import type { Store } from './store.ts';

/**
 * One item's events, newest first, following each event's link to the item's previous event
 * (`itemPreviousSeq`) through its partition's log — no scan of other items' events. Ends when
 * the item's first event is reached, or when the log no longer holds the next one (`truncated`).
 * Consecutive events of an item often share a chunk, so the last decoded chunk is reused.
 */
export function* itemEventsNewestFirst(
  store: Store,
  partition: number,
  newestSeq: number,
  stepsMax: number,
): Generator<LoggedEvent, { truncated: boolean }> {
  let chunk: ReturnType<typeof readChunkContaining>;
  let seq = newestSeq;
  for (let steps = 0; seq > 0; steps++) {
    if (steps === stepsMax) return { truncated: true };
    if (
      chunk === undefined ||
      seq < chunk.firstSeq ||
      seq >= chunk.firstSeq + chunk.events.length
    ) {
      chunk = readChunkContaining(store, partition, seq);
      if (chunk === undefined) return { truncated: true };
    }
    const event = chunk.events[seq - chunk.firstSeq]!;
    assert(event.seq === seq, () => `log chunk of partition ${partition} holds seq ${seq}`);
    // Items link only to their own events: an order's event is never in an item's chain.
    assert(!isOrderEvent(event), () => `seq ${seq} of partition ${partition} is an item's event`);
    yield event;
    seq = event.itemPreviousSeq;
  }
  return { truncated: false };
}

import type pg from 'pg';
import { encodeWireEvent, type WireEvent, wireKeyOf } from '../../../src/kafka/wire-event.ts';
import { applyBatch } from '../../../src/projection/apply-batch.ts';
import type { IncomingMessage } from '../../../src/projection/batch-plan.ts';
import { planBatch } from '../../../src/projection/batch-planner.ts';

/** The events of each partition as that partition's messages (offset = position, from 0). */
export function messagesByPartition(events: readonly WireEvent[]): Map<number, IncomingMessage[]> {
  const byPartition = new Map<number, IncomingMessage[]>();
  for (const event of events) {
    const list = byPartition.get(event.partition) ?? [];
    list.push({
      offset: String(list.length),
      key: Buffer.from(wireKeyOf(event)),
      value: encodeWireEvent(event),
    });
    byPartition.set(event.partition, list);
  }
  return byPartition;
}

/**
 * Applies the events as the projector would, partition by partition, in runs whose sizes
 * `runSize` picks; after a run, `rewind` may move the position back (a redelivery of events
 * already applied, as after a crash before the offset commit).
 */
export async function applyEvents(
  pool: pg.Pool,
  events: readonly WireEvent[],
  runSize: (position: number) => number,
  rewind: (position: number) => number = (position) => position,
): Promise<void> {
  for (const [partition, messages] of messagesByPartition(events)) {
    let position = 0;
    while (position < messages.length) {
      const end = Math.min(messages.length, position + Math.max(1, runSize(position)));
      await applyBatch(pool, planBatch('test-events', partition, messages.slice(position, end)));
      position = end < messages.length ? Math.min(end, Math.max(0, rewind(end))) : end;
    }
  }
}

import { expect } from 'vitest';
import { eventIdOf } from '../../src/checkpoint/logged-event.ts';
import { decodeWireEvent, type WireEntry } from '../../src/kafka/wire-event.ts';
import type { ReceivedMessage } from './kafka-test-kit.ts';

/**
 * Checks an events topic read from the beginning against the log: per partition, the first
 * occurrence of every seq 1..newest, in increasing order, each where it belongs. Republished
 * events (after a failure) must repeat an eventId already seen, with the same content.
 */
export function expectCompleteEventStream(
  received: readonly ReceivedMessage[],
  newestSeqs: readonly number[],
  storeId: string,
): { events: WireEntry[]; duplicates: number } {
  const byEventId = new Map<string, WireEntry>();
  const seqsByPartition = newestSeqs.map(() => [] as number[]);
  let duplicates = 0;
  for (const { partition, message } of received) {
    const event = decodeWireEvent(message.value!);
    expect(event.partition, event.eventId).toBe(partition);
    expect(event.eventId).toBe(eventIdOf(storeId, event.partition, event.seq));
    const seen = byEventId.get(event.eventId);
    if (seen !== undefined) {
      expect(event, `republished ${event.eventId}`).toEqual(seen);
      duplicates++;
      continue;
    }
    byEventId.set(event.eventId, event);
    seqsByPartition[partition]!.push(event.seq);
  }
  newestSeqs.forEach((newest, partition) => {
    const seqs = seqsByPartition[partition]!;
    expect(seqs.length, `events of partition ${partition}`).toBe(newest);
    seqs.forEach((seq, i) => {
      if (seq !== i + 1) expect(seq, `partition ${partition}, position ${i}`).toBe(i + 1);
    });
  });
  return { events: [...byEventId.values()], duplicates };
}

import type { Message } from 'kafkajs';
import { readPartitionLog } from '../checkpoint/log-reader.ts';
import type { Store } from '../checkpoint/store.ts';
import type { WalView } from '../checkpoint/wal-view.ts';
import type { RelaySettings } from '../config/schema.ts';
import { assert } from '../domain/assert.ts';
import { relayEventsOf } from './relay-events.ts';

/** What one produce call carries: each pending partition's next events, in log order. */
export interface RelayRound {
  readonly messages: Message[];
  /** partition → the newest seq this round publishes. */
  readonly lastSeqs: ReadonlyMap<number, number>;
  /** Seq ranges the log no longer held (truncated before replication was enabled). */
  readonly gaps: readonly { partition: number; fromSeq: number; toSeq: number }[];
}

/**
 * Reads, per partition with events after its published seq (`publishedSeqs`) up to `targetSeqs`
 * (the durable frontier), the next events as Kafka messages (relay-events.ts: the key, value,
 * timestamp and headers of each). The round's event budget is shared between the pending
 * partitions so that a busy one cannot starve the others. `wal` is the write-ahead records as
 * they are now.
 */
export function collectRound(
  store: Store,
  wal: WalView,
  storeId: string,
  publishedSeqs: readonly number[],
  targetSeqs: readonly number[],
  settings: Pick<RelaySettings, 'roundEventsMax' | 'partitionBatchBytesMax'>,
): RelayRound {
  const pending = targetSeqs.flatMap((target, p) => (target > publishedSeqs[p]! ? [p] : []));
  const messages: Message[] = [];
  const lastSeqs = new Map<number, number>();
  const gaps: { partition: number; fromSeq: number; toSeq: number }[] = [];
  if (pending.length === 0) return { messages, lastSeqs, gaps };
  const partitionEventsMax = Math.max(1, Math.floor(settings.roundEventsMax / pending.length));
  for (const partition of pending) {
    let expectedSeq = publishedSeqs[partition]! + 1;
    let bytes = 0;
    let count = 0;
    for (const event of readPartitionLog(store, partition, expectedSeq, wal, relayEventsOf)) {
      if (event.seq > targetSeqs[partition]!) break;
      if (count === 0 && event.seq > expectedSeq) {
        gaps.push({ partition, fromSeq: expectedSeq, toSeq: event.seq - 1 });
        expectedSeq = event.seq;
      }
      assert(event.seq === expectedSeq, 'the log of a partition is dense');
      const message = event.message(storeId);
      const valueBytes = (message.value as Buffer).length;
      if (count > 0 && bytes + valueBytes > settings.partitionBatchBytesMax) break;
      messages.push(message);
      lastSeqs.set(partition, event.seq);
      bytes += valueBytes;
      expectedSeq++;
      if (++count >= partitionEventsMax) break;
    }
  }
  return { messages, lastSeqs, gaps };
}

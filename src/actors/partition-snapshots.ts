import { recordPlace } from '../checkpoint/checksum.ts';
import type { Store } from '../checkpoint/store.ts';
import type { PartitionImage } from './partition-actor.ts';
import { decodeSnapshot, encodeSnapshot, type Snapshot } from './snapshot-codec.ts';

/** A partition's snapshot, encoded: taken now, written once the log is durable up to it. */
export interface EncodedSnapshot {
  readonly partition: number;
  readonly bytes: Uint8Array;
}

/**
 * Encodes the image at once: its item rows are a view of the actor's live memory (item-table.ts),
 * which every later decision changes — a snapshot encoded after an await would hold item rows
 * newer than its seq, and its log would no longer replay onto it.
 */
export function takeSnapshot(image: PartitionImage, takenAtMs: number): EncodedSnapshot {
  return { partition: image.partition, bytes: encodeSnapshot(image, takenAtMs) };
}

/**
 * Queues the partition's snapshot for the next write transaction, behind every log chunk already
 * appended: a committed snapshot at seq N always finds the log complete up to N.
 */
export function writeSnapshot(store: Store, snapshot: EncodedSnapshot): Promise<boolean> {
  return store.snapshots.put(snapshot.partition, snapshot.bytes);
}

export function readSnapshot(store: Store, partition: number): Snapshot | undefined {
  const bytes = store.snapshots.get(partition);
  if (bytes === undefined) return undefined;
  return decodeSnapshot(
    bytes,
    recordPlace(store.file, 'snapshots', `snapshot of partition ${partition}`),
  );
}

import { recordPlace } from '../checkpoint/checksum.ts';
import type { Store } from '../checkpoint/store.ts';
import type { PartitionImage } from './partition-actor.ts';
import { decodeSnapshot, encodeSnapshot, type Snapshot } from './snapshot-codec.ts';

/**
 * Queues the partition's snapshot for the next write transaction, behind every log chunk already
 * appended: a committed snapshot at seq N always finds the log complete up to N.
 */
export function writeSnapshot(
  store: Store,
  image: PartitionImage,
  takenAtMs: number,
): Promise<boolean> {
  return store.snapshots.put(image.partition, encodeSnapshot(image, takenAtMs));
}

export function readSnapshot(store: Store, partition: number): Snapshot | undefined {
  const bytes = store.snapshots.get(partition);
  if (bytes === undefined) return undefined;
  return decodeSnapshot(
    bytes,
    recordPlace(store.file, 'snapshots', `snapshot of partition ${partition}`),
  );
}

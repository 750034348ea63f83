import { readPartitionLog } from '../checkpoint/log-reader.ts';
import type { Store } from '../checkpoint/store.ts';
import { PartitionActor, type PartitionActorOptions } from './partition-actor.ts';
import { readSnapshot } from './partition-snapshots.ts';

export interface RecoveredPartition {
  readonly actor: PartitionActor;
  readonly snapshotSeq: number;
  readonly snapshotTakenAtMs: number | undefined;
  readonly replayedEvents: number;
}

/** Start-up for one partition: newest snapshot, then every logged event after it. */
export function recoverPartition(
  store: Store,
  partition: number,
  options?: PartitionActorOptions,
): RecoveredPartition {
  const snapshot = readSnapshot(store, partition);
  const actor = snapshot
    ? PartitionActor.fromImage(snapshot.image, options)
    : new PartitionActor(partition, options);
  const snapshotSeq = actor.nextSeq - 1;
  let replayedEvents = 0;
  for (const event of readPartitionLog(store, partition, actor.nextSeq)) {
    actor.applyEntry(event);
    replayedEvents++;
  }
  return { actor, snapshotSeq, snapshotTakenAtMs: snapshot?.takenAtMs, replayedEvents };
}

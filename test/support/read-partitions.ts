import type { PartitionActor } from '../../src/actors/partition-actor.ts';
import { recoverPartition } from '../../src/actors/recovery.ts';
import { openStore } from '../../src/checkpoint/store.ts';
import { readStoreIdentity } from '../../src/checkpoint/store-identity.ts';

/** Recovers every partition of a (closed) data directory in this thread, for inspection. */
export async function readAllPartitions(dataDir: string): Promise<PartitionActor[]> {
  const store = openStore(dataDir);
  try {
    const identity = readStoreIdentity(store);
    if (identity === undefined) throw new Error(`${dataDir} is not a stockd data directory`);
    return Array.from(
      { length: identity.partitionCount },
      (_, p) => recoverPartition(store, p).actor,
    );
  } finally {
    await store.close();
  }
}

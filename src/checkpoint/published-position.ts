import { written } from './storage-write-error.ts';
import type { Store } from './store.ts';

/**
 * How far replication has published each partition's log. The relay writes it; truncation reads
 * it so that nothing unpublished is ever removed.
 */
function keyOf(partition: number): string {
  return `published/${partition}`;
}

export function readPublishedSeq(store: Store, partition: number): number {
  return (store.meta.get(keyOf(partition)) as number | undefined) ?? 0;
}

/** Rejects with a StorageWriteError when the store cannot take it. */
export function writePublishedSeq(store: Store, partition: number, seq: number): Promise<boolean> {
  return written(store.meta.put(keyOf(partition), seq));
}

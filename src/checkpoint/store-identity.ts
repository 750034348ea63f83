import { randomBytes } from 'node:crypto';
import type { Store } from './store.ts';

/** Fixed when a data directory is created; every later start must agree with it. */
export interface StoreIdentity {
  readonly formatVersion: number;
  readonly storeId: string;
  readonly partitionCount: number;
  readonly createdAtMs: number;
}

const identityKey = 'identity';
export const storeFormatVersion = 1;

export class StoreIdentityError extends Error {
  override name = 'StoreIdentityError';
}

/**
 * Reads the store's identity, creating it on first use. The partition count of an existing store
 * wins over the requested one: changing it would move items between partitions and logs.
 */
export async function ensureStoreIdentity(
  store: Store,
  requestedPartitionCount: number,
  nowMs: number,
): Promise<{ identity: StoreIdentity; created: boolean }> {
  const existing = store.meta.get(identityKey) as StoreIdentity | undefined;
  if (existing !== undefined) {
    if (existing.formatVersion !== storeFormatVersion) {
      throw new StoreIdentityError(
        `data directory has format ${existing.formatVersion}; this stockd reads format ${storeFormatVersion}`,
      );
    }
    return { identity: existing, created: false };
  }
  const identity: StoreIdentity = {
    formatVersion: storeFormatVersion,
    storeId: randomBytes(4).toString('hex'),
    partitionCount: requestedPartitionCount,
    createdAtMs: nowMs,
  };
  await store.meta.put(identityKey, identity);
  await store.meta.flushed;
  return { identity, created: true };
}

export function readStoreIdentity(store: Store): StoreIdentity | undefined {
  return store.meta.get(identityKey) as StoreIdentity | undefined;
}

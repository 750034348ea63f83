import { randomBytes } from 'node:crypto';
import { DataDamagedError } from './data-damage.ts';
import {
  type IdentityFile,
  identityFileOf,
  readIdentityFile,
  writeIdentityFile,
} from './identity-file.ts';
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
 *
 * The identity is kept twice: inside LMDB (`meta`) and in the identity file beside the data file
 * (identity-file.ts); the two must name the same store. A new store writes LMDB's first, then
 * the file; a store without the file (created before identity files, or a crash between the two
 * writes) gets it now.
 */
export async function ensureStoreIdentity(
  store: Store,
  requestedPartitionCount: number,
  nowMs: number,
): Promise<{ identity: StoreIdentity; created: boolean }> {
  const existing = verifyStoreIdentity(store);
  if (existing !== undefined) {
    if (existing.formatVersion !== storeFormatVersion) {
      throw new StoreIdentityError(
        `data directory has format ${existing.formatVersion}; this stockd reads format ${storeFormatVersion}`,
      );
    }
    if (readIdentityFile(store.dataDir) === undefined) {
      writeIdentityFile(store.dataDir, identityFileFor(existing));
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
  writeIdentityFile(store.dataDir, identityFileFor(identity));
  return { identity, created: true };
}

/**
 * The identity inside LMDB, checked against the identity file (without writing anything):
 * DATA_DAMAGED when they name different stores, or when the file names a store and the data
 * file holds none (an empty data file put in the place of the store's).
 */
export function verifyStoreIdentity(store: Store): StoreIdentity | undefined {
  const inside = readStoreIdentity(store);
  const outside = readIdentityFile(store.dataDir);
  if (outside === undefined) return inside;
  const file = identityFileOf(store.dataDir);
  if (inside === undefined) {
    throw new DataDamagedError(
      `${store.file}: the data file holds no store, but ${file} says this directory holds store ${outside.storeId} (created ${outside.createdAt}): it is not this directory's data file`,
    );
  }
  if (inside.storeId !== outside.storeId || inside.createdAtMs !== outside.createdAtMs) {
    throw new DataDamagedError(
      `${store.file}: the data file belongs to store ${inside.storeId} (created ${isoOf(inside.createdAtMs)}), but ${file} says this directory holds store ${outside.storeId} (created ${outside.createdAt}): it is another store's data file`,
    );
  }
  return inside;
}

export function readStoreIdentity(store: Store): StoreIdentity | undefined {
  return store.meta.get(identityKey) as StoreIdentity | undefined;
}

function identityFileFor(identity: StoreIdentity): IdentityFile {
  return {
    storeId: identity.storeId,
    formatVersion: identity.formatVersion,
    createdAt: isoOf(identity.createdAtMs),
    createdAtMs: identity.createdAtMs,
  };
}

function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}

import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DataDamagedError } from './data-damage.ts';

/**
 * The store's identity outside the mapped data file (`stockd.identity.json`), so that the data
 * directory can tell what its data file must be before LMDB opens it: a missing data file next
 * to an identity file is a lost store (opening would create an empty one and forget every
 * acknowledged hold), and a data file whose own identity (store-identity.ts) differs was swapped
 * in from another store.
 *
 * Written once, after the identity inside LMDB is durable: a crash between the two leaves a data
 * file with an identity and no identity file, which the next start completes, like a data
 * directory from before identity files. Never rewritten.
 */
export interface IdentityFile {
  readonly storeId: string;
  readonly formatVersion: number;
  /** ISO 8601, for people; `createdAtMs` is what is compared. */
  readonly createdAt: string;
  readonly createdAtMs: number;
}

export function identityFileOf(dataDir: string): string {
  return join(dataDir, 'stockd.identity.json');
}

/** The identity file's content; undefined when there is none. */
export function readIdentityFile(dataDir: string): IdentityFile | undefined {
  const file = identityFileOf(dataDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
  const identity = parse(text);
  if (identity === undefined) {
    throw new DataDamagedError(`${file}: it is not a stockd identity file (unreadable JSON)`);
  }
  return identity;
}

function parse(text: string): IdentityFile | undefined {
  try {
    const value = JSON.parse(text) as Partial<IdentityFile>;
    const { storeId, formatVersion, createdAt, createdAtMs } = value;
    if (typeof storeId !== 'string' || typeof formatVersion !== 'number') return undefined;
    if (typeof createdAt !== 'string' || typeof createdAtMs !== 'number') return undefined;
    return { storeId, formatVersion, createdAt, createdAtMs };
  } catch {
    return undefined;
  }
}

/**
 * Atomically and durably: written aside, fsynced, renamed into place, and the directory fsynced
 * so that the rename itself survives a crash.
 */
export function writeIdentityFile(dataDir: string, identity: IdentityFile): void {
  const file = identityFileOf(dataDir);
  const aside = `${file}.tmp`;
  const fd = openSync(aside, 'w');
  try {
    writeSync(fd, `${JSON.stringify(identity, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(aside, file);
  const directory = openSync(dataDir, 'r');
  try {
    fsyncSync(directory);
  } finally {
    closeSync(directory);
  }
}

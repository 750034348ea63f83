import { timingSafeEqual } from 'node:crypto';
import { apiKeyDigestOf } from '../../../config/api-key-hash.ts';
import type { ApiKeyEntry } from '../../../config/config.ts';
import type { Caller } from './caller.ts';

/** The configured keys, by hash. */
export interface KeyRing {
  /** The caller a presented key belongs to; undefined for a key that is not configured. */
  find(presentedKey: string): Caller | undefined;
}

/**
 * Keys are held as SHA-256 hashes only: the presented key is hashed and compared with every
 * configured hash, in constant time and without stopping at a match, so that neither the time
 * of an answer nor its position in the ring tells an attacker anything (config/api-key-hash.ts
 * says why SHA-256 is enough).
 */
export function createKeyRing(entries: readonly ApiKeyEntry[]): KeyRing {
  const keys = entries.map((entry) => ({
    hash: Buffer.from(entry.sha256, 'hex'),
    caller: { name: entry.name, scopes: new Set(entry.scopes) } satisfies Caller,
  }));
  return {
    find(presentedKey) {
      const presented = apiKeyDigestOf(presentedKey);
      let found: Caller | undefined;
      for (const key of keys) {
        if (timingSafeEqual(key.hash, presented)) found = key.caller;
      }
      return found;
    },
  };
}

import { createHash } from 'node:crypto';

/**
 * What a key is configured by (`sha256:<hex>`) and checked against: its SHA-256. A fast hash
 * suffices: keys are random 256-bit strings (`stockd api-key`), not passwords one could guess.
 */
export function apiKeyDigestOf(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

/** The digest as configured: 64 lower-case hex digits. */
export function apiKeyHashOf(key: string): string {
  return apiKeyDigestOf(key).toString('hex');
}

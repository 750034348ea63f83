import { murmur2, toPositive } from './murmur2.ts';

// Keys are validated ASCII, so UTF-8 encoding is a byte copy; reuse one buffer on the hot path.
let scratch = new Uint8Array(256);
const encoder = new TextEncoder();

function keyBytes(key: string): Uint8Array {
  const length = key.length;
  if (length * 3 > scratch.length) scratch = new Uint8Array(length * 3);
  for (let i = 0; i < length; i++) {
    const code = key.charCodeAt(i);
    if (code > 0x7f) return encoder.encode(key);
    scratch[i] = code;
  }
  return scratch.subarray(0, length);
}

/** The partition of a Kafka key, exactly as Kafka's default partitioner computes it. */
export function partitionOf(key: string, partitionCount: number): number {
  return toPositive(murmur2(keyBytes(key))) % partitionCount;
}

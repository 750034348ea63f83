import { itemKeyOf, itemKeySeparator } from '../domain/item-key.ts';
import { murmur2, toPositive } from './murmur2.ts';

// Keys are validated ASCII, so UTF-8 encoding is a byte copy into one buffer reused on the hot
// path, hashed up to the key's length (no view allocated per key).
let scratch = new Uint8Array(256);
const encoder = new TextEncoder();
const separatorCode = itemKeySeparator.charCodeAt(0);

/** The partition of a Kafka key, exactly as Kafka's default partitioner computes it. */
export function partitionOf(key: string, partitionCount: number): number {
  if (!copyAscii(key, 0)) return partitionOfBytes(encoder.encode(key), partitionCount);
  return partitionOfBytes(scratch, partitionCount, key.length);
}

/**
 * `partitionOf(itemKeyOf(sku, warehouseId))`, the key's bytes written straight from its parts:
 * the engine routes every item request by it, and the joined string would be built only to be
 * read once.
 */
export function partitionOfItem(sku: string, warehouseId: string, partitionCount: number): number {
  if (!copyAscii(sku, 0) || !copyAscii(warehouseId, sku.length + 1)) {
    return partitionOf(itemKeyOf(sku, warehouseId), partitionCount);
  }
  scratch[sku.length] = separatorCode;
  return partitionOfBytes(scratch, partitionCount, sku.length + 1 + warehouseId.length);
}

function partitionOfBytes(bytes: Uint8Array, partitionCount: number, length = bytes.length) {
  return toPositive(murmur2(bytes, length)) % partitionCount;
}

/** Copies ASCII text into the scratch buffer at `offset`; false if it is not all ASCII. */
function copyAscii(text: string, offset: number): boolean {
  const end = offset + text.length;
  if (end > scratch.length) {
    const grown = new Uint8Array(end * 2);
    grown.set(scratch.subarray(0, offset));
    scratch = grown;
  }
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) return false;
    scratch[offset + i] = code;
  }
  return true;
}

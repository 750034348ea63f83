import { crc32 } from 'node:zlib';
import { DataDamagedError } from './data-damage.ts';

/**
 * The integrity check of stored records (write-ahead records, log chunks, snapshots): a CRC-32
 * (zlib's, hardware-assisted) of every byte after the checksum field, stored little-endian right
 * after the record's format tag. Each codec documents its own layout.
 */
export const checksumBytes = 4;

/** Writes the checksum of `record.subarray(at + 4)` at `at`. */
export function sealChecksum(record: Uint8Array, at: number): void {
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
  view.setUint32(at, crc32(record.subarray(at + checksumBytes)), true);
}

/** DATA_DAMAGED naming `where` unless the checksum at `at` matches the bytes after it. */
export function verifyChecksum(record: Uint8Array, at: number, where: string): void {
  if (record.byteLength < at + checksumBytes) {
    throw new DataDamagedError(`${where} is cut short (${record.byteLength} bytes)`);
  }
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
  const stored = view.getUint32(at, true);
  const computed = crc32(record.subarray(at + checksumBytes));
  if (stored !== computed) {
    throw new DataDamagedError(
      `${where} fails its checksum (stored ${hex(stored)}, its bytes give ${hex(computed)})`,
    );
  }
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}

/** How DATA_DAMAGED messages name a stored record: its file, database and key. */
export function recordPlace(file: string, database: string, what: string): string {
  return `${file}: ${what} (database ${database})`;
}

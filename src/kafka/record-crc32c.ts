import { createRequire } from 'node:module';
import { preloadModule } from './module-cache.ts';

/**
 * CRC-32C (Castagnoli), the checksum of every Kafka record batch produced and fetched: by the
 * processor's own instruction (SSE 4.2, ARMv8) through @node-rs/crc32 — 8–13 GB/s here — or,
 * where that native module does not load, eight bytes per step in JavaScript ("slicing-by-8":
 * eight lookup tables, one per byte position; ~1.4 GB/s), both instead of kafkajs 2.2.4's one
 * byte per step. The same values (a test holds both to a bitwise reference and to kafkajs's
 * own); put in kafkajs's module cache before kafkajs loads, as producer-grouping-fix.ts does, by
 * kafka-client.ts. (The JavaScript one was a tenth of the relay's thread under the Kafka load.)
 */
const polynomial = 0x82f63b78; // reflected

const tables: Int32Array[] = [];
{
  const first = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ polynomial : c >>> 1;
    first[n] = c;
  }
  tables.push(first);
  for (let t = 1; t < 8; t++) {
    const previous = tables[t - 1]!;
    const table = new Int32Array(256);
    for (let n = 0; n < 256; n++) table[n] = (previous[n]! >>> 8) ^ first[previous[n]! & 0xff]!;
    tables.push(table);
  }
}
const [t0, t1, t2, t3, t4, t5, t6, t7] = tables as [
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
];

export function crc32cSliced(bytes: Uint8Array): number {
  let crc = -1;
  let i = 0;
  const whole = bytes.length - 7;
  for (; i < whole; i += 8) {
    const low =
      crc ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
    crc =
      t7[low & 0xff]! ^
      t6[(low >>> 8) & 0xff]! ^
      t5[(low >>> 16) & 0xff]! ^
      t4[low >>> 24]! ^
      t3[bytes[i + 4]!]! ^
      t2[bytes[i + 5]!]! ^
      t1[bytes[i + 6]!]! ^
      t0[bytes[i + 7]!]!;
  }
  for (; i < bytes.length; i++) crc = t0[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

const require = createRequire(import.meta.url);

type NativeCrc32c = (input: Buffer, initialState?: number) => number;
const native = ((): NativeCrc32c | undefined => {
  try {
    return (require('@node-rs/crc32') as { crc32c: NativeCrc32c }).crc32c;
  } catch {
    return undefined; // no build for this platform: the JavaScript one serves
  }
})();

export const crc32c: (bytes: Uint8Array) => number =
  native === undefined
    ? crc32cSliced
    : (bytes) =>
        native(
          Buffer.isBuffer(bytes)
            ? bytes
            : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length),
        );

/** Whether record batches are checksummed by the processor's instruction (else JavaScript). */
export const crc32cNative = native !== undefined;

const crc32cPath = require.resolve('kafkajs/src/protocol/recordBatch/crc32C/crc32C.js');

preloadModule(crc32cPath, crc32c);

/** Whether kafkajs, in this thread, checksums record batches with the function above. */
export function crc32cFixed(): boolean {
  return require(crc32cPath) === crc32c;
}

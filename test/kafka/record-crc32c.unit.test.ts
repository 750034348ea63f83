import { describe, expect, it } from 'vitest';
import { crc32c, crc32cNative, crc32cSliced } from '../../src/kafka/record-crc32c.ts';

/** CRC-32C bit by bit: the definition, slow and obviously right. */
function bitwise(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('CRC-32C of record batches', () => {
  it('is taken by the processor on the machines stockd runs on', () => {
    expect(crc32cNative).toBe(true);
  });

  for (const [name, checksum] of [
    ['native', crc32c],
    ['sliced', crc32cSliced],
  ] as const) {
    it(`(${name}) gives the check value of the standard test string`, () => {
      expect(checksum(Buffer.from('123456789'))).toBe(0xe3069283);
      expect(checksum(new Uint8Array())).toBe(0);
    });
  }

  it('agrees with the bitwise definition at every length around its 8-byte step', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) >>> 0;
      return seed >>> 24;
    };
    for (const length of [...Array.from({ length: 40 }, (_, i) => i), 255, 1_000, 4_097]) {
      const bytes = Uint8Array.from({ length }, random);
      for (const checksum of [crc32c, crc32cSliced]) {
        expect(checksum(bytes), `length ${length}`).toBe(bitwise(bytes));
        // A view into a larger buffer, as kafkajs passes encoders' slices.
        const inside = Buffer.concat([Buffer.from([1, 2, 3]), bytes]).subarray(3);
        expect(checksum(inside)).toBe(bitwise(bytes));
      }
    }
  });
});

import { Packr, Unpackr } from 'msgpackr';

/**
 * MessagePack that keeps integers integers. msgpackr writes a JavaScript number as an integer
 * only while it fits 32 bits; above that (epoch milliseconds, large totals) it writes a float64
 * (0xcb), which other readers — Python's msgpack, kcat — show as `1796107505446.0`. Handing it
 * BigInts instead costs a copy of every value; so stockd packs as usual and then rewrites, in
 * place, every float64 that holds a safe integer as a uint64 (0xcf) or, negative, an int64
 * (0xd3): the same 9 bytes, nothing moves.
 *
 *   pack(value) ──► … 0xcb [f64 1796107505446] … ──► … 0xcf [u64 1796107505446] …
 *
 * Reading, int64 and uint64 become numbers when they are safe integers and BigInts beyond
 * (`int64AsType: 'auto'`), which no field of stockd's ever is: a reader's check then refuses
 * them instead of rounding them silently.
 */

// Plain MessagePack maps that any reader decodes: no msgpackr record extension.
const packr = new Packr({ useRecords: false });
// Untrusted input: plain maps become plain objects, structures never carry over between messages.
// 'auto' is msgpackr's (unpack.js) but missing from its type declarations.
const int64AsType = 'auto' as 'number';
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType });

const float64 = 0xcb;
const uint64 = 0xcf;
const int64 = 0xd3;
const twoTo32 = 0x1_0000_0000;

export function packWithIntegers(value: unknown): Buffer {
  const bytes = packr.pack(value);
  rewriteIntegralFloats(bytes);
  return bytes;
}

export function unpackWithIntegers(bytes: Uint8Array): unknown {
  return unpackr.unpack(bytes);
}

/** Walks the tokens of a MessagePack value; every float64 holding a safe integer becomes one. */
function rewriteIntegralFloats(bytes: Buffer): void {
  let at = 0;
  while (at < bytes.length) {
    const type = bytes[at]!;
    if (type === float64) {
      const value = bytes.readDoubleBE(at + 1);
      if (Number.isSafeInteger(value)) {
        // High and low 32 bits, two's complement for a negative value (its high half < 0).
        const high = Math.floor(value / twoTo32);
        bytes[at] = value < 0 ? int64 : uint64;
        bytes.writeInt32BE(high, at + 1);
        bytes.writeUInt32BE(value - high * twoTo32, at + 5);
      }
    }
    at += tokenBytes(bytes, at, type);
  }
}

/**
 * Bytes of the token at `at`: its header and, for scalars, strings, binaries and extensions,
 * its payload. A map's or array's elements follow its header as tokens of their own.
 */
function tokenBytes(bytes: Buffer, at: number, type: number): number {
  if (type <= 0x7f || type >= 0xe0) return 1; // positive and negative fixint
  if (type <= 0x9f) return 1; // fixmap, fixarray
  if (type <= 0xbf) return 1 + (type & 0x1f); // fixstr
  switch (type) {
    case 0xc0: // nil, false, true
    case 0xc2:
    case 0xc3:
      return 1;
    case 0xc4: // bin 8, str 8
    case 0xd9:
      return 2 + bytes[at + 1]!;
    case 0xc5: // bin 16, str 16
    case 0xda:
      return 3 + bytes.readUInt16BE(at + 1);
    case 0xc6: // bin 32, str 32
    case 0xdb:
      return 5 + bytes.readUInt32BE(at + 1);
    case 0xc7: // ext 8, 16, 32: length, type, data
      return 3 + bytes[at + 1]!;
    case 0xc8:
      return 4 + bytes.readUInt16BE(at + 1);
    case 0xc9:
      return 6 + bytes.readUInt32BE(at + 1);
    case 0xca: // float 32, 64
      return 5;
    case 0xcb:
      return 9;
    case 0xcc: // uint 8, 16, 32, 64; int 8, 16, 32, 64
    case 0xd0:
      return 2;
    case 0xcd:
    case 0xd1:
      return 3;
    case 0xce:
    case 0xd2:
      return 5;
    case 0xcf:
    case 0xd3:
      return 9;
    case 0xd4: // fixext 1, 2, 4, 8, 16: type, data
      return 3;
    case 0xd5:
      return 4;
    case 0xd6:
      return 6;
    case 0xd7:
      return 10;
    case 0xd8:
      return 18;
    case 0xdc: // array 16, 32; map 16, 32
    case 0xde:
      return 3;
    case 0xdd:
    case 0xdf:
      return 5;
    default:
      // 0xc1 is never used: msgpackr does not write it.
      throw new RangeError(`not a MessagePack type byte: 0x${type.toString(16)} at ${at}`);
  }
}

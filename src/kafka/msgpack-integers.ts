import { Packr, Unpackr } from 'msgpackr';

/**
 * MessagePack that keeps integers integers. msgpackr writes a JavaScript number as an integer
 * only while it fits 32 bits; above that (epoch milliseconds, large totals) it writes a float64
 * (0xcb), which other readers — Python's msgpack, kcat — show as `1796107505446.0`. It writes a
 * BigInt as int64 (0xd3) or uint64 (0xcf), so every integer outside the 32-bit range becomes a
 * BigInt just before packing. Non-integral numbers stay float64.
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

const int32Min = -0x8000_0000;
const uint32Max = 0xffff_ffff;

export function packWithIntegers(value: unknown): Buffer {
  return packr.pack(withWideIntegers(value));
}

export function unpackWithIntegers(bytes: Uint8Array): unknown {
  return unpackr.unpack(bytes);
}

/** A copy in which every integer outside 32 bits is a BigInt; only plain maps and arrays. */
function withWideIntegers(value: unknown): unknown {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && (value > uint32Max || value < int32Min)
      ? BigInt(value)
      : value;
  }
  if (Array.isArray(value)) return value.map(withWideIntegers);
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) copy[key] = withWideIntegers(field);
  return copy;
}

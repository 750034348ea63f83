import { assert } from '../domain/assert.ts';

/** Byte by byte for the short strings of events (a native copy costs more than it copies). */
export function copyBytes(
  from: Buffer,
  start: number,
  length: number,
  to: Buffer,
  at: number,
): void {
  if (length > 64) {
    from.copy(to, at, start, start + length);
    return;
  }
  for (let i = 0; i < length; i++) to[at + i] = from[start + i]!;
}

const twoTo32 = 0x1_0000_0000;
const chunkBytes = 256 * 1024;

/**
 * Writes MessagePack maps one after another into a chunk of memory, each returned as a view of
 * its own bytes: one allocation per map (the view), not a buffer and its accessors per map.
 * Encodings are msgpackr's — every map a map 16, strings by their UTF-8 length, integers at
 * their smallest — with integers above 32 bits as uint64 / int64 (msgpack-integers.ts). Room
 * for a whole map is reserved when it begins: a map never spans two chunks. Fields whose value
 * is a map: `mapField` … its fields … `endMap`.
 */
export class MessagePackWriter {
  #bytes = Buffer.allocUnsafeSlow(0);
  #view = new DataView(this.#bytes.buffer);
  #start = 0;
  #at = 0;
  #fields = 0;

  /** Starts a map of at most `bytesMax` bytes. */
  begin(bytesMax: number): this {
    this.#reserve(bytesMax);
    this.#start = this.#at;
    this.#bytes[this.#at] = 0xde;
    this.#at += 3;
    this.#fields = 0;
    return this;
  }

  /** A field whose value is a map of the fields written until `endMap` of what this returns. */
  mapField(key: Uint8Array): { at: number; outerFields: number } {
    this.#key(key);
    const opened = { at: this.#at, outerFields: this.#fields };
    this.#bytes[this.#at] = 0xde;
    this.#at += 3;
    this.#fields = 0;
    return opened;
  }

  endMap(opened: { at: number; outerFields: number }): void {
    this.#view.setUint16(opened.at + 1, this.#fields);
    this.#fields = opened.outerFields;
  }

  boolean(key: Uint8Array, value: boolean): void {
    this.#key(key);
    this.#bytes[this.#at++] = value ? 0xc3 : 0xc2;
  }

  number(key: Uint8Array, value: number): void {
    this.#key(key);
    const bytes = this.#bytes;
    const view = this.#view;
    const at = this.#at;
    if (!Number.isSafeInteger(value)) {
      bytes[at] = 0xcb;
      view.setFloat64(at + 1, value);
      this.#at = at + 9;
    } else if (value >= 0) {
      if (value < 0x80) {
        bytes[at] = value;
        this.#at = at + 1;
      } else if (value < 0x100) {
        bytes[at] = 0xcc;
        bytes[at + 1] = value;
        this.#at = at + 2;
      } else if (value < 0x10000) {
        bytes[at] = 0xcd;
        view.setUint16(at + 1, value);
        this.#at = at + 3;
      } else if (value < twoTo32) {
        bytes[at] = 0xce;
        view.setUint32(at + 1, value);
        this.#at = at + 5;
      } else {
        bytes[at] = 0xcf;
        view.setUint32(at + 1, Math.floor(value / twoTo32));
        view.setUint32(at + 5, value % twoTo32);
        this.#at = at + 9;
      }
    } else if (value >= -0x20) {
      bytes[at] = value & 0xff;
      this.#at = at + 1;
    } else if (value >= -0x80) {
      bytes[at] = 0xd0;
      view.setInt8(at + 1, value);
      this.#at = at + 2;
    } else if (value >= -0x8000) {
      bytes[at] = 0xd1;
      view.setInt16(at + 1, value);
      this.#at = at + 3;
    } else if (value >= -0x8000_0000) {
      bytes[at] = 0xd2;
      view.setInt32(at + 1, value);
      this.#at = at + 5;
    } else {
      // Two's complement: the high half is negative, the low half what remains.
      const high = Math.floor(value / twoTo32);
      bytes[at] = 0xd3;
      view.setInt32(at + 1, high);
      view.setUint32(at + 5, value - high * twoTo32);
      this.#at = at + 9;
    }
  }

  string(key: Uint8Array, value: string): void {
    this.#key(key);
    const bytes = this.#bytes;
    const units = value.length;
    let ascii = true;
    for (let i = 0; i < units && ascii; i++) ascii = value.charCodeAt(i) < 0x80;
    const length = ascii ? units : Buffer.byteLength(value, 'utf8');
    this.#stringHeader(length);
    const at = this.#at;
    if (ascii) for (let i = 0; i < units; i++) bytes[at + i] = value.charCodeAt(i);
    else bytes.write(value, at, 'utf8');
    this.#at = at + length;
  }

  /** Room for `bytes` more: a new chunk when this one has not. */
  #reserve(bytes: number): void {
    if (this.#bytes.length - this.#at >= bytes) return;
    this.#bytes = Buffer.allocUnsafeSlow(Math.max(chunkBytes, bytes));
    this.#view = new DataView(this.#bytes.buffer);
    this.#at = 0;
  }

  #stringHeader(length: number): void {
    // Validation bounds every string of an event and a result far below a str 32.
    assert(length < 0x10000, 'a string written here fits a str 16');
    const bytes = this.#bytes;
    let at = this.#at;
    if (length < 32) {
      bytes[at++] = 0xa0 | length;
    } else if (length < 0x100) {
      bytes[at++] = 0xd9;
      bytes[at++] = length;
    } else {
      bytes[at] = 0xda;
      this.#view.setUint16(at + 1, length);
      at += 3;
    }
    this.#at = at;
  }

  /**
   * A string field whose UTF-8 is in `frame` behind a u16 little-endian length at `at`; none
   * when `at` is -1 (an absent optional field).
   */
  copiedString(key: Uint8Array, frame: Buffer, view: DataView, at: number): void {
    if (at < 0) return;
    this.#key(key);
    const length = view.getUint16(at, true);
    this.#stringHeader(length);
    copyBytes(frame, at + 2, length, this.#bytes, this.#at);
    this.#at += length;
  }

  /** A field whose value is already MessagePack (a fixstr of typeStrings, statusStrings). */
  raw(key: Uint8Array, value: Uint8Array): void {
    this.#key(key);
    this.#copy(value);
  }

  /** A number field, the f64 little-endian at `at` of `view`; none when `at` is -1. */
  copiedNumber(key: Uint8Array, view: DataView, at: number): void {
    if (at >= 0) this.number(key, view.getFloat64(at, true));
  }

  /** `length` bytes of the chunk, after the map just finished, to fill in. */
  bytes(length: number): Buffer {
    this.#reserve(length);
    const bytes = this.#bytes.subarray(this.#at, this.#at + length);
    this.#at += length;
    return bytes;
  }

  finish(): Buffer {
    this.#view.setUint16(this.#start + 1, this.#fields);
    return this.#bytes.subarray(this.#start, this.#at);
  }

  #key(key: Uint8Array): void {
    this.#copy(key);
    this.#fields++;
  }

  /** Bytes that are MessagePack already, into room reserved before. */
  #copy(encoded: Uint8Array): void {
    const bytes = this.#bytes;
    let at = this.#at;
    for (let i = 0; i < encoded.length; i++) bytes[at++] = encoded[i]!;
    this.#at = at;
  }
}

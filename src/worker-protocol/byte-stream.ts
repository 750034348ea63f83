/**
 * Little-endian fields in a byte buffer, for the batch channel's hand-written parts
 * (answer-wire.ts): a writer that grows one reused buffer and hands out a copy of what it wrote,
 * and a reader over one message.
 */
export class ByteWriter {
  #bytes = new Uint8Array(64 * 1024);
  #view = new DataView(this.#bytes.buffer);
  #length = 0;

  get length(): number {
    return this.#length;
  }

  reset(): void {
    this.#length = 0;
  }

  /** What was written since the last reset, in memory of its own (it may be transferred). */
  copy(): Uint8Array {
    return this.#bytes.slice(0, this.#length);
  }

  u8(value: number): void {
    this.#room(1);
    this.#bytes[this.#length++] = value;
  }

  u32(value: number): void {
    this.#room(4);
    this.#view.setUint32(this.#length, value, true);
    this.#length += 4;
  }

  f64(value: number): void {
    this.#room(8);
    this.#view.setFloat64(this.#length, value, true);
    this.#length += 8;
  }

  bytes(value: Uint8Array): void {
    this.#room(value.byteLength);
    this.#bytes.set(value, this.#length);
    this.#length += value.byteLength;
  }

  /**
   * A string of at most 255 ASCII characters, length first; false (nothing written) for any
   * other: the caller writes it another way.
   */
  shortAscii(value: string): boolean {
    if (value.length > 255) return false;
    this.#room(1 + value.length);
    const bytes = this.#bytes;
    const start = this.#length;
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      if (code > 0x7f) return false;
      bytes[start + 1 + i] = code;
    }
    bytes[start] = value.length;
    this.#length = start + 1 + value.length;
    return true;
  }

  /** Goes back to `length` (a field that turned out not to fit its form). */
  rewind(length: number): void {
    this.#length = length;
  }

  #room(extra: number): void {
    if (this.#length + extra <= this.#bytes.byteLength) return;
    let capacity = this.#bytes.byteLength * 2;
    while (capacity < this.#length + extra) capacity *= 2;
    const bytes = new Uint8Array(capacity);
    bytes.set(this.#bytes.subarray(0, this.#length));
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer);
  }
}

export class ByteReader {
  readonly #bytes: Buffer;
  readonly #view: DataView;
  #at = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  u8(): number {
    return this.#bytes[this.#at++]!;
  }

  u32(): number {
    const value = this.#view.getUint32(this.#at, true);
    this.#at += 4;
    return value;
  }

  f64(): number {
    const value = this.#view.getFloat64(this.#at, true);
    this.#at += 8;
    return value;
  }

  /** `length` bytes as a view (valid as long as the message's buffer). */
  bytes(length: number): Uint8Array {
    const view = this.#bytes.subarray(this.#at, this.#at + length);
    this.#at += length;
    return view;
  }

  /**
   * A ByteWriter's shortAscii. Up to 32 characters — ids and keys — one String.fromCharCode over
   * the codes copied into a reused array: a flat string in half the time of Buffer's latin1
   * decoding, a native call per string (and never a rope that concatenation would build).
   */
  shortAscii(): string {
    const bytes = this.#bytes;
    const length = bytes[this.#at]!;
    const start = this.#at + 1;
    this.#at = start + length;
    if (length > codesMax) return bytes.toString('latin1', start, this.#at);
    const codes = codeArrays[length]!;
    for (let i = 0; i < length; i++) codes[i] = bytes[start + i]!;
    return String.fromCharCode.apply(undefined, codes);
  }
}

const codesMax = 32;
/** One array per length: fromCharCode takes all of an array's elements. */
const codeArrays: number[][] = Array.from({ length: codesMax + 1 }, (_, n) =>
  new Array<number>(n).fill(0),
);

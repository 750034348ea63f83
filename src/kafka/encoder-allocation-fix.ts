import { createRequire } from 'node:module';

/**
 * kafkajs 2.2.4 gives every protocol Encoder a zero-filled buffer of its own (`Buffer.alloc`, 512
 * bytes at first) and grows one by allocating another: a new ArrayBuffer for every record and for
 * every header of every message produced — the relay's events, the consumer's results — each for
 * the GC to track and sweep; and it writes every varint (several per record) by building an array
 * of its bytes and copying that through a Buffer of its own. An Encoder only ever hands out the
 * bytes it wrote (`buffer` is `buf.slice(0, offset)`), so its memory needs no zero-fill: here it
 * comes from `Buffer.allocUnsafe`, which serves small sizes as slices of Node's shared pool, and
 * varints are written in place — the same bytes.
 *
 * kafkajs's modules take the Encoder class from its module when they are first required; this
 * module must be imported before anything imports `kafkajs` in a thread (kafka-client.ts imports
 * it first). If kafkajs got in first, it keeps its own — correct, only slower — and
 * `encoderAllocationFixed()` says so.
 */
const require = createRequire(import.meta.url);
const encoderPath = require.resolve('kafkajs/src/protocol/encoder.js');

interface EncoderInstance {
  buf: Buffer;
  offset: number;
  ensureAvailable(length: number): void;
}
type EncoderClass = (new (
  initialSize?: number,
) => EncoderInstance) & {
  nextPowerOfTwo(value: number): number;
};

function pooledEncoderOf(Encoder: EncoderClass): EncoderClass {
  return class PooledEncoder extends Encoder {
    constructor(initialSize = 511) {
      // The base allocates Buffer.alloc(1): a byte on the V8 heap, replaced at once.
      super(0);
      this.buf = Buffer.allocUnsafe(Encoder.nextPowerOfTwo(initialSize));
    }

    override ensureAvailable(length: number): void {
      if (this.offset + length <= this.buf.length) return;
      const grown = Buffer.allocUnsafe(Encoder.nextPowerOfTwo(this.offset + length));
      this.buf.copy(grown, 0, 0, this.offset);
      this.buf = grown;
    }

    /** kafkajs's LEB128 loop, byte for byte, into the buffer (writeVarInt comes here too). */
    writeUVarInt(value: number): this {
      this.ensureAvailable(5);
      const buf = this.buf;
      let rest = value;
      while ((rest & 0xffffff80) !== 0) {
        buf[this.offset++] = (rest & 0x7f) | 0x80;
        rest >>>= 7;
      }
      buf[this.offset++] = rest & 0x7f;
      return this;
    }
  } as EncoderClass;
}

// Not loaded yet: no kafkajs module holds the original class.
if (require.cache[encoderPath] === undefined) {
  const original = require(encoderPath) as EncoderClass;
  require.cache[encoderPath]!.exports = pooledEncoderOf(original);
}

/** Whether kafkajs's protocol, in this thread, encodes with the pooled Encoder. */
export function encoderAllocationFixed(): boolean {
  return (require(encoderPath) as { name: string }).name === 'PooledEncoder';
}

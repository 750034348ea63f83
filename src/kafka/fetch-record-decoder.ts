import { createRequire } from 'node:module';
import { preloadModule } from './module-cache.ts';

/**
 * kafkajs 2.2.4 decodes every fetched record's timestamp and offset with 64-bit `Long` objects:
 * the varlong delta byte by byte (two Longs per byte), the batch's first timestamp and offset
 * parsed from their strings again for every record, the sums turned back into strings — and
 * its headers folded with an object spread per header. On the command ingress thread that was a
 * fifth of all it allocated (heap sample of bench/kafka).
 *
 * The same record, read with plain numbers wherever they are exact (deltas of up to 49 bits,
 * first timestamps and offsets that are safe integers: every value Kafka gives in practice), and
 * with kafkajs's own Long arithmetic otherwise. Put in kafkajs's module cache before kafkajs
 * loads (by kafka-client.ts, as producer-grouping-fix.ts is): its record batch decoder takes the
 * record decoder once, when it is first required. If kafkajs got in first, it keeps its own —
 * the same records, only slower — and `fetchRecordsDecodedDirectly()` says so.
 */
const require = createRequire(import.meta.url);
const recordDecoderPath = require.resolve('kafkajs/src/protocol/recordBatch/record/v0/decoder.js');
const recordBatchDecoderPath = require.resolve('kafkajs/src/protocol/recordBatch/v0/decoder.js');
const Long = require('kafkajs/src/utils/long.js') as LongClass;
const TimestampTypes = require('kafkajs/src/protocol/timestampTypes.js') as {
  LOG_APPEND_TIME: number;
};
const HeaderDecoder = require('kafkajs/src/protocol/recordBatch/header/v0/decoder.js') as (
  decoder: Decoder,
) => { key: string; value: Buffer | null };

interface LongValue {
  add(other: LongValue | number): LongValue;
  toString(): string;
}
interface LongClass {
  fromValue(value: string | number): LongValue;
}

/** The part of kafkajs's protocol Decoder that a record is read with. */
interface Decoder {
  buffer: Buffer;
  offset: number;
  readInt8(): number;
  readVarInt(): number;
  readVarLong(): LongValue;
  readVarIntBytes(): Buffer | null;
}

interface BatchContext {
  readonly firstOffset: string;
  readonly firstTimestamp: string;
  readonly magicByte?: number;
  readonly isControlBatch?: boolean;
  readonly timestampType?: number;
  readonly maxTimestamp?: string;
}

/** 2^49: a varint of at most seven bytes stays an exact double. */
const exactVarLongLimit = 2 ** 49;

/**
 * A zigzag varlong as a number when it has at most seven bytes; undefined (the decoder where it
 * was) for a longer one, which kafkajs's readVarLong then reads.
 */
function readSmallVarLong(decoder: Decoder): number | undefined {
  const { buffer } = decoder;
  let at = decoder.offset;
  let value = 0;
  let scale = 1;
  let byte: number;
  do {
    if (scale === exactVarLongLimit) return undefined;
    byte = buffer[at++]!;
    value += (byte & 0x7f) * scale;
    scale *= 128;
  } while (byte >= 0x80);
  decoder.offset = at;
  return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
}

/** The first timestamp and offset of the batch being read, as numbers if they are exact. */
let numbersOf: BatchContext | undefined;
let firstTimestampNumber = Number.NaN;
let firstOffsetNumber = Number.NaN;

function batchNumbers(context: BatchContext): void {
  if (numbersOf === context) return;
  numbersOf = context;
  firstTimestampNumber = exactNumber(context.firstTimestamp);
  firstOffsetNumber = exactNumber(context.firstOffset);
}

function exactNumber(decimal: string): number {
  const value = Number(decimal);
  return Number.isSafeInteger(value) ? value : Number.NaN;
}

/** first + delta as kafkajs writes it: the decimal string of the 64-bit sum. */
function sumString(first: string, firstNumber: number, delta: number | LongValue): string {
  if (typeof delta === 'number' && !Number.isNaN(firstNumber)) {
    const sum = firstNumber + delta;
    if (Number.isSafeInteger(sum)) return String(sum);
  }
  return Long.fromValue(first).add(delta).toString();
}

type Headers = Record<string, Buffer | null | (Buffer | null)[]>;

/** Headers as kafkajs folds them: one value per key, an array for a key that repeats. */
function readHeaders(decoder: Decoder): Headers {
  const headers: Headers = {};
  const count = decoder.readVarInt();
  for (let i = 0; i < count; i++) {
    const { key, value } = HeaderDecoder(decoder);
    const previous = headers[key];
    const folded =
      previous === undefined
        ? value
        : Array.isArray(previous)
          ? previous.concat([value])
          : [previous, value];
    // An own property even for "__proto__", as kafkajs's computed key in a literal makes it.
    Object.defineProperty(headers, key, {
      value: folded,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return headers;
}

export function decodeRecord(decoder: Decoder, batchContext: BatchContext = {} as BatchContext) {
  const {
    firstOffset,
    firstTimestamp,
    magicByte,
    isControlBatch = false,
    timestampType,
    maxTimestamp,
  } = batchContext;
  batchNumbers(batchContext);
  const attributes = decoder.readInt8();
  const timestampDelta = readSmallVarLong(decoder) ?? decoder.readVarLong();
  const timestamp =
    timestampType === TimestampTypes.LOG_APPEND_TIME && maxTimestamp
      ? maxTimestamp
      : sumString(firstTimestamp, firstTimestampNumber, timestampDelta);
  const offsetDelta = decoder.readVarInt();
  const offset = sumString(firstOffset, firstOffsetNumber, offsetDelta);
  const key = decoder.readVarIntBytes();
  const value = decoder.readVarIntBytes();
  const headers = readHeaders(decoder);
  return {
    magicByte,
    attributes,
    timestamp,
    offset,
    key,
    value,
    headers,
    isControlRecord: isControlBatch,
    batchContext,
  };
}

// The batch decoder takes the record decoder when it is required: too late once it is loaded.
if (require.cache[recordBatchDecoderPath] === undefined) {
  preloadModule(recordDecoderPath, decodeRecord);
}

/** Whether kafkajs's fetch, in this thread, decodes records with `decodeRecord`. */
export function fetchRecordsDecodedDirectly(): boolean {
  return require(recordDecoderPath) === decodeRecord;
}

import { createRequire } from 'node:module';
import { assert } from '../domain/assert.ts';
import { encoderWithFrameRoom } from './request-framing-fix.ts';

/**
 * kafkajs 2.2.4 encodes a produce request as a tree of Encoders: one per record and one per
 * header of every record, each copied into the record batch, the batch into its partition, the
 * partition into its topic and the topic into the request; a record's timestamp delta goes
 * through two BigInt-backed Longs per varint, and its headers through an array of objects. For
 * the relay's events and the consumer's results that is most of what producing costs, and most of
 * the garbage that outlives the young generation (the request waits on the broker's answer).
 *
 * Here an uncompressed produce request (every produce stockd makes) is written into ONE buffer
 * of its exact size, with room before it for the request's frame (request-framing-fix.ts): each
 * record batch's size computed first, its records written straight into it, its CRC-32C taken
 * over them in place. The bytes are kafkajs's own, field for field (a test holds them to
 * kafkajs's encoding of the same requests); compressed requests still go through kafkajs's
 * code. Produce versions 4–7 are built on version 3's module, which is replaced in kafkajs's
 * module cache: kafka-client.ts imports this module before kafkajs builds any request.
 */
const require = createRequire(import.meta.url);
const requestPath = require.resolve('kafkajs/src/protocol/requests/produce/v3/request.js');
const noCompression: number = require('kafkajs/src/protocol/message/compression').Types.None;
const crc32C = require('kafkajs/src/protocol/recordBatch/crc32C/index.js') as (
  bytes: Buffer,
) => number;
const Long = require('kafkajs/src/utils/long.js') as { fromInt(value: number): unknown };

interface KafkaEncoder {
  buf: Buffer;
  offset: number;
  ensureAvailable(length: number): void;
  writeInt8(value: number): KafkaEncoder;
  writeInt16(value: number): KafkaEncoder;
  writeInt32(value: number): KafkaEncoder;
  writeUInt32(value: number): KafkaEncoder;
  writeInt64(value: unknown): KafkaEncoder;
  writeString(value: string | null): KafkaEncoder;
}
type EncoderClass = new (initialSize?: number) => KafkaEncoder;

type HeaderValue = Buffer | string;
interface ProducedMessage {
  readonly key?: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly timestamp?: string | number | null;
  readonly headers?: Record<string, HeaderValue | HeaderValue[] | undefined>;
}
interface PartitionData {
  readonly partition: number;
  readonly messages: readonly ProducedMessage[];
  readonly firstSequence?: number;
}
interface TopicData {
  readonly topic: string;
  readonly partitions: readonly PartitionData[];
}
interface ProduceRequestArguments {
  readonly acks: number;
  readonly timeout: number;
  readonly transactionalId?: string | null;
  readonly producerId?: unknown;
  readonly producerEpoch?: number;
  readonly compression?: number;
  readonly topicData: readonly TopicData[];
}
interface ProduceRequest {
  apiVersion: number;
  encode(): Promise<KafkaEncoder>;
}
type ProduceRequestModule = (args: ProduceRequestArguments) => ProduceRequest;

const magicByte = 2;
const transactionalMask = 16;
/** A record batch's bytes after its records' count field: attributes … firstSequence. */
const batchHeaderBytes = 2 + 4 + 8 + 8 + 8 + 2 + 4;
/** partitionLeaderEpoch, magic, CRC, the header above and the records' count. */
const batchFixedBytes = 4 + 1 + 4 + batchHeaderBytes + 4;

/** Bytes of a zigzag varint of a 32-bit value (kafkajs's Encoder.sizeOfVarInt). */
function sizeOfVarInt(value: number): number {
  let encoded = (value << 1) ^ (value >> 31);
  let bytes = 1;
  while ((encoded & 0xffffff80) !== 0) {
    bytes++;
    encoded >>>= 7;
  }
  return bytes;
}

/** Zigzag of a safe integer as a Number (kafkajs's 64-bit zigzag, without Longs). */
const zigzag64 = (value: number) => (value >= 0 ? value * 2 : -value * 2 - 1);

function sizeOfVarLong(value: number): number {
  let rest = zigzag64(value);
  let bytes = 1;
  while (rest >= 128) {
    bytes++;
    rest = Math.floor(rest / 128);
  }
  return bytes;
}

/** A safe integer's zigzag varint, in place (room ensured by the caller). */
function putVarLong(encoder: KafkaEncoder, value: number): void {
  const { buf } = encoder;
  let rest = zigzag64(value);
  while (rest >= 128) {
    buf[encoder.offset++] = (rest % 128) | 0x80;
    rest = Math.floor(rest / 128);
  }
  buf[encoder.offset++] = rest;
}

/** Zigzag varint of a 32-bit value, in place (room ensured by the caller). */
function putVarInt(encoder: KafkaEncoder, value: number): void {
  const { buf } = encoder;
  let rest = ((value << 1) ^ (value >> 31)) >>> 0;
  while ((rest & 0xffffff80) !== 0) {
    buf[encoder.offset++] = (rest & 0x7f) | 0x80;
    rest >>>= 7;
  }
  buf[encoder.offset++] = rest;
}

/** kafkajs's varint|bytes: -1 for null, raw bytes for a Buffer, UTF-8 of anything else. */
function sizeOfVarIntBytes(value: Buffer | string | null | undefined): number {
  if (value == null) return 1;
  const size = Buffer.isBuffer(value) ? value.length : Buffer.byteLength(value);
  return sizeOfVarInt(size) + size;
}

function putVarIntBytes(encoder: KafkaEncoder, value: Buffer | string | null | undefined): void {
  if (value == null) {
    putVarInt(encoder, -1);
    return;
  }
  if (Buffer.isBuffer(value)) {
    putVarInt(encoder, value.length);
    value.copy(encoder.buf, encoder.offset);
    encoder.offset += value.length;
    return;
  }
  const text = String(value);
  const size = Buffer.byteLength(text, 'utf8');
  putVarInt(encoder, size);
  encoder.buf.write(text, encoder.offset, size, 'utf8');
  encoder.offset += size;
}

/**
 * A record's headers, encoded (count, then key|value pairs), as kafkajs's Record does: an array
 * value is one header per element. A frozen headers object (the relay shares one across every
 * event) is encoded once.
 */
const frozenHeaders = new WeakMap<object, Buffer>();
function encodedHeaders(headers: NonNullable<ProducedMessage['headers']>): Buffer {
  const cached = frozenHeaders.get(headers);
  if (cached !== undefined) return cached;
  const pairs: [string, HeaderValue][] = [];
  for (const key of Object.keys(headers)) {
    const value = headers[key]!;
    if (Array.isArray(value)) for (const each of value) pairs.push([key, each]);
    else pairs.push([key, value]);
  }
  let bytes = sizeOfVarInt(pairs.length);
  for (const [key, value] of pairs) {
    bytes += sizeOfVarIntBytes(key) + sizeOfVarIntBytes(value);
  }
  const scratch = { buf: Buffer.allocUnsafe(bytes), offset: 0 } as KafkaEncoder;
  putVarInt(scratch, pairs.length);
  for (const [key, value] of pairs) {
    putVarIntBytes(scratch, key);
    putVarIntBytes(scratch, value);
  }
  if (Object.isFrozen(headers)) frozenHeaders.set(headers, scratch.buf);
  return scratch.buf;
}

const noHeaders = encodedHeaders({});

/** kafkajs's Record, v0: attributes, timestamp and offset deltas, key, value, headers. */
function recordBodyBytes(
  message: ProducedMessage,
  timestampDelta: number,
  offsetDelta: number,
  headers: Buffer,
): number {
  return (
    1 +
    sizeOfVarLong(timestampDelta) +
    sizeOfVarInt(offsetDelta) +
    sizeOfVarIntBytes(message.key) +
    sizeOfVarIntBytes(message.value) +
    headers.length
  );
}

interface BatchContext {
  readonly transactional: boolean;
  readonly producerId: unknown;
  readonly producerEpoch: number;
}

/** One partition's record batch, measured: what writePartition writes, and its size. */
interface PartitionPlan {
  readonly data: PartitionData;
  readonly firstTimestamp: number | string;
  readonly maxTimestamp: number | string;
  readonly deltas: Float64Array;
  readonly headers: readonly Buffer[];
  readonly bodies: Int32Array;
  readonly batchBytes: number;
}

/**
 * Measures one partition's record batch; undefined when a timestamp delta is not a safe integer
 * (a timestamp that is not one): kafkajs's Long arithmetic encodes the request then.
 */
function planPartition(data: PartitionData): PartitionPlan | undefined {
  const { messages } = data;
  const dateNow = Date.now();
  // As kafkajs: the messages' own timestamps sorted (as strings, Array#sort's default), or now.
  const timestamps = messages
    .map((message) => message.timestamp)
    .filter((timestamp) => timestamp != null)
    .sort();
  const firstTimestamp = timestamps.length === 0 ? dateNow : timestamps[0]!;
  const maxTimestamp = timestamps.length === 0 ? dateNow : timestamps.at(-1)!;
  const deltas = new Float64Array(messages.length);
  const headers = new Array<Buffer>(messages.length);
  const bodies = new Int32Array(messages.length);
  let recordsBytes = 0;
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    deltas[i] = Number(message.timestamp || dateNow) - Number(firstTimestamp);
    if (!Number.isSafeInteger(deltas[i])) return undefined;
    headers[i] = message.headers === undefined ? noHeaders : encodedHeaders(message.headers);
    bodies[i] = recordBodyBytes(message, deltas[i]!, i, headers[i]!);
    recordsBytes += sizeOfVarInt(bodies[i]!) + bodies[i]!;
  }
  const batchBytes = batchFixedBytes + recordsBytes;
  return { data, firstTimestamp, maxTimestamp, deltas, headers, bodies, batchBytes };
}

/** Bytes of a partition's data: partition, record set size, firstOffset, length, batch. */
const partitionBytes = (plan: PartitionPlan) => 4 + 4 + 8 + 4 + plan.batchBytes;

/** Bytes of kafkajs's writeString: an int16 length (-1 for null), then UTF-8. */
const stringBytes = (value: string | null) =>
  2 + (value === null ? 0 : Buffer.byteLength(value, 'utf8'));

/** One partition's data, as kafkajs's, into room the caller made. */
function writePartition(encoder: KafkaEncoder, plan: PartitionPlan, context: BatchContext): void {
  const { data, deltas, headers, bodies, batchBytes } = plan;
  const { messages } = data;
  encoder.writeInt32(data.partition);
  encoder.writeInt32(8 + 4 + batchBytes); // the record set: firstOffset, length, batch
  encoder.writeInt64(Long.fromInt(0));
  encoder.writeInt32(batchBytes);
  encoder.writeInt32(0); // partitionLeaderEpoch
  encoder.writeInt8(magicByte);
  const crcAt = encoder.offset;
  encoder.writeUInt32(0);
  const checkedFrom = encoder.offset;
  encoder.writeInt16(context.transactional ? transactionalMask : 0);
  encoder.writeInt32(messages.length - 1); // lastOffsetDelta
  encoder.writeInt64(plan.firstTimestamp);
  encoder.writeInt64(plan.maxTimestamp);
  encoder.writeInt64(context.producerId);
  encoder.writeInt16(context.producerEpoch);
  encoder.writeInt32(data.firstSequence === undefined ? 0 : data.firstSequence);
  encoder.writeInt32(messages.length);
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    putVarInt(encoder, bodies[i]!);
    encoder.buf[encoder.offset++] = 0; // attributes
    putVarLong(encoder, deltas[i]!);
    putVarInt(encoder, i);
    putVarIntBytes(encoder, message.key);
    putVarIntBytes(encoder, message.value);
    headers[i]!.copy(encoder.buf, encoder.offset);
    encoder.offset += headers[i]!.length;
  }
  const crc = crc32C(encoder.buf.subarray(checkedFrom, encoder.offset));
  encoder.buf.writeUInt32BE(crc, crcAt);
}

function produceRequestOf(original: ProduceRequestModule, Encoder: EncoderClass) {
  return (args: ProduceRequestArguments): ProduceRequest => {
    const request = original(args);
    const compression = args.compression ?? noCompression;
    if (compression !== noCompression) return request;
    // kafkajs's defaults, for what is undefined.
    const transactionalId = args.transactionalId === undefined ? null : args.transactionalId;
    const context: BatchContext = {
      transactional: !!transactionalId,
      producerId: args.producerId === undefined ? Long.fromInt(-1) : args.producerId,
      producerEpoch: args.producerEpoch === undefined ? 0 : args.producerEpoch,
    };
    const encodeAsKafkajs = request.encode;
    request.encode = async () => {
      let bytes = stringBytes(transactionalId) + 2 + 4 + 4;
      const topics: { topic: string; plans: PartitionPlan[] }[] = [];
      for (const { topic, partitions } of args.topicData) {
        const plans: PartitionPlan[] = [];
        bytes += stringBytes(topic) + 4;
        for (const partition of partitions) {
          const plan = planPartition(partition);
          if (plan === undefined) return encodeAsKafkajs();
          plans.push(plan);
          bytes += partitionBytes(plan);
        }
        topics.push({ topic, plans });
      }
      // One buffer of the request's size, its frame's room before it: nothing grows, nothing
      // is copied.
      const encoder = encoderWithFrameRoom(Encoder, bytes);
      encoder
        .writeString(transactionalId)
        .writeInt16(args.acks)
        .writeInt32(args.timeout)
        .writeInt32(topics.length);
      for (const { topic, plans } of topics) {
        encoder.writeString(topic).writeInt32(plans.length);
        for (const plan of plans) writePartition(encoder, plan, context);
      }
      assert(encoder.offset === bytes, 'a produce request fills the size it measured');
      return encoder;
    };
    return request;
  };
}

// Versions 4–7 take version 3's function when kafkajs first builds a produce request: before
// that, the replacement is what they get; after, kafkajs keeps its own.
const laterVersions = [4, 5, 6, 7].map((version) =>
  require.resolve(`kafkajs/src/protocol/requests/produce/v${version}/request.js`),
);
const original = require(requestPath) as ProduceRequestModule & { writtenDirectly?: true };
if (original.writtenDirectly !== true && laterVersions.every((path) => !require.cache[path])) {
  const Encoder = require('kafkajs/src/protocol/encoder.js') as EncoderClass;
  const replacement = Object.assign(produceRequestOf(original, Encoder), {
    writtenDirectly: true as const,
  });
  require.cache[requestPath]!.exports = replacement;
}

/** Whether kafkajs's produce requests, in this thread, are written by this module. */
export function produceRequestWrittenDirectly(): boolean {
  return (require(requestPath) as { writtenDirectly?: true }).writtenDirectly === true;
}

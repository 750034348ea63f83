import { createRequire } from 'node:module';

/**
 * kafkajs 2.2.4 frames every request (protocol/request.js) by copying its payload twice — into
 * an Encoder after the header, then into another after the size — each Encoder growing from
 * 512 bytes by doubling: for a produce request of 100 kB, some ten buffers and 300 kB copied,
 * most of them new ArrayBuffers outside the heap, which the relay's and the command consumer's
 * threads then collect with full GCs. Here the frame is one buffer of its exact size and the
 * payload is copied once — or not at all, when the payload was written behind room left for
 * its frame (`encoderWithFrameRoom`: the produce requests): the same bytes.
 *
 * kafkajs's connection module takes the function from its module when it is first required;
 * kafka-client.ts imports this module before anything imports `kafkajs` in a thread.
 */
const require = createRequire(import.meta.url);
const requestPath = require.resolve('kafkajs/src/protocol/request.js');

interface KafkaEncoder {
  buf: Buffer;
  offset: number;
  readonly buffer: Buffer;
  writeInt16(value: number): KafkaEncoder;
  writeInt32(value: number): KafkaEncoder;
  writeString(value: string | null): KafkaEncoder;
}
type EncoderClass = new (initialSize?: number) => KafkaEncoder;

interface RequestArguments {
  readonly correlationId: number;
  readonly clientId: string | null | undefined;
  readonly request: {
    readonly apiKey: number;
    readonly apiVersion: number;
    encode(): Promise<KafkaEncoder> | KafkaEncoder;
  };
}

/** Room before a payload for its frame: size, apiKey, apiVersion, correlationId, clientId. */
const frameRoomBytes = 128;

/** Where an encoder of `encoderWithFrameRoom` has its room: the room and the payload after it. */
const frameRooms = new WeakMap<object, Buffer>();

/**
 * An encoder of `bytes` whose buffer has room before it for the request's frame: framed, the
 * payload is not copied. (Client ids of up to 114 bytes fit; a longer one is framed by a copy.)
 */
export function encoderWithFrameRoom<E extends { buf: Buffer }>(
  Encoder: new (initialSize?: number) => E,
  bytes: number,
): E {
  const whole = Buffer.allocUnsafe(frameRoomBytes + bytes);
  const encoder = new Encoder(0);
  encoder.buf = whole.subarray(frameRoomBytes);
  frameRooms.set(encoder, whole);
  return encoder;
}

function framedRequestOf(Encoder: EncoderClass) {
  return async ({ correlationId, clientId, request }: RequestArguments): Promise<KafkaEncoder> => {
    const encoded = await request.encode();
    const payload = encoded.buffer;
    // apiKey, apiVersion, correlationId, clientId (an int16 length, -1 for null, then UTF-8)
    const headerBytes =
      2 + 2 + 4 + 2 + (clientId == null ? 0 : Buffer.byteLength(clientId, 'utf8'));
    const frame = new Encoder(0);
    const room = frameRooms.get(encoded);
    const inPlace = room !== undefined && 4 + headerBytes <= frameRoomBytes;
    frame.buf = inPlace
      ? room.subarray(frameRoomBytes - 4 - headerBytes, frameRoomBytes + payload.length)
      : Buffer.allocUnsafe(4 + headerBytes + payload.length);
    frame
      .writeInt32(headerBytes + payload.length)
      .writeInt16(request.apiKey)
      .writeInt16(request.apiVersion)
      .writeInt32(correlationId)
      .writeString(clientId ?? null);
    if (!inPlace) payload.copy(frame.buf, frame.offset);
    frame.offset += payload.length;
    return frame;
  };
}

// Not loaded yet: no kafkajs module holds the original function.
if (require.cache[requestPath] === undefined) {
  const Encoder = require('kafkajs/src/protocol/encoder.js') as EncoderClass;
  require(requestPath);
  require.cache[requestPath]!.exports = Object.assign(framedRequestOf(Encoder), {
    framedOnce: true as const,
  });
}

/** Whether kafkajs's requests, in this thread, are framed by this module. */
export function requestFramedOnce(): boolean {
  return (require(requestPath) as { framedOnce?: true }).framedOnce === true;
}

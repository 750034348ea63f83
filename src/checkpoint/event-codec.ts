import { assert } from '../domain/assert.ts';
import { type EventType, eventTypes } from '../domain/events.ts';
import type { ItemStatus } from '../domain/item.ts';
import { isOrderEvent } from '../domain/order-events.ts';
import type { LogEntry, LoggedEvent, LoggedOrderEvent } from './logged-event.ts';
import {
  decodeOrderEvent,
  isOrderTypeCode,
  orderEventBytes,
  writeOrderEvent,
} from './order-event-codec.ts';

/**
 * The binary form of logged events, one frame per batch and partition. A fixed layout per event
 * with a presence mask for the optional fields: no field names on disk, no per-frame structure
 * definitions, and a few DataView writes per field — several times cheaper than MessagePack
 * records, whose per-frame structure definitions dominated the worker's encoding time.
 *
 *   frame:  0xC1 │ u8 format (2) │ u32 events │ event…
 *   event:  u8 type │ u8 status │ u16 partition │ u16 optional-field mask │
 *           f64 seq, itemPreviousSeq, timestampMs, totalDelta, reservedDelta, totalQty,
 *               reservedQty, itemVersion │ str sku │ str warehouseId │ optional fields in mask order
 *   str:    u16 bytes │ UTF-8
 *
 * Order events (type codes from 64, order-event-codec.ts) have a layout of their own in the
 * same frames: a partition's log is one seq order of both kinds.
 *
 * 0xC1 is the one byte MessagePack never uses: frames written before this format (MessagePack)
 * are told apart by their first byte and still decoded (log-codec.ts).
 */
export const binaryFrameMarker = 0xc1;
const formatVersion = 2;
const frameHeaderBytes = 6;
const fixedEventBytes = 1 + 1 + 2 + 2 + 8 * 8 + 2 + 2;

type OptionalField =
  | 'commandId'
  | 'quantity'
  | 'reason'
  | 'reservationId'
  | 'reservationVersion'
  | 'idempotencyKey'
  | 'ttlSeconds'
  | 'expiresAtMs'
  | 'delta'
  | 'commandFingerprint'
  | 'actor'
  | 'orderId'
  | 'setTotal';

/** In mask-bit order; `string` fields are length-prefixed UTF-8, the others f64. */
const optionalFields: readonly (readonly [OptionalField, 'string' | 'number'])[] = [
  ['commandId', 'string'],
  ['quantity', 'number'],
  ['reason', 'string'],
  ['reservationId', 'string'],
  ['reservationVersion', 'number'],
  ['idempotencyKey', 'string'],
  ['ttlSeconds', 'number'],
  ['expiresAtMs', 'number'],
  ['delta', 'number'],
  ['commandFingerprint', 'number'],
  // After the fields an event had before: an event without them is encoded exactly as before.
  ['actor', 'string'],
  ['orderId', 'string'],
  ['setTotal', 'number'],
];

/** Every field an event may carry; a test checks that the domain's events carry no other. */
export const encodedEventFields: readonly string[] = [
  'type',
  'status',
  'partition',
  'seq',
  'itemPreviousSeq',
  'timestampMs',
  'totalDelta',
  'reservedDelta',
  'totalQty',
  'reservedQty',
  'itemVersion',
  'sku',
  'warehouseId',
  ...optionalFields.map(([name]) => name),
];

const typeCodes = new Map<EventType, number>(eventTypes.map((type, code) => [type, code]));
const statuses: readonly ItemStatus[] = ['ACTIVE', 'INACTIVE'];

type Fields = Readonly<Record<string, unknown>>;

export function encodeEvents(events: readonly LogEntry[]): Uint8Array {
  let bytes = frameHeaderBytes;
  for (const event of events) {
    if (isOrderEvent(event)) {
      bytes += orderEventBytes(event);
      continue;
    }
    const fields = event as unknown as Fields;
    bytes += fixedEventBytes + 3 * (event.sku.length + event.warehouseId.length);
    for (const [name, kind] of optionalFields) {
      const value = fields[name];
      if (value !== undefined) bytes += kind === 'number' ? 8 : 2 + 3 * (value as string).length;
    }
  }
  const buffer = Buffer.allocUnsafe(bytes);
  buffer[0] = binaryFrameMarker;
  buffer[1] = formatVersion;
  buffer.writeUInt32LE(events.length, 2);
  let offset = frameHeaderBytes;
  for (const event of events) {
    offset = isOrderEvent(event)
      ? writeOrderEvent(buffer, offset, event as LoggedOrderEvent)
      : writeEvent(buffer, offset, event as LoggedEvent);
  }
  return buffer.subarray(0, offset);
}

function writeEvent(buffer: Buffer, start: number, event: LoggedEvent): number {
  const fields = event as unknown as Fields;
  const typeCode = typeCodes.get(event.type);
  assert(typeCode !== undefined, `unknown event type ${event.type}`);
  buffer[start] = typeCode;
  buffer[start + 1] = event.status === 'ACTIVE' ? 0 : 1;
  buffer.writeUInt16LE(event.partition, start + 2);
  let mask = 0;
  for (let bit = 0; bit < optionalFields.length; bit++) {
    if (fields[optionalFields[bit]![0]] !== undefined) mask |= 1 << bit;
  }
  buffer.writeUInt16LE(mask, start + 4);
  let offset = start + 6;
  for (const value of [
    event.seq,
    event.itemPreviousSeq,
    event.timestampMs,
    event.totalDelta,
    event.reservedDelta,
    event.totalQty,
    event.reservedQty,
    event.itemVersion,
  ]) {
    buffer.writeDoubleLE(value, offset);
    offset += 8;
  }
  offset = writeString(buffer, offset, event.sku);
  offset = writeString(buffer, offset, event.warehouseId);
  for (let bit = 0; bit < optionalFields.length; bit++) {
    if ((mask & (1 << bit)) === 0) continue;
    const [name, kind] = optionalFields[bit]!;
    const value = fields[name];
    if (kind === 'number') {
      buffer.writeDoubleLE(value as number, offset);
      offset += 8;
    } else {
      offset = writeString(buffer, offset, value as string);
    }
  }
  return offset;
}

function writeString(buffer: Buffer, offset: number, value: string): number {
  const length = buffer.write(value, offset + 2, 'utf8');
  buffer.writeUInt16LE(length, offset);
  return offset + 2 + length;
}

export function decodeEvents(frame: Uint8Array): LogEntry[] {
  const buffer = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  assert(
    buffer[0] === binaryFrameMarker && buffer[1] === formatVersion,
    `unknown event frame format ${buffer[1]}`,
  );
  const count = buffer.readUInt32LE(2);
  const events = new Array<LogEntry>(count);
  let offset = frameHeaderBytes;
  for (let i = 0; i < count; i++) {
    if (isOrderTypeCode(buffer[offset]!)) {
      const decoded = decodeOrderEvent(buffer, offset);
      events[i] = decoded.event;
      offset = decoded.offset;
      continue;
    }
    const type = eventTypes[buffer[offset]!];
    assert(type !== undefined, `unknown event type code ${buffer[offset]}`);
    const status = statuses[buffer[offset + 1]!]!;
    const partition = buffer.readUInt16LE(offset + 2);
    const mask = buffer.readUInt16LE(offset + 4);
    const at = offset + 6;
    const event: Record<string, unknown> = {
      type,
      partition,
      seq: buffer.readDoubleLE(at),
      itemPreviousSeq: buffer.readDoubleLE(at + 8),
      timestampMs: buffer.readDoubleLE(at + 16),
      totalDelta: buffer.readDoubleLE(at + 24),
      reservedDelta: buffer.readDoubleLE(at + 32),
      totalQty: buffer.readDoubleLE(at + 40),
      reservedQty: buffer.readDoubleLE(at + 48),
      status,
      itemVersion: buffer.readDoubleLE(at + 56),
    };
    offset = at + 64;
    let length = buffer.readUInt16LE(offset);
    event.sku = buffer.toString('utf8', offset + 2, offset + 2 + length);
    offset += 2 + length;
    length = buffer.readUInt16LE(offset);
    event.warehouseId = buffer.toString('utf8', offset + 2, offset + 2 + length);
    offset += 2 + length;
    for (let bit = 0; bit < optionalFields.length; bit++) {
      if ((mask & (1 << bit)) === 0) continue;
      const [name, kind] = optionalFields[bit]!;
      if (kind === 'number') {
        event[name] = buffer.readDoubleLE(offset);
        offset += 8;
      } else {
        length = buffer.readUInt16LE(offset);
        event[name] = buffer.toString('utf8', offset + 2, offset + 2 + length);
        offset += 2 + length;
      }
    }
    events[i] = event as unknown as LoggedEvent;
  }
  assert(offset === buffer.byteLength, 'an event frame ends with its last event');
  return events;
}

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
export const optionalFields: readonly (readonly [OptionalField, 'string' | 'number'])[] = [
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
/** An item event's status byte: index into this. Its type byte indexes eventTypes. */
export const itemStatusByCode: readonly ItemStatus[] = ['ACTIVE', 'INACTIVE'];

/**
 * The optional fields as the encoder reads them: by name in code, not through the table —
 * a property read by a computed name is a generic lookup, several times the cost of a named one
 * on the worker's hottest path. The mask bits follow `optionalFields` (a test checks each bit).
 */
interface OptionalValues {
  readonly commandId?: string;
  readonly quantity?: number;
  readonly reason?: string;
  readonly reservationId?: string;
  readonly reservationVersion?: number;
  readonly idempotencyKey?: string;
  readonly ttlSeconds?: number;
  readonly expiresAtMs?: number;
  readonly delta?: number;
  readonly commandFingerprint?: number;
  readonly actor?: string;
  readonly orderId?: string;
  readonly setTotal?: number;
}

export function encodeEvents(events: readonly LogEntry[]): Uint8Array {
  let bytes = frameHeaderBytes;
  for (const event of events) {
    bytes += isOrderEvent(event) ? orderEventBytes(event) : itemEventBytesMax(event);
  }
  const buffer = Buffer.allocUnsafe(bytes);
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  buffer[0] = binaryFrameMarker;
  buffer[1] = formatVersion;
  view.setUint32(2, events.length, true);
  let offset = frameHeaderBytes;
  for (const event of events) {
    offset = isOrderEvent(event)
      ? writeOrderEvent(buffer, offset, event as LoggedOrderEvent)
      : writeEvent(buffer, view, offset, event as LoggedEvent);
  }
  return buffer.subarray(0, offset);
}

/** At most 3 UTF-8 bytes per UTF-16 unit: room enough for any string. */
const stringBytesMax = (value: string | undefined) =>
  value === undefined ? 0 : 2 + 3 * value.length;
const numberBytes = (value: number | undefined) => (value === undefined ? 0 : 8);

function itemEventBytesMax(event: LoggedEvent): number {
  const o = event as OptionalValues;
  return (
    fixedEventBytes +
    3 * (event.sku.length + event.warehouseId.length) +
    stringBytesMax(o.commandId) +
    numberBytes(o.quantity) +
    stringBytesMax(o.reason) +
    stringBytesMax(o.reservationId) +
    numberBytes(o.reservationVersion) +
    stringBytesMax(o.idempotencyKey) +
    numberBytes(o.ttlSeconds) +
    numberBytes(o.expiresAtMs) +
    numberBytes(o.delta) +
    numberBytes(o.commandFingerprint) +
    stringBytesMax(o.actor) +
    stringBytesMax(o.orderId) +
    numberBytes(o.setTotal)
  );
}

function maskOf(o: OptionalValues): number {
  return (
    (o.commandId !== undefined ? 1 : 0) |
    (o.quantity !== undefined ? 1 << 1 : 0) |
    (o.reason !== undefined ? 1 << 2 : 0) |
    (o.reservationId !== undefined ? 1 << 3 : 0) |
    (o.reservationVersion !== undefined ? 1 << 4 : 0) |
    (o.idempotencyKey !== undefined ? 1 << 5 : 0) |
    (o.ttlSeconds !== undefined ? 1 << 6 : 0) |
    (o.expiresAtMs !== undefined ? 1 << 7 : 0) |
    (o.delta !== undefined ? 1 << 8 : 0) |
    (o.commandFingerprint !== undefined ? 1 << 9 : 0) |
    (o.actor !== undefined ? 1 << 10 : 0) |
    (o.orderId !== undefined ? 1 << 11 : 0) |
    (o.setTotal !== undefined ? 1 << 12 : 0)
  );
}

function writeEvent(buffer: Buffer, view: DataView, start: number, event: LoggedEvent): number {
  const typeCode = typeCodes.get(event.type);
  assert(typeCode !== undefined, () => `unknown event type ${event.type}`);
  const o = event as OptionalValues;
  buffer[start] = typeCode;
  buffer[start + 1] = event.status === 'ACTIVE' ? 0 : 1;
  view.setUint16(start + 2, event.partition, true);
  view.setUint16(start + 4, maskOf(o), true);
  const at = start + 6;
  view.setFloat64(at, event.seq, true);
  view.setFloat64(at + 8, event.itemPreviousSeq, true);
  view.setFloat64(at + 16, event.timestampMs, true);
  view.setFloat64(at + 24, event.totalDelta, true);
  view.setFloat64(at + 32, event.reservedDelta, true);
  view.setFloat64(at + 40, event.totalQty, true);
  view.setFloat64(at + 48, event.reservedQty, true);
  view.setFloat64(at + 56, event.itemVersion, true);
  let offset = writeString(buffer, view, at + 64, event.sku);
  offset = writeString(buffer, view, offset, event.warehouseId);
  // In mask-bit order.
  if (o.commandId !== undefined) offset = writeString(buffer, view, offset, o.commandId);
  if (o.quantity !== undefined) offset = writeNumber(view, offset, o.quantity);
  if (o.reason !== undefined) offset = writeString(buffer, view, offset, o.reason);
  if (o.reservationId !== undefined) offset = writeString(buffer, view, offset, o.reservationId);
  if (o.reservationVersion !== undefined) offset = writeNumber(view, offset, o.reservationVersion);
  if (o.idempotencyKey !== undefined) offset = writeString(buffer, view, offset, o.idempotencyKey);
  if (o.ttlSeconds !== undefined) offset = writeNumber(view, offset, o.ttlSeconds);
  if (o.expiresAtMs !== undefined) offset = writeNumber(view, offset, o.expiresAtMs);
  if (o.delta !== undefined) offset = writeNumber(view, offset, o.delta);
  if (o.commandFingerprint !== undefined) offset = writeNumber(view, offset, o.commandFingerprint);
  if (o.actor !== undefined) offset = writeString(buffer, view, offset, o.actor);
  if (o.orderId !== undefined) offset = writeString(buffer, view, offset, o.orderId);
  if (o.setTotal !== undefined) offset = writeNumber(view, offset, o.setTotal);
  return offset;
}

function writeNumber(view: DataView, offset: number, value: number): number {
  view.setFloat64(offset, value, true);
  return offset + 8;
}

/** u16 length, then UTF-8: ASCII byte by byte (ids and keys are), the rest by Buffer.write. */
function writeString(buffer: Buffer, view: DataView, offset: number, value: string): number {
  const at = offset + 2;
  const units = value.length;
  let ascii = 0;
  while (ascii < units) {
    const unit = value.charCodeAt(ascii);
    if (unit >= 0x80) break;
    buffer[at + ascii] = unit;
    ascii++;
  }
  const length =
    ascii === units ? units : ascii + buffer.write(value.slice(ascii), at + ascii, 'utf8');
  view.setUint16(offset, length, true);
  return at + length;
}

/**
 * Where an item event's fields lie in a binary frame, for readers that copy them rather than
 * decode them (the relay's transcoding into wire events): `itemEventLayout` fills `layout` with
 * the offset of the sku's and the warehouse's length fields, then of each optional field by mask
 * bit (a string's length field, a number's f64), -1 where absent; the fixed numbers are at
 * `fixedNumberAt(start, …)`.
 */
export const itemEventLayoutSlots = 2 + optionalFields.length;
export const skuSlot = 0;
export const warehouseSlot = 1;
/** The slot of an optional field: 2 + its mask bit. */
export const optionalSlot = (bit: number) => 2 + bit;

/** The fixed numbers of an item event, in layout order. */
export const fixedNumbers = {
  seq: 0,
  itemPreviousSeq: 1,
  timestampMs: 2,
  totalDelta: 3,
  reservedDelta: 4,
  totalQty: 5,
  reservedQty: 6,
  itemVersion: 7,
} as const;

export const fixedNumberAt = (start: number, index: number) => start + 6 + 8 * index;

/** The events of a binary frame start here (after the marker, the format and the count). */
export const firstEventAt = frameHeaderBytes;

export function isBinaryFrame(frame: Uint8Array): boolean {
  return frame[0] === binaryFrameMarker && frame[1] === formatVersion;
}

/** Fills `layout` for the item event at `start`; returns where the next event starts. */
export function itemEventLayout(view: DataView, start: number, layout: Int32Array): number {
  const mask = view.getUint16(start + 4, true);
  let offset = start + fixedEventBytes - 4;
  layout[skuSlot] = offset;
  offset += 2 + view.getUint16(offset, true);
  layout[warehouseSlot] = offset;
  offset += 2 + view.getUint16(offset, true);
  for (let bit = 0; bit < optionalFields.length; bit++) {
    if ((mask & (1 << bit)) === 0) {
      layout[2 + bit] = -1;
      continue;
    }
    layout[2 + bit] = offset;
    offset += optionalFields[bit]![1] === 'number' ? 8 : 2 + view.getUint16(offset, true);
  }
  return offset;
}

/** How many events a binary frame holds, from its header (undefined: a MessagePack frame). */
export function binaryFrameEventCount(frame: Uint8Array): number | undefined {
  if (!isBinaryFrame(frame)) return undefined;
  return new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(2, true);
}

export function decodeEvents(frame: Uint8Array): LogEntry[] {
  const buffer = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  // DataView reads compile to plain loads; Buffer#readDoubleLE copies byte by byte.
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  assert(
    buffer[0] === binaryFrameMarker && buffer[1] === formatVersion,
    () => `unknown event frame format ${buffer[1]}`,
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
    assert(type !== undefined, () => `unknown event type code ${buffer[offset]}`);
    const status = itemStatusByCode[buffer[offset + 1]!]!;
    const partition = buffer.readUInt16LE(offset + 2);
    const mask = buffer.readUInt16LE(offset + 4);
    const at = offset + 6;
    const event: Record<string, unknown> = {
      type,
      partition,
      seq: view.getFloat64(at, true),
      itemPreviousSeq: view.getFloat64(at + 8, true),
      timestampMs: view.getFloat64(at + 16, true),
      totalDelta: view.getFloat64(at + 24, true),
      reservedDelta: view.getFloat64(at + 32, true),
      totalQty: view.getFloat64(at + 40, true),
      reservedQty: view.getFloat64(at + 48, true),
      status,
      itemVersion: view.getFloat64(at + 56, true),
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
        event[name] = view.getFloat64(offset, true);
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

import {
  fixedNumberAt,
  fixedNumbers,
  itemStatusByCode,
  optionalFields,
  optionalSlot,
  skuSlot,
  warehouseSlot,
} from '../checkpoint/event-codec.ts';
import { eventIdOf, type LogEntry, type LoggedEvent } from '../checkpoint/logged-event.ts';
import { assert } from '../domain/assert.ts';
import { eventTypes } from '../domain/events.ts';
import { itemKeySeparator } from '../domain/item-key.ts';
import { isOrderEvent } from '../domain/order-events.ts';
import { copyBytes, MessagePackWriter } from './msgpack-writer.ts';
import { encodeWireEvent, toWireOrderEvent, wireEventSchemaVersion } from './wire-event.ts';

/**
 * Any entry of the log as the value of its message on the events topic: an item's event
 * written directly (below), an order's — rarer, and nested — as its wire object packed.
 */
export function encodeWireEntry(storeId: string, entry: LogEntry): Buffer {
  return isOrderEvent(entry)
    ? encodeWireEvent(toWireOrderEvent(storeId, entry))
    : encodeItemWireEvent(storeId, entry);
}

/**
 * An item's event in its wire form (wire-event.ts), written straight from the logged event:
 * the same MessagePack map as `encodeWireEvent(toWireEvent(…))` — a test holds the two equal,
 * field by field, for every event type — without building the wire object first or walking it
 * generically. The relay writes one per event published, on the main thread: this is most of
 * what publishing costs (about 0.8 µs an event instead of 2).
 *
 * The map is a map 16 whatever its size (valid MessagePack for any count); integers take their
 * smallest encoding, and above 32 bits are uint64 / int64, never float64 (msgpack-integers.ts).
 */
export function encodeItemWireEvent(storeId: string, event: LoggedEvent): Buffer {
  const o = event as LoggedEvent & OptionalValues;
  const eventId = eventIdOf(storeId, event.partition, event.seq);
  const w = writer.begin(
    fixedBytesMax +
      3 *
        (eventId.length +
          event.sku.length +
          event.warehouseId.length +
          (o.reason?.length ?? 0) +
          (o.reservationId?.length ?? 0) +
          (o.idempotencyKey?.length ?? 0) +
          (o.commandId?.length ?? 0) +
          (o.actor?.length ?? 0) +
          (o.orderId?.length ?? 0)),
  );
  w.number(keys.schemaVersion, wireEventSchemaVersion);
  w.string(keys.eventId, eventId);
  w.string(keys.type, event.type);
  w.number(keys.partition, event.partition);
  w.number(keys.seq, event.seq);
  w.string(keys.sku, event.sku);
  w.string(keys.warehouseId, event.warehouseId);
  w.number(keys.itemPreviousSeq, event.itemPreviousSeq);
  w.number(keys.timestampMs, event.timestampMs);
  w.number(keys.totalDelta, event.totalDelta);
  w.number(keys.reservedDelta, event.reservedDelta);
  w.number(keys.totalQty, event.totalQty);
  w.number(keys.reservedQty, event.reservedQty);
  w.number(keys.availableQty, event.totalQty - event.reservedQty);
  w.string(keys.status, event.status);
  w.number(keys.itemVersion, event.itemVersion);
  // The fingerprint serves the partition's own deduplication: no part of the contract.
  if (o.commandId !== undefined) w.string(keys.commandId, o.commandId);
  if (o.actor !== undefined) w.string(keys.actor, o.actor);
  if (o.quantity !== undefined) w.number(keys.quantity, o.quantity);
  if (o.reason !== undefined) w.string(keys.reason, o.reason);
  if (o.reservationId !== undefined) w.string(keys.reservationId, o.reservationId);
  if (o.reservationVersion !== undefined) w.number(keys.reservationVersion, o.reservationVersion);
  if (o.idempotencyKey !== undefined) w.string(keys.idempotencyKey, o.idempotencyKey);
  if (o.orderId !== undefined) w.string(keys.orderId, o.orderId);
  if (o.ttlSeconds !== undefined) w.number(keys.ttlSeconds, o.ttlSeconds);
  if (o.expiresAtMs !== undefined) w.number(keys.expiresAtMs, o.expiresAtMs);
  if (o.setTotal !== undefined) w.number(keys.setTotal, o.setTotal);
  // Adjustments logged before they carried their delta: it is the change of the total.
  const delta = event.type === 'StockAdjusted' ? (o.delta ?? event.totalDelta) : o.delta;
  if (delta !== undefined) w.number(keys.delta, delta);
  return w.finish();
}

/** Layout slots of the binary log format's optional fields (event-codec.ts), by name. */
const slots = Object.fromEntries(
  optionalFields.map(([name], bit) => [name, optionalSlot(bit)]),
) as Record<(typeof optionalFields)[number][0], number>;

/** The slots holding strings, whose lengths bound a map beyond fixedBytesMax. */
const stringSlots = [
  skuSlot,
  warehouseSlot,
  ...optionalFields.flatMap(([name, kind]) => (kind === 'string' ? [slots[name]] : [])),
];

/** A short ASCII string as a MessagePack fixstr: event types and statuses, by their codes. */
const fixstrOf = (text: string) => Uint8Array.from([0xa0 | text.length, ...Buffer.from(text)]);
const typeStrings = eventTypes.map(fixstrOf);
const statusStrings = itemStatusByCode.map(fixstrOf);

/**
 * An item event of a binary log frame (event-codec.ts's layout, `layout` filled for it by
 * itemEventLayout) in its wire form: the same map as `encodeItemWireEvent` of the decoded event
 * — a test holds the two equal for every event type and optional field — with its strings
 * copied from the frame's UTF-8 rather than decoded into strings and encoded again. The relay
 * publishes every event this way, on the main thread.
 */
export function transcodeItemEvent(
  storeId: string,
  frame: Buffer,
  view: DataView,
  start: number,
  layout: Int32Array,
): Buffer {
  const number = (index: number) => view.getFloat64(fixedNumberAt(start, index), true);
  const type = eventTypes[frame[start]!]!;
  const partition = view.getUint16(start + 2, true);
  const seq = number(fixedNumbers.seq);
  const eventId = eventIdOf(storeId, partition, seq);
  // Copied strings take their UTF-8 length; fixedBytesMax holds every header and number.
  let stringBytes = 0;
  for (const slot of stringSlots) {
    const at = layout[slot]!;
    if (at >= 0) stringBytes += view.getUint16(at, true);
  }
  const w = writer.begin(fixedBytesMax + 3 * eventId.length + stringBytes);
  w.number(keys.schemaVersion, wireEventSchemaVersion);
  w.string(keys.eventId, eventId);
  w.raw(keys.type, typeStrings[frame[start]!]!);
  w.number(keys.partition, partition);
  w.number(keys.seq, seq);
  w.copiedString(keys.sku, frame, view, layout[skuSlot]!);
  w.copiedString(keys.warehouseId, frame, view, layout[warehouseSlot]!);
  w.number(keys.itemPreviousSeq, number(fixedNumbers.itemPreviousSeq));
  w.number(keys.timestampMs, number(fixedNumbers.timestampMs));
  const totalDelta = number(fixedNumbers.totalDelta);
  w.number(keys.totalDelta, totalDelta);
  w.number(keys.reservedDelta, number(fixedNumbers.reservedDelta));
  const totalQty = number(fixedNumbers.totalQty);
  const reservedQty = number(fixedNumbers.reservedQty);
  w.number(keys.totalQty, totalQty);
  w.number(keys.reservedQty, reservedQty);
  w.number(keys.availableQty, totalQty - reservedQty);
  w.raw(keys.status, statusStrings[frame[start + 1]!]!);
  w.number(keys.itemVersion, number(fixedNumbers.itemVersion));
  // In encodeItemWireEvent's order (the fingerprint is no part of the contract); -1: absent.
  w.copiedString(keys.commandId, frame, view, layout[slots.commandId]!);
  w.copiedString(keys.actor, frame, view, layout[slots.actor]!);
  w.copiedNumber(keys.quantity, view, layout[slots.quantity]!);
  w.copiedString(keys.reason, frame, view, layout[slots.reason]!);
  w.copiedString(keys.reservationId, frame, view, layout[slots.reservationId]!);
  w.copiedNumber(keys.reservationVersion, view, layout[slots.reservationVersion]!);
  w.copiedString(keys.idempotencyKey, frame, view, layout[slots.idempotencyKey]!);
  w.copiedString(keys.orderId, frame, view, layout[slots.orderId]!);
  w.copiedNumber(keys.ttlSeconds, view, layout[slots.ttlSeconds]!);
  w.copiedNumber(keys.expiresAtMs, view, layout[slots.expiresAtMs]!);
  w.copiedNumber(keys.setTotal, view, layout[slots.setTotal]!);
  const deltaAt = layout[slots.delta]!;
  if (deltaAt >= 0) w.number(keys.delta, view.getFloat64(deltaAt, true));
  else if (type === 'StockAdjusted') w.number(keys.delta, totalDelta);
  return w.finish();
}

/** The message key of an item event of a binary frame: `sku|warehouseId` in UTF-8. */
export function transcodeItemKey(frame: Buffer, view: DataView, layout: Int32Array): Buffer {
  const skuAt = layout[skuSlot]!;
  const warehouseAt = layout[warehouseSlot]!;
  const skuBytes = view.getUint16(skuAt, true);
  const warehouseBytes = view.getUint16(warehouseAt, true);
  const key = writer.bytes(skuBytes + 1 + warehouseBytes);
  copyBytes(frame, skuAt + 2, skuBytes, key, 0);
  key[skuBytes] = separatorByte;
  copyBytes(frame, warehouseAt + 2, warehouseBytes, key, skuBytes + 1);
  return key;
}

const separatorByte = itemKeySeparator.charCodeAt(0);
assert(itemKeySeparator.length === 1 && separatorByte < 0x80, 'the item key separator is one byte');

/** The optional fields of any item event, read by name. */
interface OptionalValues {
  readonly commandId?: string;
  readonly actor?: string;
  readonly quantity?: number;
  readonly reason?: string;
  readonly reservationId?: string;
  readonly reservationVersion?: number;
  readonly idempotencyKey?: string;
  readonly orderId?: string;
  readonly ttlSeconds?: number;
  readonly expiresAtMs?: number;
  readonly setTotal?: number;
  readonly delta?: number;
}

const fieldNames = [
  'schemaVersion',
  'eventId',
  'type',
  'partition',
  'seq',
  'sku',
  'warehouseId',
  'itemPreviousSeq',
  'timestampMs',
  'totalDelta',
  'reservedDelta',
  'totalQty',
  'reservedQty',
  'availableQty',
  'status',
  'itemVersion',
  'commandId',
  'actor',
  'quantity',
  'reason',
  'reservationId',
  'reservationVersion',
  'idempotencyKey',
  'orderId',
  'ttlSeconds',
  'expiresAtMs',
  'setTotal',
  'delta',
] as const;

/** Each field's name as a MessagePack fixstr (every name is shorter than 32 bytes). */
const keys = Object.fromEntries(fieldNames.map((name) => [name, fixstrOf(name)])) as Record<
  (typeof fieldNames)[number],
  Uint8Array
>;

/** Header, names and the widest encoding of every field but the strings' payloads. */
const fixedBytesMax =
  3 + fieldNames.reduce((sum, name) => sum + keys[name].length + 9, 0) + 3 * fieldNames.length;

/** The main thread's one writer: the relay encodes an event at a time, to the end. */
const writer = new MessagePackWriter();

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

/** Byte by byte for the short strings of events (a native copy costs more than it copies). */
function copyBytes(from: Buffer, start: number, length: number, to: Buffer, at: number): void {
  if (length > 64) {
    from.copy(to, at, start, start + length);
    return;
  }
  for (let i = 0; i < length; i++) to[at + i] = from[start + i]!;
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

const twoTo32 = 0x1_0000_0000;
const chunkBytes = 256 * 1024;

/**
 * Writes maps one after another into a chunk of memory, each returned as a view of its own
 * bytes: one allocation per event (the view), not a buffer and its accessors per event.
 */
class Writer {
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
    // Validation bounds every string of an event far below a str 32.
    assert(length < 0x10000, 'a wire event string fits a str 16');
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
    const bytes = this.#bytes;
    let at = this.#at;
    for (let i = 0; i < value.length; i++) bytes[at++] = value[i]!;
    this.#at = at;
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
    const bytes = this.#bytes;
    let at = this.#at;
    for (let i = 0; i < key.length; i++) bytes[at++] = key[i]!;
    this.#at = at;
    this.#fields++;
  }
}

/** The main thread's one writer: the relay encodes an event at a time, to the end. */
const writer = new Writer();

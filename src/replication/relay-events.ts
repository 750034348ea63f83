import type { Message } from 'kafkajs';
import {
  firstEventAt,
  fixedNumberAt,
  fixedNumbers,
  isBinaryFrame,
  itemEventLayout,
  itemEventLayoutSlots,
} from '../checkpoint/event-codec.ts';
import { decodeFrame } from '../checkpoint/log-codec.ts';
import type { LogEntry } from '../checkpoint/logged-event.ts';
import { decodeOrderEvent, isOrderTypeCode } from '../checkpoint/order-event-codec.ts';
import { wireEventHeaders, wireKeyOfEntry } from '../kafka/wire-event.ts';
import {
  encodeWireEntry,
  transcodeItemEvent,
  transcodeItemKey,
} from '../kafka/wire-event-writer.ts';

/** An event of the log as the relay reads it: its seq, and its message when it is published. */
export interface RelayEvent {
  readonly seq: number;
  /**
   * Its message on the events topic: partition = the event's partition, key = sku|warehouse
   * (an order's events: its orderId), value = the MessagePack wire event, timestamp = the
   * event's time, headers = its content type and schema version (one frozen object shared by
   * every message: kafkajs only reads headers).
   */
  message(storeId: string): Message;
}

/**
 * The relay's frame decoder (readPartitionLog's `decode`): an item event of a binary frame is
 * transcoded into its wire form from the frame's bytes, without being decoded (wire-event-writer
 * `transcodeItemEvent`); order events and MessagePack frames are decoded and encoded. A binary
 * frame's events are one cursor moved along it: each is read before the next is pulled.
 */
export function relayEventsOf(frame: Uint8Array): Iterable<RelayEvent> {
  if (!isBinaryFrame(frame)) return decodeFrame(frame).map(decodedEvent);
  return binaryFrameEvents(Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength));
}

function decodedEvent(entry: LogEntry): RelayEvent {
  return {
    seq: entry.seq,
    message: (storeId) => ({
      key: wireKeyOfEntry(entry),
      value: encodeWireEntry(storeId, entry),
      partition: entry.partition,
      timestamp: `${entry.timestampMs}`,
      headers: wireEventHeaders,
    }),
  };
}

class ItemEventCursor implements RelayEvent {
  seq = 0;
  readonly layout = new Int32Array(itemEventLayoutSlots);
  #frame: Buffer;
  #view: DataView;
  #start = 0;

  constructor(frame: Buffer, view: DataView) {
    this.#frame = frame;
    this.#view = view;
  }

  /** Moves to the item event at `start`; returns where the next event starts. */
  moveTo(start: number): number {
    this.#start = start;
    this.seq = this.#view.getFloat64(fixedNumberAt(start, fixedNumbers.seq), true);
    return itemEventLayout(this.#view, start, this.layout);
  }

  message(storeId: string): Message {
    const frame = this.#frame;
    const view = this.#view;
    const start = this.#start;
    const timestampMs = view.getFloat64(fixedNumberAt(start, fixedNumbers.timestampMs), true);
    return {
      value: transcodeItemEvent(storeId, frame, view, start, this.layout),
      key: transcodeItemKey(frame, view, this.layout),
      partition: view.getUint16(start + 2, true),
      timestamp: `${timestampMs}`,
      headers: wireEventHeaders,
    };
  }
}

function* binaryFrameEvents(frame: Buffer): Generator<RelayEvent> {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const count = view.getUint32(2, true);
  const cursor = new ItemEventCursor(frame, view);
  let offset = firstEventAt;
  for (let i = 0; i < count; i++) {
    if (isOrderTypeCode(frame[offset]!)) {
      const decoded = decodeOrderEvent(frame, offset);
      offset = decoded.offset;
      yield decodedEvent(decoded.event);
      continue;
    }
    offset = cursor.moveTo(offset);
    yield cursor;
  }
}

import { describe, expect, it } from 'vitest';
import {
  decodeEvents,
  encodedEventFields,
  encodeEvents,
  optionalFields,
} from '../../src/checkpoint/event-codec.ts';
import {
  chunkEventsFrom,
  decodeChunk,
  decodeFrame,
  encodeChunk,
  encodeFrame,
  encodeMessagePackFrame,
  encodeUncheckedChunk,
} from '../../src/checkpoint/log-codec.ts';
import type { LogEntry, LoggedEvent, LoggedOrderEvent } from '../../src/checkpoint/logged-event.ts';
import {
  encodedLineFields,
  encodedOrderEventFields,
} from '../../src/checkpoint/order-event-codec.ts';
import { orderEventTypes } from '../../src/domain/order-events.ts';
import {
  loggedItemEventBase as base,
  loggedItemEvents as events,
} from '../fixtures/logged-events.ts';

const orderBase = {
  partition: 4_095,
  orderId: 'order-ä/42',
  timestampMs: 1_796_107_505_446,
  status: 'HELD',
  orderVersion: 3,
  totalQuantity: 10 ** 12,
} as const;

/** One order event of every type, beside item events, with every optional field and line field. */
const orderEvents: LoggedOrderEvent[] = orderEventTypes.map((type, i) => ({
  ...orderBase,
  type,
  seq: 100 + i,
  lines:
    i % 2 === 0
      ? []
      : [
          { sku: 'SKU-ä/1', warehouseId: 'WH.1', quantity: 2 },
          {
            sku: 'B',
            warehouseId: 'W',
            quantity: 0,
            delta: -5,
            reservationId: 'rsv-4095-77',
            code: 'LINKED_LINE_FAILED',
          },
        ],
})) as LoggedOrderEvent[];
orderEvents[0] = {
  ...orderEvents[0]!,
  type: 'OrderPlaced',
  status: 'PENDING',
  customerId: 'customer ✓',
  ttlSeconds: 900,
  expiresAtMs: 1_796_107_506_346,
  commandId: 'cmd-9',
} as LoggedOrderEvent;

describe('the binary event format', () => {
  it('round-trips every event type and optional field exactly', () => {
    expect(decodeEvents(encodeEvents(events))).toEqual(events);
  });

  it("round-trips orders' events, in the same frames as items' events", () => {
    const mixed: LogEntry[] = [events[0]!, ...orderEvents, events[1]!];
    expect(decodeEvents(encodeEvents(mixed))).toEqual(mixed);
  });

  it('names every field the events carry', () => {
    for (const event of events) {
      expect(Object.keys(event).filter((key) => !encodedEventFields.includes(key))).toEqual([]);
    }
    for (const event of orderEvents) {
      const keys = Object.keys(event);
      expect(keys.filter((key) => !encodedOrderEventFields.includes(key))).toEqual([]);
      for (const line of event.lines) {
        expect(Object.keys(line).filter((key) => !encodedLineFields.includes(key))).toEqual([]);
      }
    }
  });

  it.each(optionalFields.map(([name, kind], bit) => [name, kind, bit] as const))(
    'encodes %s (%s) alone under its own mask bit, where the decoder reads it',
    (name, kind, bit) => {
      const {
        quantity: _,
        reason: __,
        actor: ___,
        ...bare
      } = events[0] as LoggedEvent & {
        quantity: number;
        reason: string;
        actor: string;
      };
      const event = { ...bare, [name]: kind === 'number' ? 2 ** 33 + 0.5 : 'ünï-1' } as LoggedEvent;
      const frame = Buffer.from(encodeEvents([event]));
      expect(frame.readUInt16LE(6 + 4)).toBe(1 << bit);
      expect(decodeEvents(frame)).toEqual([event]);
    },
  );

  it('encodes an event without an actor exactly as before actors were recorded', () => {
    // The actor is the last optional field: frames written before it decode unchanged, and an
    // event without one costs not a byte more. Pinned: the fixed part, sku, warehouse, quantity.
    const { actor: _, ...withoutActor } = events[0] as LoggedEvent & { actor: string };
    const frame = Buffer.from(encodeEvents([withoutActor as LoggedEvent]));
    const fixedBytes = 6 + 6 + 8 * 8;
    expect(frame.byteLength).toBe(fixedBytes + (2 + 8) + (2 + 4) + 8 + (2 + 10));
    expect(frame.readUInt16LE(6 + 4)).toBe(0b110); // quantity and reason, no actor bit
    expect(decodeEvents(frame)).toEqual([withoutActor]);
  });

  it('still reads MessagePack frames, alone and inside chunks beside binary ones', () => {
    const old = encodeMessagePackFrame(events.slice(0, 4));
    expect(decodeFrame(old)).toEqual(events.slice(0, 4));
    expect(decodeChunk(old)).toEqual(events.slice(0, 4));
    const chunk = encodeChunk([old, encodeFrame(events.slice(4))], {
      eventCount: events.length,
      lastTimestampMs: base.timestampMs,
    });
    expect(decodeChunk(chunk)).toEqual(events);
  });

  it('reads a chunk from a seq on, decoding no frame before the one holding it', () => {
    // Frames of 3, 2 and 4 events from seq 10; the first one's events are unreadable past its
    // header (an unchecked chunk: no checksum to refuse it), so only a reader that decodes it
    // fails.
    const seqs = [10, 11, 12, 13, 14, 15, 16, 17, 18];
    const dense = seqs.map((seq, i) => ({ ...events[i % events.length]!, seq }));
    const damaged = Buffer.from(encodeFrame(dense.slice(0, 3)));
    damaged.fill(0xff, 6);
    const frames = [damaged, encodeFrame(dense.slice(3, 5)), encodeFrame(dense.slice(5))];
    const summary = { eventCount: 9, lastTimestampMs: base.timestampMs };
    const chunk = encodeUncheckedChunk(frames, summary);
    const seqsFrom = (fromSeq: number) =>
      [...chunkEventsFrom(chunk, 10, fromSeq)].map((event) => event.seq);

    expect(seqsFrom(13)).toEqual(seqs.slice(3));
    // The frame holding fromSeq comes whole; the reader skips what it has passed.
    expect(seqsFrom(16)).toEqual(seqs.slice(5));
    expect(() => seqsFrom(12)).toThrow();
    // Pulled lazily: the first events of a chunk cost only their frame.
    const intact = encodeUncheckedChunk([frames[1]!, frames[2]!, damaged], summary);
    const [first] = chunkEventsFrom(intact, 13, 0);
    expect(first?.seq).toBe(13);
    expect(() => decodeChunk(intact)).toThrow();
  });
});

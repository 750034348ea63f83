import { describe, expect, it } from 'vitest';
import type { LoggedEvent } from '../../src/checkpoint/logged-event.ts';
import {
  decodeWireEvent,
  encodeWireEvent,
  toWireEntry,
  toWireEvent,
} from '../../src/kafka/wire-event.ts';
import { encodeItemWireEvent, encodeWireEntry } from '../../src/kafka/wire-event-writer.ts';
import {
  loggedItemEventBase,
  loggedItemEvents,
  loggedOrderPlaced,
} from '../fixtures/logged-events.ts';

/** The wire form as the contract defines it: the wire object, packed generically. */
const reference = (event: LoggedEvent) => encodeWireEvent(toWireEvent('store-7', event));

/** Every MessagePack integer width, both signs, and the strings' three header sizes. */
const edges: LoggedEvent[] = [
  0,
  1,
  127,
  128,
  255,
  256,
  65_535,
  65_536,
  2 ** 32 - 1,
  2 ** 32,
  Number.MAX_SAFE_INTEGER,
  -1,
  -32,
  -33,
  -128,
  -129,
  -32_768,
  -32_769,
  -(2 ** 31),
  -(2 ** 31) - 1,
  -(2 ** 40),
  Number.MIN_SAFE_INTEGER,
  0.5,
].map((n, i) => ({
  ...loggedItemEventBase,
  type: 'StockAdjusted',
  seq: i + 1,
  itemPreviousSeq: i,
  totalDelta: n,
  delta: n,
  reason: 'x'.repeat(i * 12) + (i % 2 === 0 ? '' : ' ✓'),
}));

describe('the relay’s wire event writer', () => {
  it.each([...loggedItemEvents, ...edges].map((event) => [event.type, event.seq, event] as const))(
    'writes %s (seq %s) as the contract’s map, field for field',
    (_, __, event) => {
      expect(decodeWireEvent(encodeItemWireEvent('store-7', event))).toEqual(
        decodeWireEvent(reference(event)),
      );
    },
  );

  it('writes an adjustment logged without its delta with the change of the total', () => {
    const { delta: _, ...old } = edges[3] as LoggedEvent & { delta: number };
    const wire = decodeWireEvent(encodeItemWireEvent('store-7', old as LoggedEvent));
    expect(wire).toMatchObject({ delta: 128, totalDelta: 128 });
    expect(wire).toEqual(decodeWireEvent(reference(old as LoggedEvent)));
  });

  it('never carries the command fingerprint, and each event keeps its own bytes', () => {
    const first = encodeItemWireEvent('store-7', loggedItemEvents[2]!);
    const copy = Buffer.from(first);
    const second = encodeItemWireEvent('store-7', loggedItemEvents[3]!);
    expect(decodeWireEvent(first)).not.toHaveProperty('commandFingerprint');
    expect(first.equals(copy)).toBe(true);
    expect(decodeWireEvent(second).seq).toBe(loggedItemEvents[3]!.seq);
  });

  it('writes every entry of the log as the contract has it, orders’ events included', () => {
    for (const entry of [loggedItemEvents[4]!, loggedOrderPlaced]) {
      expect(decodeWireEvent(encodeWireEntry('store-7', entry))).toEqual(
        decodeWireEvent(encodeWireEvent(toWireEntry('store-7', entry))),
      );
    }
  });
});

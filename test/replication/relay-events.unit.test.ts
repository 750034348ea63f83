import type { Message } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { optionalFields } from '../../src/checkpoint/event-codec.ts';
import {
  decodeFrame,
  encodeFrame,
  encodeMessagePackFrame,
} from '../../src/checkpoint/log-codec.ts';
import type { LogEntry, LoggedEvent } from '../../src/checkpoint/logged-event.ts';
import { wireEventHeaders, wireKeyOfEntry } from '../../src/kafka/wire-event.ts';
import { encodeWireEntry } from '../../src/kafka/wire-event-writer.ts';
import { relayEventsOf } from '../../src/replication/relay-events.ts';
import {
  loggedItemEventBase,
  loggedItemEvents,
  loggedOrderPlaced,
} from '../fixtures/logged-events.ts';

const storeId = 'store-7';

/** What the relay published before transcoding: each decoded entry, encoded. */
const expectedMessage = (entry: LogEntry) => ({
  key: Buffer.from(wireKeyOfEntry(entry)).toString('hex'),
  value: encodeWireEntry(storeId, entry).toString('hex'),
  partition: entry.partition,
  timestamp: `${entry.timestampMs}`,
  headers: wireEventHeaders,
});

/** A message with its key and value as hex: compared by their bytes, however they are held. */
const bytesOf = (message: Message) => ({
  ...message,
  key: Buffer.from(message.key as Buffer | string).toString('hex'),
  value: Buffer.from(message.value as Buffer).toString('hex'),
});

/** Each event's seq and message, taken before the next is pulled (the events are a cursor). */
function publish(frame: Uint8Array): { seq: number; message: Message }[] {
  const published: { seq: number; message: Message }[] = [];
  for (const event of relayEventsOf(frame)) {
    published.push({ seq: event.seq, message: event.message(storeId) });
  }
  return published;
}

/** One event per optional field alone (every mask bit by itself), long strings among them. */
const eachField: LoggedEvent[] = optionalFields.map(([name, kind], bit) => ({
  ...loggedItemEventBase,
  type: bit % 2 === 0 ? 'StockAdjusted' : 'ReservationReleased',
  seq: 100 + bit,
  itemPreviousSeq: 99 + bit,
  totalDelta: -bit,
  [name]: kind === 'number' ? -(2 ** 33) - bit : 'ü'.repeat(bit * 20),
})) as LoggedEvent[];

describe("the relay's events of a frame", () => {
  it('are, for every item event type, optional field and order event, the messages of the decoded entries, byte for byte', () => {
    const frame = encodeFrame([...loggedItemEvents, loggedOrderPlaced, ...eachField]);
    const published = publish(frame).map(({ seq, message }) => ({
      seq,
      message: bytesOf(message),
    }));
    expect(published).toHaveLength(loggedItemEvents.length + 1 + optionalFields.length);
    expect(published).toEqual(
      decodeFrame(frame).map((entry) => ({ seq: entry.seq, message: expectedMessage(entry) })),
    );
  });

  it('writes an adjustment logged without its delta with the change of the total', () => {
    const { delta: _, ...old } = loggedItemEvents[2] as LoggedEvent & { delta: number };
    const [published] = publish(encodeFrame([old as LoggedEvent]));
    expect(bytesOf(published!.message)).toEqual(expectedMessage(old as LoggedEvent));
  });

  it('keeps each message its own bytes while later ones are written', () => {
    const messages = publish(encodeFrame(loggedItemEvents)).map(({ message }) => message);
    const copies = messages.map(bytesOf);
    // Far more than one chunk of the writer's memory.
    for (let i = 0; i < 2_000; i++) publish(encodeFrame(loggedItemEvents));
    expect(messages.map(bytesOf)).toEqual(copies);
    expect(new Set(copies.map((copy) => copy.value)).size).toBe(loggedItemEvents.length);
  });

  it('reads frames written as MessagePack the same way', () => {
    const old = encodeMessagePackFrame(loggedItemEvents);
    const published = publish(old).map(({ message }) => bytesOf(message));
    expect(published).toEqual(loggedItemEvents.map(expectedMessage));
  });
});

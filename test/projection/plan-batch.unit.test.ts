import { pack } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { itemKeyOf } from '../../src/domain/item-key.ts';
import { encodeWireEvent, type WireEvent, wireKeyOf } from '../../src/kafka/wire-event.ts';
import type { IncomingMessage } from '../../src/projection/batch-plan.ts';
import { planBatch } from '../../src/projection/batch-planner.ts';
import { dayClosesOf, utcDayOf } from '../../src/projection/day-closes.ts';
import { createEventStream } from '../fixtures/wire-event-stream.ts';

const messagesOf = (events: readonly WireEvent[], firstOffset = 0): IncomingMessage[] =>
  events.map((event, i) => ({
    offset: String(firstOffset + i),
    key: Buffer.from(wireKeyOf(event)),
    value: encodeWireEvent(event),
  }));

const hour = 3_600_000;
const monday = Date.UTC(2025, 0, 6);

/** Events of one item at the given times (hours after Monday 00:00 UTC). */
function itemEventsAt(hours: readonly number[]): WireEvent[] {
  const [template] = createEventStream({ partitionCount: 1, skuCount: 1, warehouseCount: 1 }).take(
    1,
  );
  return hours.map((h, i) => ({
    ...template!,
    eventId: `e-${i + 1}`,
    seq: i + 1,
    timestampMs: monday + h * hour,
    totalQty: 100 + i,
    availableQty: 100 + i - template!.reservedQty,
  }));
}

describe('planBatch', () => {
  it('keeps each item at its newest seq, even when an older event is redelivered after it', () => {
    const stream = createEventStream({ partitionCount: 1, skuCount: 2, warehouseCount: 1 });
    const events = stream.take(30);
    const plan = planBatch('t', 0, messagesOf([...events, events[3]!]));
    expect(plan.events).toHaveLength(30);
    expect(plan.lastOffset).toBe('30');
    for (const row of plan.levels) {
      const item = stream.items.get(itemKeyOf(row.sku, row.warehouseId))!;
      expect(row).toMatchObject({
        seq: item.lastSeq,
        totalQty: item.totalQty,
        reservedQty: item.reservedQty,
        itemVersion: item.version,
        status: item.status,
      });
    }
    expect(plan.levels).toHaveLength(stream.items.size);
  });

  it('keeps the bytes each event was decoded from, extra fields of a newer stockd included', () => {
    const events = createEventStream({ partitionCount: 1 }).take(5);
    const messages = messagesOf([...events, events[1]!]);
    // A field this stockd does not know: decoded, ignored by the columns, kept in the bytes.
    messages[2] = { ...messages[2]!, value: pack({ ...events[2]!, newField: { x: 1 } }) };
    const plan = planBatch('t', 0, messages);
    expect(plan.events.map((event) => event.eventId)).toEqual(events.map((e) => e.eventId));
    expect(plan.eventPayloads).toEqual(messages.slice(0, 5).map((message) => message.value));
  });

  it('plans each reservation at its newest version with its creation and quantity history', () => {
    const stream = createEventStream({ seed: 7, partitionCount: 1 });
    const plan = planBatch('t', 0, messagesOf(stream.take(400)));
    expect(plan.reservations).toHaveLength(stream.reservations.size);
    for (const row of plan.reservations) {
      const model = stream.reservations.get(row.reservationId)!;
      expect(row).toMatchObject({
        status: model.status,
        quantity: model.quantity,
        version: model.version,
        creation: { idempotencyKey: model.idempotencyKey, createdAtMs: model.createdAtMs },
      });
      const history = plan.quantityChanges.filter((c) => c.reservationId === row.reservationId);
      expect(history.map((c) => c.version)[0]).toBe(1);
      expect(history).toHaveLength(1 + model.adjustments);
      expect(history.reduce((sum, c) => sum + c.delta, 0)).toBe(model.quantity);
    }
  });

  it('projects events of schema 1, whose wide integers were float64, like those of 2', () => {
    const events = createEventStream({ partitionCount: 2, skuCount: 3, warehouseCount: 1 }).take(
      40,
    );
    // As stockd published them before schema 2: msgpackr's defaults, version 1.
    const old = events.map((event, i) => ({
      offset: String(i),
      key: Buffer.from(wireKeyOf(event)),
      value: pack({ ...event, schemaVersion: 1 }),
    }));
    expect(old[0]!.value.includes(0xcb)).toBe(true);
    const plan = planBatch('t', 0, old);
    expect(plan.rejects).toEqual([]);
    expect(plan.events.map((e) => [e.eventId, e.timestampMs])).toEqual(
      events.map((e) => [e.eventId, e.timestampMs]),
    );
    expect(plan.levels).toEqual(planBatch('t', 0, messagesOf(events)).levels);
  });

  it.each([
    ['empty value', null, 'empty message'],
    ['not MessagePack of an event', Buffer.from('hello'), 'undecodable'],
    ['another schema', pack({ schemaVersion: 99 }), 'undecodable'],
  ])('rejects a message with %s', (_name, value, reason) => {
    const plan = planBatch('t', 2, [{ offset: '7', key: null, value }]);
    expect(plan.events).toHaveLength(0);
    expect(plan.rejects).toEqual([
      { offset: '7', reason: expect.stringContaining(reason), key: null, value },
    ]);
  });

  it.each([
    ['a missing sku', { sku: undefined }, 'sku'],
    ['an unknown type', { type: 'StockTeleported' }, 'unknown type'],
    ['a fractional quantity', { totalQty: 1.5 }, 'totalQty'],
    ['an inconsistent availableQty', { availableQty: -1 }, 'availableQty'],
    ['a seq of 0', { seq: 0 }, 'seq'],
  ])('rejects an event with %s', (_name, change, reason) => {
    const [event] = createEventStream().take(1);
    const plan = planBatch('t', 0, messagesOf([{ ...event!, ...change } as WireEvent]));
    expect(plan.rejects[0]?.reason).toContain(reason);
  });
});

describe('daily closes', () => {
  it.each([
    ['one day', [1, 5, 9], []],
    ['Monday closed by Tuesday', [1, 5, 30], [['2025-01-06', 'e-2']]],
    [
      'each day closed by the next event',
      [1, 25, 49, 50],
      [
        ['2025-01-06', 'e-1'],
        ['2025-01-07', 'e-2'],
      ],
    ],
    ['a gap of days closes only the last active one', [1, 2, 24 * 5], [['2025-01-06', 'e-2']]],
  ] as const)('%s', (_name, hours, expected) => {
    const closes = dayClosesOf(itemEventsAt(hours));
    expect(closes.map((close) => [close.day, close.eventId])).toEqual(expected);
  });

  it('orders by seq, not by arrival', () => {
    const events = itemEventsAt([1, 30]);
    expect(dayClosesOf([events[1]!, events[0]!]).map((c) => c.eventId)).toEqual(['e-1']);
  });

  it('names UTC days', () => {
    expect(utcDayOf(Date.UTC(2025, 0, 6, 23, 59, 59, 999))).toBe('2025-01-06');
    expect(utcDayOf(Date.UTC(2025, 0, 7))).toBe('2025-01-07');
  });
});

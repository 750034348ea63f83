import { pack } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import type { LoggedEvent, LoggedOrderEvent } from '../../src/checkpoint/logged-event.ts';
import {
  decodeWireEvent,
  encodeWireEvent,
  toWireEntry,
  toWireEvent,
  type WireEvent,
  WireEventError,
  wireEventHeaders,
  wireEventSchemaVersion,
} from '../../src/kafka/wire-event.ts';

const nowMs = 1_796_107_505_446;

const reserved: LoggedEvent = {
  type: 'StockReserved',
  partition: 3,
  seq: 2 ** 33,
  sku: 'SKU-1',
  warehouseId: 'WH-1',
  itemPreviousSeq: 2 ** 33 - 1,
  timestampMs: nowMs,
  totalDelta: 0,
  reservedDelta: 2,
  totalQty: 10 ** 15,
  reservedQty: 2,
  status: 'ACTIVE',
  itemVersion: 5,
  reservationId: 'rsv-3-8589934592',
  idempotencyKey: 'order-1',
  quantity: 2,
  reservationVersion: 1,
  ttlSeconds: 900,
  expiresAtMs: nowMs + 900_000,
};

/**
 * The MessagePack type byte of a top-level field's value: the byte after the field's name,
 * which stockd's maps write as a fixstr (names are shorter than 32 bytes).
 */
function typeByteOf(bytes: Buffer, field: string): number {
  const name = Buffer.concat([Buffer.from([0xa0 | field.length]), Buffer.from(field)]);
  const at = bytes.indexOf(name);
  expect(at, `${field} is in the map`).toBeGreaterThan(0);
  return bytes[at + name.length]!;
}

const uint64 = 0xcf;
const int64 = 0xd3;
const float64 = 0xcb;
const float32 = 0xca;

describe('integers on the wire', () => {
  it('are MessagePack integers, also above 32 bits: int64 or uint64, never a float', () => {
    const bytes = encodeWireEvent(toWireEvent('store', reserved));
    for (const field of [
      'timestampMs',
      'expiresAtMs',
      'totalQty',
      'seq',
      'itemPreviousSeq',
    ] as const) {
      expect([int64, uint64], field).toContain(typeByteOf(bytes, field));
    }
    for (const field of ['partition', 'quantity', 'ttlSeconds', 'reservedDelta', 'itemVersion']) {
      expect([float32, float64], field).not.toContain(typeByteOf(bytes, field));
    }
  });

  it('write negative integers below -2^31 as int64', () => {
    const adjusted = {
      ...reserved,
      type: 'StockAdjusted',
      totalDelta: -(2 ** 40),
      delta: -(2 ** 40),
      reason: 'count',
    } as LoggedEvent;
    const bytes = encodeWireEvent(toWireEvent('store', adjusted));
    expect(typeByteOf(bytes, 'totalDelta')).toBe(int64);
    expect(typeByteOf(bytes, 'delta')).toBe(int64);
  });

  it('decode as plain numbers, exactly', () => {
    const wire = decodeWireEvent(encodeWireEvent(toWireEvent('store', reserved))) as WireEvent;
    expect(wire).toMatchObject({
      timestampMs: nowMs,
      expiresAtMs: nowMs + 900_000,
      totalQty: 10 ** 15,
      seq: 2 ** 33,
    });
    expect(typeof wire.timestampMs).toBe('number');
  });

  it('in an order event too, lines included', () => {
    const placed = {
      type: 'OrderPlaced',
      partition: 1,
      seq: 9,
      orderId: 'order-1',
      timestampMs: nowMs,
      status: 'PENDING',
      orderVersion: 1,
      totalQuantity: 2 ** 35,
      lines: [{ sku: 'A', warehouseId: 'W', quantity: 2 ** 35 }],
      ttlSeconds: 900,
      expiresAtMs: nowMs + 900_000,
    } as LoggedOrderEvent;
    const bytes = encodeWireEvent(toWireEntry('store', placed));
    expect(typeByteOf(bytes, 'expiresAtMs')).not.toBe(float64);
    const lineQuantity = bytes.indexOf(Buffer.from([0xa8, ...Buffer.from('quantity')]));
    expect([int64, uint64]).toContain(bytes[lineQuantity + 9]);
    expect(decodeWireEvent(bytes)).toMatchObject({ lines: [{ quantity: 2 ** 35 }] });
  });
});

describe('the schema version', () => {
  it('is in every event and in the headers every event is published with', () => {
    expect(toWireEvent('store', reserved).schemaVersion).toBe(wireEventSchemaVersion);
    expect(wireEventHeaders).toEqual({
      'content-type': 'application/msgpack',
      'stockd-schema-version': `${wireEventSchemaVersion}`,
    });
  });

  it('1 is still read: its integers were float64, they decode to the same numbers', () => {
    const first = { ...toWireEvent('store', reserved), schemaVersion: 1 };
    const bytes = pack(first);
    expect(bytes.includes(float64)).toBe(true);
    expect(decodeWireEvent(bytes)).toEqual(first);
  });

  it('a version this code does not know is refused', () => {
    expect(() => decodeWireEvent(pack({ schemaVersion: wireEventSchemaVersion + 1 }))).toThrow(
      WireEventError,
    );
  });
});

describe('StockAdjusted on the wire', () => {
  const adjusted = {
    ...reserved,
    type: 'StockAdjusted',
    totalDelta: -4,
    reservedDelta: 0,
    reason: 'damaged',
  } as Record<string, unknown>;
  const reservationFields = ['reservationId', 'idempotencyKey', 'quantity', 'reservationVersion'];
  for (const field of [...reservationFields, 'ttlSeconds', 'expiresAtMs']) {
    delete adjusted[field];
  }

  it('carries its delta and the new total; a count also what it counted', () => {
    const byDelta = toWireEvent('s', { ...adjusted, delta: -4 } as unknown as LoggedEvent);
    expect(byDelta).toMatchObject({ delta: -4, totalDelta: -4, totalQty: 10 ** 15 });
    expect(byDelta).not.toHaveProperty('setTotal');
    const count = { ...adjusted, delta: -4, setTotal: 10 ** 15 } as unknown as LoggedEvent;
    expect(toWireEvent('s', count)).toMatchObject({ delta: -4, setTotal: 10 ** 15 });
  });

  it('logged before it carried its delta: the delta is the change of the total', () => {
    const old = toWireEvent('s', adjusted as unknown as LoggedEvent);
    expect(old).toMatchObject({ delta: -4, totalDelta: -4 });
  });
});

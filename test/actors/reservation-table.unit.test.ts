import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ItemTable } from '../../src/actors/item-table.ts';
import { ReservationTable } from '../../src/actors/reservation-table.ts';
import { itemKeyOf } from '../../src/domain/item-key.ts';
import {
  noAdjustments,
  type Reservation,
  type ReservationStatus,
} from '../../src/domain/reservation.ts';
import { formatReservationId } from '../../src/domain/reservation-id.ts';

const partition = 3;
const itemKeys = ['A', 'B', 'C'].map((sku) => itemKeyOf(sku, 'W'));
const statuses: ReservationStatus[] = ['HELD', 'CONFIRMED', 'RELEASED', 'EXPIRED'];

function tableWithItems(): { table: ReservationTable; items: ItemTable } {
  const items = new ItemTable();
  for (const key of itemKeys) items.add(key);
  return { table: new ReservationTable(partition, items), items };
}

interface Shape {
  readonly item: number;
  readonly key: number;
  readonly quantity: number;
  readonly status: number;
  readonly order: boolean;
  readonly adjustments: number;
}

function reservationOf(seq: number, shape: Shape): Reservation {
  const createdAtMs = 1_796_000_000_000 + seq;
  return {
    reservationId: formatReservationId(partition, seq),
    itemKey: itemKeys[shape.item]!,
    idempotencyKey: `key-${shape.key}`,
    ...(shape.order && { orderId: `order-${shape.key}` }),
    quantity: shape.quantity,
    requestedQuantity: shape.quantity + 1,
    ttlSeconds: 3_600,
    status: statuses[shape.status]!,
    createdAtMs,
    expiresAtMs: createdAtMs + 3_600_000,
    updatedAtMs: createdAtMs + 5,
    version: 1 + shape.adjustments,
    adjustments:
      shape.adjustments === 0
        ? noAdjustments
        : Array.from({ length: shape.adjustments }, (_, i) => ({
            version: i + 2,
            delta: -1,
            quantity: shape.quantity,
            atMs: createdAtMs + i,
          })),
  };
}

const shapeArbitrary = fc.record({
  item: fc.integer({ min: 0, max: 2 }),
  key: fc.integer({ min: 0, max: 5 }),
  quantity: fc.integer({ min: 1, max: 1_000_000_000 }),
  status: fc.integer({ min: 0, max: 3 }),
  order: fc.boolean(),
  adjustments: fc.integer({ min: 0, max: 2 }),
});

describe('ReservationTable', () => {
  it('gives back what was put, field for field, with its id formatted from its seq', () => {
    const { table } = tableWithItems();
    const shape = { item: 1, key: 7, quantity: 5, status: 0, order: true, adjustments: 2 };
    const reservation = reservationOf(42, shape);
    table.put(42, reservation, 1);
    expect(table.get(42)).toStrictEqual(reservation);
    expect(table.get(41)).toBeUndefined();
    expect(table.findByIdempotencyKey(itemKeys[1]!, 'key-7')).toStrictEqual(reservation);
    expect(table.findByIdempotencyKey(itemKeys[0]!, 'key-7')).toBeUndefined();
  });

  // Puts (new and changed), deletes and lookups against a Map of the same reservations: rows
  // are reused after deletes, and a reused row must carry nothing of its previous hold.
  it('answers as a Map of the reservations would, through puts, changes and deletes', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ kind: fc.constant('put' as const), shape: shapeArbitrary }),
            fc.record({
              kind: fc.constant('change' as const),
              pick: fc.nat(),
              shape: shapeArbitrary,
            }),
            fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
          ),
          { maxLength: 120 },
        ),
        (steps) => {
          const { table } = tableWithItems();
          const model = new Map<number, Reservation>();
          let nextSeq = 1;
          for (const step of steps) {
            const seqs = [...model.keys()];
            if (step.kind === 'put') {
              const seq = nextSeq;
              nextSeq += 1 + (step.shape.key % 3);
              // One hold per item and key, as the deciders guarantee: a repeat finds the first.
              const clash = [...model.values()].some(
                (r) =>
                  r.itemKey === itemKeys[step.shape.item] &&
                  r.idempotencyKey === `key-${step.shape.key}`,
              );
              if (clash) continue;
              const reservation = reservationOf(seq, step.shape);
              table.put(seq, reservation, step.shape.item);
              model.set(seq, reservation);
            } else if (seqs.length > 0) {
              const seq = seqs[step.pick % seqs.length]!;
              if (step.kind === 'delete') {
                table.delete(seq);
                model.delete(seq);
              } else {
                const before = model.get(seq)!;
                const changed = {
                  ...reservationOf(seq, { ...step.shape, order: before.orderId !== undefined }),
                  itemKey: before.itemKey,
                  idempotencyKey: before.idempotencyKey,
                  ...(before.orderId !== undefined && { orderId: before.orderId }),
                };
                table.put(seq, changed, itemKeys.indexOf(before.itemKey));
                model.set(seq, changed);
              }
            }
          }
          expect(table.size).toBe(model.size);
          expect(table.values()).toStrictEqual([...model.values()]);
          for (const [seq, reservation] of model) {
            expect(table.get(seq)).toStrictEqual(reservation);
            expect(
              table.findByIdempotencyKey(reservation.itemKey, reservation.idempotencyKey),
            ).toStrictEqual(reservation);
          }
          for (const itemKey of itemKeys) {
            for (let key = 0; key <= 5; key++) {
              const expected = [...model.values()].find(
                (r) => r.itemKey === itemKey && r.idempotencyKey === `key-${key}`,
              );
              expect(table.findByIdempotencyKey(itemKey, `key-${key}`)).toStrictEqual(expected);
            }
          }
        },
      ),
    );
  });

  // Rows come in chunks of 1,024: holds on both sides of chunk boundaries, rows freed in one
  // chunk and taken again by new holds.
  it('keeps every hold across its row chunks, and reuses freed rows', () => {
    const { table } = tableWithItems();
    const count = 10_000;
    const shape = { item: 2, key: 0, quantity: 1, status: 0, order: false, adjustments: 0 };
    const holdOf = (seq: number) => ({ ...reservationOf(seq, shape), idempotencyKey: `k-${seq}` });
    for (let seq = 1; seq <= count; seq++) table.put(seq, holdOf(seq), 2);
    for (let seq = 4_000; seq <= 4_200; seq++) table.delete(seq);
    for (let seq = count + 1; seq <= count + 201; seq++) table.put(seq, holdOf(seq), 2);
    expect(table.size).toBe(count);
    for (let seq = 1; seq <= count + 201; seq++) {
      const gone = seq >= 4_000 && seq <= 4_200;
      expect(table.get(seq)).toStrictEqual(gone ? undefined : holdOf(seq));
      expect(table.findByIdempotencyKey(itemKeys[2]!, `k-${seq}`)).toStrictEqual(
        gone ? undefined : holdOf(seq),
      );
    }
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdempotencyIndex } from '../../src/actors/idempotency-index.ts';
import { ItemTable } from '../../src/actors/item-table.ts';
import {
  hashCharacter,
  hashEnd,
  hashStart,
  hashText,
  ProbeTable,
} from '../../src/actors/probe-table.ts';
import type { Reservation } from '../../src/domain/reservation.ts';

type Step =
  | { readonly kind: 'put'; readonly key: number; readonly value: number }
  | { readonly kind: 'remove'; readonly key: number };

const isKey = (entry: { key: number }, key: number) => entry.key === key;

describe('ProbeTable', () => {
  // Few distinct hashes for many keys: long probe runs, wrap-around at the end of the array and
  // removals from the middle of runs are the common case, not the rare one.
  it('finds what a Map would, through inserts, replacements and removals', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(
          fc.oneof(
            fc.record({
              kind: fc.constant('put' as const),
              key: fc.integer({ min: 0, max: 60 }),
              value: fc.integer(),
            }),
            fc.record({
              kind: fc.constant('remove' as const),
              key: fc.integer({ min: 0, max: 60 }),
            }),
          ),
          { maxLength: 300 },
        ),
        (hashCount, steps: Step[]) => {
          const hashOf = (key: number) => Math.imul(key % hashCount, 0x9e3779b1);
          const table = new ProbeTable<{ key: number; value: number }>();
          const model = new Map<number, number>();
          for (const step of steps) {
            const slot = table.find(hashOf(step.key), isKey, step.key, undefined);
            expect(slot >= 0).toBe(model.has(step.key));
            if (step.kind === 'put') {
              if (slot < 0) table.insert(hashOf(step.key), { key: step.key, value: step.value });
              else table.replaceAt(slot, { key: step.key, value: step.value });
              model.set(step.key, step.value);
            } else if (slot >= 0) {
              table.removeAt(slot);
              model.delete(step.key);
            }
            expect(table.size).toBe(model.size);
          }
          for (let key = 0; key <= 60; key++) {
            const slot = table.find(hashOf(key), isKey, key, undefined);
            expect(slot < 0 ? undefined : table.valueAt(slot).value).toBe(model.get(key));
          }
        },
      ),
    );
  });

  it('hashes a key by its parts as it hashes the whole', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (sku, warehouseId) => {
        const byParts = hashEnd(
          hashText(hashCharacter(hashText(hashStart(), sku), 124), warehouseId),
        );
        expect(byParts).toBe(hashEnd(hashText(hashStart(), `${sku}|${warehouseId}`)));
      }),
    );
  });
});

describe('ItemTable', () => {
  it('finds every item by its key and by its parts, and no other', () => {
    const table = new ItemTable();
    for (let i = 0; i < 5_000; i++) table.add(`SKU-${i}|WH-${i % 3}`);
    for (let i = 0; i < 5_000; i++) {
      expect(table.indexOf(`SKU-${i}|WH-${i % 3}`)).toBe(i);
      expect(table.indexOfItem(`SKU-${i}`, `WH-${i % 3}`)).toBe(i);
      expect(table.indexOfItem(`SKU-${i}`, `WH-${(i + 1) % 3}`)).toBeUndefined();
    }
    // Same length, same characters, another split: not the same item.
    expect(table.indexOfItem('SKU-1|W', 'H-1')).toBeUndefined();
    const restored = ItemTable.fromContents(table.contents());
    expect(restored.indexOfItem('SKU-4999', 'WH-1')).toBe(4999);
    expect(restored.indexOf('SKU-4998|WH-0')).toBe(4998);
  });
});

describe('IdempotencyIndex', () => {
  const reservation = (itemKey: string, idempotencyKey: string, qty = 1) =>
    ({ itemKey, idempotencyKey, qty }) as unknown as Reservation;

  it('keeps one reservation per item under a key, and forgets each on its own', () => {
    const index = new IdempotencyIndex();
    const a = reservation('A|W', 'order-1');
    const b = reservation('B|W', 'order-1');
    index.remember(a);
    index.remember(b);
    expect(index.find('A|W', 'order-1')).toBe(a);
    expect(index.find('B|W', 'order-1')).toBe(b);
    expect(index.find('C|W', 'order-1')).toBeUndefined();
    const changedA = reservation('A|W', 'order-1', 2);
    index.remember(changedA);
    expect(index.find('A|W', 'order-1')).toBe(changedA);
    index.forget(b);
    expect(index.find('B|W', 'order-1')).toBeUndefined();
    expect(index.find('A|W', 'order-1')).toBe(changedA);
    index.forget(changedA);
    expect(index.size).toBe(0);
  });
});

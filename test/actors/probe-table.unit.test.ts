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
  // Rows as the reservation table would hold them: [itemKey, idempotencyKey] by row number.
  const rows: (readonly [string, string])[] = [
    ['A|W', 'order-1'],
    ['B|W', 'order-1'],
    ['A|W', 'order-2'],
  ];
  const newIndex = () =>
    new IdempotencyIndex({
      itemKeyAt: (row) => rows[row]![0],
      idempotencyKeyAt: (row) => rows[row]![1],
    });

  it('keeps one row per item under a key, and forgets each on its own', () => {
    const index = newIndex();
    index.remember(0);
    index.remember(1);
    index.remember(2);
    expect(index.find('A|W', 'order-1')).toBe(0);
    expect(index.find('B|W', 'order-1')).toBe(1);
    expect(index.find('A|W', 'order-2')).toBe(2);
    expect(index.find('C|W', 'order-1')).toBe(-1);
    expect(index.find('A|W', 'order-3')).toBe(-1);
    index.remember(0);
    expect(index.find('A|W', 'order-1')).toBe(0);
    index.forget(1);
    expect(index.find('B|W', 'order-1')).toBe(-1);
    expect(index.find('A|W', 'order-1')).toBe(0);
    index.forget(0);
    index.forget(2);
    expect(index.size).toBe(0);
  });
});

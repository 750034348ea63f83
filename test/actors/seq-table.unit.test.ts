import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeqTable } from '../../src/actors/seq-table.ts';

describe('SeqTable', () => {
  // Keys as a partition's reservations get them: increasing, then changed or deleted in any
  // order; pages (64 keys) are made, emptied and dropped along the way.
  it('holds what a Map would, and iterates in key order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 150 }), fc.boolean(), fc.nat()), {
          maxLength: 200,
        }),
        (steps) => {
          const table = new SeqTable<number>();
          const model = new Map<number, number>();
          let nextKey = 1;
          for (const [gap, remove, pick] of steps) {
            const live = [...model.keys()];
            if (remove && live.length > 0) {
              const key = live[pick % live.length]!;
              table.delete(key);
              model.delete(key);
            } else if (!remove && live.length > 0 && pick % 3 === 0) {
              const key = live[pick % live.length]!;
              table.set(key, -key);
              model.set(key, -key);
            } else {
              nextKey += gap;
              table.set(nextKey, nextKey);
              model.set(nextKey, nextKey);
            }
            expect(table.size).toBe(model.size);
          }
          for (let key = 0; key <= nextKey; key++) expect(table.get(key)).toBe(model.get(key));
          const inKeyOrder = [...model.entries()].sort(([a], [b]) => a - b).map(([, v]) => v);
          expect([...table.values()]).toEqual(inKeyOrder);
        },
      ),
    );
  });
});

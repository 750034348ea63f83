// Levels of a SKU in several warehouses: the bound on the warehouses one query names, and how
// the engine's answers become levels and absences.
import { describe, expect, it } from 'vitest';
import type { LogReadingEngine } from '../../src/app/item-log.ts';
import { createLevels, warehousesPerQueryMax } from '../../src/app/levels.ts';
import type { Engine } from '../../src/engine/engine.ts';
import type { EngineRequest, GetItem } from '../../src/worker-protocol/requests.ts';
import type { EngineResult } from '../../src/worker-protocol/results.ts';

/** An engine where only warehouse "A" holds the item. */
function levelsOver() {
  const asked: EngineRequest[][] = [];
  const engine = {
    submitMany: async (requests: readonly EngineRequest[]) => {
      asked.push([...requests]);
      return requests.map((request): EngineResult => {
        const { sku, warehouseId } = request as GetItem;
        if (warehouseId !== 'A') return { ok: true, applied: false };
        const item = { sku, warehouseId, totalQty: 5, reservedQty: 1, availableQty: 4 };
        const state = { status: 'ACTIVE', version: 2, updatedAtMs: 1, lastEventSeq: 2 } as const;
        return { ok: true, applied: false, item: { ...item, ...state } };
      });
    },
  } as unknown as LogReadingEngine & Pick<Engine, 'submitMany'>;
  return { asked, levels: createLevels({ engine }) };
}

describe('currentLevels', () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => `W-${i}`);
  it.each([
    ['no warehouse', [], 'VALIDATION'],
    [
      `more than ${warehousesPerQueryMax} warehouses`,
      many(warehousesPerQueryMax + 1),
      'VALIDATION',
    ],
    ['a warehouse id with the key separator', ['A|B'], 'VALIDATION'],
    ['a warehouse id too long', ['W'.repeat(65)], 'VALIDATION'],
    [`${warehousesPerQueryMax} warehouses`, many(warehousesPerQueryMax), 'ok'],
  ])('%s → %s', async (_name, warehouseIds, expected) => {
    const { asked, levels } = levelsOver();
    const outcome = await levels.currentLevels({ sku: 'S', warehouseIds });
    expect(outcome.ok ? 'ok' : outcome.code).toBe(expected);
    expect(asked).toHaveLength(expected === 'ok' ? 1 : 0);
  });

  it('answers the items found in the order asked, the others as absent, in one engine call', async () => {
    const { asked, levels } = levelsOver();
    const outcome = await levels.currentLevels({ sku: 'S', warehouseIds: ['B', 'A', 'C'] });
    expect(asked).toHaveLength(1);
    expect(outcome).toMatchObject({
      ok: true,
      value: { sku: 'S', levels: [{ warehouseId: 'A', availableQty: 4 }], absent: ['B', 'C'] },
    });
  });
});

// The bounds of a history query are checked before the log is read.
import { describe, expect, it } from 'vitest';
import { createItemHistory, historyLimits } from '../../src/app/item-history.ts';
import type { LogReadingEngine } from '../../src/app/item-log.ts';

describe('history', () => {
  it.each([
    ['limit 0', 0],
    ['limit 1.5', 1.5],
    [`limit ${historyLimits.eventsMax + 1}`, historyLimits.eventsMax + 1],
  ])('%s → VALIDATION, nothing read', async (_name, limit) => {
    let reads = 0;
    const engine = {
      submit: async () => {
        reads++;
        return { ok: true, applied: false };
      },
    } as unknown as LogReadingEngine;
    const outcome = await createItemHistory({ engine }).history({
      sku: 'S',
      warehouseId: 'W',
      limit,
    });
    expect(outcome).toMatchObject({ ok: false, code: 'VALIDATION', issues: [{ field: 'limit' }] });
    expect(reads).toBe(0);
  });

  it('an item that does not exist → ITEM_NOT_FOUND', async () => {
    const engine = {
      submit: async () => ({ ok: true, applied: false }),
      identity: { partitionCount: 4, storeId: 'store' },
    } as unknown as LogReadingEngine;
    const outcome = await createItemHistory({ engine }).history({ sku: 'S', warehouseId: 'W' });
    expect(outcome).toEqual({ ok: false, code: 'ITEM_NOT_FOUND' });
  });
});

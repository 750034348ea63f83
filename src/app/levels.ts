import { limits } from '../domain/limits.ts';
import { patterns } from '../domain/validate-command.ts';
import type { Engine } from '../engine/engine.ts';
import type { ItemLevels } from '../worker-protocol/results.ts';
import { type LogReadingEngine, levelsAfter, readItem } from './item-log.ts';
import { accepted, invalid, type Outcome, type Refusal } from './outcome.ts';

/** Most warehouses one levels query may name. */
export const warehousesPerQueryMax = 100;

export interface LevelsQuery {
  readonly sku: string;
  /** Distinct warehouse ids, answered in this order. */
  readonly warehouseIds: readonly string[];
}

export interface SkuLevels {
  readonly sku: string;
  /** The items that exist (at the instant asked), in the order asked. */
  readonly levels: readonly ItemLevels[];
  /** Warehouses where the item does not exist (yet): not an error. */
  readonly absent: readonly string[];
}

/** Stock levels of a SKU in several warehouses: now, or as they were at an instant. */
export interface Levels {
  currentLevels(query: LevelsQuery): Promise<Outcome<SkuLevels>>;
  /** The levels of each item after its newest event at or before `asOfMs` (inclusive). */
  levelsAsOf(query: LevelsQuery & { readonly asOfMs: number }): Promise<Outcome<SkuLevels>>;
}

const identifierPattern = new RegExp(patterns.identifier);

export function createLevels(deps: {
  readonly engine: LogReadingEngine & Pick<Engine, 'submitMany'>;
}): Levels {
  const { engine } = deps;
  return {
    async currentLevels(query) {
      const refusal = checkWarehouses(query.warehouseIds);
      if (refusal !== undefined) return refusal;
      const { sku, warehouseIds } = query;
      // One call: the reads go to their workers together, batched with whatever else is queued.
      const results = await engine.submitMany(
        warehouseIds.map((warehouseId) => ({ type: 'GetItem' as const, sku, warehouseId })),
      );
      const levels: ItemLevels[] = [];
      const absent: string[] = [];
      for (const [i, result] of results.entries()) {
        if (!result.ok) return result;
        if (result.item === undefined) absent.push(warehouseIds[i]!);
        else levels.push(result.item);
      }
      return accepted({ sku, levels, absent });
    },

    async levelsAsOf(query) {
      const refusal = checkWarehouses(query.warehouseIds);
      if (refusal !== undefined) return refusal;
      const levels: ItemLevels[] = [];
      const absent: string[] = [];
      for (const warehouseId of query.warehouseIds) {
        const found = await itemLevelsAsOf(engine, query.sku, warehouseId, query.asOfMs);
        if (!found.ok) return found;
        if (found.value === undefined) absent.push(warehouseId);
        else levels.push(found.value);
      }
      return accepted({ sku: query.sku, levels, absent });
    },
  };
}

/** A query names 1 to warehousesPerQueryMax valid ids: that bounds the work one query asks for. */
function checkWarehouses(warehouseIds: readonly string[]): Refusal | undefined {
  const valid = (id: string) =>
    identifierPattern.test(id) && id.length <= limits.warehouseIdLengthMax;
  if (
    warehouseIds.length > 0 &&
    warehouseIds.length <= warehousesPerQueryMax &&
    warehouseIds.every(valid)
  ) {
    return undefined;
  }
  return invalid({
    field: 'warehouseId',
    message: `must name 1 to ${warehousesPerQueryMax} valid warehouse ids`,
  });
}

/**
 * One item's levels at `asOfMs`: its levels now if nothing happened since, else the after-state
 * of its newest event at or before then. Undefined: the item did not exist yet. An instant older
 * than the retained log cannot be answered (HISTORY_TRUNCATED).
 */
async function itemLevelsAsOf(
  engine: LogReadingEngine,
  sku: string,
  warehouseId: string,
  asOfMs: number,
): Promise<Outcome<ItemLevels | undefined>> {
  const current = await readItem(engine, sku, warehouseId);
  if (!current.ok) return current;
  if (current.item === undefined) return accepted(undefined);
  if (current.item.updatedAtMs <= asOfMs) return accepted(current.item);
  const walk = current.walk();
  for (let next = walk.next(); ; next = walk.next()) {
    if (next.done) {
      return next.value.truncated ? { ok: false, code: 'HISTORY_TRUNCATED' } : accepted(undefined);
    }
    if (next.value.timestampMs <= asOfMs) return accepted(levelsAfter(next.value));
  }
}

import { assert } from '../domain/assert.ts';
import type { AdjustStock, ReceiveStock, SetItemStatus } from '../domain/commands.ts';
import type { Engine } from '../engine/engine.ts';
import type { EngineResult, ItemLevels } from '../worker-protocol/results.ts';
import { accepted, type Outcome } from './outcome.ts';

type Fields<C> = Omit<C, 'type' | 'commandId' | 'actor'>;
export type Receipt = Fields<ReceiveStock>;
export type Adjustment = Fields<AdjustStock>;
export type StatusChange = Fields<SetItemStatus>;

/**
 * Stock enters (receipts, one or many), is counted (adjustments) and is switched (status).
 * `actor` names who asks (an API key's name): it is recorded in the events, never decided on.
 */
export interface Stock {
  receiveStock(receipt: Receipt, actor?: string): Promise<Outcome<ItemLevels>>;
  /** Each receipt is decided on its own: one outcome per receipt, in order. */
  receiveStockMany(receipts: readonly Receipt[], actor?: string): Promise<Outcome<ItemLevels>[]>;
  adjustStock(adjustment: Adjustment, actor?: string): Promise<Outcome<ItemLevels>>;
  setItemStatus(change: StatusChange, actor?: string): Promise<Outcome<ItemLevels>>;
}

export function createStock(deps: {
  readonly engine: Pick<Engine, 'submit' | 'submitMany'>;
}): Stock {
  const { engine } = deps;
  return {
    receiveStock: async (receipt, actor) =>
      levelsOf(await engine.submit({ type: 'ReceiveStock', ...receipt, actor })),
    async receiveStockMany(receipts, actor) {
      // A bulk load is a batch producer: a full queue slows it down rather than refusing it.
      const results = await engine.submitMany(
        receipts.map((receipt) => ({ type: 'ReceiveStock', ...receipt, actor })),
        { whenFull: 'wait' },
      );
      return results.map(levelsOf);
    },
    adjustStock: async (adjustment, actor) =>
      levelsOf(await engine.submit({ type: 'AdjustStock', ...adjustment, actor })),
    setItemStatus: async (change, actor) =>
      levelsOf(await engine.submit({ type: 'SetItemStatus', ...change, actor })),
  };
}

/** A stock command answers the item's new levels (an unknown item is refused by the domain). */
function levelsOf(result: EngineResult): Outcome<ItemLevels> {
  if (!result.ok) return result;
  assert(result.item !== undefined, 'an item command answers with the item levels');
  return accepted(result.item);
}

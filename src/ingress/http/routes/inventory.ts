import type { FastifyPluginAsync } from 'fastify';
import type { ItemHistory } from '../../../app/item-history.ts';
import type { Levels } from '../../../app/levels.ts';
import { historyRoute } from './inventory-history.ts';
import { levelsRoute } from './inventory-levels.ts';

export interface InventoryRoutesOptions {
  readonly inventory: Levels & ItemHistory;
}

const tags = ['inventory'];

/**
 * The reads of stock, registered under /inventory: levels now or as of an instant, and an
 * item's history. A plugin of its own; its routes need inventory:read (access/route-rules.ts).
 */
export const inventoryRoutes: FastifyPluginAsync<InventoryRoutesOptions> = async (
  scope,
  { inventory },
) => {
  levelsRoute(scope, inventory, tags);
  historyRoute(scope, inventory, tags);
};

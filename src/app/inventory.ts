import type { Engine } from '../engine/engine.ts';
import { type BatchCommands, createBatchCommands, orderRequestRunner } from './batch-commands.ts';
import { createItemHistory, type ItemHistory } from './item-history.ts';
import { createLevels, type Levels } from './levels.ts';
import type { Orders } from './orders/orders.ts';
import { createReservations, type Reservations } from './reservations.ts';
import { createStock, type Stock } from './stock.ts';

/**
 * Every use case of stockd, the one API that every transport calls: HTTP and the Kafka command
 * topic translate their wire formats into these calls and their outcomes back. Use cases that
 * span several items (an order's lines) belong here too, never in a route or a consumer.
 */
export type Inventory = Reservations & Stock & Levels & ItemHistory & BatchCommands & Orders;

export interface InventoryDependencies {
  readonly engine: Engine;
  /** Hold time of a reservation that names none (seconds). */
  readonly defaultTtlSeconds: number;
  /** The order coordinator (orders/orders.ts): it has a lifecycle of its own, so it is given. */
  readonly orders: Orders;
}

export function createInventory(deps: InventoryDependencies): Inventory {
  const { engine } = deps;
  return {
    ...createReservations({ engine, defaultTtlSeconds: deps.defaultTtlSeconds }),
    ...createStock({ engine }),
    ...createLevels({ engine }),
    ...createItemHistory({ engine }),
    ...createBatchCommands({
      engine,
      runOrderRequests: orderRequestRunner(deps.orders),
      defaultTtlSeconds: deps.defaultTtlSeconds,
    }),
    placeOrder: (input) => deps.orders.placeOrder(input),
    changeOrder: (input) => deps.orders.changeOrder(input),
    confirmOrder: (input) => deps.orders.confirmOrder(input),
    cancelOrder: (orderId, actor) => deps.orders.cancelOrder(orderId, actor),
    getOrder: (orderId) => deps.orders.getOrder(orderId),
  };
}

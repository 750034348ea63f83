import { createCoordinator } from './coordinator.ts';
import type { Orders, OrdersDependencies, OrderUpkeep } from './order-api.ts';
import { ignoreOrders } from './order-observer.ts';
import { createOrderUpkeep } from './order-upkeep.ts';
import { createOrderUseCases } from './order-use-cases.ts';

export type {
  ChangedOrder,
  Orders,
  OrdersDependencies,
  OrdersEngine,
  OrderUpkeep,
  PlacedOrder,
  PlaceOrderInput,
  RecoveredOrders,
  SettledOrder,
} from './order-api.ts';

/**
 * The order coordinator: the use cases of orders (order-use-cases.ts) and what keeps orders
 * whole between requests (order-upkeep.ts), over one coordinator (coordinator.ts): one saga at a
 * time per order, each step through the engine's logged path (order-saga.ts).
 */
export function createOrders(deps: OrdersDependencies): Orders & OrderUpkeep {
  const coordinator = createCoordinator(deps.engine, deps.observer ?? ignoreOrders);
  return {
    ...createOrderUseCases(coordinator, deps),
    ...createOrderUpkeep(coordinator, deps),
  };
}

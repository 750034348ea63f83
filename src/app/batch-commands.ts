import type { Command } from '../domain/commands.ts';
import type { OrderRequest } from '../domain/order-requests.ts';
import { isOrderRequest } from '../domain/order-requests.ts';
import type { Engine } from '../engine/engine.ts';
import type { EngineResult, OrderView } from '../worker-protocol/results.ts';
import type { Orders } from './orders/orders.ts';
import type { Outcome } from './outcome.ts';

/** The entry of batch producers (the Kafka command topic, imports): many commands at once. */
export interface BatchCommands {
  /**
   * One result per command, in order, each once durable. Results stay the engine's own (with
   * `duplicate` for a redelivered commandId), since a batch producer reports each one back.
   * `whenFull: 'wait'` slows the producer down while a worker queue is full; 'reject' answers
   * OVERLOADED instead. Order requests run as their sagas (an order's own requests in the order
   * given) and answer with the order; they are idempotent by orderId, not by commandId.
   */
  executeCommands(
    commands: readonly (Command | OrderRequest)[],
    options: { readonly whenFull: 'wait' | 'reject' },
  ): Promise<EngineResult[]>;
}

export function createBatchCommands(deps: {
  readonly engine: Pick<Engine, 'submitMany'>;
  readonly orders: Orders;
}): BatchCommands {
  const { engine, orders } = deps;
  return {
    async executeCommands(commands, { whenFull }) {
      if (!commands.some(isOrderRequest)) {
        return engine.submitMany(commands as Command[], { whenFull });
      }
      // Item commands in one call, in their order (per partition, order is kept); each order
      // request as its saga, started in the order given (per order, order is kept).
      const itemIndexes: number[] = [];
      const itemCommands: Command[] = [];
      const results = new Array<Promise<EngineResult>>(commands.length);
      commands.forEach((command, i) => {
        if (isOrderRequest(command)) {
          results[i] = executeOrderRequest(orders, command);
        } else {
          itemIndexes.push(i);
          itemCommands.push(command);
        }
      });
      const itemResults = await engine.submitMany(itemCommands, { whenFull });
      itemIndexes.forEach((at, j) => {
        results[at] = Promise.resolve(itemResults[j]!);
      });
      return Promise.all(results);
    },
  };
}

async function executeOrderRequest(orders: Orders, request: OrderRequest): Promise<EngineResult> {
  switch (request.type) {
    case 'PlaceOrder': {
      const { type: _, commandId: __, ...input } = request;
      return resultOf(await orders.placeOrder(input), (placed) => placed.created);
    }
    case 'ChangeOrder':
      return resultOf(
        await orders.changeOrder({
          orderId: request.orderId,
          lines: request.lines,
          actor: request.actor,
        }),
        (changed) => changed.changes.length > 0,
      );
    case 'ConfirmOrder':
      return resultOf(
        await orders.confirmOrder({
          orderId: request.orderId,
          lines: request.lines,
          actor: request.actor,
        }),
        (settled) => settled.changed,
      );
    case 'CancelOrder':
      return resultOf(
        await orders.cancelOrder(request.orderId, request.actor),
        (settled) => settled.changed,
      );
  }
}

function resultOf<T extends { readonly order: OrderView }>(
  outcome: Outcome<T>,
  applied: (value: T) => boolean,
): EngineResult {
  if (!outcome.ok) return outcome;
  return { ok: true, applied: applied(outcome.value), order: outcome.value.order };
}

import type { Command, Reserve } from '../domain/commands.ts';
import type { OrderRequest } from '../domain/order-requests.ts';
import { isOrderRequest } from '../domain/order-requests.ts';
import type { Engine } from '../engine/engine.ts';
import type { EngineResult, OrderView } from '../worker-protocol/results.ts';
import type { Orders } from './orders/orders.ts';
import type { Outcome } from './outcome.ts';
import { type ReserveInput, reserveCommandOf } from './reservations.ts';

/**
 * A reserve as clients send it, by either transport: the key as `idempotencyKey` or `orderId`,
 * the hold time optional (reserveCommandOf makes the engine's command of it).
 */
export interface ReserveRequest extends ReserveInput {
  readonly type: 'Reserve';
  readonly commandId?: string | undefined;
  readonly actor?: string | undefined;
}

/** What a batch producer sends: item and reservation commands, reserves, order requests. */
export type BatchRequest = Exclude<Command, Reserve> | ReserveRequest | OrderRequest;

/** The entry of batch producers (the Kafka command topic, imports): many commands at once. */
export interface BatchCommands {
  /**
   * One result per request, in order, each once durable. Results stay the engine's own (with
   * `duplicate` for a redelivered commandId), since a batch producer reports each one back.
   * `whenFull: 'wait'` slows the producer down while a worker queue is full; 'reject' answers
   * OVERLOADED instead. A reserve is completed as HTTP's is (the key from either name, the
   * default hold time). Order requests run as their sagas (an order's own requests in the order
   * given) and answer with the order; they are idempotent by orderId, not by commandId.
   */
  executeCommands(
    requests: readonly BatchRequest[],
    options: { readonly whenFull: 'wait' | 'reject' },
  ): Promise<EngineResult[]>;
}

/**
 * Runs order requests as their sagas, each started in the order given (per order, order is
 * kept): one result each, in order, answering with the order.
 */
export type OrderRequestRunner = (requests: readonly OrderRequest[]) => Promise<EngineResult[]>;

export function orderRequestRunner(orders: Orders): OrderRequestRunner {
  return (requests) => Promise.all(requests.map((request) => executeOrderRequest(orders, request)));
}

export function createBatchCommands(deps: {
  readonly engine: Pick<Engine, 'submitMany'>;
  /** Where order requests run: the order coordinator, on the main thread. */
  readonly runOrderRequests: OrderRequestRunner;
  /** Hold time of a reservation that names none (seconds). */
  readonly defaultTtlSeconds: number;
}): BatchCommands {
  const { engine } = deps;
  return {
    async executeCommands(requests, { whenFull }) {
      // Item commands in one call, in their order (per partition, order is kept); the order
      // requests in one call to their runner, started meanwhile. A reserve refused before the
      // engine (no key) is answered in its place.
      const itemIndexes: number[] = [];
      const itemCommands: Command[] = [];
      const orderIndexes: number[] = [];
      const orderRequests: OrderRequest[] = [];
      const results = new Array<EngineResult>(requests.length);
      requests.forEach((request, i) => {
        if (isOrderRequest(request)) {
          orderIndexes.push(i);
          orderRequests.push(request);
          return;
        }
        const built =
          request.type === 'Reserve'
            ? reserveCommandOf(request, deps.defaultTtlSeconds, request)
            : { ok: true as const, command: request };
        if (!built.ok) {
          results[i] = built;
          return;
        }
        itemIndexes.push(i);
        itemCommands.push(built.command);
      });
      if (itemCommands.length === requests.length) {
        return engine.submitMany(itemCommands, { whenFull });
      }
      const orderResults =
        orderRequests.length === 0 ? Promise.resolve([]) : deps.runOrderRequests(orderRequests);
      orderResults.catch(() => {}); // awaited below, after the item commands
      const itemResults = await engine.submitMany(itemCommands, { whenFull });
      itemIndexes.forEach((at, j) => {
        results[at] = itemResults[j]!;
      });
      (await orderResults).forEach((result, j) => {
        results[orderIndexes[j]!] = result;
      });
      return results;
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

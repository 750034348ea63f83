import type { LoggedOrderEvent } from '../checkpoint/logged-event.ts';
import { decideOrder } from '../domain/decide-order.ts';
import type { Order } from '../domain/order.ts';
import type { OrderRequest } from '../worker-protocol/requests.ts';
import type { EngineResult, OrderView } from '../worker-protocol/results.ts';
import type { EventSink } from './event-sink.ts';
import type { PartitionActor } from './partition-actor.ts';

const orderNotFound: EngineResult = Object.freeze({ ok: false, code: 'ORDER_NOT_FOUND' });

/**
 * One request of an order's own partition: decide on the order (pure), apply and log its
 * events, answer with the order. Synchronous, like every request of a batch.
 */
export function executeOrderRequest(
  actor: PartitionActor,
  request: OrderRequest,
  nowMs: number,
  sink: EventSink,
): EngineResult {
  if (request.type === 'GetOrder') {
    const order = actor.orders.get(request.orderId);
    return order === undefined ? orderNotFound : { ok: true, applied: false, order };
  }
  if (request.type === 'ListOrderWork') {
    const deadlines: [string, number][] = [];
    for (const order of actor.orders.values()) {
      if (order.status === 'HELD') deadlines.push([order.orderId, order.expiresAtMs]);
    }
    return {
      ok: true,
      applied: false,
      orderWork: { unfinished: actor.orders.unfinished().map(withoutTimeline), deadlines },
    };
  }
  let order = actor.orders.get(request.orderId);
  const decision = decideOrder(request, { order, nowMs });
  if (decision.outcome === 'rejected') return { ok: false, code: decision.code };
  if (decision.outcome === 'applied') {
    for (const event of decision.events) {
      const logged = {
        ...event,
        partition: actor.partition,
        seq: actor.nextSeq,
        ...(request.actor !== undefined && { actor: request.actor }),
      } as LoggedOrderEvent;
      order = actor.applyOrderEvent(logged);
      sink(logged, undefined);
    }
  }
  return {
    ok: true,
    applied: decision.outcome === 'applied',
    ...(order !== undefined && { order: withoutTimeline(order) }),
  };
}

/** Saga steps need the order's lines and status; only GetOrder answers the history too. */
function withoutTimeline(order: Order): OrderView {
  return { ...order, timeline: [] };
}

import { hasUnfinishedWork } from '../../domain/order.ts';
import type { EngineRequest } from '../../worker-protocol/requests.ts';
import type { EngineResult, OrderView } from '../../worker-protocol/results.ts';
import type { Outcome } from '../outcome.ts';
import { DeadlineHeap } from './deadline-heap.ts';
import type { OrdersEngine } from './order-api.ts';
import { OrderLocks } from './order-locks.ts';
import type { OrderObserver, OrderOperation } from './order-observer.ts';
import { type By, finishOrder, type SagaOutcome } from './order-saga.ts';
import { SagaInterrupted } from './saga-steps.ts';

/**
 * What every order use case shares: one saga at a time per order (OrderLocks), the deadlines of
 * HELD orders, and finishing whatever an order has half done (order-saga.ts).
 */
export interface Coordinator {
  readonly engine: OrdersEngine;
  readonly deadlines: DeadlineHeap;
  readonly locks: OrderLocks;
  readonly observer: OrderObserver;
  /**
   * Runs `work` under the order's lock; a saga interrupted (the engine did not decide a step)
   * answers its code. Observed as `operation` unless that is undefined.
   */
  run<T>(
    operation: OrderOperation | undefined,
    orderId: string,
    lines: number,
    work: () => Promise<Outcome<T>>,
  ): Promise<Outcome<T>>;
  /**
   * Finishes whatever the order has half done, its steps done `by` the request's actor; an order
   * that becomes HELD is watched.
   */
  finish(order: OrderView, by?: By): Promise<SagaOutcome>;
  /** A client's first step; ORDER_BUSY means an interrupted saga: finish it, then retry once. */
  firstStep(request: EngineRequest & { readonly orderId: string }): Promise<EngineResult>;
}

export function createCoordinator(engine: OrdersEngine, observer: OrderObserver): Coordinator {
  const locks = new OrderLocks();
  const deadlines = new DeadlineHeap();

  const finish = async (order: OrderView, by: By = {}): Promise<SagaOutcome> => {
    if (!hasUnfinishedWork(order)) return { order };
    const saga = await finishOrder(engine, order, by);
    if (order.status === 'PENDING' && saga.order.status === 'HELD') {
      deadlines.push(saga.order.orderId, saga.order.expiresAtMs);
    }
    return saga;
  };

  async function run<T>(
    operation: OrderOperation | undefined,
    orderId: string,
    lines: number,
    work: () => Promise<Outcome<T>>,
  ): Promise<Outcome<T>> {
    let outcome: Outcome<T>;
    try {
      outcome = await locks.run(orderId, work);
    } catch (error) {
      if (!(error instanceof SagaInterrupted)) throw error;
      outcome = { ok: false, code: error.code };
    }
    if (operation !== undefined) {
      observer.observe(operation, outcome.ok ? statusOf(outcome.value) : outcome.code, lines);
    }
    return outcome;
  }

  return {
    engine,
    deadlines,
    locks,
    observer,
    finish,
    run,
    async firstStep(request) {
      const result = await engine.submit(request);
      if (result.ok || result.code !== 'ORDER_BUSY') return result;
      const current = await engine.submit({ type: 'GetOrder', orderId: request.orderId });
      if (current.ok && current.order !== undefined) await finish(current.order);
      return engine.submit(request);
    },
  };
}

/** The status an outcome's order ended in (a value is an order, or carries one). */
function statusOf(value: unknown): string {
  const order = (value as { order?: OrderView }).order ?? (value as OrderView);
  return order.status;
}

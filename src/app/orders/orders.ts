import type { EventLine, LineRequest } from '../../domain/order.ts';
import { hasUnfinishedWork } from '../../domain/order.ts';
import { validateOrderRequest } from '../../domain/validate-order.ts';
import type { Engine } from '../../engine/engine.ts';
import type { EngineRequest } from '../../worker-protocol/requests.ts';
import type { EngineResult, OrderView } from '../../worker-protocol/results.ts';
import { accepted, type Outcome, type Refusal } from '../outcome.ts';
import { DeadlineHeap } from './deadline-heap.ts';
import { OrderLocks } from './order-locks.ts';
import { ignoreOrders, type OrderObserver, type OrderOperation } from './order-observer.ts';
import { finishOrder, type SagaOutcome } from './order-saga.ts';
import { SagaInterrupted } from './saga-steps.ts';

export interface PlaceOrderInput {
  readonly orderId: string;
  readonly customerId?: string | undefined;
  readonly lines: readonly LineRequest[];
  /** How long every line is held; the configured default when absent (seconds). */
  readonly ttlSeconds?: number | undefined;
}

export interface PlacedOrder {
  readonly order: OrderView;
  /** False: an idempotent repeat that answers the order as it is now. */
  readonly created: boolean;
}

export interface SettledOrder {
  readonly order: OrderView;
  /** False: the order had already ended so (an idempotent repeat). */
  readonly changed: boolean;
}

export interface ChangedOrder {
  readonly order: OrderView;
  /** The lines whose quantity changed, with their deltas (none: they already had them). */
  readonly changes: readonly EventLine[];
}

/** Orders: several lines held all together or not at all, then confirmed, cancelled or expired. */
export interface Orders {
  placeOrder(input: PlaceOrderInput): Promise<Outcome<PlacedOrder>>;
  /** New quantities of the named lines (0 drops one, an unknown line is added). */
  changeOrder(input: {
    readonly orderId: string;
    readonly lines: readonly LineRequest[];
  }): Promise<Outcome<ChangedOrder>>;
  /** Every line in full, or the named lines partly (the units shipped; the rest is released). */
  confirmOrder(input: {
    readonly orderId: string;
    readonly lines?: readonly LineRequest[] | undefined;
  }): Promise<Outcome<SettledOrder>>;
  cancelOrder(orderId: string): Promise<Outcome<SettledOrder>>;
  /** The order with its whole timeline. */
  getOrder(orderId: string): Promise<Outcome<OrderView>>;
}

/** What keeps orders whole between requests: recovery at start-up, expiry, shutdown. */
export interface OrderUpkeep {
  /**
   * Finishes (or undoes) every order a previous run left half done, and learns the deadlines of
   * the HELD ones. Run before any ingress serves.
   */
  recoverOrders(): Promise<RecoveredOrders>;
  /** Expires every HELD order that is due, as a whole; returns how many expired. */
  expireDueOrders(): Promise<number>;
  /** Expires due orders on a timer (system clock only: a manual clock waits to be asked). */
  startOrderExpiry(): void;
  /** Stops the timer and waits for every saga under way. */
  stopOrders(): Promise<void>;
}

export interface RecoveredOrders {
  /** Orders whose unfinished saga was finished, by the status they ended in. */
  readonly finished: Readonly<Record<string, number>>;
  /** HELD orders whose deadlines are now watched. */
  readonly held: number;
}

/** What the coordinator needs of the engine: submitting, its time, its partition count. */
export type OrdersEngine = Pick<Engine, 'submit' | 'submitMany' | 'clock'> & {
  readonly identity: { readonly partitionCount: number };
};

export interface OrdersDependencies {
  readonly engine: OrdersEngine;
  /** Hold time of an order that names none (seconds). */
  readonly defaultTtlSeconds: number;
  /** Most lines an order may have (STOCKD_ORDER_LINES_MAX). */
  readonly linesMax: number;
  /** How often due orders are expired (milliseconds), and at most how many in one pass. */
  readonly expiryIntervalMs: number;
  readonly expiryBatchMax: number;
  readonly observer?: OrderObserver;
  /** The expiry timer failed in a way other than stopping (default: rethrown, uncaught). */
  readonly onError?: (error: unknown) => void;
}

/**
 * The order coordinator: one saga at a time per order (OrderLocks), each step through the
 * engine's logged path (order-saga.ts). A use case answers once the saga has finished: an order
 * is never answered half held.
 */
export function createOrders(deps: OrdersDependencies): Orders & OrderUpkeep {
  const { engine, linesMax } = deps;
  const observer = deps.observer ?? ignoreOrders;
  const locks = new OrderLocks();
  const deadlines = new DeadlineHeap();
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;

  /** Runs a use case's saga under the order's lock; an interruption answers its code. */
  const run = async <T>(
    operation: OrderOperation | undefined,
    orderId: string,
    lines: number,
    work: () => Promise<Outcome<T> & { order?: OrderView }>,
  ): Promise<Outcome<T>> => {
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
  };

  /** Finishes whatever the order has half done; an order that becomes HELD is watched. */
  const finish = async (order: OrderView): Promise<SagaOutcome> => {
    if (!hasUnfinishedWork(order)) return { order };
    const saga = await finishOrder(engine, order);
    if (order.status === 'PENDING' && saga.order.status === 'HELD') {
      deadlines.push(saga.order.orderId, saga.order.expiresAtMs);
    }
    return saga;
  };

  /** A first step from a client; ORDER_BUSY means an interrupted saga: finish it, then retry. */
  const firstStep = async (request: EngineRequest): Promise<EngineResult> => {
    const result = await engine.submit(request);
    if (result.ok || result.code !== 'ORDER_BUSY' || !('orderId' in request)) return result;
    const current = await engine.submit({ type: 'GetOrder', orderId: request.orderId });
    if (current.ok && current.order !== undefined) await finish(current.order);
    return engine.submit(request);
  };

  return {
    async placeOrder(input) {
      const checked = validateOrderRequest({ type: 'PlaceOrder', ...input }, linesMax);
      if (!checked.ok) return { ok: false, code: 'VALIDATION', issues: checked.issues };
      const { orderId } = input;
      return run('place', orderId, input.lines.length, async () => {
        const opened = await engine.submit({
          type: 'OpenOrder',
          orderId,
          ...(input.customerId !== undefined && { customerId: input.customerId }),
          lines: input.lines,
          ttlSeconds: input.ttlSeconds ?? deps.defaultTtlSeconds,
        });
        if (!opened.ok) return opened;
        const wasPending = opened.order!.status === 'PENDING';
        const saga = await finish(opened.order!);
        if (saga.order.status === 'FAILED') return failedOrder(saga);
        return accepted({ order: saga.order, created: opened.applied || wasPending });
      });
    },

    async changeOrder({ orderId, lines }) {
      const checked = validateOrderRequest({ type: 'ChangeOrder', orderId, lines }, linesMax);
      if (!checked.ok) return { ok: false, code: 'VALIDATION', issues: checked.issues };
      return run('change', orderId, lines.length, async () => {
        const begun = await firstStep({ type: 'BeginOrderChange', orderId, lines, linesMax });
        if (!begun.ok) return begun;
        const changes = begun.order!.pendingChange ?? [];
        const saga = await finish(begun.order!);
        if (saga.failedLines !== undefined) {
          return { ok: false, code: 'ORDER_CHANGE_FAILED', lines: saga.failedLines };
        }
        return accepted({ order: saga.order, changes: begun.applied ? changes : [] });
      });
    },

    async confirmOrder({ orderId, lines }) {
      const checked = validateOrderRequest({ type: 'ConfirmOrder', orderId, lines }, linesMax);
      if (!checked.ok) return { ok: false, code: 'VALIDATION', issues: checked.issues };
      return run('confirm', orderId, lines?.length ?? 0, () =>
        settleOrder(orderId, 'CONFIRMED', lines),
      );
    },

    async cancelOrder(orderId) {
      const checked = validateOrderRequest({ type: 'CancelOrder', orderId }, linesMax);
      if (!checked.ok) return { ok: false, code: 'VALIDATION', issues: checked.issues };
      return run('cancel', orderId, 0, () => settleOrder(orderId, 'CANCELLED', undefined));
    },

    async getOrder(orderId) {
      const result = await engine.submit({ type: 'GetOrder', orderId });
      return result.ok ? accepted(result.order!) : result;
    },

    async recoverOrders() {
      const partitions = Array.from({ length: engine.identity.partitionCount }, (_, p) => p);
      const work = await engine.submitMany(
        partitions.map((partition) => ({ type: 'ListOrderWork' as const, partition })),
        { whenFull: 'wait' },
      );
      const finishedByStatus: Record<string, number> = {};
      let held = 0;
      const sagas: Promise<void>[] = [];
      for (const result of work) {
        if (!result.ok) throw new SagaInterrupted(result.code);
        for (const [orderId, dueAtMs] of result.orderWork!.deadlines) {
          deadlines.push(orderId, dueAtMs);
          held++;
        }
        for (const order of result.orderWork!.unfinished) {
          sagas.push(
            run('recover', order.orderId, order.lines.length, async () => {
              const saga = await finish(order);
              const status = saga.order.status;
              finishedByStatus[status] = (finishedByStatus[status] ?? 0) + 1;
              return accepted(saga.order);
            }).then((outcome) => {
              if (!outcome.ok) throw new SagaInterrupted(outcome.code);
            }),
          );
        }
      }
      await Promise.all(sagas);
      return { finished: finishedByStatus, held };
    },

    expireDueOrders,

    startOrderExpiry() {
      if (engine.clock.shared !== undefined || timer !== undefined) return;
      const tick = () => {
        timer = undefined;
        expireDueOrders().then(
          () => {
            if (!stopping) timer = setTimeout(tick, deps.expiryIntervalMs);
          },
          (error: unknown) => {
            if (stopping && error instanceof SagaInterrupted) return;
            (deps.onError ?? rethrow)(error);
          },
        );
      };
      timer = setTimeout(tick, deps.expiryIntervalMs);
    },

    async stopOrders() {
      stopping = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await locks.whenIdle();
    },
  };

  /** Expires due HELD orders as a whole, each under its lock; returns how many expired. */
  async function expireDueOrders(): Promise<number> {
    let expired = 0;
    for (;;) {
      const nowMs = engine.clock.nowMs();
      const due = deadlines.popDue(nowMs, deps.expiryBatchMax);
      if (due.length === 0) return expired;
      const outcomes = await Promise.all(
        due.map((orderId) =>
          // Observed only when it expires: most deadlines find the order settled long before.
          run(undefined, orderId, 0, async () => {
            const result = await engine.submit({
              type: 'SettleOrder',
              orderId,
              outcome: 'EXPIRED',
            });
            if (!result.ok) return result;
            const saga = await finish(result.order!);
            // Still HELD: not due yet by the order's own clock, or a change was under way
            // (finished just now). Watch it again rather than lose its deadline.
            if (saga.order.status === 'HELD') {
              deadlines.push(orderId, Math.max(saga.order.expiresAtMs, nowMs + 1));
            }
            return accepted({ order: saga.order, applied: result.applied });
          }),
        ),
      );
      let undecided = false;
      outcomes.forEach((outcome, i) => {
        if (outcome.ok && outcome.value.applied) {
          expired++;
          observer.observe('expire', 'EXPIRED', outcome.value.order.lines.length);
        }
        // Not decided now (a full queue, say): due again on the next pass.
        if (!outcome.ok && isUndecided(outcome)) {
          deadlines.push(due[i]!, nowMs);
          undecided = true;
        }
      });
      if (undecided) return expired;
    }
  }

  /** SettleOrder from a client, then its lines. */
  async function settleOrder(
    orderId: string,
    outcome: 'CONFIRMED' | 'CANCELLED',
    lines: readonly LineRequest[] | undefined,
  ): Promise<Outcome<SettledOrder>> {
    const result = await firstStep({
      type: 'SettleOrder',
      orderId,
      outcome,
      ...(lines !== undefined && { lines }),
    });
    if (!result.ok) return result;
    const saga = await finish(result.order!);
    return accepted({ order: saga.order, changed: result.applied });
  }
}

function failedOrder(saga: SagaOutcome): Refusal {
  const lines =
    saga.failedLines ??
    saga.order.lines.map((line) => ({
      sku: line.sku,
      warehouseId: line.warehouseId,
      quantity: line.quantity,
      code: line.code ?? 'LINKED_LINE_FAILED',
    }));
  return { ok: false, code: 'ORDER_FAILED', lines };
}

function statusOf(value: unknown): string {
  const order = (value as { order?: OrderView }).order ?? (value as OrderView);
  return order.status;
}

function isUndecided(refusal: Refusal): boolean {
  return ['OVERLOADED', 'NOT_READY', 'SHUTTING_DOWN', 'INTERNAL'].includes(refusal.code);
}

function rethrow(error: unknown): never {
  throw error;
}

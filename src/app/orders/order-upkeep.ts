import { accepted } from '../outcome.ts';
import type { Coordinator } from './coordinator.ts';
import type { OrderUpkeep } from './order-api.ts';
import { isUndecided, SagaInterrupted } from './saga-steps.ts';

export interface OrderUpkeepSettings {
  /** How often due orders are expired (milliseconds), and at most how many in one pass. */
  readonly expiryIntervalMs: number;
  readonly expiryBatchMax: number;
  /** The expiry timer failed in a way other than stopping (default: rethrown, uncaught). */
  readonly onError?: ((error: unknown) => void) | undefined;
}

/** Recovery at start-up, expiry of whole orders, and shutdown. */
export function createOrderUpkeep(
  coordinator: Coordinator,
  settings: OrderUpkeepSettings,
): OrderUpkeep {
  const { engine, deadlines, run, finish, observer } = coordinator;
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;

  /** Expires due HELD orders as a whole, each under its lock; returns how many expired. */
  const expireDueOrders = async (): Promise<number> => {
    let expired = 0;
    for (;;) {
      const nowMs = engine.clock.nowMs();
      const due = deadlines.popDue(nowMs, settings.expiryBatchMax);
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
            // Still HELD: not due yet by its partition's clock, or a change was under way
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
        if (!outcome.ok && isUndecided(outcome.code)) {
          deadlines.push(due[i]!, nowMs);
          undecided = true;
        }
      });
      if (undecided) return expired;
    }
  };

  return {
    async recoverOrders() {
      const partitions = Array.from({ length: engine.identity.partitionCount }, (_, p) => p);
      const work = await engine.submitMany(
        partitions.map((partition) => ({ type: 'ListOrderWork' as const, partition })),
        { whenFull: 'wait' },
      );
      const finished: Record<string, number> = {};
      let held = 0;
      const sagas: Promise<void>[] = [];
      for (const result of work) {
        if (!result.ok) throw new SagaInterrupted(result.code);
        for (const [orderId, dueAtMs] of result.orderWork!.deadlines) {
          deadlines.push(orderId, dueAtMs);
          held++;
        }
        for (const order of result.orderWork!.unfinished) {
          const saga = run('recover', order.orderId, order.lines.length, async () =>
            accepted((await finish(order)).order),
          );
          sagas.push(
            saga.then((outcome) => {
              if (!outcome.ok) throw new SagaInterrupted(outcome.code);
              finished[outcome.value.status] = (finished[outcome.value.status] ?? 0) + 1;
            }),
          );
        }
      }
      await Promise.all(sagas);
      return { finished, held };
    },

    expireDueOrders,

    startOrderExpiry() {
      if (engine.clock.shared !== undefined || timer !== undefined) return;
      const tick = () => {
        timer = undefined;
        expireDueOrders().then(
          () => {
            if (!stopping) timer = setTimeout(tick, settings.expiryIntervalMs);
          },
          (error: unknown) => {
            if (stopping && error instanceof SagaInterrupted) return;
            (settings.onError ?? rethrow)(error);
          },
        );
      };
      timer = setTimeout(tick, settings.expiryIntervalMs);
    },

    async stopOrders() {
      stopping = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await coordinator.locks.whenIdle();
    },
  };
}

function rethrow(error: unknown): never {
  throw error;
}
